package com.kontroltravel.oc.examples;

import com.kontroltravel.oc.BusinessCalendar;
import com.kontroltravel.oc.FirstStart;
import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.model.ReminderSchedule;
import com.kontroltravel.oc.model.ScheduledStep;
import com.kontroltravel.oc.model.Step;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine's settings that are not about mailboxes, as runner variables:
 *
 * <ul>
 *   <li><b>Calendar</b>: {@code OC_TIME_ZONE}, {@code OC_OFFICE_HOURS} ({@code 08:30-18:30}),
 *       {@code OC_WORKING_DAYS} ({@code MON-FRI}, {@code MON,TUE,THU}, Spanish {@code LUN-VIE}),
 *       {@code OC_EXTRA_HOLIDAYS} (ISO dates), {@code OC_HOLIDAYS_FILE} (one ISO date a line,
 *       {@code #} comments), {@code OC_CHILEAN_HOLIDAYS} ({@code false} for a team outside Chile).
 *   <li><b>Chase</b>: {@code OC_SCHEDULE} (the reminders' business days, {@code 2,4,6}; the last is
 *       the ultimatum), or the old {@code DAYS_FOR_REMINDER_1/2}; {@code OC_MIN_GAP_DAYS}, {@code
 *       OC_EXPIRY_DAYS}.
 *   <li><b>Intake and sending</b>: {@code OC_CONFIRMATION_KEYWORDS}, {@code OC_MAX_SEND_ATTEMPTS},
 *       {@code OC_RETRY_BACKOFF}, {@code OC_RETRY_MAX_BACKOFF}, {@code OC_BATCH_SIZE}, {@code
 *       OC_CLAIM_LEASE}, {@code OC_MESSAGE_ID_DOMAIN}, {@code OC_CHECK_SENT_FOLDER}, {@code
 *       OC_SENT_FOLDER}.
 *   <li><b>Inbound and reports</b>: {@code OC_MAX_INBOUND_ATTEMPTS}, {@code OC_INBOUND_RETENTION},
 *       {@code OC_AMOUNT_TOLERANCE}, {@code OC_CRITICAL_AFTER_DAYS}.
 * </ul>
 *
 * Every problem is collected, so one start names all of them.
 */
final class EngineSettings {
  /** Subject words the old system accepted besides the engine's defaults. */
  static final List<String> OLD_SYSTEM_KEYWORDS = List.of("reserva", "hotel", "servicio");

  /**
   * The runner's default confirmation keywords: the engine's and the old system's, so a deployment
   * moving over loses no confirmation. Only mail from an allowed sender that is not a reply is
   * checked against them.
   */
  static final List<String> DEFAULT_KEYWORDS =
      concat(OcConfig.DEFAULT_CONFIRMATION_KEYWORDS, OLD_SYSTEM_KEYWORDS);

  /** The Sent folder searched before a resend whose outcome is unknown. */
  static final String DEFAULT_SENT_FOLDER = "Sent";

  private static final Pattern HOURS =
      Pattern.compile("\\s*(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})\\s*");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

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

  private EngineSettings() {}

  /**
   * Sets the calendar, keywords, attempts, backoff, batch, lease, Message-ID domain, inbound
   * retries and retention, the OC amount tolerance and the critical mark.
   */
  static void apply(RunnerSettings s, OcConfig.Builder b, List<String> problems) {
    b.calendar(calendar(s, problems));
    b.confirmationKeywords(keywords(s));
    Integer attempts = s.integer("OC_MAX_SEND_ATTEMPTS", problems);
    if (attempts != null) {
      if (attempts < 1 || attempts > 100) {
        problems.add("OC_MAX_SEND_ATTEMPTS must be 1..100: " + attempts);
      } else {
        b.maxSendAttempts(attempts);
      }
    }
    Duration first = duration(s, "OC_RETRY_BACKOFF", problems);
    Duration max = duration(s, "OC_RETRY_MAX_BACKOFF", problems);
    if (first != null) {
      b.retryInitialBackoff(first);
    }
    if (max != null) {
      b.retryMaxBackoff(max);
    }
    Duration effectiveFirst = first == null ? OcConfig.DEFAULT_RETRY_INITIAL_BACKOFF : first;
    Duration effectiveMax = max == null ? OcConfig.DEFAULT_RETRY_MAX_BACKOFF : max;
    if (effectiveMax.compareTo(effectiveFirst) < 0) {
      problems.add(
          "OC_RETRY_MAX_BACKOFF ("
              + effectiveMax
              + ") must not be shorter than OC_RETRY_BACKOFF ("
              + effectiveFirst
              + ")");
    }
    Integer batch = s.integer("OC_BATCH_SIZE", problems);
    if (batch != null) {
      if (batch < 1 || batch > 10_000) {
        problems.add("OC_BATCH_SIZE must be 1..10000: " + batch);
      } else {
        b.batchSize(batch);
      }
    }
    Duration lease = duration(s, "OC_CLAIM_LEASE", problems);
    if (lease != null) {
      if (lease.compareTo(Duration.ofSeconds(30)) < 0) {
        problems.add("OC_CLAIM_LEASE must be at least 30 s (a send must fit in it): " + lease);
      } else {
        b.leaseDuration(lease);
      }
    }
    String domain = s.get("OC_MESSAGE_ID_DOMAIN");
    if (domain != null) {
      b.messageIdDomain(domain);
    }
    applyInbound(s, b, problems);
  }

  /** Inbound retries and kept copies, the OC amount check, the dashboards' critical mark. */
  private static void applyInbound(RunnerSettings s, OcConfig.Builder b, List<String> problems) {
    Integer inbound = s.integer("OC_MAX_INBOUND_ATTEMPTS", problems);
    if (inbound != null) {
      if (inbound < 1 || inbound > 100) {
        problems.add("OC_MAX_INBOUND_ATTEMPTS must be 1..100: " + inbound);
      } else {
        b.maxInboundAttempts(inbound);
      }
    }
    Duration retention = duration(s, "OC_INBOUND_RETENTION", problems);
    if (retention != null) {
      b.inboundRetention(retention);
    }
    String tolerance = s.get("OC_AMOUNT_TOLERANCE");
    if (tolerance != null) {
      try {
        BigDecimal t = new BigDecimal(tolerance);
        if (t.signum() < 0) {
          problems.add("OC_AMOUNT_TOLERANCE must not be negative: " + tolerance);
        } else {
          b.amountTolerance(t);
        }
      } catch (NumberFormatException e) {
        problems.add("OC_AMOUNT_TOLERANCE must be an amount such as 1000 or 0.5: " + tolerance);
      }
    }
    Integer critical = s.integer("OC_CRITICAL_AFTER_DAYS", problems);
    if (critical != null) {
      if (critical < 1 || critical > 60) {
        problems.add("OC_CRITICAL_AFTER_DAYS must be 1..60: " + critical);
      } else {
        b.criticalAfterBusinessDays(critical);
      }
    }
    b.firstStart(firstStart(s, problems));
  }

  /**
   * {@code IMAP_START_FROM}: which messages the first read of a mailbox processes ({@code all},
   * {@code now}, a date, or a number of days); the runner's default is the last 30 days, so a first
   * start on a mailbox with years of confirmations tracks only what can still be chased.
   */
  static FirstStart firstStart(RunnerSettings s, List<String> problems) {
    String v = s.get("IMAP_START_FROM");
    if (v == null) {
      return FirstStart.RECOMMENDED;
    }
    try {
      return FirstStart.parse(v, calendar(s, new java.util.ArrayList<>()).zone());
    } catch (IllegalArgumentException e) {
      problems.add("IMAP_START_FROM: " + e.getMessage());
      return FirstStart.RECOMMENDED;
    }
  }

  /** {@code OC_CONFIRMATION_KEYWORDS} (comma-separated; words may hold spaces), else defaults. */
  static List<String> keywords(RunnerSettings s) {
    String v = s.get("OC_CONFIRMATION_KEYWORDS");
    if (v == null) {
      return DEFAULT_KEYWORDS;
    }
    List<String> out =
        Arrays.stream(v.split("[,;]")).map(String::trim).filter(k -> !k.isEmpty()).toList();
    return out.isEmpty() ? DEFAULT_KEYWORDS : out;
  }

  // ------------------------------------------------------------------ calendar

  /** The business calendar: the Chilean default with every calendar variable applied. */
  static BusinessCalendar calendar(RunnerSettings s, List<String> problems) {
    BusinessCalendar.Builder b = BusinessCalendar.builder();
    String zone = s.get("OC_TIME_ZONE");
    if (zone != null) {
      try {
        b.zone(ZoneId.of(zone));
      } catch (DateTimeException e) {
        problems.add("OC_TIME_ZONE must be a time zone such as America/Santiago: " + zone);
      }
    }
    String hours = s.get("OC_OFFICE_HOURS");
    if (hours != null) {
      LocalTime[] h = officeHours(hours);
      if (h == null) {
        problems.add(
            "OC_OFFICE_HOURS must be opening-closing on one day, such as 08:30-18:30: " + hours);
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
            "OC_WORKING_DAYS must name days or ranges such as MON-FRI or MON,TUE,THU ("
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
    for (String d : RunnerSettings.list(s.get("OC_EXTRA_HOLIDAYS"))) {
      try {
        extra.add(LocalDate.parse(d));
      } catch (DateTimeParseException e) {
        problems.add("OC_EXTRA_HOLIDAYS must list ISO dates such as 2026-11-16: " + d);
      }
    }
    String file = s.get("OC_HOLIDAYS_FILE");
    if (file != null) {
      extra.addAll(holidaysFile(Path.of(file), problems));
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

  /** The dates of a holidays file: one ISO date a line, {@code #} starts a comment. */
  static List<LocalDate> holidaysFile(Path file, List<String> problems) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      problems.add("OC_HOLIDAYS_FILE cannot be read: " + file + " (" + e.getMessage() + ")");
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
        problems.add(
            "OC_HOLIDAYS_FILE "
                + file
                + " line "
                + (i + 1)
                + " is not an ISO date such as 2026-11-16: "
                + Views.terminalSafe(date));
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ schedule

  /**
   * The default chase schedule: {@code OC_SCHEDULE} or the old {@code DAYS_FOR_REMINDER_1/2}
   * (request, reminder, ultimatum), else the engine's; {@code OC_MIN_GAP_DAYS} and {@code
   * OC_EXPIRY_DAYS} apply to either.
   *
   * @throws ConfigurationException listing every problem
   */
  static ReminderSchedule schedule(RunnerSettings s) {
    List<String> problems = new ArrayList<>();
    Integer d1 = s.integer("DAYS_FOR_REMINDER_1", problems);
    Integer d2 = s.integer("DAYS_FOR_REMINDER_2", problems);
    String steps = s.get("OC_SCHEDULE");
    Integer gap = s.integer("OC_MIN_GAP_DAYS", problems);
    Integer expiry = s.integer("OC_EXPIRY_DAYS", problems);
    if (steps != null && (d1 != null || d2 != null)) {
      problems.add(
          "OC_SCHEDULE and DAYS_FOR_REMINDER_1/2 are both set: keep one (OC_SCHEDULE=2,4 is the"
              + " old DAYS_FOR_REMINDER_1=2, DAYS_FOR_REMINDER_2=4)");
    }
    if (gap != null && (gap < 0 || gap > 30)) {
      problems.add("OC_MIN_GAP_DAYS must be 0..30: " + gap);
    }
    if (expiry != null && (expiry < 1 || expiry > 3650)) {
      problems.add("OC_EXPIRY_DAYS must be 1..3650: " + expiry);
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    ReminderSchedule base = ReminderSchedule.DEFAULT;
    try {
      if (steps != null) {
        base = parseSchedule(steps);
      } else if (d1 != null || d2 != null) {
        int first = d1 == null ? 2 : d1;
        int second = d2 == null ? Math.max(first + 2, 4) : d2;
        base = ReminderSchedule.legacy(first, second);
      }
    } catch (IllegalArgumentException e) {
      String name = steps != null ? "OC_SCHEDULE" : "DAYS_FOR_REMINDER_1/2";
      throw new ConfigurationException(
          List.of(name + " do not make a schedule: " + e.getMessage()));
    }
    try {
      return new ReminderSchedule(
          base.steps(),
          gap == null ? base.minGapBusinessDays() : gap,
          expiry == null ? base.expiryDays() : expiry);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(List.of("the chase schedule: " + e.getMessage()));
    }
  }

  /**
   * {@code 2,4,6}: the reminders' business days after day 0, the last being the ultimatum (one day
   * is the ultimatum alone, two are reminder 1 and the ultimatum as the old system had, three are
   * all reminders); a leading {@code 0} is the request and may be left out. Also the agencies CSV's
   * forms, {@code 2/4} and {@code request@0;reminder-1@2;reminder-3@5}.
   */
  static ReminderSchedule parseSchedule(String v) {
    if (v.contains("@") || v.contains("/")) {
      ReminderSchedule r = AgencyCsv.schedule(v);
      if (r == null) {
        throw new IllegalArgumentException("empty: " + v);
      }
      return r;
    }
    List<Integer> days = new ArrayList<>();
    for (String item : RunnerSettings.list(v)) {
      try {
        days.add(Integer.valueOf(item));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a business day number: " + item);
      }
    }
    if (!days.isEmpty() && days.get(0) == 0) {
      days.remove(0);
    }
    if (days.isEmpty() || days.size() > 3) {
      throw new IllegalArgumentException("name one to three reminder days, such as 2,4,6: " + v);
    }
    List<Step> reminders =
        switch (days.size()) {
          case 1 -> List.of(Step.REMINDER_3);
          case 2 -> List.of(Step.REMINDER_1, Step.REMINDER_3);
          default -> List.of(Step.REMINDER_1, Step.REMINDER_2, Step.REMINDER_3);
        };
    List<ScheduledStep> out = new ArrayList<>();
    out.add(new ScheduledStep(Step.REQUEST, 0));
    for (int i = 0; i < days.size(); i++) {
      out.add(new ScheduledStep(reminders.get(i), days.get(i)));
    }
    return new ReminderSchedule(
        out, ReminderSchedule.DEFAULT.minGapBusinessDays(), ReminderSchedule.DEFAULT.expiryDays());
  }

  // ------------------------------------------------------------------ sending

  /** {@code OC_CHECK_SENT_FOLDER}: default on (a server without the folder answers "unknown"). */
  static boolean checkSentFolder(RunnerSettings s, List<String> problems) {
    Boolean v = s.bool("OC_CHECK_SENT_FOLDER", problems);
    return v == null || v;
  }

  /** {@code OC_SENT_FOLDER}, default {@code Sent}. */
  static String sentFolder(RunnerSettings s) {
    return s.get("OC_SENT_FOLDER", DEFAULT_SENT_FOLDER);
  }

  /**
   * A duration: whole seconds ({@code 90}), with a unit ({@code 500ms}, {@code 90s}, {@code 5m},
   * {@code 1h}, {@code 2d}) or ISO-8601 ({@code PT5M}); null when unset.
   */
  static Duration duration(RunnerSettings s, String name, List<String> problems) {
    String v = s.get(name);
    if (v == null) {
      return null;
    }
    Duration d = null;
    Matcher m = DURATION.matcher(v.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      d =
          switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
          };
    } else {
      try {
        d = Duration.parse(v.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    if (d == null || d.isZero() || d.isNegative()) {
      problems.add(name + " must be a positive duration such as 90s, 5m, 1h or PT5M: " + v);
      return null;
    }
    return d;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    Set<String> out = new LinkedHashSet<>(a);
    out.addAll(b);
    return List.copyOf(out);
  }
}
