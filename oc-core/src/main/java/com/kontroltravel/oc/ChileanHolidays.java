package com.kontroltravel.oc;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chile's national holidays whose date moves by law, computed per year:
 *
 * <ul>
 *   <li>San Pedro y San Pablo (29 June) and Encuentro de Dos Mundos (12 October), Law 19.668: to
 *       the Monday of their week when they fall on a Tuesday, Wednesday or Thursday, to the next
 *       Monday when on a Friday;
 *   <li>Día Nacional de las Iglesias Evangélicas y Protestantes (31 October), Law 20.299: to Friday
 *       27 October when the 31st is a Tuesday, to Friday 2 November when a Wednesday;
 *   <li>Día Nacional de los Pueblos Indígenas, Law 21.357 (from 2021): the day of the winter (June)
 *       solstice in Chile;
 *   <li>17 September when it is a Monday and 20 September when it is a Friday (Law 20.215), and 2
 *       January when it is a Monday (a law of 2016).
 * </ul>
 *
 * One-off holidays (election days, a declared "interferiado") are not rules: configure them.
 */
final class ChileanHolidays {
  private static final ZoneId CHILE = ZoneId.of("America/Santiago");
  private static final Map<Integer, Set<LocalDate>> CACHE = new ConcurrentHashMap<>();

  private ChileanHolidays() {}

  /** The movable holidays of {@code year}. */
  static Set<LocalDate> of(int year) {
    return CACHE.computeIfAbsent(year, ChileanHolidays::compute);
  }

  private static Set<LocalDate> compute(int year) {
    Set<LocalDate> out = new HashSet<>();
    out.add(toMonday(LocalDate.of(year, 6, 29)));
    out.add(toMonday(LocalDate.of(year, 10, 12)));
    LocalDate evangelical = LocalDate.of(year, 10, 31);
    switch (evangelical.getDayOfWeek()) {
      case TUESDAY -> out.add(LocalDate.of(year, 10, 27));
      case WEDNESDAY -> out.add(LocalDate.of(year, 11, 2));
      default -> out.add(evangelical);
    }
    if (year >= 2021) {
      out.add(juneSolstice(year).atZone(CHILE).toLocalDate());
    }
    addIf(out, LocalDate.of(year, 9, 17), DayOfWeek.MONDAY);
    addIf(out, LocalDate.of(year, 9, 20), DayOfWeek.FRIDAY);
    if (year >= 2017) {
      addIf(out, LocalDate.of(year, 1, 2), DayOfWeek.MONDAY);
    }
    return Set.copyOf(out);
  }

  private static void addIf(Set<LocalDate> out, LocalDate date, DayOfWeek when) {
    if (date.getDayOfWeek() == when) {
      out.add(date);
    }
  }

  /** Law 19.668: Tuesday to Thursday go back to that week's Monday, Friday on to the next one. */
  static LocalDate toMonday(LocalDate d) {
    return switch (d.getDayOfWeek()) {
      case TUESDAY, WEDNESDAY, THURSDAY -> d.with(DayOfWeek.MONDAY);
      case FRIDAY -> d.plusDays(3);
      default -> d;
    };
  }

  /**
   * Periodic terms of the equinox and solstice correction (Meeus, Astronomical Algorithms, 27.C).
   */
  private static final double[][] TERMS = {
    {485, 324.96, 1934.136}, {203, 337.23, 32964.467}, {199, 342.08, 20.186},
    {182, 27.85, 445267.112}, {156, 73.14, 45036.886}, {136, 171.52, 22518.443},
    {77, 222.54, 65928.934}, {74, 296.72, 3034.906}, {70, 243.58, 9037.513},
    {58, 119.81, 33718.147}, {52, 297.17, 150.678}, {50, 21.02, 2281.226},
    {45, 247.54, 29929.562}, {44, 325.15, 31555.956}, {29, 60.93, 4443.417},
    {18, 155.12, 67555.328}, {17, 288.79, 4562.452}, {16, 198.04, 62894.029},
    {14, 199.76, 31436.921}, {12, 95.39, 14577.848}, {12, 287.11, 31931.756},
    {12, 320.81, 34777.259}, {9, 227.73, 1222.114}, {8, 15.45, 16859.074}
  };

  /**
   * The instant of the June solstice of {@code year} (Meeus, chapter 27; within a minute or two for
   * years 1000 to 3000, far inside what a calendar date needs).
   */
  static Instant juneSolstice(int year) {
    double y = (year - 2000) / 1000.0;
    double jde0 =
        2451716.56767
            + 365241.62603 * y
            + 0.00325 * y * y
            + 0.00888 * y * y * y
            - 0.00030 * y * y * y * y;
    double t = (jde0 - 2451545.0) / 36525;
    double w = Math.toRadians(35999.373 * t - 2.47);
    double dl = 1 + 0.0334 * Math.cos(w) + 0.0007 * Math.cos(2 * w);
    double s = 0;
    for (double[] term : TERMS) {
      s += term[0] * Math.cos(Math.toRadians(term[1] + term[2] * t));
    }
    double jde = jde0 + 0.00001 * s / dl;
    double deltaTSeconds = 69; // TT - UT around the 2020s; a minute either way changes no date
    double unixSeconds = (jde - 2440587.5) * 86400 - deltaTSeconds;
    return Instant.ofEpochMilli(Math.round(unixSeconds * 1000));
  }
}
