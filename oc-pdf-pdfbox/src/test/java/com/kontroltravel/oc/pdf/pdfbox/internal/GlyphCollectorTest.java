package com.kontroltravel.oc.pdf.pdfbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What {@link GlyphCollector} collects from a real page, beside PDFBox's own text stripper. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GlyphCollectorTest {

  /**
   * A page whose label is drawn three times (fake bold: twice a quarter point apart, plus a shadow
   * half a point down) reads once, as PDFBox's own text stripper with its duplicate suppression
   * reads it.
   */
  @Test
  void fakeBoldOnARealPageReadsOnceLikePdfBox() throws IOException {
    byte[] pdf;
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage();
      doc.addPage(page);
      PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        float[][] offsets = {{0f, 0f}, {0.25f, 0f}, {0f, -0.5f}};
        for (float[] o : offsets) {
          show(cs, font, 72 + o[0], 700 + o[1], "Reserva: 123456");
        }
        show(cs, font, 72, 680, "Agencia: Viajes Andes");
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      pdf = out.toByteArray();
    }
    List<String> ours;
    String pdfBoxText;
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      List<List<Glyph>> pages = GlyphCollector.collect(doc, System.nanoTime() + 10_000_000_000L);
      ours = new ArrayList<>();
      for (Glyph g : pages.get(0)) {
        ours.add(g.text());
      }
      PDFTextStripper stripper = new PDFTextStripper();
      stripper.setSuppressDuplicateOverlappingText(true);
      pdfBoxText = stripper.getText(doc);
    }
    String oursText = String.join("", ours);
    String pdfBoxGlyphs = pdfBoxText.replaceAll("\\s+", "");
    assertThat(oursText).isEqualTo("Reserva:123456Agencia:ViajesAndes");
    assertThat(oursText).isEqualTo(pdfBoxGlyphs);
    assertThat(ours.stream().filter("R"::equals).collect(Collectors.counting())).isEqualTo(1L);
  }

  private static void show(PDPageContentStream cs, PDType1Font font, float x, float y, String s)
      throws IOException {
    cs.beginText();
    cs.setFont(font, 12);
    cs.newLineAtOffset(x, y);
    cs.showText(s);
    cs.endText();
  }
}
