package com.kontroltravel.oc.pdf.pdfbox.corpus;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The bookings of the third producer (the booking system's own HTML-to-PDF engine): agency and
 * hotel names of one to six words, some long enough to wrap, and hotel addresses of every length.
 * The first one is the production confirmation the issue was found on (WALVIS S.A., Hampton by
 * Hilton Santiago Las Condes, deadline "lunes, 24 de noviembre de 2025").
 */
public final class HiqBookings {
  private HiqBookings() {}

  /** The agencies: one to six words; the longest wrap in the header's value column. */
  static final String[] AGENCIES = {
    "WALVIS S.A.",
    "Cocha",
    "Turismo Cocha Ñuñoa Ltda.",
    "Viajes Émile & Cía. S.p.A.",
    "Agencia Pública de Turismo Región Sur",
    "Despegar",
    "Corporación Internacional de Viajes Andinos Limitada",
    "Mundo Viajes 2000",
    "Ñandú Expediciones SpA",
    "Kontrol Travel S.A.",
    "Sociedad de Turismo Valle del Elqui",
    "Cía. Sudamericana de Viajes N°1",
    "ANDES",
    "Operadora Patagónica de Excursiones Australes Limitada",
    "Viajes Falabella",
    "Travel Security",
  };

  /** The hotels: one to six words; the longest wrap when the address column is narrow. */
  static final String[] HOTELS = {
    "Hampton by Hilton Santiago Las Condes",
    "Explora",
    "Cumbres Lastarria",
    "NH Collection Plaza Santiago",
    "Sheraton Miramar Viña del Mar",
    "Hotel Cumbres Vitacura Parque Araucano Santiago",
    "Awasi",
    "Casa Bosque Puerto Varas",
    "Noi Puma Lodge",
    "Hotel Magnolia",
    "Radisson Blu Ñuñoa",
    "Wyndham Santiago Pettra Hotel Ejecutivo Internacional",
    "Tierra Patagonia",
    "Hotel Antumalal",
    "Dreams Punta Arenas",
    "Ibis Budget Providencia",
  };

  /** Hotel addresses, from short to long enough to wrap in half the page. */
  static final String[] ADDRESSES = {
    "Av. Presidente Riesco 5330, Las Condes, Santiago",
    "Camino a Toconao s/n",
    "José Victorino Lastarria 299, Santiago Centro",
    "Av. Andrés Bello 2233, Providencia, Región Metropolitana de Santiago",
    "Av. Marina 15",
    "Av. Vitacura 2745, Vitacura, Santiago",
    "Tulor 79, San Pedro de Atacama, Región de Antofagasta, Chile",
    "Calle Los Colonos 1125, Puerto Varas",
    "Km 98 Camino Puerto Fuy, Región de Los Ríos",
    "Huérfanos 539",
    "Av. Irarrázaval 2450, Ñuñoa, Santiago, Región Metropolitana",
    "Av. Kennedy 5534",
    "Lago Sarmiento s/n, Torres del Paine, Región de Magallanes y de la Antártica Chilena",
    "Camino Pucón Villarrica Km 2",
    "Av. Costanera del Estrecho 01235, Punta Arenas",
    "Av. Providencia 2144",
  };

  static final String[] STATUSES = {
    "Reservado", "Confirmado", "Reservado", "Cancelado", "Reservado", "Anulado", "Reservado",
    "Reservado", "Confirmado", "Reservado", "Reservado", "Cancelado", "Reservado", "Reservado",
    "Reservado", "Reservado"
  };

  static final String[] LOCS = {
    "AAFTTAT", "HQ4PDF1", "ZK42PLM", "QWERTY1", "MNÑOPQR", "XY12Z34", "HOTEL77", "PPLLKKJ",
    "R2D2C3P", "LMNOPQR", "ÑANDU01", "KTRAVEL", "ABC1234", "ZZZZZZZ", "CALIBRI", "TCSPACE"
  };

  static final String[][] TOTALS = {
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
    {"CLP 312.400,00", "312400.00", "CLP"},
    {"USD 2.150,00", "2150.00", "USD"},
  };

  /** The bookings; the first is the production case (check-in 27 Nov 2025, deadline 24 Nov). */
  public static List<Booking> all() {
    List<Booking> out = new ArrayList<>();
    for (int i = 0; i < AGENCIES.length; i++) {
      LocalDate in =
          i == 0
              ? LocalDate.of(2025, 11, 27)
              : LocalDate.of(2025 + i / 9, 1 + (i * 5) % 12, 2 + (i * 11) % 26);
      LocalDate out2 = in.plusDays(1 + (i % 4));
      LocalDate cancel = in.minusDays(3);
      LocalDate issued = in.minusDays(15 + i);
      String issueText = i % 4 == 0 ? "INMEDIATO" : Bookings.issue(issued, i % 4 - 1);
      LocalDate issueDate = i % 4 == 0 ? null : issued;
      int month = in.getMonthValue();
      int style = month == 9 ? 2 : (i % 3 == 1 ? 1 : 0);
      out.add(
          new Booking(
              String.format("%02d-%s", i + 1, Bookings.slug(HOTELS[i])),
              String.valueOf(45215412 + i * 2_222_223L),
              LOCS[i],
              String.valueOf(723113 + i * 7919),
              AGENCIES[i],
              STATUSES[i],
              issueText,
              issueDate,
              HOTELS[i],
              in,
              out2,
              Bookings.stayDate(in, style),
              Bookings.stayDate(out2, style == 2 && out2.getMonthValue() != 9 ? 0 : style),
              1 + i % 3,
              TOTALS[i][0],
              TOTALS[i][1],
              TOTALS[i][2],
              cancel,
              Bookings.deadline(cancel, i % 5 == 3),
              7000L + i));
    }
    return out;
  }

  /**
   * The width of the hotel table's first column (address), as a fraction of the page: from narrow
   * to half the page; the widest go with the longest dates, which then wrap in their cells.
   */
  static final float[] ADDRESS_COLUMN = {
    0.50f, 0.22f, 0.30f, 0.26f, 0.50f, 0.18f, 0.24f, 0.50f, 0.42f, 0.34f, 0.50f, 0.46f, 0.20f,
    0.50f, 0.38f, 0.28f
  };

  /** The hotel address for booking {@code i}. */
  static String address(int i) {
    return ADDRESSES[i % ADDRESSES.length];
  }
}
