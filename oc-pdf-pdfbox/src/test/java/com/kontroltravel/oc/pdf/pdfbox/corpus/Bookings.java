package com.kontroltravel.oc.pdf.pdfbox.corpus;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The committed corpus's bookings: every month, every date and amount form, wrapped values,
 * cancellations.
 */
public final class Bookings {
  static final String[] WEEKDAYS = {
    "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"
  };
  static final String[] MONTHS = {
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
  static final String[] ABBREV = {
    "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"
  };

  private Bookings() {}

  static String weekday(LocalDate d) {
    return WEEKDAYS[d.getDayOfWeek().getValue() - 1];
  }

  /**
   * "jueves 27, nov. 2025" (style 0), "jueves 27, noviembre 2025" (1), "jueves 27, sept. 2025" for
   * September (2).
   */
  static String stayDate(LocalDate d, int style) {
    String month;
    int m = d.getMonthValue() - 1;
    if (style == 1) {
      month = MONTHS[m];
    } else if (style == 2 && m == 8) {
      month = "sept.";
    } else {
      month = ABBREV[m] + ".";
    }
    return weekday(d) + " " + d.getDayOfMonth() + ", " + month + " " + d.getYear();
  }

  /** "lunes, 24 de noviembre de 2025", or abbreviated "lunes, 24 de sept. de 2025". */
  static String deadline(LocalDate d, boolean abbreviated) {
    int m = d.getMonthValue() - 1;
    String month = abbreviated ? (m == 8 ? "sept." : ABBREV[m] + ".") : MONTHS[m];
    return weekday(d) + ", " + d.getDayOfMonth() + " de " + month + " de " + d.getYear();
  }

  static String issue(LocalDate d, int style) {
    return switch (style) {
      case 0 -> String.format("%02d/%02d/%04d", d.getDayOfMonth(), d.getMonthValue(), d.getYear());
      case 1 -> String.format("%02d-%02d-%04d", d.getDayOfMonth(), d.getMonthValue(), d.getYear());
      default -> d.toString();
    };
  }

  /** The bookings. */
  public static List<Booking> all() {
    String[][] agencies = {
      {"WALVIS S.A."},
      {"CAJA 18"},
      {"Turismo Cocha Ñuñoa Ltda."},
      {"Viajes Émile & Cía. S.p.A."},
      {"AGENCIA 3.14 VIAJES"},
      {"Corporación de Fomento de la Producción y Turismo Internacional S.A."},
      {"Andes Trekking E.I.R.L."},
      {"Mundo Viajes 2000"},
      {"Agencia Pública de Turismo Región de Los Ríos y Aysén Ltda."},
      {"Ópera Tours S.A."},
      {"Viajes Falabella"},
      {"Cía. Sudamericana de Viajes N°1"},
      {"Ñandú Expediciones SpA"},
      {"Kontrol Travel S.A."},
    };
    String[] hotels = {
      "Hampton by Hilton Santiago Las Condes",
      "Cumbres Lastarria",
      "NH Collection Plaza Santiago",
      "Hotel Magnolia",
      "Noi Puma Lodge",
      "Ibis Budget Providencia",
      "Sheraton Miramar Viña del Mar",
      "Explora Atacama",
      "Casa Bosque Puerto Varas",
      "Hotel Antumalal",
      "Dreams Punta Arenas",
      "Tierra Patagonia",
      "Awasi Atacama",
      "Radisson Blu Ñuñoa",
    };
    String[] statuses = {
      "Reservado",
      "Reservado",
      "Cancelado",
      "Reservado",
      "Confirmado",
      "Reservado",
      "Anulado",
      "Reservado",
      "Reservado",
      "Cancelado",
      "Reservado",
      "Reservado",
      "Reservado",
      "Reservado"
    };
    String[] locs = {
      "AAFTTAT", "BÑ7QX2K", "ZK42PLM", "QWERTY1", "MNÑOPQR", "XY12Z34", "HOTEL77", "PPLLKKJ",
      "R2D2C3P", "LMNOPQR", "ÑANDU01", "KTRAVEL", "ABC1234", "ZZZZZZZ"
    };
    // totals as written, exact value, currency
    String[][] totals = {
      {"CLP 528.701,00", "528701.00", "CLP"},
      {"$ 150.000", "150000.00", "CLP"},
      {"USD 4.812,50", "4812.50", "USD"},
      {"CLP 1.250.000,00", "1250000.00", "CLP"},
      {"USD 980,00", "980.00", "USD"},
      {"$ 89.990", "89990.00", "CLP"},
      {"USD 12.345,67", "12345.67", "USD"},
      {"CLP 75.000,50", "75000.50", "CLP"},
      {"$ 2.345.678", "2345678.00", "CLP"},
      {"USD 0,99", "0.99", "USD"},
      {"CLP 999,00", "999.00", "CLP"},
      {"$ 1.000", "1000.00", "CLP"},
      {"USD 1.000.000,00", "1000000.00", "USD"},
      {"CLP 46.210,10", "46210.10", "CLP"},
    };
    List<Booking> out = new ArrayList<>();
    for (int i = 0; i < agencies.length; i++) {
      int month = (i % 12) + 1;
      int year = i < 8 ? 2025 : 2026;
      LocalDate in = LocalDate.of(year, month, 1 + (i * 7) % 27);
      LocalDate out2 = in.plusDays(1 + (i % 5));
      LocalDate cancel = in.minusDays(3);
      LocalDate issued = in.minusDays(20 + i);
      String issueText;
      LocalDate issueDate;
      switch (i % 4) {
        case 0 -> {
          issueText = "INMEDIATO";
          issueDate = null;
        }
        default -> {
          issueText = issue(issued, i % 4 - 1);
          issueDate = issued;
        }
      }
      int style = month == 9 ? 2 : (i % 3 == 1 ? 1 : 0);
      out.add(
          new Booking(
              String.format("%02d-%s", i + 1, slug(hotels[i])),
              String.valueOf(45215412 + i * 1_111_111L),
              locs[i],
              String.valueOf(723113 + i * 9187),
              agencies[i][0],
              statuses[i],
              issueText,
              issueDate,
              hotels[i],
              in,
              out2,
              stayDate(in, style),
              stayDate(out2, style == 2 && out2.getMonthValue() != 9 ? 0 : style),
              1 + i % 3,
              totals[i][0],
              totals[i][1],
              totals[i][2],
              cancel,
              deadline(cancel, i % 3 == 2),
              1000L + i));
    }
    return out;
  }

  static String slug(String s) {
    String n =
        java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    return n.toLowerCase(java.util.Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "-")
        .replaceAll("(^-|-$)", "");
  }
}
