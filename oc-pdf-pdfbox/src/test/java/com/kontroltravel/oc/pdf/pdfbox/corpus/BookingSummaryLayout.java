package com.kontroltravel.oc.pdf.pdfbox.corpus;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * A second, different layout ("Booking summary" of another booking system): English labels in cards
 * with the value on the line below the label, international amounts ({@code USD 1,234.50}) and
 * English dates. Read with the test rule file {@code rules/booking-summary.json}, no code.
 */
final class BookingSummaryLayout {
  private BookingSummaryLayout() {}

  static String amount(Booking b) {
    DecimalFormat f = new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.US));
    return b.currency() + " " + f.format(new BigDecimal(b.totalAmount()));
  }

  static String arrival(LocalDate d) {
    return DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH).format(d);
  }

  static String deadline(LocalDate d) {
    return DateTimeFormatter.ofPattern("MMM d, yyyy", Locale.ENGLISH).format(d);
  }

  static byte[] render(Booking b) throws IOException {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.LETTER);
      doc.addPage(page);
      float h = PDRectangle.LETTER.getHeight();
      PDFont reg = PDType0Font.load(doc, CorpusGenerator.REGULAR);
      PDFont bold = PDType0Font.load(doc, CorpusGenerator.BOLD);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        Object[][] runs = {
          {bold, 18f, 40f, 60f, "BOOKING SUMMARY"},
          {reg, 8f, 40f, 120f, "Booking ID"},
          {bold, 11f, 40f, 134f, b.reservationId()},
          {reg, 8f, 160f, 120f, "Record locator"},
          {bold, 11f, 160f, 134f, b.locator()},
          {reg, 8f, 280f, 120f, "Agency"},
          {
            bold,
            11f,
            280f,
            134f,
            b.agency().length() > 24 ? b.agency().substring(0, 24).trim() : b.agency()
          },
          {reg, 8f, 470f, 120f, "Status"},
          {bold, 11f, 470f, 134f, b.status()},
          {reg, 8f, 40f, 170f, "Property"},
          {bold, 12f, 40f, 185f, b.hotel()},
          {reg, 8f, 40f, 215f, "Arrival"},
          {reg, 10f, 40f, 229f, arrival(b.checkIn())},
          {reg, 8f, 160f, 215f, "Departure"},
          {reg, 10f, 160f, 229f, arrival(b.checkOut())},
          {reg, 8f, 280f, 215f, "Nights"},
          {reg, 10f, 280f, 229f, String.valueOf(b.nights())},
          {reg, 8f, 340f, 215f, "Rooms"},
          {reg, 10f, 340f, 229f, String.valueOf(b.rooms())},
          {reg, 8f, 430f, 215f, "Amount due"},
          {bold, 10f, 430f, 229f, amount(b)},
          {reg, 8f, 40f, 260f, "Free cancellation until"},
          {reg, 10f, 40f, 274f, deadline(b.cancellation())},
          {reg, 8f, 280f, 260f, "Issued"},
          {reg, 10f, 280f, 274f, b.issueDate() == null ? "on request" : b.issueDate().toString()},
        };
        for (Object[] r : runs) {
          cs.beginText();
          cs.setFont((PDFont) r[0], (Float) r[1]);
          cs.newLineAtOffset((Float) r[2], h - (Float) r[3]);
          cs.showText((String) r[4]);
          cs.endText();
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    }
  }

  static ObjectNode expected(Booking b) {
    ObjectNode o = CorpusGenerator.expected(b);
    o.putNull("internalLocator");
    o.put("agencyName", b.agency().length() > 24 ? b.agency().substring(0, 24).trim() : b.agency());
    return o;
  }
}
