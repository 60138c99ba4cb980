package com.kontroltravel.oc.settings;

import com.kontroltravel.oc.BusinessCalendar;
import com.kontroltravel.oc.model.SafeText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The business calendar's settings: {@code OC_TIME_ZONE}, {@code OC_OFFICE_HOURS}, {@code
 * OC_WORKING_DAYS}, {@code OC_EXTRA_HOLIDAYS}, {@code OC_HOLIDAYS_FILE}, {@code
 * OC_CHILEAN_HOLIDAYS}.
 */
final class CalendarSettings {
  private static final Pattern HOURS =
      Pattern.compile("\\s*(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})\\s*");

  private static final Map<String, DayOfWeek> DAYS =
      Map.ofEntries(
          Map.entry("MON", DayOfWeek.MONDAY),
          Map.entry("TUE", DayOfWeek.TUESDAY),
          Map.entry("WED", DayOfWeek.WEDNESDAY),
          Map.entry("THU", DayOfWeek.THURSDAY),
          Map.entry("FRI", DayOfWeek.FRIDAY),
          Map.entry("SAT", DayOfWeek.SATURDAY),
          Map.entry("SUN", DayOfWeek.SUNDAY),
          Map.entry("LUN", DayOfWeek.MONDAY),
          Map.entry("MAR", DayOfWeek.TUESDAY),
          Map.entry("MIE", DayOfWeek.WEDNESDAY),
          Map.entry("JUE", DayOfWeek.THURSDAY),
          Map.entry("VIE", DayOfWeek.FRIDAY),
          Map.entry("SAB", DayOfWeek.SATURDAY),
          Map.entry("DOM", DayOfWeek.SUNDAY));

  private static final Set<String> SPANISH_NAMES =
      Set.of("LUNES", "MARTES", "MIERCOLES", "JUEVES", "VIERNES", "SABADO", "DOMINGO");

  private CalendarSettings() {}

  /** The business calendar: the Chilean default with every calendar variable applied. */
  static BusinessCalendar calendar(Variables s, List<String> problems) {
    BusinessCalendar.Builder b = BusinessCalendar.builder();
    String zone = s.get("OC_TIME_ZONE");
    if (zone != null) {
      try {
        b.zone(ZoneId.of(zone));
      } catch (DateTimeException e) {
        problems.add(
            s.name("OC_TIME_ZONE") + " must be a time zone such as America/Santiago: " + zone);
      }
    }
    String hours = s.get("OC_OFFICE_HOURS");
    if (hours != null) {
      LocalTime[] h = officeHours(hours);
      if (h == null) {
        problems.add(
            s.name("OC_OFFICE_HOURS")
                + " must be opening-closing on one day, such as 08:30-18:30: "
                + hours);
      } else {
        b.officeHours(h[0], h[1]);
      }
    }
    String days = s.get("OC_WORKING_DAYS");
    if (days != null) {
      try {
        b.workingDays(workingDays(days));
      } catch (IllegalArgumentException e) {
        problems.add(
            s.name("OC_WORKING_DAYS")
                + " must name days or ranges such as MON-FRI or MON,TUE,THU ("
                + e.getMessage()
                + "): "
                + days);
      }
    }
    Boolean chile = s.bool("OC_CHILEAN_HOLIDAYS", problems);
    if (Boolean.FALSE.equals(chile)) {
      b.chileanMovableHolidays(false).fixedHolidays(List.of()).easterOffsets(List.of());
    }
    List<LocalDate> extra = new ArrayList<>();
    for (String d : Variables.list(s.get("OC_EXTRA_HOLIDAYS"))) {
      try {
        extra.add(LocalDate.parse(d));
      } catch (DateTimeParseException e) {
        problems.add(s.name("OC_EXTRA_HOLIDAYS") + " must list ISO dates such as 2026-11-16: " + d);
      }
    }
    String file = s.get("OC_HOLIDAYS_FILE");
    if (file != null) {
      extra.addAll(holidaysFile(Path.of(file), s.name("OC_HOLIDAYS_FILE"), problems));
    }
    b.holidays(extra);
    return b.build();
  }

  /** {@code 08:30-18:30} as opening and closing, or null when it is not that shape. */
  static LocalTime[] officeHours(String v) {
    Matcher m = HOURS.matcher(v);
    if (!m.matches()) {
      return null;
    }
    try {
      LocalTime open = LocalTime.parse(pad(m.group(1)));
      LocalTime close = LocalTime.parse(pad(m.group(2)));
      return open.isBefore(close) ? new LocalTime[] {open, close} : null;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String pad(String hhmm) {
    return hhmm.length() == 4 ? "0" + hhmm : hhmm;
  }

  /**
   * {@code MON-FRI}, {@code MON,WED,FRI}, {@code SUN-THU}, full English names, or the Spanish
   * abbreviations ({@code LUN-VIE}).
   *
   * @throws IllegalArgumentException naming the first item that is not a day or a range
   */
  static Set<DayOfWeek> workingDays(String v) {
    Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
    for (String item : v.split("[,;\\s]+")) {
      if (item.isBlank()) {
        continue;
      }
      String[] range = item.split("-", -1);
      if (range.length > 2) {
        throw new IllegalArgumentException("not a day or a range: " + item);
      }
      DayOfWeek from = day(range[0]);
      DayOfWeek to = range.length == 2 ? day(range[1]) : from;
      // A range may wrap over the weekend (SUN-THU): at most seven steps.
      for (DayOfWeek d = from; ; d = d.plus(1)) {
        out.add(d);
        if (d == to) {
          break;
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no day named");
    }
    return out;
  }

  private static DayOfWeek day(String name) {
    String n = name.trim().toUpperCase(Locale.ROOT).replace('É', 'E').replace('Á', 'A');
    DayOfWeek d = n.length() >= 3 ? DAYS.get(n.substring(0, 3)) : null;
    boolean full =
        d != null && (n.length() == 3 || d.name().equals(n) || SPANISH_NAMES.contains(n));
    if (!full) {
      throw new IllegalArgumentException("not a day: " + name);
    }
    return d;
  }

  /**
   * The dates of a holidays file: one ISO date a line, {@code #} starts a comment.
   *
   * @param shown how problems name the setting ({@code OC_HOLIDAYS_FILE})
   */
  static List<LocalDate> holidaysFile(Path file, String shown, List<String> problems) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      problems.add(shown + " cannot be read: " + file + " (" + e.getMessage() + ")");
      return List.of();
    }
    List<LocalDate> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      String date = (hash < 0 ? line : line.substring(0, hash)).strip();
      if (date.isEmpty()) {
        continue;
      }
      try {
        out.add(LocalDate.parse(date));
      } catch (DateTimeParseException e) {
        // The line came from a file: shown on one line, without control characters.
        problems.add(
            shown
                + " "
                + file
                + " line "
                + (i + 1)
                + " is not an ISO date such as 2026-11-16: "
                + SafeText.oneLine(date));
      }
    }
    return out;
  }
}
