package com.kontroltravel.oc.settings;

import com.kontroltravel.oc.BusinessCalendar;
import com.kontroltravel.oc.FirstStart;
import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.model.ReminderSchedule;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The engine's settings that are not about mailboxes, read by the runner's variable names from
 * {@link Variables}; the runner ({@code oc-examples}) and the Spring Boot starter both read them
 * here, so both accept the same values, apply the same defaults and report the same problems:
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
 *       OC_SENT_FOLDER}, {@code OC_SMTP_SESSIONS}.
 *   <li><b>Inbound and reports</b>: {@code OC_MAX_INBOUND_ATTEMPTS}, {@code OC_INBOUND_RETENTION},
 *       {@code OC_AMOUNT_TOLERANCE}, {@code OC_CRITICAL_AFTER_DAYS}, {@code IMAP_START_FROM}.
 * </ul>
 *
 * The defaults are the runner's where they differ from the engine's ({@link #DEFAULT_KEYWORDS},
 * {@link FirstStart#RECOMMENDED}). Every problem is collected, so one start names all of them.
 * Immutable and thread-safe when the variables' lookup is.
 */
public final class EngineSettings {
  /** Every variable read here. */
  public static final List<String> VARIABLES =
      List.of(
          "OC_TIME_ZONE",
          "OC_OFFICE_HOURS",
          "OC_WORKING_DAYS",
          "OC_EXTRA_HOLIDAYS",
          "OC_HOLIDAYS_FILE",
          "OC_CHILEAN_HOLIDAYS",
          "OC_SCHEDULE",
          "DAYS_FOR_REMINDER_1",
          "DAYS_FOR_REMINDER_2",
          "OC_MIN_GAP_DAYS",
          "OC_EXPIRY_DAYS",
          "OC_CONFIRMATION_KEYWORDS",
          "OC_MAX_SEND_ATTEMPTS",
          "OC_RETRY_BACKOFF",
          "OC_RETRY_MAX_BACKOFF",
          "OC_BATCH_SIZE",
          "OC_CLAIM_LEASE",
          "OC_MESSAGE_ID_DOMAIN",
          "OC_CHECK_SENT_FOLDER",
          "OC_SENT_FOLDER",
          "OC_SMTP_SESSIONS",
          "OC_MAX_INBOUND_ATTEMPTS",
          "OC_INBOUND_RETENTION",
          "OC_AMOUNT_TOLERANCE",
          "OC_CRITICAL_AFTER_DAYS",
          "IMAP_START_FROM");

  /** Subject words the old system accepted besides the engine's defaults. */
  public static final List<String> OLD_SYSTEM_KEYWORDS = List.of("reserva", "hotel", "servicio");

  /**
   * The default confirmation keywords: the engine's and the old system's, so a deployment moving
   * over loses no confirmation. Only mail from an allowed sender that is not a reply is checked
   * against them.
   */
  public static final List<String> DEFAULT_KEYWORDS =
      concat(OcConfig.DEFAULT_CONFIRMATION_KEYWORDS, OLD_SYSTEM_KEYWORDS);

  /** The Sent folder searched before a resend whose outcome is unknown. */
  public static final String DEFAULT_SENT_FOLDER = "Sent";

  /** The most SMTP sessions {@code OC_SMTP_SESSIONS} may ask for. */
  public static final int MAX_SMTP_SESSIONS = 16;

  private final Variables s;

  private EngineSettings(Variables variables) {
    this.s = Objects.requireNonNull(variables, "variables == null");
  }

  /** The engine settings of {@code variables}. */
  public static EngineSettings of(Variables variables) {
    return new EngineSettings(variables);
  }

  /**
   * Sets the calendar, keywords, attempts, backoff, batch, lease, Message-ID domain, inbound
   * retries and retention, the OC amount tolerance, the critical mark and the first start on {@code
   * b}; a value that is not valid is left at the builder's and named in {@code problems}.
   */
  public void apply(OcConfig.Builder b, List<String> problems) {
    b.calendar(calendar(problems));
    b.confirmationKeywords(keywords());
    Integer attempts = s.integer("OC_MAX_SEND_ATTEMPTS", problems);
    if (attempts != null) {
      if (attempts < 1 || attempts > 100) {
        problems.add(s.name("OC_MAX_SEND_ATTEMPTS") + " must be 1..100: " + attempts);
      } else {
        b.maxSendAttempts(attempts);
      }
    }
    Duration first = s.duration("OC_RETRY_BACKOFF", problems);
    Duration max = s.duration("OC_RETRY_MAX_BACKOFF", problems);
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
          s.name("OC_RETRY_MAX_BACKOFF")
              + " ("
              + effectiveMax
              + ") must not be shorter than "
              + s.name("OC_RETRY_BACKOFF")
              + " ("
              + effectiveFirst
              + ")");
    }
    Integer batch = s.integer("OC_BATCH_SIZE", problems);
    if (batch != null) {
      if (batch < 1 || batch > 10_000) {
        problems.add(s.name("OC_BATCH_SIZE") + " must be 1..10000: " + batch);
      } else {
        b.batchSize(batch);
      }
    }
    Duration lease = s.duration("OC_CLAIM_LEASE", problems);
    if (lease != null) {
      if (lease.compareTo(Duration.ofSeconds(30)) < 0) {
        problems.add(
            s.name("OC_CLAIM_LEASE") + " must be at least 30 s (a send must fit in it): " + lease);
      } else {
        b.leaseDuration(lease);
      }
    }
    String domain = s.get("OC_MESSAGE_ID_DOMAIN");
    if (domain != null) {
      b.messageIdDomain(domain);
    }
    applyInbound(b, problems);
  }

  /** Inbound retries and kept copies, the OC amount check, the dashboards' critical mark. */
  private void applyInbound(OcConfig.Builder b, List<String> problems) {
    Integer inbound = s.integer("OC_MAX_INBOUND_ATTEMPTS", problems);
    if (inbound != null) {
      if (inbound < 1 || inbound > 100) {
        problems.add(s.name("OC_MAX_INBOUND_ATTEMPTS") + " must be 1..100: " + inbound);
      } else {
        b.maxInboundAttempts(inbound);
      }
    }
    Duration retention = s.duration("OC_INBOUND_RETENTION", problems);
    if (retention != null) {
      b.inboundRetention(retention);
    }
    String tolerance = s.get("OC_AMOUNT_TOLERANCE");
    if (tolerance != null) {
      try {
        BigDecimal t = new BigDecimal(tolerance);
        if (t.signum() < 0) {
          problems.add(s.name("OC_AMOUNT_TOLERANCE") + " must not be negative: " + tolerance);
        } else {
          b.amountTolerance(t);
        }
      } catch (NumberFormatException e) {
        problems.add(
            s.name("OC_AMOUNT_TOLERANCE") + " must be an amount such as 1000 or 0.5: " + tolerance);
      }
    }
    Integer critical = s.integer("OC_CRITICAL_AFTER_DAYS", problems);
    if (critical != null) {
      if (critical < 1 || critical > 60) {
        problems.add(s.name("OC_CRITICAL_AFTER_DAYS") + " must be 1..60: " + critical);
      } else {
        b.criticalAfterBusinessDays(critical);
      }
    }
    b.firstStart(firstStart(problems));
  }

  /**
   * {@code IMAP_START_FROM}: which messages the first read of a mailbox processes ({@code all},
   * {@code now}, a date, or a number of days); the default is the last 30 days ({@link
   * FirstStart#RECOMMENDED}), so a first start on a mailbox with years of confirmations tracks only
   * what can still be chased. A date is read in the calendar's zone.
   */
  public FirstStart firstStart(List<String> problems) {
    String v = s.get("IMAP_START_FROM");
    if (v == null) {
      return FirstStart.RECOMMENDED;
    }
    try {
      // The calendar's problems are reported by apply's own reading of it.
      return FirstStart.parse(v, calendar(new ArrayList<>()).zone());
    } catch (IllegalArgumentException e) {
      problems.add(s.name("IMAP_START_FROM") + ": " + e.getMessage());
      return FirstStart.RECOMMENDED;
    }
  }

  /**
   * {@code OC_CONFIRMATION_KEYWORDS} (separated by commas or semicolons; words may hold spaces),
   * else {@link #DEFAULT_KEYWORDS}.
   */
  public List<String> keywords() {
    String v = s.get("OC_CONFIRMATION_KEYWORDS");
    if (v == null) {
      return DEFAULT_KEYWORDS;
    }
    List<String> out =
        Arrays.stream(v.split("[,;]")).map(String::trim).filter(k -> !k.isEmpty()).toList();
    return out.isEmpty() ? DEFAULT_KEYWORDS : out;
  }

  /** The business calendar: the Chilean default with every calendar variable applied. */
  public BusinessCalendar calendar(List<String> problems) {
    return CalendarSettings.calendar(s, problems);
  }

  /**
   * The default chase schedule: {@code OC_SCHEDULE} (the reminders' business days, {@code 2,4,6})
   * or the old {@code DAYS_FOR_REMINDER_1/2} (request, reminder, ultimatum), never both, else the
   * engine's {@link ReminderSchedule#DEFAULT}; {@code OC_MIN_GAP_DAYS} and {@code OC_EXPIRY_DAYS}
   * apply to any of them.
   *
   * @throws ConfigurationException listing every problem
   */
  public ReminderSchedule schedule() {
    return ScheduleSettings.schedule(s);
  }

  /** {@code OC_CHECK_SENT_FOLDER}: default on (a server without the folder answers "unknown"). */
  public boolean checkSentFolder(List<String> problems) {
    Boolean v = s.bool("OC_CHECK_SENT_FOLDER", problems);
    return v == null || v;
  }

  /** {@code OC_SENT_FOLDER}, default {@link #DEFAULT_SENT_FOLDER}. */
  public String sentFolder() {
    return s.get("OC_SENT_FOLDER", DEFAULT_SENT_FOLDER);
  }

  /**
   * {@code OC_SMTP_SESSIONS}: how many authenticated SMTP sessions to keep (1..{@value
   * #MAX_SMTP_SESSIONS}); null when unset or (with a problem added) invalid, for the gateway's
   * default.
   */
  public Integer smtpSessions(List<String> problems) {
    Integer n = s.integer("OC_SMTP_SESSIONS", problems);
    if (n != null && (n < 1 || n > MAX_SMTP_SESSIONS)) {
      problems.add(s.name("OC_SMTP_SESSIONS") + " must be 1.." + MAX_SMTP_SESSIONS + ": " + n);
      return null;
    }
    return n;
  }

  /**
   * Working days as {@code OC_WORKING_DAYS} takes them: {@code MON-FRI}, {@code MON,WED,FRI},
   * {@code SUN-THU} (a range may wrap over the weekend), full English names, or the Spanish names
   * and abbreviations ({@code LUN-VIE}).
   *
   * @throws IllegalArgumentException naming the first item that is not a day or a range
   */
  public static Set<DayOfWeek> workingDays(String value) {
    return CalendarSettings.workingDays(value);
  }

  /**
   * A chase schedule as {@code OC_SCHEDULE} takes it: {@code 2,4,6}, the reminders' business days
   * after day 0, the last being the ultimatum (one day is the ultimatum alone, two are reminder 1
   * and the ultimatum as the old system had, three are all reminders; a leading {@code 0} is the
   * request and may be left out), or a form of {@link #stepSchedule(String)}.
   *
   * @throws IllegalArgumentException saying why it is not a schedule
   */
  public static ReminderSchedule parseSchedule(String value) {
    return ScheduleSettings.parse(value);
  }

  /**
   * A chase schedule in the agencies CSV's forms: {@code 2/4} (the old system's reminder and
   * ultimatum days), or steps at business days, {@code request@0;reminder-1@2;reminder-3@5}
   * (separated by {@code ;}, {@code |} or line breaks); null when blank.
   *
   * @throws IllegalArgumentException naming the item that is not {@code step@day}
   */
  public static ReminderSchedule stepSchedule(String value) {
    return ScheduleSettings.steps(value);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    Set<String> out = new LinkedHashSet<>(a);
    out.addAll(b);
    return List.copyOf(out);
  }
}
