package com.kontroltravel.oc.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kontroltravel.oc.BusinessCalendar;
import com.kontroltravel.oc.FirstStart;
import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.model.ReminderSchedule;
import com.kontroltravel.oc.model.ScheduledStep;
import com.kontroltravel.oc.model.Step;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every engine setting is read from its runner variable, with every problem named. */
class EngineSettingsTest {
  static final String MAILBOX = "oc@kontroltravel.test";

  @TempDir Path dir;

  static EngineSettings settings(Map<String, String> variables) {
    return EngineSettings.of(Variables.of(variables::get));
  }

  /** The engine configuration of {@code variables}, as the runner builds it. */
  static OcConfig config(Map<String, String> variables) {
    List<String> problems = new ArrayList<>();
    OcConfig.Builder b = OcConfig.builder().mailboxAddress(MAILBOX);
    settings(variables).apply(b, problems);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return b.build();
  }

  static ReminderSchedule schedule(Map<String, String> variables) {
    return settings(variables).schedule();
  }

  @Test
  @DisplayName("without calendar variables the calendar is the Chilean one")
  void defaultCalendar() {
    BusinessCalendar c = config(Map.of()).calendar();
    assertThat(c.zone()).isEqualTo(ZoneId.of("America/Santiago"));
    assertThat(c.opens()).isEqualTo(LocalTime.of(9, 0));
    assertThat(c.closes()).isEqualTo(LocalTime.of(18, 0));
    assertThat(c.isHoliday(LocalDate.of(2026, 9, 18))).isTrue();
    assertThat(c.isBusinessDay(LocalDate.of(2026, 11, 16))).isTrue();
  }

  @Test
  @DisplayName("time zone, office hours, working days and extra holidays reach the calendar")
  void calendarFromVariables() throws Exception {
    Path file = dir.resolve("feriados.txt");
    Files.writeString(
        file,
        "# feriados de la empresa\n\n2026-12-24   # nochebuena\n  2026-12-31\n",
        StandardCharsets.UTF_8);
    BusinessCalendar c =
        config(
                Map.of(
                    "OC_TIME_ZONE", "Europe/Madrid",
                    "OC_OFFICE_HOURS", "08:30-18:30",
                    "OC_WORKING_DAYS", "MON-THU, SAT",
                    "OC_EXTRA_HOLIDAYS", "2026-11-16,2026-12-07",
                    "OC_HOLIDAYS_FILE", file.toString()))
            .calendar();
    assertThat(c.zone()).isEqualTo(ZoneId.of("Europe/Madrid"));
    assertThat(c.opens()).isEqualTo(LocalTime.of(8, 30));
    assertThat(c.closes()).isEqualTo(LocalTime.of(18, 30));
    // Monday 16 November 2026 and Monday 7 December 2026 are extra holidays.
    assertThat(c.isBusinessDay(LocalDate.of(2026, 11, 16))).isFalse();
    assertThat(c.isBusinessDay(LocalDate.of(2026, 12, 7))).isFalse();
    assertThat(c.isBusinessDay(LocalDate.of(2026, 12, 24))).isFalse();
    assertThat(c.isBusinessDay(LocalDate.of(2026, 12, 31))).isFalse();
    assertThat(c.isBusinessDay(LocalDate.of(2026, 11, 19))).as("a Thursday").isTrue();
    assertThat(c.isBusinessDay(LocalDate.of(2026, 11, 20))).as("a Friday").isFalse();
    assertThat(c.isBusinessDay(LocalDate.of(2026, 11, 21))).as("a Saturday").isTrue();
    assertThat(
            c.isOfficeHours(
                ZonedDateTime.of(2026, 11, 17, 8, 45, 0, 0, ZoneId.of("Europe/Madrid"))
                    .toInstant()))
        .isTrue();
    assertThat(
            c.isOfficeHours(
                ZonedDateTime.of(2026, 11, 17, 18, 30, 0, 0, ZoneId.of("Europe/Madrid"))
                    .toInstant()))
        .as("closing is exclusive")
        .isFalse();
  }

  @Test
  @DisplayName("working days read English and Spanish names, lists and ranges over the weekend")
  void workingDays() {
    assertThat(EngineSettings.workingDays("MON-FRI"))
        .isEqualTo(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
    assertThat(EngineSettings.workingDays("lun-vie"))
        .isEqualTo(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
    assertThat(EngineSettings.workingDays("Sunday-Thursday"))
        .containsExactlyInAnyOrder(
            DayOfWeek.SUNDAY,
            DayOfWeek.MONDAY,
            DayOfWeek.TUESDAY,
            DayOfWeek.WEDNESDAY,
            DayOfWeek.THURSDAY);
    assertThat(EngineSettings.workingDays("MON,WED;miércoles viernes"))
        .containsExactlyInAnyOrder(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY);
    assertThatThrownBy(() -> EngineSettings.workingDays("MON-TUE-WED"))
        .hasMessageContaining("not a day or a range: MON-TUE-WED");
    assertThatThrownBy(() -> EngineSettings.workingDays("MONDAYS"))
        .hasMessageContaining("not a day: MONDAYS");
  }

  @Test
  @DisplayName("OC_CHILEAN_HOLIDAYS=false leaves only the configured holidays")
  void noChileanHolidays() {
    BusinessCalendar c =
        config(Map.of("OC_CHILEAN_HOLIDAYS", "false", "OC_EXTRA_HOLIDAYS", "2026-07-03"))
            .calendar();
    assertThat(c.isHoliday(LocalDate.of(2026, 9, 18))).isFalse();
    assertThat(c.isHoliday(LocalDate.of(2026, 4, 3))).as("Good Friday").isFalse();
    assertThat(c.isHoliday(LocalDate.of(2026, 6, 29))).as("San Pedro y San Pablo").isFalse();
    assertThat(c.isHoliday(LocalDate.of(2026, 7, 3))).isTrue();
  }

  @Test
  @DisplayName("bad calendar values are all named at once, with the variable")
  void calendarProblems() throws Exception {
    Path file = dir.resolve("bad.txt");
    Files.writeString(file, "2026-11-16\n16/11/2026\n", StandardCharsets.UTF_8);
    assertThatThrownBy(
            () ->
                config(
                    Map.of(
                        "OC_TIME_ZONE", "Santiago",
                        "OC_OFFICE_HOURS", "18:30-08:30",
                        "OC_WORKING_DAYS", "MON-FRIDAYS",
                        "OC_EXTRA_HOLIDAYS", "2026-13-01",
                        "OC_HOLIDAYS_FILE", file.toString(),
                        "OC_CHILEAN_HOLIDAYS", "maybe")))
        .isInstanceOf(ConfigurationException.class)
        .satisfies(
            e ->
                assertThat(((ConfigurationException) e).problems())
                    .hasSize(6)
                    .anyMatch(p -> p.startsWith("OC_TIME_ZONE"))
                    .anyMatch(p -> p.startsWith("OC_OFFICE_HOURS"))
                    .anyMatch(p -> p.startsWith("OC_WORKING_DAYS"))
                    .anyMatch(p -> p.startsWith("OC_EXTRA_HOLIDAYS"))
                    .anyMatch(p -> p.startsWith("OC_HOLIDAYS_FILE") && p.contains("line 2"))
                    .anyMatch(p -> p.startsWith("OC_CHILEAN_HOLIDAYS")));
    assertThatThrownBy(() -> config(Map.of("OC_HOLIDAYS_FILE", dir.resolve("none").toString())))
        .hasMessageContaining("OC_HOLIDAYS_FILE cannot be read");
  }

  @Test
  @DisplayName("a bad line of the holidays file is shown on one line, its control characters gone")
  void holidaysFileLineIsShownSafely() throws Exception {
    Path file = dir.resolve("escape.txt");
    Files.writeString(file, "2026-11-16\u001b[2J\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> config(Map.of("OC_HOLIDAYS_FILE", file.toString())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("line 1 is not an ISO date such as 2026-11-16: 2026-11-16 [2J")
        .hasMessageNotContaining("\u001b");
  }

  @Test
  @DisplayName("OC_SCHEDULE sets every step's day; the two old variables still work")
  void schedule() {
    assertThat(schedule(Map.of())).isEqualTo(ReminderSchedule.DEFAULT);
    ReminderSchedule s = schedule(Map.of("OC_SCHEDULE", "3,5,8"));
    assertThat(s.steps())
        .containsExactly(
            new ScheduledStep(Step.REQUEST, 0),
            new ScheduledStep(Step.REMINDER_1, 3),
            new ScheduledStep(Step.REMINDER_2, 5),
            new ScheduledStep(Step.REMINDER_3, 8));
    assertThat(schedule(Map.of("OC_SCHEDULE", "0,2,4"))).isEqualTo(ReminderSchedule.LEGACY);
    assertThat(schedule(Map.of("OC_SCHEDULE", "2/4"))).isEqualTo(ReminderSchedule.LEGACY);
    assertThat(schedule(Map.of("OC_SCHEDULE", "request@0;reminder-2@3;reminder-3@7")).steps())
        .extracting(ScheduledStep::step)
        .containsExactly(Step.REQUEST, Step.REMINDER_2, Step.REMINDER_3);
    assertThat(schedule(Map.of("OC_SCHEDULE", "5")).steps())
        .containsExactly(new ScheduledStep(Step.REQUEST, 0), new ScheduledStep(Step.REMINDER_3, 5));
    // The aliases of the old .env.
    assertThat(schedule(Map.of("DAYS_FOR_REMINDER_1", "2", "DAYS_FOR_REMINDER_2", "4")))
        .isEqualTo(ReminderSchedule.LEGACY);
    ReminderSchedule tuned =
        schedule(
            Map.of("DAYS_FOR_REMINDER_1", "3", "OC_EXPIRY_DAYS", "45", "OC_MIN_GAP_DAYS", "2"));
    assertThat(tuned.steps()).extracting(ScheduledStep::businessDay).containsExactly(0, 3, 5);
    assertThat(tuned.expiryDays()).isEqualTo(45);
    assertThat(tuned.minGapBusinessDays()).isEqualTo(2);
  }

  @Test
  @DisplayName("a schedule that does not make sense, or two ways of saying it, is refused")
  void scheduleProblems() {
    assertThatThrownBy(() -> schedule(Map.of("OC_SCHEDULE", "4,2")))
        .hasMessageContaining("OC_SCHEDULE");
    assertThatThrownBy(() -> schedule(Map.of("OC_SCHEDULE", "1,2,3,4")))
        .hasMessageContaining("one to three");
    assertThatThrownBy(() -> schedule(Map.of("OC_SCHEDULE", "2,x"))).hasMessageContaining("x");
    assertThatThrownBy(() -> schedule(Map.of("OC_SCHEDULE", "2,4", "DAYS_FOR_REMINDER_1", "2")))
        .hasMessageContaining("both set");
    assertThatThrownBy(() -> schedule(Map.of("OC_EXPIRY_DAYS", "0")))
        .hasMessageContaining("OC_EXPIRY_DAYS");
    assertThatThrownBy(() -> schedule(Map.of("OC_SCHEDULE", "abc")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "invalid configuration: OC_SCHEDULE do not make a schedule: not a business day"
                + " number: abc");
  }

  @Test
  @DisplayName("the agencies CSV's schedule forms: 2/4, step@day lists, blank for the default")
  void stepSchedule() {
    assertThat(EngineSettings.stepSchedule(" ")).isNull();
    assertThat(EngineSettings.stepSchedule("2/4")).isEqualTo(ReminderSchedule.LEGACY);
    assertThat(EngineSettings.stepSchedule("request@0|reminder-1@2\nREMINDER_3@5").steps())
        .containsExactly(
            new ScheduledStep(Step.REQUEST, 0),
            new ScheduledStep(Step.REMINDER_1, 2),
            new ScheduledStep(Step.REMINDER_3, 5));
    assertThatThrownBy(() -> EngineSettings.stepSchedule("2,4,6"))
        .hasMessageContaining("schedule step must be step@day: 2,4,6");
    assertThatThrownBy(() -> EngineSettings.stepSchedule("reminder-9@3"))
        .hasMessageContaining("unknown step in schedule: reminder-9");
    assertThatThrownBy(() -> EngineSettings.stepSchedule("request@zero"))
        .hasMessageContaining("schedule day must be a number: zero");
  }

  @Test
  @DisplayName("keywords default to the engine's and the old system's; the variable replaces them")
  void keywords() {
    assertThat(config(Map.of()).confirmationKeywords())
        .containsAll(OcConfig.DEFAULT_CONFIRMATION_KEYWORDS)
        .contains("reserva", "hotel", "servicio");
    assertThat(
            config(Map.of("OC_CONFIRMATION_KEYWORDS", "resumen de servicios, voucher"))
                .confirmationKeywords())
        .containsExactly("resumen de servicios", "voucher");
    assertThat(config(Map.of("OC_CONFIRMATION_KEYWORDS", " ; ,")).confirmationKeywords())
        .as("no word at all keeps the defaults")
        .isEqualTo(EngineSettings.DEFAULT_KEYWORDS);
  }

  @Test
  @DisplayName(
      "attempts, backoff, batch, lease, Message-ID domain and inbound settings reach the engine")
  void sending() {
    OcConfig c =
        config(
            Map.of(
                "OC_MAX_SEND_ATTEMPTS", "3",
                "OC_RETRY_BACKOFF", "30s",
                "OC_RETRY_MAX_BACKOFF", "PT10M",
                "OC_BATCH_SIZE", "20",
                "OC_CLAIM_LEASE", "2m",
                "OC_MESSAGE_ID_DOMAIN", "mail.kontroltravel.test"));
    assertThat(c.maxSendAttempts()).isEqualTo(3);
    assertThat(c.retryInitialBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.retryMaxBackoff()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.batchSize()).isEqualTo(20);
    assertThat(c.leaseDuration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.messageIdDomain()).isEqualTo("mail.kontroltravel.test");
    OcConfig inbound =
        config(
            Map.of(
                "OC_MAX_INBOUND_ATTEMPTS", "4",
                "OC_INBOUND_RETENTION", "30d",
                "OC_AMOUNT_TOLERANCE", "1000",
                "OC_CRITICAL_AFTER_DAYS", "6"));
    assertThat(inbound.maxInboundAttempts()).isEqualTo(4);
    assertThat(inbound.inboundRetention()).isEqualTo(Duration.ofDays(30));
    assertThat(inbound.amountTolerance()).isEqualByComparingTo("1000");
    assertThat(inbound.criticalAfterBusinessDays()).isEqualTo(6);
    OcConfig d = config(Map.of());
    assertThat(d.maxSendAttempts()).isEqualTo(OcConfig.DEFAULT_MAX_SEND_ATTEMPTS);
    assertThat(d.retryInitialBackoff()).isEqualTo(OcConfig.DEFAULT_RETRY_INITIAL_BACKOFF);
    assertThatThrownBy(
            () ->
                config(
                    Map.of(
                        "OC_MAX_SEND_ATTEMPTS", "0",
                        "OC_RETRY_BACKOFF", "2h",
                        "OC_CLAIM_LEASE", "five minutes",
                        "OC_AMOUNT_TOLERANCE", "-1")))
        .isInstanceOf(ConfigurationException.class)
        .satisfies(
            e ->
                assertThat(((ConfigurationException) e).problems())
                    .anyMatch(p -> p.startsWith("OC_MAX_SEND_ATTEMPTS"))
                    .anyMatch(p -> p.startsWith("OC_RETRY_MAX_BACKOFF"))
                    .anyMatch(p -> p.startsWith("OC_CLAIM_LEASE"))
                    .anyMatch(p -> p.startsWith("OC_AMOUNT_TOLERANCE")));
  }

  @Test
  @DisplayName("durations take seconds, a unit or ISO-8601, and nothing that is not positive")
  void durations() {
    List<String> problems = new ArrayList<>();
    Variables v =
        Variables.of(
            Map.of("A", "90", "B", "500ms", "C", "2d", "D", "pt5m", "E", "0s", "F", "-PT1M")::get);
    assertThat(v.duration("A", problems)).isEqualTo(Duration.ofSeconds(90));
    assertThat(v.duration("B", problems)).isEqualTo(Duration.ofMillis(500));
    assertThat(v.duration("C", problems)).isEqualTo(Duration.ofDays(2));
    assertThat(v.duration("D", problems)).isEqualTo(Duration.ofMinutes(5));
    assertThat(v.duration("UNSET", problems)).isNull();
    assertThat(problems).isEmpty();
    assertThat(v.duration("E", problems)).isNull();
    assertThat(v.duration("F", problems)).isNull();
    assertThat(problems)
        .containsExactly(
            "E must be a positive duration such as 90s, 5m, 1h or PT5M: 0s",
            "F must be a positive duration such as 90s, 5m, 1h or PT5M: -PT1M");
  }

  @Test
  @DisplayName(
      "OC_SMTP_SESSIONS is 1..16, the Sent folder check on by default, and IMAP_START_FROM")
  void sessionsSentFolderAndFirstStart() {
    List<String> problems = new ArrayList<>();
    assertThat(settings(Map.of()).smtpSessions(problems)).isNull();
    assertThat(settings(Map.of("OC_SMTP_SESSIONS", "4")).smtpSessions(problems)).isEqualTo(4);
    assertThat(settings(Map.of()).checkSentFolder(problems)).isTrue();
    assertThat(settings(Map.of()).sentFolder()).isEqualTo("Sent");
    assertThat(settings(Map.of("OC_CHECK_SENT_FOLDER", "off")).checkSentFolder(problems)).isFalse();
    assertThat(settings(Map.of()).firstStart(problems)).isEqualTo(FirstStart.RECOMMENDED);
    assertThat(settings(Map.of("IMAP_START_FROM", "now")).firstStart(problems))
        .isEqualTo(FirstStart.now());
    assertThat(problems).isEmpty();
    assertThat(settings(Map.of("OC_SMTP_SESSIONS", "17")).smtpSessions(problems)).isNull();
    assertThat(settings(Map.of("OC_CHECK_SENT_FOLDER", "maybe")).checkSentFolder(problems))
        .isTrue();
    assertThat(settings(Map.of("IMAP_START_FROM", "yesterday")).firstStart(problems))
        .isEqualTo(FirstStart.RECOMMENDED);
    assertThat(problems)
        .hasSize(3)
        .anyMatch(p -> p.equals("OC_SMTP_SESSIONS must be 1..16: 17"))
        .anyMatch(p -> p.equals("OC_CHECK_SENT_FOLDER must be true or false: maybe"))
        .anyMatch(p -> p.startsWith("IMAP_START_FROM: "));
  }

  @Test
  @DisplayName("problems name each setting as the source names it, the rest of the text unchanged")
  void problemsNameTheSourcesSettings() {
    Map<String, String> values =
        Map.of(
            "OC_SCHEDULE", "2,4",
            "DAYS_FOR_REMINDER_1", "2",
            "OC_RETRY_BACKOFF", "2h",
            "OC_WORKING_DAYS", "someday");
    Variables springish =
        Variables.of(
            values::get,
            v -> "oc." + v.toLowerCase(Locale.ROOT).replace("oc_", "").replace('_', '-'));
    assertThatThrownBy(() -> EngineSettings.of(springish).schedule())
        .hasMessage(
            "invalid configuration: oc.schedule and oc.days-for-reminder-1/2 are both set: keep one"
                + " (oc.schedule=2,4 is the old oc.days-for-reminder-1=2,"
                + " oc.days-for-reminder-2=4)");
    List<String> problems = new ArrayList<>();
    EngineSettings.of(springish).apply(OcConfig.builder(), problems);
    assertThat(problems)
        .containsExactly(
            "oc.working-days must name days or ranges such as MON-FRI or MON,TUE,THU (not a day:"
                + " someday): someday",
            "oc.retry-max-backoff (PT1H) must not be shorter than oc.retry-backoff (PT2H)");
    assertThatThrownBy(() -> schedule(values))
        .as("the runner's names by default")
        .hasMessageContaining("OC_SCHEDULE and DAYS_FOR_REMINDER_1/2 are both set");
  }

  @Test
  @DisplayName("values are trimmed and a blank one is unset")
  void blankIsUnset() {
    assertThat(config(Map.of("OC_MAX_SEND_ATTEMPTS", " 3 ")).maxSendAttempts()).isEqualTo(3);
    assertThat(config(Map.of("OC_TIME_ZONE", "  ")).calendar().zone())
        .isEqualTo(ZoneId.of("America/Santiago"));
    assertThat(Variables.list(" a, b;c  d ")).containsExactly("a", "b", "c", "d");
    assertThat(Variables.list(null)).isEmpty();
  }
}
