package com.kontroltravel.oc.pdf.pdfbox.corpus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * Makes the committed test corpus: confirmation PDFs from three producers (PDFBox writing
 * positioned runs with embedded subset TrueType fonts; Chromium headless printing an HTML
 * rendering; and the booking system's own engine, HiQPdf, reproduced by {@link
 * HiqPdfConfirmation}), each with its expected JSON, and a second, different layout ("Booking
 * summary") for the second rule file.
 *
 * <p>Run by hand (not by the build): {@code java -cp ... CorpusGenerator src/test/resources/corpus
 * [pdfbox] [chromium] [layout2] [hiqpdf]} (all sets when none is named). Needs the Debian packages
 * {@code fonts-liberation} and {@code chromium} (pdfbox, chromium, layout2) and {@code
 * fonts-crosextra-carlito} (hiqpdf).
 */
public final class CorpusGenerator {
  static final File REGULAR =
      new File("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf");
  static final File BOLD = new File("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf");
  static final float PAGE_H = PDRectangle.A4.getHeight();

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CorpusGenerator() {}

  /** Writes the corpus under the given directory. */
  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources/corpus");
    java.util.Set<String> sets =
        args.length > 1
            ? java.util.Arrays.stream(args).skip(1).collect(java.util.stream.Collectors.toSet())
            : java.util.Set.of("pdfbox", "chromium", "layout2", "hiqpdf");
    if (sets.contains("hiqpdf")) {
      Path hiqpdf = Files.createDirectories(root.resolve("hiqpdf"));
      List<Booking> hiq = HiqBookings.all();
      for (int i = 0; i < hiq.size(); i++) {
        Booking b = hiq.get(i);
        Files.write(
            hiqpdf.resolve(b.name() + ".pdf"),
            HiqPdfConfirmation.render(b, HiqBookings.address(i), HiqBookings.ADDRESS_COLUMN[i]));
        writeExpected(hiqpdf.resolve(b.name() + ".json"), b);
      }
    }
    if (!sets.contains("pdfbox") && !sets.contains("chromium") && !sets.contains("layout2")) {
      return; // the two original producers and the second layout are written together
    }
    Path pdfbox = Files.createDirectories(root.resolve("pdfbox"));
    Path chromium = Files.createDirectories(root.resolve("chromium"));
    Path layout2 = Files.createDirectories(root.resolve("layout2"));
    for (Booking b : Bookings.all()) {
      Files.write(pdfbox.resolve(b.name() + ".pdf"), pdfboxConfirmation(b));
      writeExpected(pdfbox.resolve(b.name() + ".json"), b);
      Path html = Files.createTempFile("oc-", ".html");
      Files.writeString(html, HtmlConfirmation.render(b), StandardCharsets.UTF_8);
      chromiumPrint(html, chromium.resolve(b.name() + ".pdf"));
      Files.delete(html);
      writeExpected(chromium.resolve(b.name() + ".json"), b);
    }
    for (Booking b : Bookings.all().subList(0, 4)) {
      Files.write(layout2.resolve(b.name() + ".pdf"), BookingSummaryLayout.render(b));
      writeExpected(layout2.resolve(b.name() + ".json"), BookingSummaryLayout.expected(b));
    }
  }

  static void writeExpected(Path file, Booking b) throws IOException {
    writeExpected(file, expected(b));
  }

  static void writeExpected(Path file, ObjectNode node) throws IOException {
    Files.writeString(file, JSON.writeValueAsString(node) + "\n", StandardCharsets.UTF_8);
  }

  /**
   * The JSON of CONFIRMATION_FORMAT.md for a booking, built from the booking's data (not from the
   * parser).
   */
  static ObjectNode expected(Booking b) {
    ObjectNode o = JSON.createObjectNode();
    o.put("reservationId", b.reservationId());
    o.put("internalLocator", b.internalLocator());
    o.put("locator", b.locator());
    o.put("agencyName", b.agency());
    o.put("status", b.status());
    o.put("issueDate", iso(b.issueDate()));
    o.put("hotelName", b.hotel());
    o.put("checkIn", iso(b.checkIn()));
    o.put("checkOut", iso(b.checkOut()));
    o.put("nights", b.nights());
    o.put("rooms", b.rooms());
    o.put("totalAmount", b.totalAmount());
    o.put("currency", b.currency());
    o.put("cancellationDeadline", iso(b.cancellation()));
    o.putArray("problems");
    return o;
  }

  static String iso(LocalDate d) {
    return d == null ? null : d.toString();
  }

  /** A text run to draw. */
  record Run(PDFont font, float size, float x, float y, String text) {}

  /**
   * The confirmation drawn with PDFBox: separate runs, values off the baseline, drawing order
   * shuffled.
   */
  static byte[] pdfboxConfirmation(Booking b) throws IOException {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      PDFont reg = PDType0Font.load(doc, REGULAR);
      PDFont bold = PDType0Font.load(doc, BOLD);
      Random rnd = new Random(b.seed());
      List<Run> runs = new ArrayList<>();
      runs.add(new Run(bold, 16, 40, 50, "Resumen de servicios"));
      runs.add(new Run(reg, 8, 40, 66, "[paginaEticketHeader]"));
      float hs = 9;
      labelValue(runs, reg, bold, hs, 200, 112, "LOC Interno:", b.internalLocator(), rnd, 0);
      float agencyEnd = labelValue(runs, reg, bold, hs, 380, 124, "Agencia:", b.agency(), rnd, 565);
      labelValue(runs, reg, bold, hs, 200, 136, "Localizador:", b.locator(), rnd, 0);
      // The right column moves down when the agency wraps, as a table row would.
      float issueY = Math.max(148, agencyEnd + 14);
      labelValue(runs, reg, bold, hs, 380, issueY, "Fecha Emision:", b.issueText(), rnd, 0);
      labelValue(runs, reg, bold, hs, 200, 160, "Estado:", b.status(), rnd, 0);
      runs.add(new Run(bold, 12, 40, 195, "Hoteles"));
      runs.add(new Run(bold, 11, 45, 215, b.hotel()));
      labelValue(runs, bold, bold, 10, 400, 215, "Total:", b.totalText(), rnd, 0);
      runs.add(new Run(reg, 8, 45, 229, "Av. Principal 255, Santiago"));
      labelValue(runs, reg, bold, 8, 250, 229, "Check In:", b.checkInText(), rnd, 0);
      labelValue(runs, reg, bold, 8, 405, 229, "Check Out:", b.checkOutText(), rnd, 0);
      runs.add(new Run(reg, 8, 45, 241, "Teléfono:56233520700"));
      labelValue(runs, reg, bold, 8, 250, 241, "Hora Llegada:", "3:00 PM", rnd, 0);
      labelValue(runs, reg, bold, 8, 405, 241, "Hora Salida:", "11:00 AM", rnd, 0);
      labelValue(runs, reg, bold, 8, 250, 253, "Noches:", String.valueOf(b.nights()), rnd, 0);
      labelValue(runs, reg, bold, 8, 405, 253, "Habitaciones:", String.valueOf(b.rooms()), rnd, 0);
      runs.add(
          new Run(
              bold,
              8,
              45,
              277,
              "Habitación 1 \u2010 Categoría \u2010 Twin \u2010 ADT/CHD: 1/0 \u2010 Plan Alimentación: Breakfast"
                  + " Included"));
      runs.add(new Run(bold, 8, 110, 291, "Tipo"));
      runs.add(new Run(bold, 8, 200, 291, "Nombre"));
      runs.add(new Run(bold, 8, 300, 291, "Apellidos"));
      runs.add(new Run(reg, 8, 110, 303, "ADT"));
      runs.add(new Run(reg, 8, 200, 303, "UNO"));
      runs.add(new Run(reg, 8, 300, 303, "PRUEBA"));
      runs.add(new Run(bold, 9, 50, 325, "Límite Cancelación Reserva"));
      runs.add(new Run(reg, 9, 80, 339 + offset(rnd), b.cancellationText()));
      runs.add(new Run(bold, 9, 50, 361, "Observaciones"));
      runs.add(new Run(reg, 9, 80, 375, "Sin notas de hotel informadas."));
      runs.add(new Run(bold, 10, 45, 405, "Campos Gerenciales"));
      runs.add(new Run(bold, 10, 45, 420, "Datos Adicionales"));
      runs.add(new Run(bold, 9, 45, 436, "ID:"));
      runs.add(new Run(reg, 9, 480, 436 + offset(rnd), b.reservationId()));
      // Do not let the parser rely on drawing order: shuffle it.
      Collections.shuffle(runs, rnd);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        for (Run r : runs) {
          cs.beginText();
          cs.setFont(r.font(), r.size());
          cs.newLineAtOffset(r.x(), PAGE_H - r.y());
          cs.showText(r.text());
          cs.endText();
        }
      }
      PDDocumentInformation info = doc.getDocumentInformation();
      info.setProducer("oc-tracking corpus generator (Apache PDFBox)");
      info.setTitle("Resumen de servicios");
      var out = new java.io.ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    }
  }

  static float offset(Random rnd) {
    return (rnd.nextInt(9) - 4) * 0.5f; // -2.0 .. +2.0 pt
  }

  /**
   * Label then value (a separate run, up to 2 pt off the baseline); wraps the value at {@code
   * wrapAt} if given.
   */
  static float labelValue(
      List<Run> runs,
      PDFont valueFont,
      PDFont labelFont,
      float size,
      float x,
      float y,
      String label,
      String value,
      Random rnd,
      float wrapAt)
      throws IOException {
    runs.add(new Run(labelFont, size, x, y, label));
    float vx = x + labelFont.getStringWidth(label) / 1000f * size + 4;
    float vy = y + offset(rnd);
    if (wrapAt <= 0) {
      runs.add(new Run(valueFont, size, vx, vy, value));
      return vy;
    }
    StringBuilder line = new StringBuilder();
    for (String word : value.split(" ")) {
      String candidate = line.length() == 0 ? word : line + " " + word;
      if (line.length() > 0 && vx + valueFont.getStringWidth(candidate) / 1000f * size > wrapAt) {
        runs.add(new Run(valueFont, size, vx, vy, line.toString()));
        vy += size * 1.2f;
        line = new StringBuilder(word);
      } else {
        line = new StringBuilder(candidate);
      }
    }
    runs.add(new Run(valueFont, size, vx, vy, line.toString()));
    return vy;
  }

  static void chromiumPrint(Path html, Path pdf) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("oc-chromium-");
    ProcessBuilder pb =
        new ProcessBuilder(
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--user-data-dir=" + profile,
            "--no-pdf-header-footer",
            "--print-to-pdf-no-header",
            "--print-to-pdf=" + pdf.toAbsolutePath(),
            html.toUri().toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("chromium timed out on " + html);
    }
    if (p.exitValue() != 0 || !Files.exists(pdf)) {
      throw new IOException("chromium failed (" + p.exitValue() + ") on " + html);
    }
  }
}
