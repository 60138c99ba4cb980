package com.kontroltravel.oc.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * Makes the demo's documents with PDFBox: booking confirmations in the layout of
 * CONFIRMATION_FORMAT.md ("Resumen de servicios": positioned label and value runs, values off the
 * label's baseline, an embedded subset font) and simple agency purchase orders. Uses the font
 * bundled with PDFBox, so no system fonts are needed.
 */
public final class DemoPdfs {
  private static final String FONT = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";
  private static final float PAGE_H = PDRectangle.A4.getHeight();
  private static final String[] WEEKDAYS = {
    "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"
  };
  private static final String[] MONTHS = {
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre"
  };
  private static final String[] SHORT_MONTHS = {
    "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"
  };

  private DemoPdfs() {}

  /**
   * A booking as the booking system prints it.
   *
   * @param reservationId "ID"
   * @param internalLocator "LOC Interno"
   * @param locator "Localizador"
   * @param agency "Agencia"
   * @param status "Estado" ({@code Reservado}, {@code Cancelado})
   * @param issueDate "Fecha Emision", or null for {@code INMEDIATO}
   * @param hotel the hotel
   * @param checkIn check-in
   * @param nights nights
   * @param rooms rooms
   * @param total the total in CLP
   */
  public record Confirmation(
      String reservationId,
      String internalLocator,
      String locator,
      String agency,
      String status,
      LocalDate issueDate,
      String hotel,
      LocalDate checkIn,
      int nights,
      int rooms,
      BigDecimal total) {

    /** The same booking with another status. */
    public Confirmation withStatus(String newStatus) {
      return new Confirmation(
          reservationId,
          internalLocator,
          locator,
          agency,
          newStatus,
          issueDate,
          hotel,
          checkIn,
          nights,
          rooms,
          total);
    }
  }

  private record Run(float size, float x, float y, String text) {}

  /** The confirmation PDF ("Resumen de servicios"). */
  public static byte[] confirmation(Confirmation c) {
    List<Run> runs = new ArrayList<>();
    runs.add(new Run(16, 40, 50, "Resumen de servicios"));
    runs.add(new Run(8, 40, 66, "[paginaEticketHeader]"));
    labelValue(runs, 9, 200, 112, "LOC Interno:", c.internalLocator(), 0.5f);
    labelValue(runs, 9, 380, 124, "Agencia:", c.agency(), -1f);
    labelValue(runs, 9, 200, 136, "Localizador:", c.locator(), 1.5f);
    labelValue(
        runs,
        9,
        380,
        148,
        "Fecha Emision:",
        c.issueDate() == null ? "INMEDIATO" : slashDate(c.issueDate()),
        -0.5f);
    labelValue(runs, 9, 200, 160, "Estado:", c.status(), 1f);
    runs.add(new Run(12, 40, 195, "Hoteles"));
    runs.add(new Run(11, 45, 215, c.hotel()));
    labelValue(runs, 10, 400, 215, "Total:", "CLP " + clp(c.total()), 0.5f);
    runs.add(new Run(8, 45, 229, "Av. Apoquindo 3000, Las Condes, Santiago"));
    LocalDate out = c.checkIn().plusDays(c.nights());
    labelValue(runs, 8, 250, 229, "Check In:", shortDate(c.checkIn()), 1f);
    labelValue(runs, 8, 405, 229, "Check Out:", shortDate(out), -1f);
    runs.add(new Run(8, 45, 241, "Teléfono:56233520700"));
    labelValue(runs, 8, 250, 241, "Hora Llegada:", "3:00 PM", 0);
    labelValue(runs, 8, 405, 241, "Hora Salida:", "11:00 AM", 0);
    labelValue(runs, 8, 250, 253, "Noches:", String.valueOf(c.nights()), 0.5f);
    labelValue(runs, 8, 405, 253, "Habitaciones:", String.valueOf(c.rooms()), -0.5f);
    runs.add(
        new Run(
            8,
            45,
            277,
            "Habitación 1 \u2010 Categoría \u2010 Twin \u2010 ADT/CHD: 1/0 \u2010 Plan"
                + " Alimentación: Breakfast Included"));
    runs.add(new Run(8, 110, 291, "Tipo"));
    runs.add(new Run(8, 200, 291, "Nombre"));
    runs.add(new Run(8, 300, 291, "Apellidos"));
    runs.add(new Run(8, 110, 303, "ADT"));
    runs.add(new Run(8, 200, 303, "UNO"));
    runs.add(new Run(8, 300, 303, "PRUEBA"));
    runs.add(new Run(9, 50, 325, "Límite Cancelación Reserva"));
    runs.add(new Run(9, 80, 339.5f, longDate(c.checkIn().minusDays(3))));
    runs.add(new Run(9, 50, 361, "Observaciones"));
    runs.add(new Run(9, 80, 375, "Sin notas de hotel informadas."));
    runs.add(new Run(10, 45, 405, "Campos Gerenciales"));
    runs.add(new Run(10, 45, 420, "Datos Adicionales"));
    runs.add(new Run(9, 45, 436, "ID:"));
    runs.add(new Run(9, 480, 437, c.reservationId()));
    return render(runs, "Resumen de servicios");
  }

  /** An agency's purchase order naming the booking. */
  public static byte[] purchaseOrder(
      String agency, String ocNumber, String reservationId, BigDecimal total) {
    List<Run> runs = new ArrayList<>();
    runs.add(new Run(16, 40, 60, agency));
    runs.add(new Run(14, 40, 90, "Orden de Compra N° " + ocNumber));
    runs.add(new Run(10, 40, 120, "Proveedor: Kontrol Travel"));
    runs.add(new Run(10, 40, 136, "Referencia: reserva " + reservationId));
    runs.add(new Run(10, 40, 152, "Servicio: alojamiento"));
    runs.add(new Run(10, 40, 168, "Total: CLP " + clp(total)));
    runs.add(new Run(9, 40, 200, "Emitida por el área de compras."));
    return render(runs, "Orden de Compra " + ocNumber);
  }

  private static void labelValue(
      List<Run> runs, float size, float x, float y, String label, String value, float offset) {
    runs.add(new Run(size, x, y, label));
    // Label width estimated from the font's average advance; the parser must not care.
    float vx = x + label.length() * size * 0.5f + 4;
    runs.add(new Run(size, vx, y + offset, value));
  }

  private static byte[] render(List<Run> runs, String title) {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      PDFont font;
      try (InputStream in = PDDocument.class.getResourceAsStream(FONT)) {
        if (in == null) {
          throw new IOException("PDFBox's bundled font is missing: " + FONT);
        }
        font = PDType0Font.load(doc, in);
      }
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        for (Run r : runs) {
          cs.beginText();
          cs.setFont(font, r.size());
          cs.newLineAtOffset(r.x(), PAGE_H - r.y());
          cs.showText(r.text());
          cs.endText();
        }
      }
      PDDocumentInformation info = doc.getDocumentInformation();
      info.setProducer("oc-examples demo (Apache PDFBox)");
      info.setTitle(title);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      doc.save(bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code 528.701,00}. */
  static String clp(BigDecimal amount) {
    DecimalFormatSymbols sym = DecimalFormatSymbols.getInstance(Locale.ROOT);
    sym.setGroupingSeparator('.');
    sym.setDecimalSeparator(',');
    return new DecimalFormat("#,##0.00", sym).format(amount);
  }

  /** {@code jueves 27, nov. 2025}. */
  static String shortDate(LocalDate d) {
    return WEEKDAYS[d.getDayOfWeek().ordinal()]
        + " "
        + d.getDayOfMonth()
        + ", "
        + SHORT_MONTHS[d.getMonthValue() - 1]
        + ". "
        + d.getYear();
  }

  /** {@code lunes, 24 de noviembre de 2025}. */
  static String longDate(LocalDate d) {
    return WEEKDAYS[d.getDayOfWeek().ordinal()]
        + ", "
        + d.getDayOfMonth()
        + " de "
        + MONTHS[d.getMonthValue() - 1]
        + " de "
        + d.getYear();
  }

  static String slashDate(LocalDate d) {
    return String.format("%02d/%02d/%04d", d.getDayOfMonth(), d.getMonthValue(), d.getYear());
  }
}
