package com.kontroltravel.oc.pdf.pdfbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.model.ParseProblem;
import com.kontroltravel.oc.model.ParseResult;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDFormContentStream;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.util.Matrix;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Word breaks: space glyphs in the content stream are spaces whatever the geometry says; without
 * them, gaps are judged against the font's own space width with the character spacing taken into
 * account, for Type0 and simple fonts alike; values whose words had to be judged from gaps, or
 * whose two readings disagree, are flagged; values are found wherever their column sits.
 */
@DisplayName("word breaks, confidence and moving columns")
class WordSpacingTest {
  static final PdfBoxReservationParser PARSER = PdfBoxReservationParser.create();
  static final String AGENCY = "WALVIS S.A.";
  static final String HOTEL = "Hampton by Hilton Santiago Las Condes";

  /** How a value is drawn. */
  enum Mode {
    /** One text show, space glyphs included. */
    ONE_RUN,
    /** Each word shown on its own, no space glyph, one space width apart. */
    WORDS,
    /** One text show whose space glyphs are collapsed to nothing by a negative Tw. */
    COLLAPSED_SPACES
  }

  /** Fonts to draw with: PDFBox's bundled Liberation Sans (Type0) or Helvetica (simple). */
  static PDFont font(PDDocument doc, boolean type0) throws IOException {
    return type0 ? TestPdfs.bundledFont(doc) : new PDType1Font(Standard14Fonts.FontName.HELVETICA);
  }

  /** A confirmation whose agency and hotel are drawn in the given mode, size and Tc (em). */
  static byte[] confirmation(boolean type0, Mode mode, float tcEm) throws IOException {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      PDFont f = font(doc, type0);
      float size = 9;
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        float y = 780;
        String[][] lines = {
          {"LOC Interno:", "AAFTTAT"},
          {"Agencia:", null},
          {"Estado:", "Reservado"},
          {"Hoteles", ""},
          {"", null},
          {"Total:", "CLP 528.701,00"},
          {"Check In:", "jueves 27, nov. 2025"},
          {"Check Out:", "viernes 28, nov. 2025"},
          {"ID:", "45215412"},
        };
        for (String[] l : lines) {
          if (!l[0].isEmpty()) {
            show(cs, f, size, 50, y, 0, 0, l[0]);
          }
          String value = l[1];
          if (value == null) {
            String v = l[0].isEmpty() ? HOTEL : AGENCY;
            float x = l[0].isEmpty() ? 50 : 150;
            drawValue(cs, f, size, x, y, mode, tcEm * size, v);
          } else if (!value.isEmpty()) {
            show(cs, f, size, 150, y, 0, 0, value);
          }
          y -= 16;
        }
      }
      return TestPdfs.save(doc);
    }
  }

  static void drawValue(
      PDPageContentStream cs,
      PDFont f,
      float size,
      float x,
      float y,
      Mode mode,
      float tc,
      String value)
      throws IOException {
    float space = f.getSpaceWidth() / 1000f * size;
    switch (mode) {
      case ONE_RUN -> show(cs, f, size, x, y, tc, 0, value);
      case COLLAPSED_SPACES -> show(cs, f, size, x, y, tc, -(space + tc), value);
      case WORDS -> {
        for (String word : value.split(" ")) {
          show(cs, f, size, x, y, tc, 0, word);
          x += f.getStringWidth(word) / 1000f * size + tc * word.length() + space;
        }
      }
    }
  }

  static void show(
      PDPageContentStream cs,
      PDFont f,
      float size,
      float x,
      float y,
      float tc,
      float tw,
      String text)
      throws IOException {
    cs.beginText();
    cs.setFont(f, size);
    cs.setCharacterSpacing(tc);
    cs.setWordSpacing(tw);
    cs.newLineAtOffset(x, y);
    cs.showText(text);
    cs.endText();
  }

  static List<String> problemsOf(ParseResult r, String field) {
    List<String> out = new ArrayList<>();
    for (ParseProblem p : r.problems()) {
      if (field.equals(p.field())) {
        out.add(p.message());
      }
    }
    return out;
  }

  @ParameterizedTest(name = "Type0 font: {0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("values drawn with their space glyphs are read exactly and not flagged")
  void spaceGlyphsAreRead(boolean type0) throws Exception {
    ParseResult r = PARSER.parse(confirmation(type0, Mode.ONE_RUN, 0));
    assertThat(r.problems()).isEmpty();
    assertThat(r.details().agencyName()).isEqualTo(AGENCY);
    assertThat(r.details().hotelName()).isEqualTo(HOTEL);
  }

  @Test
  @DisplayName(
      "a space glyph is a space even when Tw collapses it to nothing; the disagreeing positional"
          + " reading flags the field")
  void collapsedSpaceGlyphsStillSeparateWords() throws Exception {
    // Tw applies to the single-byte space of a simple font.
    ParseResult r = PARSER.parse(confirmation(false, Mode.COLLAPSED_SPACES, 0));
    assertThat(r.details().agencyName()).isEqualTo(AGENCY);
    assertThat(r.details().hotelName()).isEqualTo(HOTEL);
    assertThat(problemsOf(r, "agencyName"))
        .singleElement()
        .asString()
        .startsWith("low confidence")
        .contains("'WALVIS S.A.' from the document's space glyphs")
        .contains("'WALVISS.A.' from glyph positions");
    assertThat(problemsOf(r, "hotelName")).singleElement().asString().startsWith("low confidence");
    assertThat(r.isClean()).isFalse();
  }

  @ParameterizedTest(name = "Type0 font: {0}")
  @ValueSource(booleans = {true, false})
  @DisplayName(
      "words drawn apart without space glyphs are read from the gaps and flagged for a person")
  void gapJudgedWordsAreFlagged(boolean type0) throws Exception {
    ParseResult r = PARSER.parse(confirmation(type0, Mode.WORDS, 0));
    assertThat(r.details().agencyName()).isEqualTo(AGENCY);
    assertThat(r.details().hotelName()).isEqualTo(HOTEL);
    assertThat(problemsOf(r, "hotelName"))
        .singleElement()
        .asString()
        .isEqualTo(
            "low confidence: the word breaks in '"
                + HOTEL
                + "' were judged from glyph gaps (the document has no space glyph there); check"
                + " it by hand");
    assertThat(problemsOf(r, "agencyName")).hasSize(1);
    // Single-word values and values drawn with space glyphs are not flagged.
    assertThat(problemsOf(r, "reservationId")).isEmpty();
    assertThat(problemsOf(r, "checkIn")).isEmpty();
  }

  @ParameterizedTest(name = "Type0 font: {0}")
  @ValueSource(booleans = {true, false})
  @DisplayName(
      "letter-spaced text (Tc = 0.2 em) without space glyphs: letters stay together, words split")
  void characterSpacingIsTakenIntoAccount(boolean type0) throws Exception {
    ParseResult r = PARSER.parse(confirmation(type0, Mode.WORDS, 0.2f));
    assertThat(r.details().agencyName()).isEqualTo(AGENCY);
    assertThat(r.details().hotelName()).isEqualTo(HOTEL);
  }

  @ParameterizedTest(name = "Tc = {0} em")
  @ValueSource(floats = {-0.07f, 0f, 0.18f})
  @DisplayName(
      "a simple font in a Form XObject scaled to half size, narrow spaces under Tc: read exactly")
  void simpleFontInScaledForm(float tc) throws Exception {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      PDFont f = font(doc, false);
      PDFormXObject form = new PDFormXObject(doc);
      form.setResources(new PDResources());
      form.setBBox(new PDRectangle(0, -1800, 1200, 1800));
      form.setMatrix(new Matrix(0.5f, 0, 0, 0.5f, 40, 800).createAffineTransform());
      float px = 16; // 8 pt on the page
      try (PDFormContentStream cs = new PDFormContentStream(form)) {
        String[][] lines = {
          {"LOC Interno: ", "AAFTTAT"},
          {"Agencia: ", AGENCY},
          {"Estado: ", "Reservado"},
          {"Total: ", "CLP 528.701,00"},
          {"Check In: ", "jueves 27, nov. 2025"},
          {"Check Out: ", "viernes 28, nov. 2025"},
          {"ID: ", "45215412"},
        };
        float y = -40;
        for (String[] l : lines) {
          float w = f.getStringWidth(l[0]) / 1000f * px + tc * l[0].length();
          formShow(cs, f, px, 0, y, tc, l[0]);
          formShow(cs, f, px, w, y, tc, l[1]);
          y -= 30;
        }
        formShow(cs, f, 20, 0, y - 20, tc, "Hoteles");
        formShow(cs, f, px, 0, y - 50, tc, HOTEL);
      }
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        cs.drawForm(form);
      }
      ParseResult r = PARSER.parse(TestPdfs.save(doc));
      assertThat(r.problems()).isEmpty();
      assertThat(r.details().agencyName()).isEqualTo(AGENCY);
      assertThat(r.details().hotelName()).isEqualTo(HOTEL);
      assertThat(r.details().checkIn()).isEqualTo(LocalDate.of(2025, 11, 27));
      assertThat(r.details().totalAmount()).isEqualByComparingTo("528701.00");
    }
  }

  static void formShow(
      PDFormContentStream cs, PDFont f, float px, float x, float y, float tc, String text)
      throws IOException {
    cs.beginText();
    cs.setFont(f, px);
    cs.setCharacterSpacing(tc);
    cs.newLineAtOffset(x, y);
    cs.showText(text);
    cs.endText();
  }

  @ParameterizedTest(name = "address column {0} pt wide")
  @ValueSource(ints = {60, 120, 180, 240, 290})
  @DisplayName(
      "Check In / Check Out follow their labels wherever the column sits, wrapped in their cell or"
          + " not")
  void columnsThatMove(int addressWidth) throws Exception {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      PDFont reg = TestPdfs.bundledFont(doc);
      PDFont bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
      float size = 8;
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        show(cs, bold, 9, 50, 780, 0, 0, "LOC Interno:");
        show(cs, reg, 9, 120, 780, 0, 0, "AAFTTAT");
        show(cs, bold, 9, 50, 766, 0, 0, "Agencia:");
        show(cs, reg, 9, 120, 766, 0, 0, AGENCY);
        show(cs, bold, 9, 50, 752, 0, 0, "Estado:");
        show(cs, reg, 9, 120, 752, 0, 0, "Reservado");
        show(cs, bold, 12, 40, 725, 0, 0, "Hoteles");
        show(cs, bold, 11, 45, 705, 0, 0, "Hotel Magnolia");
        show(cs, bold, 10, 430, 705, 0, 0, "Total:");
        show(cs, reg, 10, 465, 705, 0, 0, "CLP 528.701,00");
        show(cs, reg, size, 45, 690, 0, 0, "Av. Principal 255");
        float c2 = 45 + addressWidth + 8;
        float cell = (555 - c2) / 2;
        float c3 = c2 + cell;
        cell(cs, bold, reg, size, c2, cell - 6, 690, "Check In:", "miércoles 24, septiembre 2025");
        cell(cs, bold, reg, size, c3, cell - 6, 690, "Check Out:", "domingo 28, septiembre 2025");
        show(cs, bold, size, c2, 670, 0, 0, "Hora Llegada:");
        show(cs, reg, size, c2 + 55, 670, 0, 0, "3:00 PM");
        show(cs, bold, 9, 45, 640, 0, 0, "ID:");
        show(cs, reg, 9, 480, 640, 0, 0, "45215412");
      }
      ParseResult r = PARSER.parse(TestPdfs.save(doc));
      assertThat(r.problems()).isEmpty();
      assertThat(r.details().checkIn()).isEqualTo(LocalDate.of(2025, 9, 24));
      assertThat(r.details().checkOut()).isEqualTo(LocalDate.of(2025, 9, 28));
      assertThat(r.details().hotelName()).isEqualTo("Hotel Magnolia");
    }
  }

  /** Label and value in one cell; the value wraps at word boundaries onto lines under the label. */
  static void cell(
      PDPageContentStream cs,
      PDFont bold,
      PDFont reg,
      float size,
      float x,
      float width,
      float y,
      String label,
      String value)
      throws IOException {
    show(cs, bold, size, x, y, 0, 0, label);
    float vx = x + bold.getStringWidth(label + " ") / 1000f * size;
    float avail = x + width - vx;
    StringBuilder line = new StringBuilder();
    for (String word : value.split(" ")) {
      String candidate = line.length() == 0 ? word : line + " " + word;
      if (line.length() > 0 && reg.getStringWidth(candidate) / 1000f * size > avail) {
        show(cs, reg, size, vx, y, 0, 0, line.toString());
        y -= size * 1.25f;
        vx = x;
        avail = width;
        line = new StringBuilder(word);
      } else {
        line = new StringBuilder(candidate);
      }
    }
    show(cs, reg, size, vx, y, 0, 0, line.toString());
  }
}
