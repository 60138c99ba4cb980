package com.kontroltravel.oc.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kontroltravel.oc.BusinessCalendar;
import com.kontroltravel.oc.FirstStart;
import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.mail.jakarta.MailSettings;
import com.kontroltravel.oc.model.ReminderSchedule;
import com.kontroltravel.oc.model.ScheduledStep;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner reads every engine setting (parsed by oc-core's {@code EngineSettings}, tested there)
 * from the environment and from the YAML file, and the mailbox settings beside them.
 */
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
      "the runner reads the engine settings through oc-core's EngineSettings, named as variables")
  void engineSettingsThroughCore() {
    OcConfig c =
        config(
            Map.of(
                "OC_WORKING_DAYS", "MON-THU",
                "OC_MAX_SEND_ATTEMPTS", "3",
                "IMAP_START_FROM", "now"));
    assertThat(c.calendar().isBusinessDay(LocalDate.of(2026, 11, 20))).as("a Friday").isFalse();
    assertThat(c.maxSendAttempts()).isEqualTo(3);
    assertThat(c.firstStart()).isEqualTo(FirstStart.now());
    assertThat(config(Map.of()).firstStart())
        .as("the runner's first start: the last 30 days")
        .isEqualTo(FirstStart.RECOMMENDED);
    assertThat(RunnerSettings.of(Map.of("OC_SCHEDULE", "3,5,8")).schedule().steps())
        .extracting(ScheduledStep::businessDay)
        .containsExactly(0, 3, 5, 8);
    assertThatThrownBy(() -> RunnerSettings.of(Map.of("OC_SCHEDULE", "abc")).schedule())
        .hasMessage(
            "invalid configuration: OC_SCHEDULE do not make a schedule: not a business day"
                + " number: abc");
    assertThatThrownBy(() -> config(Map.of("OC_BATCH_SIZE", "0", "OC_TIME_ZONE", "Santiago")))
        .isInstanceOf(ConfigurationException.class)
        .satisfies(
            e ->
                assertThat(((ConfigurationException) e).problems())
                    .containsExactly(
                        "OC_TIME_ZONE must be a time zone such as America/Santiago: Santiago",
                        "OC_BATCH_SIZE must be 1..10000: 0"));
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
