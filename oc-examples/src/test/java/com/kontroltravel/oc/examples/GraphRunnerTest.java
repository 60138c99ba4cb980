package com.kontroltravel.oc.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.mail.graph.GraphMailGateway;
import com.kontroltravel.oc.mail.graph.GraphStub;
import com.kontroltravel.oc.mail.jakarta.JakartaMailGateway;
import com.kontroltravel.oc.mail.jakarta.MailSettings;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.MailboxCursor;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.testkit.SettableClock;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The runner with {@code USE_GRAPH_API=true} against oc-mail-graph's {@link GraphStub} over
 * loopback HTTP, with the OC-replies mailbox ({@code OC_INBOX_*}) on a GreenMail IMAP server; and
 * the old deployment's {@code .env} with those variables starting the runner unchanged.
 */
class GraphRunnerTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  static final String BOOKING_SYSTEM = "reservas@booking.example";
  static final String AGENCY = "compras@andes.example";
  static final String OC_INBOX = "oc-respuestas@kontroltravel.example";
  static final String EXCHANGE_AUTHSERV = "spf.protection.outlook.com";

  @TempDir Path dir;
  private GraphStub stub;

  @BeforeEach
  void start() throws IOException {
    stub = new GraphStub();
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  /** The Graph variables pointing at the stub. */
  private Map<String, String> graphEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("USE_GRAPH_API", "true");
    env.put("AZURE_TENANT_ID", GraphStub.TENANT);
    env.put("AZURE_CLIENT_ID", GraphStub.CLIENT_ID);
    env.put("AZURE_CLIENT_SECRET", GraphStub.CLIENT_SECRET);
    env.put("GRAPH_MAILBOX_EMAIL", GraphStub.MAILBOX);
    env.put("OC_GRAPH_BASE_URL", stub.baseUrl().toString());
    // The full token endpoint form (the authority alone works too).
    env.put("OC_GRAPH_TOKEN_URL", stub.authority() + "/" + GraphStub.TENANT + "/oauth2/v2.0/token");
    env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("data/oc_seguimiento.db"));
    env.put("ALLOWED_CONFIRMATION_SENDERS", BOOKING_SYSTEM);
    return env;
  }

  private static DemoPdfs.Confirmation booking(String id, LocalDate issued) {
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

  /** A confirmation as Exchange Online delivers it: Authentication-Results from its authserv-id. */
  private static byte[] confirmationMail(String id, byte[] pdf, Instant date) {
    return exchangeMail(
        BOOKING_SYSTEM,
        GraphStub.MAILBOX,
        "Confirmación de reserva " + id,
        null,
        "Resumen_" + id + ".pdf",
        pdf,
        date);
  }

  /** A message as Exchange Online delivers it, with its Authentication-Results (DMARC pass). */
  private static byte[] exchangeMail(
      String from,
      String to,
      String subject,
      String inReplyTo,
      String pdfName,
      byte[] pdf,
      Instant date) {
    try {
      MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
      m.setFrom(new InternetAddress(from));
      m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
      m.setSubject(subject, "UTF-8");
      m.setSentDate(Date.from(date));
      String domain = from.substring(from.indexOf('@') + 1);
      m.setHeader(
          "Authentication-Results",
          EXCHANGE_AUTHSERV
              + "; spf=pass smtp.mailfrom="
              + domain
              + "; dkim=pass header.d="
              + domain
              + "; dmarc=pass action=none header.from="
              + domain);
      if (inReplyTo != null) {
        m.setHeader("In-Reply-To", "<" + inReplyTo + ">");
        m.setHeader("References", "<" + inReplyTo + ">");
      }
      MimeMultipart mp = new MimeMultipart();
      MimeBodyPart text = new MimeBodyPart();
      text.setText("Adjunto", "UTF-8");
      mp.addBodyPart(text);
      MimeBodyPart att = new MimeBodyPart();
      att.setDataHandler(
          new jakarta.activation.DataHandler(new ByteArrayDataSource(pdf, "application/pdf")));
      att.setFileName(pdfName);
      mp.addBodyPart(att);
      m.setContent(mp);
      m.saveChanges();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      m.writeTo(out);
      return out.toByteArray();
    } catch (MessagingException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static MimeMessage parse(byte[] raw) {
    try {
      return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String header(MimeMessage m, String name) {
    try {
      String v = m.getHeader(name, ",");
      return v == null ? null : v.trim();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String bare(String id) {
    return id == null ? null : id.replaceAll("^<|>$", "");
  }

  /** What the stub received through sendMail, by Message-ID (duplicates counted). */
  private List<MimeMessage> sent() {
    return stub.sentMime.stream().map(GraphRunnerTest::parse).toList();
  }

  @Test
  @DisplayName(
      "USE_GRAPH_API=true: a confirmation in the Graph mailbox is tracked, the request goes out"
          + " through sendMail with the engine's Message-ID, the agency's OC reply in the OC_INBOX"
          + " IMAP mailbox is filed (RECEIVED); 429 bursts delay but lose and repeat nothing; a"
          + " restart resumes from the stored delta link")
  void graphLifecycleWithOcInbox() throws Exception {
    SettableClock clock =
        SettableClock.at(ZonedDateTime.of(2025, 12, 1, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
    try (LoopbackMailServer ocInbox = LoopbackMailServer.start(OC_INBOX)) {
      Map<String, String> env = graphEnv();
      env.put("OC_INBOX_HOST", LoopbackMailServer.HOST);
      env.put("OC_INBOX_PORT", Integer.toString(ocInbox.imapPort()));
      env.put("OC_INBOX_USERNAME", OC_INBOX);
      env.put("OC_INBOX_PASSWORD", ocInbox.password());
      env.put("OC_INBOX_MAILBOX", "INBOX");
      env.put("OC_INBOX_SECURITY", "PLAINTEXT");
      env.put("OC_ALLOW_PLAINTEXT", "true");
      env.put("OC_CHECK_INTERVAL", "30");
      env.put("OC_TRUSTED_AUTHSERV_IDS", EXCHANGE_AUTHSERV + "," + LoopbackMailServer.AUTHSERV_ID);

      String requestId;
      try (OcApplication app = OcApplication.open(RunnerSettings.of(env), clock)) {
        assertThat(app.gateway()).isInstanceOf(GraphMailGateway.class);
        assertThat(app.additionalInboxes()).singleElement().isInstanceOf(JakartaMailGateway.class);
        assertThat(app.engine().config().replyToAddress()).isEqualTo(OC_INBOX);
        assertThat(app.engine().config().mailboxAddress()).isEqualTo(GraphStub.MAILBOX);
        assertThat(app.engine().config().pollInterval()).isEqualTo(Duration.ofSeconds(30));
        app.engine()
            .operations()
            .putAgency(Agency.requiringOc("VIAJES ANDES S.A.", AGENCY), "test");

        stub.deliver(
            confirmationMail(
                "45215412",
                DemoPdfs.confirmation(booking("45215412", LocalDate.of(2025, 12, 1))),
                clock.instant()));
        // Throttled: three 429s with Retry-After: 1 across delta, $value and sendMail.
        stub.failNext(3, 429, "1", "/users/");
        long t0 = System.nanoTime();
        app.engine().tick();
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
            .as("Retry-After honoured three times")
            .isGreaterThanOrEqualTo(Duration.ofMillis(2900));
        assertThat(stub.calls.stream().filter(c -> c.status() == 429)).hasSize(3);

        assertThat(app.engine().operations().reservation("45215412").orElseThrow().state())
            .isEqualTo(TrackingState.REQUESTED);
        OutboxMessage request =
            app.engine().operations().messages("45215412").stream()
                .filter(m -> m.step().equals(Step.REQUEST))
                .findFirst()
                .orElseThrow();
        List<MimeMessage> sent = sent();
        assertThat(sent).hasSize(1);
        MimeMessage out = sent.get(0);
        requestId = bare(header(out, "Message-ID"));
        assertThat(requestId)
            .as("the engine's Message-ID, unchanged by Graph")
            .isEqualTo(bare(request.messageId()));
        assertThat(header(out, "To")).contains(AGENCY);
        assertThat(header(out, "Reply-To")).as("replies go to the OC mailbox").contains(OC_INBOX);
        assertThat(header(out, "From")).contains(GraphStub.MAILBOX);

        // The agency replies to the OC mailbox, threaded on the request.
        clock.advance(Duration.ofHours(1));
        ocInbox.send(
            AGENCY,
            OC_INBOX,
            "RE: " + out.getSubject(),
            "Adjuntamos la OC",
            clock.instant(),
            requestId,
            "OC_4500123456.pdf",
            DemoPdfs.purchaseOrder(
                "VIAJES ANDES S.A.", "4500123456", "45215412", new BigDecimal("528701.00")));
        stub.failNext(2, 429, "1", "/sendMail");
        app.engine().tick();
        var r = app.engine().operations().reservation("45215412").orElseThrow();
        assertThat(r.state()).isEqualTo(TrackingState.RECEIVED);
        assertThat(r.purchaseOrder().ocNumber()).isEqualTo("4500123456");
        assertThat(stub.calls("POST", "/sendMail").stream().filter(c -> c.status() == 429))
            .as("the acknowledgement went out after two 429s")
            .hasSize(2);

        // Nothing lost, nothing sent twice: one sendMail per outbox row, each row SENT.
        List<String> sentIds = new ArrayList<>();
        for (MimeMessage m : sent()) {
          sentIds.add(bare(header(m, "Message-ID")));
        }
        assertThat(new HashSet<>(sentIds)).as("no duplicates").hasSize(sentIds.size());
        List<String> rows =
            app.engine().operations().messages("45215412").stream()
                .map(m -> bare(m.messageId()))
                .toList();
        assertThat(sentIds).containsExactlyInAnyOrderElementsOf(rows);
        assertThat(stub.calls("GET", "/$value")).as("the confirmation downloaded once").hasSize(1);

        // Both cursors are stored; the Graph one carries its delta link.
        MailboxCursor graphCursor =
            app.store().inTransaction(tx -> tx.cursor(app.gateway().mailbox())).orElseThrow();
        assertThat(graphCursor.syncState()).contains("$deltatoken=");
        String imapMailbox = app.additionalInboxes().get(0).mailbox();
        Optional<MailboxCursor> imapCursor =
            app.store().inTransaction(tx -> tx.cursor(imapMailbox));
        assertThat(imapCursor).isPresent();
      }

      // A restart (a new process on the same SQLite store): only the new confirmation is listed
      // and downloaded; the old one is not read again.
      try (OcApplication app = OcApplication.open(RunnerSettings.of(env), clock)) {
        int downloads = stub.calls("GET", "/$value").size();
        int deltaCalls = stub.calls("GET", "/messages/delta").size();
        stub.deliver(
            confirmationMail(
                "45215449",
                DemoPdfs.confirmation(booking("45215449", LocalDate.of(2025, 12, 1))),
                clock.instant()));
        app.engine().tick();
        assertThat(stub.calls("GET", "/messages/delta").get(deltaCalls).query())
            .startsWith("$deltatoken=");
        assertThat(stub.calls("GET", "/$value")).hasSize(downloads + 1);
        assertThat(app.engine().operations().reservation("45215449").orElseThrow().state())
            .isEqualTo(TrackingState.REQUESTED);
        assertThat(app.engine().operations().reservation("45215412").orElseThrow().state())
            .isEqualTo(TrackingState.RECEIVED);
      }
    }
  }

  @Test
  @DisplayName(
      "USE_GRAPH_API with OC_INBOX_GRAPH_MAILBOX: the OC reply arriving in the second Graph mailbox"
          + " is read under its own cursor and filed (RECEIVED)")
  void graphLifecycleWithSecondGraphMailbox() {
    SettableClock clock =
        SettableClock.at(ZonedDateTime.of(2025, 12, 2, 11, 0, 0, 0, ZONE).toInstant(), ZONE);
    stub.addMailbox(OC_INBOX);
    Map<String, String> env = graphEnv();
    env.put("OC_INBOX_GRAPH_MAILBOX", OC_INBOX);
    env.put("OC_TRUSTED_AUTHSERV_IDS", EXCHANGE_AUTHSERV);
    env.put("OC_SENDER_AUTHENTICATION", "enforce");
    try (OcApplication app = OcApplication.open(RunnerSettings.of(env), clock)) {
      assertThat(app.additionalInboxes())
          .extracting(g -> g.mailbox())
          .containsExactly("graph://" + OC_INBOX + "/Inbox");
      app.engine().operations().putAgency(Agency.requiringOc("VIAJES ANDES S.A.", AGENCY), "test");
      stub.deliver(
          confirmationMail(
              "45215412",
              DemoPdfs.confirmation(booking("45215412", LocalDate.of(2025, 12, 2))),
              clock.instant()));
      app.engine().tick();
      assertThat(sent()).hasSize(1);
      MimeMessage out = sent().get(0);
      String requestId = bare(header(out, "Message-ID"));
      assertThat(header(out, "Reply-To")).contains(OC_INBOX);

      clock.advance(Duration.ofHours(1));
      stub.deliver(
          OC_INBOX,
          exchangeMail(
              AGENCY,
              OC_INBOX,
              "RE: Solicitud de Orden de Compra - Reserva #45215412",
              requestId,
              "OC_4500123456.pdf",
              DemoPdfs.purchaseOrder(
                  "VIAJES ANDES S.A.", "4500123456", "45215412", new BigDecimal("528701.00")),
              clock.instant()));
      app.engine().tick();
      var r = app.engine().operations().reservation("45215412").orElseThrow();
      assertThat(r.state()).isEqualTo(TrackingState.RECEIVED);
      assertThat(r.purchaseOrder().ocNumber()).isEqualTo("4500123456");
      assertThat(stub.calls("GET", "/users/" + OC_INBOX + "/mailFolders/Inbox/messages/delta"))
          .isNotEmpty();
      String second = app.additionalInboxes().get(0).mailbox();
      Optional<MailboxCursor> cursor = app.store().inTransaction(tx -> tx.cursor(second));
      assertThat(cursor.orElseThrow().syncState()).contains("$deltatoken=");
    }
  }

  /** Reads a file in the old system's .env format: KEY=value lines, # comments, optional quotes. */
  static Map<String, String> readDotEnv(Path file) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      int eq = t.indexOf('=');
      String k = t.substring(0, eq).strip();
      String v = t.substring(eq + 1).strip();
      if (v.length() >= 2
          && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
        v = v.substring(1, v.length() - 1);
      }
      env.put(k, v);
    }
    return env;
  }

  @Test
  @DisplayName(
      "an old .env with USE_GRAPH_API and the OC_INBOX_* group starts the runner unchanged: a Graph"
          + " gateway for the confirmations, an IMAP one for the OC replies, secrets masked")
  void oldDotEnvStartsUnchanged() throws Exception {
    Path dotEnv = dir.resolve(".env");
    Files.writeString(
        dotEnv,
        String.join(
            "\n",
            "# Sistema de seguimiento de Órdenes de Compra - configuración",
            "",
            "# --- Microsoft Graph (Microsoft 365) ---",
            "USE_GRAPH_API=true",
            "AZURE_CLIENT_ID=11111111-2222-3333-4444-555555555555",
            "AZURE_CLIENT_SECRET=\"abc~DEF.secret-value-123\"",
            "AZURE_TENANT_ID=kontroltravel.onmicrosoft.com",
            "GRAPH_MAILBOX_EMAIL=reservas-oc@kontroltravel.com",
            "",
            "# --- Buzón de respuestas con OC ---",
            "OC_INBOX_HOST=outlook.office365.com",
            "OC_INBOX_PORT=993",
            "OC_INBOX_USERNAME=oc@kontroltravel.com",
            "OC_INBOX_PASSWORD=inbox-pass-9876",
            "OC_INBOX_MAILBOX=INBOX",
            "OC_INBOX_USE_SSL=true",
            "OC_CHECK_INTERVAL=60",
            "",
            "# --- SMTP (no se usa con Graph) ---",
            "SMTP_FROM_NAME=Kontrol Travel - Órdenes de Compra",
            "",
            "# --- Negocio ---",
            "ALLOWED_CONFIRMATION_SENDERS=reservasonline@hotelsales.cl",
            "EMAIL_CC_RECIPIENTS=administracion@kontroltravel.com",
            "DAYS_FOR_REMINDER_1=2",
            "DAYS_FOR_REMINDER_2=4",
            "DATABASE_URL=sqlite:///" + dir.resolve("data/oc_seguimiento.db"),
            "WEB_PORT=8001",
            ""));
    Map<String, String> env = readDotEnv(dotEnv);
    RunnerSettings settings = RunnerSettings.load(null, env);
    assertThat(settings.toString())
        .doesNotContain("abc~DEF.secret-value-123")
        .doesNotContain("inbox-pass-9876");
    assertThat(settings.describe().get("AZURE_CLIENT_SECRET")).isEqualTo("****");
    assertThat(settings.describe().get("OC_INBOX_PASSWORD")).isEqualTo("****");
    assertThat(
            MailboxesSettings.imapOcInbox(settings, "oc@kontroltravel.com")
                .orElseThrow()
                .postRecordAction())
        .isEqualTo(MailSettings.PostRecordAction.NONE);
    MailSettings movingInbox =
        MailboxesSettings.imapOcInbox(
                settings.with(Map.of("OC_INBOX_PROCESSED_FOLDER", "OC-Procesadas")),
                "oc@kontroltravel.com")
            .orElseThrow();
    assertThat(movingInbox.postRecordAction()).isEqualTo(MailSettings.PostRecordAction.MOVE);
    assertThat(movingInbox.moveToFolder()).isEqualTo("OC-Procesadas");

    SettableClock clock = SettableClock.at(Instant.parse("2025-12-01T13:00:00Z"), ZONE);
    try (OcApplication app = OcApplication.open(settings, clock)) {
      assertThat(app.gateway()).isInstanceOf(GraphMailGateway.class);
      assertThat(app.gateway().mailbox()).isEqualTo("graph://reservas-oc@kontroltravel.com/Inbox");
      GraphMailGateway graph = (GraphMailGateway) app.gateway();
      assertThat(graph.settings().baseUrl()).hasToString("https://graph.microsoft.com/v1.0");
      assertThat(graph.settings().fromName()).isEqualTo("Kontrol Travel - Órdenes de Compra");
      assertThat(graph.settings().toString()).doesNotContain("abc~DEF.secret-value-123");
      assertThat(app.additionalInboxes())
          .extracting(g -> g.mailbox())
          .containsExactly("imap://oc@kontroltravel.com@outlook.office365.com/INBOX");
      assertThat(app.engine().config().mailboxAddress()).isEqualTo("reservas-oc@kontroltravel.com");
      assertThat(app.engine().config().replyToAddress()).isEqualTo("oc@kontroltravel.com");
      assertThat(app.engine().config().pollInterval()).isEqualTo(Duration.ofSeconds(60));
    }

    // The same .env with a second Graph mailbox instead of IMAP for the OC replies.
    Map<String, String> graphOnly = new HashMap<>(env);
    graphOnly.keySet().removeIf(k -> k.startsWith("OC_INBOX_"));
    graphOnly.put("OC_INBOX_GRAPH_MAILBOX", "oc@kontroltravel.com");
    try (OcApplication app = OcApplication.open(RunnerSettings.load(null, graphOnly), clock)) {
      assertThat(app.gateway().mailbox()).isEqualTo("graph://reservas-oc@kontroltravel.com/Inbox");
      assertThat(app.additionalInboxes())
          .extracting(g -> g.mailbox())
          .containsExactly("graph://oc@kontroltravel.com/Inbox");
      assertThat(app.engine().config().replyToAddress()).isEqualTo("oc@kontroltravel.com");
    }

    // Without the OC mailbox: only Graph, replies to the Graph mailbox.
    Map<String, String> single = new HashMap<>(env);
    single.keySet().removeIf(k -> k.startsWith("OC_INBOX_"));
    try (OcApplication app = OcApplication.open(RunnerSettings.load(null, single), clock)) {
      assertThat(app.additionalInboxes()).isEmpty();
      assertThat(app.engine().config().replyToAddress()).isEqualTo("reservas-oc@kontroltravel.com");
    }
  }

  @Test
  @DisplayName(
      "Graph settings: every missing variable listed at once; test endpoints refuse non-loopback"
          + " http; OC_INBOX_GRAPH_MAILBOX needs USE_GRAPH_API and excludes OC_INBOX_HOST")
  void graphSettingsProblems() {
    ConfigurationException missing =
        catchThrowableOfType(
            ConfigurationException.class,
            () ->
                OcApplication.open(
                    RunnerSettings.of(Map.of("USE_GRAPH_API", "true")),
                    SettableClock.at(Instant.parse("2025-12-01T13:00:00Z"), ZONE)));
    assertThat(missing.problems())
        .anyMatch(p -> p.contains("GRAPH_MAILBOX_EMAIL"))
        .anyMatch(p -> p.contains("AZURE_TENANT_ID"))
        .anyMatch(p -> p.contains("AZURE_CLIENT_ID"))
        .anyMatch(p -> p.contains("AZURE_CLIENT_SECRET"))
        .noneMatch(p -> p.contains("IMAP_HOST"));

    Map<String, String> env = graphEnv();
    env.put("OC_GRAPH_BASE_URL", "http://graph.example.com/v1.0");
    env.put("OC_GRAPH_TOKEN_URL", "http://login.example.com");
    ConfigurationException http =
        catchThrowableOfType(
            ConfigurationException.class, () -> RunnerSettings.of(env).graphSettings());
    assertThat(http.problems())
        .anyMatch(p -> p.contains("OC_GRAPH_TOKEN_URL") && p.contains("https"));
    env.put("OC_GRAPH_TOKEN_URL", stub.authority().toString());
    ConfigurationException base =
        catchThrowableOfType(
            ConfigurationException.class, () -> RunnerSettings.of(env).graphSettings());
    assertThat(base.problems())
        .anyMatch(p -> p.contains("OC_GRAPH_BASE_URL") && p.contains("https"));
    env.put("OC_GRAPH_BASE_URL", "https://graph.microsoft.us/v1.0");
    assertThat(RunnerSettings.of(env).graphSettings().baseUrl())
        .hasToString("https://graph.microsoft.us/v1.0");

    Map<String, String> noGraph = new HashMap<>();
    noGraph.put("OC_INBOX_GRAPH_MAILBOX", "oc@kontroltravel.com");
    assertThat(
            catchThrowableOfType(
                    ConfigurationException.class,
                    () -> RunnerSettings.of(noGraph).ocInboxGraphSettings())
                .problems())
        .anyMatch(p -> p.contains("USE_GRAPH_API"));
    Map<String, String> both = graphEnv();
    both.put("OC_INBOX_GRAPH_MAILBOX", "oc@kontroltravel.com");
    both.put("OC_INBOX_HOST", "imap.example.com");
    assertThat(
            catchThrowableOfType(
                    ConfigurationException.class,
                    () -> RunnerSettings.of(both).ocInboxGraphSettings())
                .problems())
        .anyMatch(p -> p.contains("not both"));
    Map<String, String> imapMissing = graphEnv();
    imapMissing.put("OC_INBOX_HOST", "imap.example.com");
    imapMissing.put("OC_CHECK_INTERVAL", "5");
    assertThat(
            catchThrowableOfType(
                    ConfigurationException.class,
                    () -> RunnerSettings.of(imapMissing).ocInboxMailSettings("x@example.com"))
                .problems())
        .anyMatch(p -> p.contains("OC_INBOX_USERNAME"))
        .anyMatch(p -> p.contains("OC_INBOX_PASSWORD"))
        .anyMatch(p -> p.contains("OC_CHECK_INTERVAL"));
  }

  private record Run(int code, String out, String err) {}

  private static Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl =
        Runner.commandLine(
            new Runner(env, SettableClock.at(Instant.parse("2025-12-01T13:00:00Z"))));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  @DisplayName(
      "check-mail with USE_GRAPH_API walks token, mailbox, folder and a delta round; a wrong"
          + " secret fails at the token step without showing it")
  void checkMailGraph() {
    for (int i = 0; i < 3; i++) {
      stub.deliver(confirmationMail("4521541" + i, new byte[] {'%', 'P', 'D', 'F'}, Instant.now()));
    }
    Run ok = run(graphEnv(), "check-mail", "--timeout", "5");
    assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out())
        .contains("Microsoft Graph " + stub.baseUrl())
        .contains("[ok]   TCP")
        .contains("[ok]   token")
        .contains("[ok]   mailbox: " + GraphStub.MAILBOX)
        .contains("[ok]   folder: Inbox, 3 message(s)")
        .contains("[ok]   delta: a full round: 3 message(s)")
        .contains("RESULT: mail settings work")
        .doesNotContain(GraphStub.CLIENT_SECRET);
    assertThat(stub.calls("GET", "/$value")).as("check-mail downloads nothing").isEmpty();

    Map<String, String> wrong = graphEnv();
    wrong.put("AZURE_CLIENT_SECRET", "not-the-secret-42");
    Run bad = run(wrong, "check-mail", "--timeout", "5");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.out())
        .contains("[FAIL] token")
        .contains("[skip] mailbox, folder, delta")
        .contains("RESULT: some checks FAILED")
        .doesNotContain("not-the-secret-42");

    Map<String, String> otherBox = graphEnv();
    otherBox.put("GRAPH_MAILBOX_EMAIL", "nobody@kontroltravel.example");
    Run missing = run(otherBox, "check-mail", "--timeout", "5");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.out()).contains("[FAIL] mailbox: HTTP 404 ErrorInvalidUser");
  }
}
