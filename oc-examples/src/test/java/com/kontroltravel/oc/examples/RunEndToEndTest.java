package com.kontroltravel.oc.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.mail.jakarta.MailSettings;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.testkit.SettableClock;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The {@code run} command end to end, in process: GreenMail on loopback, a SQLite file, the real
 * PDFBox parser and Jakarta Mail gateway, the runner's own wiring and admin web, on a settable
 * clock that the test moves and ticks ({@code run --manual-ticks}).
 */
class RunEndToEndTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  static final String MAILBOX = "oc@kontroltravel.test";
  static final String BOOKING_SYSTEM = "reservas@booking.test";
  static final String AGENCY = "compras@andes.test";
  static final String FINANCE = "finanzas@kontroltravel.test";
  static final String PASSWORD = "a-long-admin-password-for-tests";

  @TempDir Path dir;

  static DemoPdfs.Confirmation booking(String id, LocalDate issued) {
    return new DemoPdfs.Confirmation(
        id,
        "AAFT" + id.substring(5),
        "7231" + id.substring(6),
        "VIAJES ANDES S.A.",
        "Reservado",
        issued,
        "Hampton by Hilton Santiago Las Condes",
        LocalDate.of(2025, 12, 21),
        2,
        1,
        new BigDecimal("528701.00"));
  }

  static byte[] attachment(MimeMessage m) throws Exception {
    Object content = m.getContent();
    if (content instanceof Multipart mp) {
      return findPdf(mp);
    }
    return null;
  }

  private static byte[] findPdf(Multipart mp) throws Exception {
    for (int i = 0; i < mp.getCount(); i++) {
      BodyPart p = mp.getBodyPart(i);
      if (p.getContent() instanceof Multipart inner) {
        byte[] b = findPdf(inner);
        if (b != null) {
          return b;
        }
      } else if (Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition())
          || (p.getFileName() != null && p.getFileName().endsWith(".pdf"))) {
        return p.getInputStream().readAllBytes();
      }
    }
    return null;
  }

  @Test
  @DisplayName(
      "run: confirmations in, requests out with the PDF, reminders on the clock, an OC reply,"
          + " RECEIVED, acknowledgement out")
  void runEndToEnd() throws Exception {
    Instant monday = ZonedDateTime.of(2025, 12, 1, 8, 0, 0, 0, ZONE).toInstant();
    SettableClock clock = SettableClock.at(monday, ZONE);
    try (LoopbackMailServer mail = LoopbackMailServer.start(MAILBOX)) {
      Map<String, String> env = new HashMap<>(mail.settings());
      env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("data/oc_seguimiento.db"));
      env.put("ALLOWED_CONFIRMATION_SENDERS", BOOKING_SYSTEM);
      env.put("EMAIL_CC_RECIPIENTS", FINANCE);
      env.put("ADMIN_USERNAME", "ops");
      env.put("ADMIN_PASSWORD", PASSWORD);
      env.put("WEB_PORT", "0");
      Path csv = dir.resolve("agencies.csv");
      Files.writeString(csv, "# agencies\nVIAJES ANDES S.A.," + AGENCY + "\n");

      // Agencies through the CLI, against the same store the service then uses.
      Runner admin = new Runner(env, clock);
      CommandLine adminCl = Runner.commandLine(admin);
      adminCl.setOut(new PrintWriter(new StringWriter()));
      assertThat(adminCl.execute("agencies", "import", csv.toString())).isZero();

      Runner runner = new Runner(env, clock);
      StringWriter out = new StringWriter();
      CommandLine cl = Runner.commandLine(runner);
      cl.setOut(new PrintWriter(out, true));
      AtomicInteger rc = new AtomicInteger(-1);
      Thread service = new Thread(() -> rc.set(cl.execute("run", "--manual-ticks")), "run");
      service.start();
      assertThat(runner.started.await(30, TimeUnit.SECONDS)).as("run started").isTrue();
      OcEngine engine = runner.service.engine();
      Http http = new Http(runner.service.admin().port(), "ops", PASSWORD);
      try {
        LocalDate day0 = LocalDate.of(2025, 12, 1);
        DemoPdfs.Confirmation a = booking("45215412", day0);
        DemoPdfs.Confirmation b = booking("45215449", null);
        byte[] pdfA = DemoPdfs.confirmation(a);
        clock.set(monday.plus(Duration.ofHours(2))); // 10:00
        mail.send(
            BOOKING_SYSTEM,
            MAILBOX,
            "Confirmación de reserva 45215412",
            "Adjunto",
            clock.instant(),
            null,
            "Resumen_45215412.pdf",
            pdfA);
        mail.send(
            BOOKING_SYSTEM,
            MAILBOX,
            "Confirmacion de reserva 45215449",
            "Adjunto",
            clock.instant(),
            null,
            "Resumen_45215449.pdf",
            DemoPdfs.confirmation(b));
        engine.tick();

        List<MimeMessage> toAgency = mail.inboxOf(AGENCY);
        assertThat(toAgency).hasSize(2);
        MimeMessage requestA =
            toAgency.stream()
                .filter(m -> LoopbackMailServer.messageId(m).startsWith("oc.45215412.request."))
                .findFirst()
                .orElseThrow();
        assertThat(requestA.getSubject())
            .isEqualTo("Solicitud de Orden de Compra - Reserva #45215412");
        assertThat(attachment(requestA)).as("the confirmation PDF attached").isEqualTo(pdfA);
        assertThat(requestA.getReplyTo()[0].toString()).contains(MAILBOX);
        assertThat(mail.inboxOf(FINANCE)).hasSize(2);
        assertThat(engine.operations().reservation("45215412").orElseThrow().state())
            .isEqualTo(TrackingState.REQUESTED);

        // Business days pass on the clock; reminder 1 goes out on business day 2 (Wednesday).
        List<String> reminderDays = new ArrayList<>();
        for (int h = 1; h <= 60 && reminderDays.size() < 2; h++) {
          clock.advance(Duration.ofHours(1));
          engine.tick();
          for (MimeMessage m : mail.inboxOf(AGENCY)) {
            String id = LoopbackMailServer.messageId(m);
            if (id.contains(".reminder-1.") && !reminderDays.contains(id)) {
              reminderDays.add(id);
              assertThat(clock.instant().atZone(ZONE).toLocalDate())
                  .isEqualTo(LocalDate.of(2025, 12, 3));
            }
          }
        }
        assertThat(reminderDays).hasSize(2);
        MimeMessage reminderA =
            mail.inboxOf(AGENCY).stream()
                .filter(m -> LoopbackMailServer.messageId(m).startsWith("oc.45215412.reminder-1."))
                .findFirst()
                .orElseThrow();
        assertThat(reminderA.getHeader("In-Reply-To")[0])
            .contains(LoopbackMailServer.messageId(requestA));

        // The agency answers the reminder with its OC.
        mail.send(
            AGENCY,
            MAILBOX,
            "RE: " + reminderA.getSubject(),
            "Adjuntamos la OC",
            clock.instant(),
            LoopbackMailServer.messageId(reminderA),
            "OC_4500123456.pdf",
            DemoPdfs.purchaseOrder(
                "VIAJES ANDES S.A.", "4500123456", "45215412", new BigDecimal("528701.00")));
        clock.advance(Duration.ofMinutes(30));
        engine.tick();

        assertThat(engine.operations().reservation("45215412").orElseThrow().state())
            .isEqualTo(TrackingState.RECEIVED);
        assertThat(
                engine
                    .operations()
                    .reservation("45215412")
                    .orElseThrow()
                    .purchaseOrder()
                    .ocNumber())
            .isEqualTo("4500123456");
        assertThat(engine.operations().reservation("45215449").orElseThrow().state())
            .isEqualTo(TrackingState.REMINDER_1);
        MimeMessage ack =
            mail.inboxOf(AGENCY).stream()
                .filter(
                    m -> LoopbackMailServer.messageId(m).startsWith("oc.45215412.acknowledgement."))
                .findFirst()
                .orElseThrow();
        assertThat(ack.getSubject()).isEqualTo("OC Recibida - Reserva #45215412");

        // The admin API of the running service shows the same.
        JsonNode detail = Views.JSON.readTree(http.get("/api/reservations/45215412").body());
        assertThat(detail.get("state").asText()).isEqualTo("RECEIVED");
        assertThat(detail.get("ocNumber").asText()).isEqualTo("4500123456");
        assertThat(http.get("/api/health").statusCode()).isEqualTo(200);
      } finally {
        runner.service.close();
        service.join(30_000);
      }
      assertThat(rc.get()).isZero();
      assertThat(out.toString()).contains("oc-runner is running");

      // After shutdown the state is in the SQLite file: the CLI reads it.
      Runner after = new Runner(env, clock);
      StringWriter status = new StringWriter();
      CommandLine statusCl = Runner.commandLine(after);
      statusCl.setOut(new PrintWriter(status));
      assertThat(statusCl.execute("status", "--json")).isZero();
      JsonNode s = Views.JSON.readTree(status.toString());
      assertThat(s.get("byState").get("RECEIVED").asInt()).isEqualTo(1);
      assertThat(s.get("byState").get("REMINDER_1").asInt()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("run refuses to start with a default admin password or missing mail settings")
  void runRefusesBadConfiguration() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("x.db"));
    StringWriter err = new StringWriter();
    CommandLine cl = Runner.commandLine(new Runner(env, SettableClock.at(Instant.EPOCH)));
    cl.setErr(new PrintWriter(err, true));
    assertThat(cl.execute("run")).isEqualTo(2);
    assertThat(err.toString()).contains("IMAP_HOST is missing").contains("SMTP_HOST is missing");

    try (LoopbackMailServer mail = LoopbackMailServer.start(MAILBOX)) {
      env.putAll(mail.settings());
      env.put("ADMIN_PASSWORD", "changeme");
      env.put("WEB_PORT", "0");
      StringWriter err2 = new StringWriter();
      CommandLine cl2 = Runner.commandLine(new Runner(env, SettableClock.at(Instant.EPOCH)));
      cl2.setErr(new PrintWriter(err2, true));
      assertThat(cl2.execute("run", "--manual-ticks")).isEqualTo(2);
      assertThat(err2.toString()).contains("ADMIN_PASSWORD is a well-known default");
      assertThat(err2.toString()).doesNotContain(mail.password());
    }
  }

  @Test
  @DisplayName("settings: YAML file overlaid by the old .env names, secrets masked")
  void settingsFromYamlAndEnvironment() throws Exception {
    Path yaml = dir.resolve("oc.yaml");
    Files.writeString(
        yaml,
        String.join(
            "\n",
            "imap:",
            "  host: imap.example.com",
            "  port: 993",
            "  username: oc@kontroltravel.com",
            "smtp:",
            "  host: smtp.example.com",
            "  port: 587",
            "  fromEmail: oc@kontroltravel.com",
            "allowedConfirmationSenders: [reservas@kontrol.cl, hotelsales.cl]",
            "daysForReminder1: 3",
            "admin:",
            "  password: from-the-file-1234",
            "web:",
            "  port: 8100",
            ""),
        StandardCharsets.UTF_8);
    RunnerSettings s =
        RunnerSettings.load(
            yaml,
            Map.of(
                "IMAP_PASSWORD", "s3cret-value",
                "IMAP_HOST", "imap.override.com",
                "DATABASE_URL", "sqlite:///./data/oc_seguimiento.db",
                "PATH", "/usr/bin"));
    assertThat(s.get("IMAP_HOST")).isEqualTo("imap.override.com");
    assertThat(s.get("SMTP_FROM_EMAIL")).isEqualTo("oc@kontroltravel.com");
    assertThat(s.webPort()).isEqualTo(8100);
    assertThat(s.databaseUrl()).isEqualTo("jdbc:sqlite:./data/oc_seguimiento.db");
    assertThat(s.ocConfig(null).allowedSenders().entries())
        .containsExactly("reservas@kontrol.cl", "hotelsales.cl");
    assertThat(s.schedule().steps()).hasSize(3);
    assertThat(s.schedule().steps().get(1).businessDay()).isEqualTo(3);
    assertThat(s.toString()).doesNotContain("s3cret-value").contains("IMAP_PASSWORD=****");
    assertThat(s.get("PATH")).isNull();
    assertThat(s.adminPassword()).isEqualTo("from-the-file-1234");
    assertThat(s.secretsInFile()).containsExactly("ADMIN_PASSWORD");
    RunnerSettings pg =
        RunnerSettings.of(
            Map.of("DATABASE_URL", "jdbc:postgresql://db:5432/oc?user=oc&password=hunter2-pw"));
    assertThat(pg.toString()).doesNotContain("hunter2-pw").contains("password=****");
    assertThat(RunnerSettings.jdbcUrl("postgresql://oc:pw@db/oc"))
        .isEqualTo("jdbc:postgresql://db/oc?user=oc&password=pw");
    RunnerSettings example = RunnerSettings.load(Path.of("oc.example.yaml"), Map.of());
    assertThat(example.get("IMAP_HOST")).isEqualTo("imap.gmail.com");
    assertThat(example.get("IMAP_CHECK_INTERVAL")).isEqualTo("300");
    assertThat(example.get("SMTP_FROM_NAME")).isEqualTo("Kontrol Travel - Administración");
    assertThat(example.webPort()).isEqualTo(8001);
    assertThat(example.ocConfig(null).ccRecipients())
        .containsExactly("administracion@kontroltravel.com");
    MailSettings exampleMail = example.with(Map.of("IMAP_PASSWORD", "x-secret-1")).mailSettings();
    assertThat(exampleMail.smtpPort()).isEqualTo(587);
    assertThat(exampleMail.postRecordAction()).isEqualTo(MailSettings.PostRecordAction.MOVE);
    assertThat(exampleMail.moveToFolder()).isEqualTo("Procesados");
    assertThat(
            RunnerSettings.of(
                    Map.of(
                        "IMAP_HOST", "imap.example.com",
                        "IMAP_USERNAME", "oc@kontroltravel.com",
                        "IMAP_PASSWORD", "x-secret-1",
                        "SMTP_HOST", "smtp.example.com"))
                .mailSettings()
                .postRecordAction())
        .as("unset: messages stay where they are")
        .isEqualTo(MailSettings.PostRecordAction.NONE);
    assertThatThrownBy(
            () ->
                example
                    .with(Map.of("IMAP_PASSWORD", "x-secret-1", "IMAP_PROCESSED_FOLDER", "inbox"))
                    .mailSettings())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("MOVE folder is the monitored folder: inbox");
    assertThat(RunnerSettings.load(null, Map.of()).databaseUrl())
        .isEqualTo(RunnerSettings.DEFAULT_DATABASE_URL);
  }
}
