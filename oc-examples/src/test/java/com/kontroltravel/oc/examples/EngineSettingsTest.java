package com.kontroltravel.oc.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kontroltravel.oc.BusinessCalendar;
import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.mail.jakarta.MailSettings;
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
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every engine setting reaches the engine from the environment and from the YAML file. */
class EngineSettingsTest {
  static final String MAILBOX = "oc@kontroltravel.test";

  @TempDir Path dir;

  static OcConfig config(Map<String, String> env) {
    return RunnerSettings.of(env).ocConfig(MAILBOX);
  }

  static Map<String, String> mail(Map<String, String> extra) {
    Map<String, String> m = new HashMap<>();
    m.put("IMAP_HOST", "imap.example.com");
    m.put("IMAP_USERNAME", MAILBOX);
    m.put("IMAP_PASSWORD", "not-a-real-password");
    m.put("SMTP_HOST", "smtp.example.com");
    m.putAll(extra);
    return m;
  }

  @Test
  @DisplayName("without calendar variables the runner keeps the Chilean calendar")
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
  @DisplayName("OC_SCHEDULE sets every step's day; the two old variables still work")
  void schedule() {
    assertThat(RunnerSettings.of(Map.of()).schedule()).isEqualTo(ReminderSchedule.DEFAULT);
    ReminderSchedule s = RunnerSettings.of(Map.of("OC_SCHEDULE", "3,5,8")).schedule();
    assertThat(s.steps())
        .containsExactly(
            new ScheduledStep(Step.REQUEST, 0),
            new ScheduledStep(Step.REMINDER_1, 3),
            new ScheduledStep(Step.REMINDER_2, 5),
            new ScheduledStep(Step.REMINDER_3, 8));
    assertThat(RunnerSettings.of(Map.of("OC_SCHEDULE", "0,2,4")).schedule())
        .isEqualTo(ReminderSchedule.LEGACY);
    assertThat(RunnerSettings.of(Map.of("OC_SCHEDULE", "2/4")).schedule())
        .isEqualTo(ReminderSchedule.LEGACY);
    assertThat(
            RunnerSettings.of(Map.of("OC_SCHEDULE", "request@0;reminder-2@3;reminder-3@7"))
                .schedule()
                .steps())
        .extracting(ScheduledStep::step)
        .containsExactly(Step.REQUEST, Step.REMINDER_2, Step.REMINDER_3);
    assertThat(RunnerSettings.of(Map.of("OC_SCHEDULE", "5")).schedule().steps())
        .containsExactly(new ScheduledStep(Step.REQUEST, 0), new ScheduledStep(Step.REMINDER_3, 5));
    // The aliases of the old .env.
    assertThat(
            RunnerSettings.of(Map.of("DAYS_FOR_REMINDER_1", "2", "DAYS_FOR_REMINDER_2", "4"))
                .schedule())
        .isEqualTo(ReminderSchedule.LEGACY);
    ReminderSchedule tuned =
        RunnerSettings.of(
                Map.of("DAYS_FOR_REMINDER_1", "3", "OC_EXPIRY_DAYS", "45", "OC_MIN_GAP_DAYS", "2"))
            .schedule();
    assertThat(tuned.steps()).extracting(ScheduledStep::businessDay).containsExactly(0, 3, 5);
    assertThat(tuned.expiryDays()).isEqualTo(45);
    assertThat(tuned.minGapBusinessDays()).isEqualTo(2);
  }

  @Test
  @DisplayName("a schedule that does not make sense, or two ways of saying it, is refused")
  void scheduleProblems() {
    assertThatThrownBy(() -> RunnerSettings.of(Map.of("OC_SCHEDULE", "4,2")).schedule())
        .hasMessageContaining("OC_SCHEDULE");
    assertThatThrownBy(() -> RunnerSettings.of(Map.of("OC_SCHEDULE", "1,2,3,4")).schedule())
        .hasMessageContaining("one to three");
    assertThatThrownBy(() -> RunnerSettings.of(Map.of("OC_SCHEDULE", "2,x")).schedule())
        .hasMessageContaining("x");
    assertThatThrownBy(
            () ->
                RunnerSettings.of(Map.of("OC_SCHEDULE", "2,4", "DAYS_FOR_REMINDER_1", "2"))
                    .schedule())
        .hasMessageContaining("both set");
    assertThatThrownBy(() -> RunnerSettings.of(Map.of("OC_EXPIRY_DAYS", "0")).schedule())
        .hasMessageContaining("OC_EXPIRY_DAYS");
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
  @DisplayName("the Sent-folder check is on by default and can be pointed or turned off")
  void sentFolder() {
    MailSettings dflt = RunnerSettings.of(mail(Map.of())).mailSettings();
    assertThat(dflt.checkSentFolder()).isTrue();
    assertThat(dflt.sentFolder()).isEqualTo("Sent");
    MailSettings gmail =
        RunnerSettings.of(mail(Map.of("OC_SENT_FOLDER", "[Gmail]/Sent Mail"))).mailSettings();
    assertThat(gmail.sentFolder()).isEqualTo("[Gmail]/Sent Mail");
    assertThat(
            RunnerSettings.of(mail(Map.of("OC_CHECK_SENT_FOLDER", "false")))
                .mailSettings()
                .checkSentFolder())
        .isFalse();
  }

  @Test
  @DisplayName("SMTP_USE_TLS does what it says: TLS unless false, and false only to loopback")
  void smtpUseTls() {
    assertThat(RunnerSettings.of(mail(Map.of())).mailSettings().smtpSecurity())
        .isEqualTo(MailSettings.Security.STARTTLS);
    assertThat(
            RunnerSettings.of(mail(Map.of("SMTP_USE_TLS", "true", "SMTP_PORT", "465")))
                .mailSettings()
                .smtpSecurity())
        .isEqualTo(MailSettings.Security.IMPLICIT_TLS);
    assertThatThrownBy(
            () -> RunnerSettings.of(mail(Map.of("SMTP_USE_TLS", "false"))).mailSettings())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("SMTP_USE_TLS=false");
    assertThatThrownBy(
            () ->
                RunnerSettings.of(
                        mail(Map.of("SMTP_USE_TLS", "false", "OC_ALLOW_PLAINTEXT", "true")))
                    .mailSettings())
        .as("plaintext to a host that is not loopback")
        .isInstanceOf(ConfigurationException.class);
    MailSettings loop =
        RunnerSettings.of(
                mail(
                    Map.of(
                        "SMTP_USE_TLS", "false",
                        "OC_ALLOW_PLAINTEXT", "true",
                        "SMTP_HOST", "127.0.0.1",
                        "SMTP_PORT", "2525")))
            .mailSettings();
    assertThat(loop.smtpSecurity()).isEqualTo(MailSettings.Security.PLAINTEXT);
    assertThatThrownBy(
            () -> RunnerSettings.of(mail(Map.of("SMTP_USE_TLS", "sometimes"))).mailSettings())
        .hasMessageContaining("SMTP_USE_TLS must be true or false");
  }

  @Test
  @DisplayName("the engine examples commented in oc.example.yaml load as written once uncommented")
  void exampleFile() throws Exception {
    Path holidays = dir.resolve("feriados.txt");
    Files.writeString(holidays, "2026-12-24 # nochebuena\n", StandardCharsets.UTF_8);
    List<String> lines = Files.readAllLines(Path.of("oc.example.yaml"), StandardCharsets.UTF_8);
    List<String> uncommented =
        lines.stream().map(l -> l.startsWith("  # ") ? "  " + l.substring(4) : l).toList();
    assertThat(uncommented).as("examples under oc:").contains("  officeHours: \"08:30-18:30\"");
    Path yaml = dir.resolve("example.yaml");
    Files.write(yaml, uncommented, StandardCharsets.UTF_8);
    RunnerSettings s = RunnerSettings.load(yaml, Map.of("OC_HOLIDAYS_FILE", holidays.toString()));
    OcConfig c = s.ocConfig(null);
    assertThat(c.calendar().opens()).isEqualTo(LocalTime.of(8, 30));
    assertThat(c.calendar().isHoliday(LocalDate.of(2026, 11, 16))).isTrue();
    assertThat(c.calendar().isHoliday(LocalDate.of(2026, 12, 24))).isTrue();
    assertThat(s.schedule()).isEqualTo(ReminderSchedule.LEGACY);
    assertThat(s.with(Map.of("IMAP_PASSWORD", "x-secret-1")).mailSettings().sentFolder())
        .isEqualTo("Sent");
  }

  @Test
  @DisplayName("the YAML file sets the same variables, lists and times included")
  void yaml() throws Exception {
    Path yaml = dir.resolve("oc.yaml");
    Files.writeString(
        yaml,
        String.join(
            "\n",
            "oc:",
            "  timeZone: America/Punta_Arenas",
            "  officeHours: 08:30-18:30",
            "  workingDays: [MON, TUE, WED, THU]",
            "  extraHolidays: [2026-11-16, 2026-12-07]",
            "  schedule: [2, 4, 6]",
            "  expiryDays: 45",
            "  confirmationKeywords: [confirmacion, resumen de servicios, reserva]",
            "  maxSendAttempts: 5",
            "  retryBackoff: 2m",
            "  checkSentFolder: false",
            "smtp:",
            "  useTls: true",
            ""),
        StandardCharsets.UTF_8);
    RunnerSettings s = RunnerSettings.load(yaml, Map.of("OC_EXPIRY_DAYS", "60"));
    OcConfig c = s.ocConfig(MAILBOX);
    assertThat(c.calendar().zone()).isEqualTo(ZoneId.of("America/Punta_Arenas"));
    assertThat(c.calendar().opens()).isEqualTo(LocalTime.of(8, 30));
    assertThat(c.calendar().isBusinessDay(LocalDate.of(2026, 11, 20))).as("Friday").isFalse();
    assertThat(c.calendar().isBusinessDay(LocalDate.of(2026, 11, 16))).isFalse();
    assertThat(c.confirmationKeywords())
        .containsExactly("confirmacion", "resumen de servicios", "reserva");
    assertThat(c.maxSendAttempts()).isEqualTo(5);
    assertThat(c.retryInitialBackoff()).isEqualTo(Duration.ofMinutes(2));
    ReminderSchedule schedule = s.schedule();
    assertThat(schedule.steps()).extracting(ScheduledStep::businessDay).containsExactly(0, 2, 4, 6);
    assertThat(schedule.expiryDays()).as("the environment wins").isEqualTo(60);
    assertThat(s.get("OC_CHECK_SENT_FOLDER")).isEqualTo("false");
    assertThat(s.get("SMTP_USE_TLS")).isEqualTo("true");
    assertThat(List.of(s.get("OC_EXTRA_HOLIDAYS"))).containsExactly("2026-11-16,2026-12-07");
  }

  @Test
  @DisplayName(
      "OC_SMTP_SESSIONS sizes the SMTP session pool (the engine's parallel sends); bad values named")
  void smtpSessions() {
    Map<String, String> mail =
        Map.of(
            "IMAP_HOST", "imap.example.test",
            "IMAP_USERNAME", "oc@example.test",
            "IMAP_PASSWORD", "a-password-from-the-env",
            "SMTP_HOST", "smtp.example.test");
    assertThat(RunnerSettings.of(mail).mailSettings().smtpPoolSize())
        .isEqualTo(com.kontroltravel.oc.mail.jakarta.MailSettings.DEFAULT_SMTP_POOL_SIZE);
    Map<String, String> four = new java.util.HashMap<>(mail);
    four.put("OC_SMTP_SESSIONS", "4");
    assertThat(RunnerSettings.of(four).mailSettings().smtpPoolSize()).isEqualTo(4);
    four.put("OC_SMTP_SESSIONS", "99");
    assertThatThrownBy(() -> RunnerSettings.of(four).mailSettings())
        .hasMessageContaining("OC_SMTP_SESSIONS must be 1..16");
  }
}
