package com.kontroltravel.oc.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kontroltravel.oc.FirstStart;
import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.examples.RunnerSettings;
import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.mail.jakarta.MailSettings;
import com.kontroltravel.oc.model.ReminderSchedule;
import com.kontroltravel.oc.model.ScheduledStep;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.settings.EngineSettings;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The runner's engine settings reach the starter's engine under {@code oc.*} names. */
class EngineSettingsPropertiesTest {
  static final String MAILBOX = "reservas@kontrol.test";

  /**
   * The properties of {@code values} bound from Spring's environment, as the starter binds them.
   */
  static OcProperties bind(Map<String, Object> values) {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new MapPropertySource("test", values));
    return OcProperties.from(env);
  }

  static Map<String, Object> mailbox(Map<String, Object> extra) {
    Map<String, Object> m = new HashMap<>();
    m.put("oc.imap.host", "imap.example.test");
    m.put("oc.imap.username", MAILBOX);
    m.put("oc.imap.password", "a-password-from-the-env");
    m.put("oc.smtp.host", "smtp.example.test");
    m.put("oc.node-id", "n1");
    m.putAll(extra);
    return m;
  }

  @Test
  @DisplayName(
      "oc.schedule, the calendar, sending, inbound, the first start, the Sent folder and the SMTP"
          + " sessions reach the engine's configuration, schedule and mail settings")
  void engineSettingsReachTheEngine() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("oc.schedule", "1,3,5");
    values.put("oc.min-gap-days", "0");
    values.put("oc.time-zone", "America/Bogota");
    values.put("oc.office-hours", "08:30-17:30");
    values.put("oc.working-days", "MON-THU");
    values.put("oc.extra-holidays[0]", "2026-11-16");
    values.put("oc.extra-holidays[1]", "2026-12-07");
    values.put("oc.chilean-holidays", "false");
    values.put("oc.confirmation-keywords", "resumen de servicios, voucher");
    values.put("oc.max-send-attempts", "3");
    values.put("oc.retry-backoff", "30s");
    values.put("oc.retry-max-backoff", "PT10M");
    values.put("oc.batch-size", "20");
    values.put("oc.claim-lease", "2m");
    values.put("oc.message-id-domain", "mail.kontrol.test");
    values.put("oc.max-inbound-attempts", "4");
    values.put("oc.inbound-retention", "30d");
    values.put("oc.amount-tolerance", "1000");
    values.put("oc.critical-after-days", "6");
    values.put("oc.imap.start-from", "now");
    values.put("oc.check-sent-folder", "true");
    values.put("oc.sent-folder", "[Gmail]/Sent Mail");
    values.put("oc.smtp.sessions", "3");
    OcProperties p = bind(mailbox(values));

    OcConfig c = p.ocConfig();
    assertThat(c.calendar().zone()).isEqualTo(ZoneId.of("America/Bogota"));
    assertThat(c.calendar().opens()).isEqualTo(LocalTime.of(8, 30));
    assertThat(c.calendar().closes()).isEqualTo(LocalTime.of(17, 30));
    assertThat(c.calendar().isBusinessDay(LocalDate.of(2026, 11, 19))).as("a Thursday").isTrue();
    assertThat(c.calendar().isBusinessDay(LocalDate.of(2026, 11, 20))).as("a Friday").isFalse();
    assertThat(c.calendar().isBusinessDay(LocalDate.of(2026, 11, 16))).as("extra").isFalse();
    assertThat(c.calendar().isBusinessDay(LocalDate.of(2026, 12, 7))).as("extra").isFalse();
    assertThat(c.calendar().isHoliday(LocalDate.of(2026, 9, 18))).as("Chile's off").isFalse();
    assertThat(c.confirmationKeywords()).containsExactly("resumen de servicios", "voucher");
    assertThat(c.maxSendAttempts()).isEqualTo(3);
    assertThat(c.retryInitialBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.retryMaxBackoff()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.batchSize()).isEqualTo(20);
    assertThat(c.leaseDuration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.messageIdDomain()).isEqualTo("mail.kontrol.test");
    assertThat(c.maxInboundAttempts()).isEqualTo(4);
    assertThat(c.inboundRetention()).isEqualTo(Duration.ofDays(30));
    assertThat(c.amountTolerance()).isEqualByComparingTo("1000");
    assertThat(c.criticalAfterBusinessDays()).isEqualTo(6);
    assertThat(c.firstStart()).isEqualTo(FirstStart.now());

    ReminderSchedule s = p.schedule();
    assertThat(s.steps())
        .containsExactly(
            new ScheduledStep(Step.REQUEST, 0),
            new ScheduledStep(Step.REMINDER_1, 1),
            new ScheduledStep(Step.REMINDER_2, 3),
            new ScheduledStep(Step.REMINDER_3, 5));
    assertThat(s.minGapBusinessDays()).isZero();

    MailSettings mail = p.mailSettings();
    assertThat(mail.smtpPoolSize()).isEqualTo(3);
    assertThat(mail.checkSentFolder()).isTrue();
    assertThat(mail.sentFolder()).isEqualTo("[Gmail]/Sent Mail");
  }

  @Test
  @DisplayName("unset, the engine settings take the runner's defaults, not only the engine's")
  void runnersDefaults() {
    OcProperties p = bind(mailbox(Map.of()));
    OcConfig c = p.ocConfig();
    assertThat(c.confirmationKeywords())
        .as("the engine's and the old system's words")
        .isEqualTo(EngineSettings.DEFAULT_KEYWORDS)
        .contains("reserva", "hotel", "servicio");
    assertThat(c.firstStart()).as("the last 30 days").isEqualTo(FirstStart.RECOMMENDED);
    assertThat(c.calendar().zone()).isEqualTo(ZoneId.of("America/Santiago"));
    assertThat(c.calendar().isBusinessDay(LocalDate.of(2026, 11, 20))).as("a Friday").isTrue();
    assertThat(c.calendar().isBusinessDay(LocalDate.of(2026, 11, 21))).as("a Saturday").isFalse();
    assertThat(c.calendar().isHoliday(LocalDate.of(2026, 9, 18))).as("Fiestas Patrias").isTrue();
    assertThat(p.schedule()).isEqualTo(ReminderSchedule.DEFAULT);
    MailSettings mail = p.mailSettings();
    assertThat(mail.smtpPoolSize()).isEqualTo(MailSettings.DEFAULT_SMTP_POOL_SIZE);
    assertThat(mail.checkSentFolder()).isTrue();
    assertThat(mail.sentFolder()).isEqualTo(EngineSettings.DEFAULT_SENT_FOLDER);
    RunnerSettings runner = RunnerSettings.of(Map.of("OC_NODE_ID", "n1"));
    OcConfig r = runner.ocConfig(MAILBOX);
    assertThat(c.confirmationKeywords()).isEqualTo(r.confirmationKeywords());
    assertThat(c.firstStart()).isEqualTo(r.firstStart());
    assertThat(c.calendar().toString()).isEqualTo(r.calendar().toString());
  }

  @Test
  @DisplayName("oc.schedule=abc is refused with the runner's message, naming oc.schedule")
  void badScheduleAsTheRunnerSaysIt() {
    assertThatThrownBy(() -> bind(Map.of("oc.schedule", "abc")).schedule())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "invalid configuration: oc.schedule do not make a schedule: not a business day number:"
                + " abc");
    assertThatThrownBy(() -> RunnerSettings.of(Map.of("OC_SCHEDULE", "abc")).schedule())
        .hasMessage(
            "invalid configuration: OC_SCHEDULE do not make a schedule: not a business day number:"
                + " abc");
    assertThatThrownBy(
            () -> bind(Map.of("oc.schedule", "2,4", "oc.days-for-reminder-1", "2")).schedule())
        .hasMessageContaining(
            "oc.schedule and oc.days-for-reminder-1/2 are both set: keep one (oc.schedule=2,4 is"
                + " the old oc.days-for-reminder-1=2, oc.days-for-reminder-2=4)");
  }

  @Test
  @DisplayName(
      "every bad engine value gets the runner's problems, in the same order, under oc.* names")
  void sameProblemsAsTheRunner() {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("OC_TIME_ZONE", "Santiago");
    bad.put("OC_OFFICE_HOURS", "18:30-08:30");
    bad.put("OC_WORKING_DAYS", "MON-FRIDAYS");
    bad.put("OC_EXTRA_HOLIDAYS", "2026-13-01");
    bad.put("OC_HOLIDAYS_FILE", "/nonexistent/feriados.txt");
    bad.put("OC_CHILEAN_HOLIDAYS", "maybe");
    bad.put("OC_CONFIRMATION_KEYWORDS", "voucher");
    bad.put("OC_MAX_SEND_ATTEMPTS", "0");
    bad.put("OC_RETRY_BACKOFF", "2h");
    bad.put("OC_BATCH_SIZE", "many");
    bad.put("OC_CLAIM_LEASE", "five minutes");
    bad.put("OC_MAX_INBOUND_ATTEMPTS", "101");
    bad.put("OC_INBOUND_RETENTION", "0s");
    bad.put("OC_AMOUNT_TOLERANCE", "-1");
    bad.put("OC_CRITICAL_AFTER_DAYS", "61");
    bad.put("IMAP_START_FROM", "yesterday");
    Map<String, String> runnerValues = new HashMap<>(bad);
    runnerValues.put("OC_NODE_ID", "n1");
    List<String> runner = problems(() -> RunnerSettings.of(runnerValues).ocConfig(MAILBOX));
    Map<String, Object> properties = new HashMap<>();
    bad.forEach((variable, value) -> properties.put(OcProperties.propertyName(variable), value));
    properties.put("oc.mailbox-address", MAILBOX);
    properties.put("oc.node-id", "n1");
    List<String> starter = problems(() -> bind(properties).ocConfig());
    assertThat(runner).hasSize(15);
    assertThat(starter).isEqualTo(runner.stream().map(this::spring).toList());
    assertThat(String.join("\n", starter)).doesNotContain("OC_", "IMAP_");

    List<String> runnerSchedule =
        problems(
            () ->
                RunnerSettings.of(Map.of("OC_MIN_GAP_DAYS", "31", "OC_EXPIRY_DAYS", "x"))
                    .schedule());
    List<String> starterSchedule =
        problems(() -> bind(Map.of("oc.min-gap-days", "31", "oc.expiry-days", "x")).schedule());
    assertThat(runnerSchedule).hasSize(2);
    assertThat(starterSchedule).isEqualTo(runnerSchedule.stream().map(this::spring).toList());

    Map<String, Object> sessions = mailbox(Map.of("oc.smtp.sessions", "17"));
    sessions.put("oc.check-sent-folder", "maybe");
    assertThatThrownBy(() -> bind(sessions).mailSettings())
        .isInstanceOf(ConfigurationException.class)
        .satisfies(
            e ->
                assertThat(((ConfigurationException) e).problems())
                    .containsExactly(
                        "oc.check-sent-folder must be true or false: maybe",
                        "oc.smtp.sessions must be 1..16: 17"));
  }

  @Test
  @DisplayName(
      "Spring's relaxed binding reads YAML lists, and the runner's own OC_* environment variables")
  void relaxedBinding() {
    OcProperties lists =
        bind(
            mailbox(
                Map.of(
                    "oc.schedule[0]", "2",
                    "oc.schedule[1]", "5",
                    "oc.workingDays", "SUN-THU",
                    "oc.confirmation-keywords[0]", "resumen de servicios",
                    "oc.confirmation-keywords[1]", "voucher")));
    assertThat(lists.schedule().steps())
        .extracting(ScheduledStep::businessDay)
        .containsExactly(0, 2, 5);
    assertThat(lists.ocConfig().calendar().isBusinessDay(LocalDate.of(2026, 11, 22)))
        .as("a Sunday")
        .isTrue();
    assertThat(lists.ocConfig().confirmationKeywords())
        .containsExactly("resumen de servicios", "voucher");

    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources()
        .addFirst(
            new SystemEnvironmentPropertySource(
                "runner-env",
                Map.of(
                    "OC_MAX_SEND_ATTEMPTS", "5",
                    "OC_SMTP_SESSIONS", "4",
                    "OC_SCHEDULE", "3,6",
                    "OC_IMAP_START_FROM", "all",
                    "OC_MAILBOX_ADDRESS", MAILBOX)));
    OcProperties fromEnv = OcProperties.from(env);
    assertThat(fromEnv.get("oc.max-send-attempts")).isEqualTo("5");
    assertThat(fromEnv.ocConfig().maxSendAttempts()).isEqualTo(5);
    assertThat(fromEnv.ocConfig().firstStart()).isEqualTo(FirstStart.all());
    assertThat(fromEnv.get("oc.smtp.sessions")).isEqualTo("4");
    assertThat(fromEnv.schedule().steps())
        .extracting(ScheduledStep::businessDay)
        .containsExactly(0, 3, 6);
  }

  /** The problems {@code build} reports (it must report some). */
  static List<String> problems(Runnable build) {
    try {
      build.run();
    } catch (ConfigurationException e) {
      return e.problems();
    }
    throw new AssertionError("no ConfigurationException");
  }

  /** A runner problem with each runner variable replaced by its property. */
  String spring(String problem) {
    String out = problem;
    List<Map.Entry<String, String>> byLength =
        OcProperties.PROPERTIES.entrySet().stream()
            .sorted(Comparator.comparingInt(e -> -e.getValue().length()))
            .toList();
    for (Map.Entry<String, String> e : byLength) {
      out =
          out.replaceAll(
              "\\b" + Pattern.quote(e.getValue()) + "\\b", Matcher.quoteReplacement(e.getKey()));
    }
    return out;
  }
}
