package com.kontroltravel.oc.pdf.pdfbox.corpus;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.util.Matrix;

/**
 * The confirmation as the booking system's own HTML-to-PDF engine (HiQPdf for .NET) writes it,
 * reproduced with PDFBox:
 *
 * <ul>
 *   <li>the page content lives in Form XObjects (one per block), drawn in CSS pixels and scaled to
 *       the page by the form matrix (the engine lays the HTML out in a browser width of 820-1100 px
 *       and fits it to the page width), so a glyph's "font size" in text space is not its size on
 *       the page;
 *   <li>text is set in an embedded subset TrueType font, Type0 / Identity-H with a ToUnicode map:
 *       Carlito (metrically compatible with Calibri, whose space is a narrow 0.226 em), regular and
 *       bold;
 *   <li>each text run is one {@code Tj} string per line, real space glyphs included, under a
 *       character spacing ({@code Tc}) drawn from -0.07 to +0.18;
 *   <li>the hotel block is an HTML table whose first column (the address) is anything from narrow
 *       to half the page wide, so the {@code Check In} and {@code Check Out} columns move and
 *       narrow, and long values wrap inside their cell (continuation lines start at the cell's left
 *       edge, under the label); long agency and hotel names wrap too.
 * </ul>
 */
final class HiqPdfConfirmation {
  static final File CARLITO = new File("/usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf");
  static final File CARLITO_BOLD = new File("/usr/share/fonts/truetype/crosextra/Carlito-Bold.ttf");

  private static final float MARGIN = 40f;
  private static final float CONTENT_W = PDRectangle.A4.getWidth() - 2 * MARGIN;

  private HiqPdfConfirmation() {}

  /** One text run: one {@code Tj} at (x, y) in CSS pixels, y measured down from the block top. */
  record Run(PDFont font, float px, float x, float y, float tc, String text) {}

  /** Lays out text in CSS pixels, like an HTML engine, and collects the runs. */
  static final class Block {
    final List<Run> runs = new ArrayList<>();
    final Random rnd;

    Block(Random rnd) {
      this.rnd = rnd;
    }

    /** A character spacing in [-0.07, +0.18], never exactly zero (the engine always sets one). */
    float tc() {
      float tc = Math.round((-0.07f + rnd.nextFloat() * 0.25f) * 1000f) / 1000f;
      return tc == 0f ? 0.001f : tc;
    }

    static float width(PDFont font, float px, float tc, String s) throws IOException {
      return font.getStringWidth(s) / 1000f * px + tc * s.codePointCount(0, s.length());
    }

    /** One line, one run. Returns its width. */
    float line(PDFont font, float px, float x, float y, String text) throws IOException {
      float tc = tc();
      runs.add(new Run(font, px, x, y, tc, text));
      return width(font, px, tc, text);
    }

    /**
     * Text wrapped at word boundaries into lines: the first starts at {@code firstX} with {@code
     * firstWidth} available, the next ones at {@code nextX} with {@code nextWidth}. Returns the
     * number of lines.
     */
    int wrapped(
        PDFont font,
        float px,
        float firstX,
        float firstWidth,
        float nextX,
        float nextWidth,
        float y,
        float lineHeight,
        String text)
        throws IOException {
      List<String> lines = new ArrayList<>();
      StringBuilder cur = new StringBuilder();
      float avail = firstWidth;
      for (String word : text.split(" ")) {
        String candidate = cur.length() == 0 ? word : cur + " " + word;
        if (cur.length() > 0 && width(font, px, 0.18f, candidate) > avail) {
          lines.add(cur.toString());
          cur = new StringBuilder(word);
          avail = nextWidth;
        } else {
          cur = new StringBuilder(candidate);
        }
      }
      lines.add(cur.toString());
      for (int i = 0; i < lines.size(); i++) {
        line(font, px, i == 0 ? firstX : nextX, y + i * lineHeight, lines.get(i));
      }
      return lines.size();
    }
  }

  static byte[] render(Booking b, String address, float addressColumn) throws IOException {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      PDFont reg = PDType0Font.load(doc, CARLITO);
      PDFont bold = PDType0Font.load(doc, CARLITO_BOLD);
      Random rnd = new Random(b.seed());
      // The HTML is laid out in a browser width and fitted to the page's content width.
      float browserWidth = 820 + rnd.nextInt(281);
      float scale = CONTENT_W / browserWidth;

      Block header = new Block(rnd);
      header.line(bold, 26, 0, 30, "Resumen de servicios");
      header.line(reg, 11, 0, 48, "[paginaEticketHeader]");
      float hp = 16; // header font size, px
      float lh = hp * 1.35f;
      // Left table: LOC Interno, Localizador, Estado.
      float lx = 170 + rnd.nextInt(60);
      float lvx = lx + Block.width(bold, hp, 0.18f, "LOC Interno:") + 8;
      float ly = 110;
      header.line(bold, hp, lx, ly, "LOC Interno:");
      header.line(reg, hp, lvx, ly, b.internalLocator());
      header.line(bold, hp, lx, ly + lh + 6, "Localizador:");
      header.line(reg, hp, lvx, ly + lh + 6, b.locator());
      header.line(bold, hp, lx, ly + 2 * (lh + 6), "Estado:");
      header.line(reg, hp, lvx, ly + 2 * (lh + 6), b.status());
      // Right table: Agencia (wraps in its value cell), Fecha Emision.
      float rx = lvx + 140 + rnd.nextInt(80);
      float rvx = rx + Block.width(bold, hp, 0.18f, "Fecha Emision:") + 8;
      float valueCell = Math.min(browserWidth - rvx - 10, 150 + rnd.nextInt(120));
      float ry = ly + 8;
      header.line(bold, hp, rx, ry, "Agencia:");
      int agencyLines = header.wrapped(reg, hp, rvx, valueCell, rvx, valueCell, ry, lh, b.agency());
      float issueY = ry + agencyLines * lh + 6;
      header.line(bold, hp, rx, issueY, "Fecha Emision:");
      header.line(reg, hp, rvx, issueY, b.issueText());

      Block body = new Block(rnd);
      float y = Math.max(ly + 3 * (lh + 6), issueY + lh) + 40;
      body.line(bold, 21, 0, y, "Hoteles");
      y += 34;
      // Hotel table: the first column (name, address, phone) from narrow to half the width.
      float gp = 14; // grid font size, px
      float glh = gp * 1.3f;
      float col1 = browserWidth * addressColumn;
      float pad = 10;
      float c2 = 6 + col1 + pad;
      float colW = (browserWidth - c2 - 6) / 2f;
      float c3 = c2 + colW;
      float hotelPx = 19;
      int hotelLines = body.wrapped(bold, hotelPx, 6, col1, 6, col1, y, hotelPx * 1.25f, b.hotel());
      String total = "Total: ";
      float tw = body.line(bold, 17, c3, y, total);
      body.line(bold, 17, c3 + tw, y, b.totalText());
      y += hotelLines * hotelPx * 1.25f + 6;
      // Row: address | Check In: value | Check Out: value
      int rows = body.wrapped(reg, gp, 6, col1, 6, col1, y, glh, address);
      rows =
          Math.max(
              rows,
              labelled(body, bold, reg, gp, c2, colW - pad, y, glh, "Check In:", b.checkInText()));
      rows =
          Math.max(
              rows,
              labelled(
                  body, bold, reg, gp, c3, colW - pad, y, glh, "Check Out:", b.checkOutText()));
      y += rows * glh + 4;
      body.line(reg, gp, 6, y, "Teléfono:56233520700");
      rows = labelled(body, bold, reg, gp, c2, colW - pad, y, glh, "Hora Llegada:", "3:00 PM");
      rows =
          Math.max(
              rows,
              labelled(body, bold, reg, gp, c3, colW - pad, y, glh, "Hora Salida:", "11:00 AM"));
      y += rows * glh + 4;
      rows =
          labelled(
              body, bold, reg, gp, c2, colW - pad, y, glh, "Noches:", String.valueOf(b.nights()));
      rows =
          Math.max(
              rows,
              labelled(
                  body,
                  bold,
                  reg,
                  gp,
                  c3,
                  colW - pad,
                  y,
                  glh,
                  "Habitaciones:",
                  String.valueOf(b.rooms())));
      y += rows * glh + 24;
      body.line(
          bold,
          gp,
          6,
          y,
          "Habitación 1 \u2013 Categoría \u2013 Twin \u2013 ADT/CHD: 1/0 \u2013 Plan Alimentación:"
              + " Breakfast Included");
      y += 24;
      body.line(bold, gp, 110, y, "Tipo");
      body.line(bold, gp, 230, y, "Nombre");
      body.line(bold, gp, 380, y, "Apellidos");
      y += glh;
      body.line(reg, gp, 110, y, "ADT");
      body.line(reg, gp, 230, y, "UNO");
      body.line(reg, gp, 380, y, "PRUEBA");
      y += 40;
      body.line(bold, hp, 14, y, "Límite Cancelación Reserva");
      y += lh + 2;
      body.line(reg, hp, 50, y, b.cancellationText());
      y += lh + 20;
      body.line(bold, hp, 14, y, "Observaciones");
      y += lh + 2;
      body.line(reg, hp, 50, y, "Sin notas de hotel informadas.");
      y += lh + 30;
      body.line(bold, 17, 6, y, "Campos Gerenciales");
      y += 26;
      body.line(bold, 17, 6, y, "Datos Adicionales");
      y += 26;
      body.line(bold, hp, 6, y, "ID:");
      float idw = Block.width(reg, hp, 0, b.reservationId());
      body.line(reg, hp, browserWidth - 60 - idw, y, b.reservationId());

      float top = PDRectangle.A4.getHeight() - 30;
      PDFormXObject f1 = form(doc, header, browserWidth, scale, top);
      PDFormXObject f2 = form(doc, body, browserWidth, scale, top);
      // Form content streams have no document to register subset fonts with: subset them here,
      // after every glyph was shown.
      reg.subset();
      bold.subset();
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        cs.saveGraphicsState();
        cs.drawForm(f1);
        cs.restoreGraphicsState();
        cs.saveGraphicsState();
        cs.drawForm(f2);
        cs.restoreGraphicsState();
      }
      PDDocumentInformation info = doc.getDocumentInformation();
      info.setProducer("HiQPdf 12.0 (reproduced by the oc-tracking corpus generator)");
      info.setTitle("Resumen de servicios");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    }
  }

  /**
   * A cell holding a bold label and its value in one flow ({@code <b>Check In:</b> value}): the
   * label run ends with a space glyph; a value too long for the rest of the cell wraps onto lines
   * starting at the cell's left edge. Returns the number of lines.
   */
  static int labelled(
      Block block,
      PDFont bold,
      PDFont reg,
      float px,
      float x,
      float cellWidth,
      float y,
      float lineHeight,
      String label,
      String value)
      throws IOException {
    float lw = block.line(bold, px, x, y, label + " ");
    return block.wrapped(reg, px, x + lw, cellWidth - lw, x, cellWidth, y, lineHeight, value);
  }

  /** A Form XObject drawing the block in CSS pixels, scaled and placed on the page. */
  static PDFormXObject form(PDDocument doc, Block block, float browserWidth, float scale, float top)
      throws IOException {
    PDFormXObject form = new PDFormXObject(doc);
    form.setResources(new PDResources());
    float heightPx = top / scale;
    form.setBBox(new PDRectangle(0, -heightPx, browserWidth, heightPx));
    form.setMatrix(new Matrix(scale, 0, 0, scale, MARGIN, top).createAffineTransform());
    // The content is written by hand, one Tj per run, so that no glyph substitution (ligatures)
    // happens: every character is its own glyph, space glyphs included, as the engine writes them.
    PDResources resources = form.getResources();
    StringBuilder content = new StringBuilder();
    java.util.Locale c = java.util.Locale.ROOT;
    for (Run r : block.runs) {
      org.apache.pdfbox.cos.COSName name = resources.add(r.font());
      StringBuilder hex = new StringBuilder();
      for (byte x : r.font().encode(r.text())) {
        hex.append(String.format(c, "%02X", x & 0xFF));
      }
      r.text().codePoints().forEach(cp -> ((PDType0Font) r.font()).addToSubset(cp));
      content.append(
          String.format(
              c,
              "BT\n/%s %.0f Tf\n%.3f Tc\n1 0 0 1 %.2f %.2f Tm\n<%s> Tj\nET\n",
              name.getName(),
              r.px(),
              r.tc(),
              r.x(),
              -r.y(),
              hex));
    }
    try (java.io.OutputStream out =
        form.getContentStream().createOutputStream(org.apache.pdfbox.cos.COSName.FLATE_DECODE)) {
      out.write(content.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    return form;
  }
}
