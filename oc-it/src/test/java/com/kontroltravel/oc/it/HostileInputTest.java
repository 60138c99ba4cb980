package com.kontroltravel.oc.it;

import static com.kontroltravel.oc.it.HostileCase.encodedWord;
import static com.kontroltravel.oc.it.HostileCase.raw;
import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.mail.jakarta.Credentials;
import com.kontroltravel.oc.mail.jakarta.JakartaMailGateway;
import com.kontroltravel.oc.mail.jakarta.MailSettings;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.pdf.pdfbox.PdfBoxReservationParser;
import com.kontroltravel.oc.store.jdbc.JdbcStore;
import com.kontroltravel.oc.testkit.SettableClock;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Messages and documents meant to break or trick the engine, delivered as raw MIME into GreenMail
 * and read through the real Jakarta Mail gateway (sender authenticity ENFORCE), the real PDFBox
 * parser and a real SQLite store that mirrors documents to a data folder. Each must end recorded
 * once with a reason; nothing may be written outside the data folder; no outbound header or HTML
 * may carry the injected content. The cases are data ({@link HostileCase#all()}); this class is the
 * running suite they are delivered into and the assertions every case must pass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  static final String MAILBOX = "oc@kontroltravel.test";
  static final String BOOKING = "reservas@booking.test";
  static final String FINANCE = "finanzas@kontroltravel.test";
  static final String AGENCY = "VIAJES ANDES S.A.";
  static final String AGENCY_MAIL = "compras@andes.test";
  static final String XSS_AGENCY = "<script>alert(1)</script> Tours";
  static final String XSS_MAIL = "oc@xss.test";
  static final String AUTHSERV = "mx.kontroltravel.test";
  static final String INJECTED = "X-Injected: yes";
  static final Map<String, String> AUTH_PASS =
      Map.of("Authentication-Results", AUTHSERV + "; dmarc=pass header.from=booking.test");

  static final String B1 = "45210001";
  static final String B2 = "45210002";
  static final String B3 = "45210003";

  Path tmpRoot;
  Path dataDir;
  Map<Path, String> tmpBefore;
  ItMail mail;
  JdbcStore store;
  JakartaMailGateway gateway;
  OcEngine engine;
  SettableClock clock;
  final List<String> table = new ArrayList<>();

  @BeforeAll
  void startEverything() throws Exception {
    tmpRoot = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    Files.createDirectories(tmpRoot);
    // Load SQLite's native library (extracted to the temp folder) before the snapshot.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
      assertThat(c.isValid(1)).isTrue();
    }
    dataDir = Files.createTempDirectory(tmpRoot, "oc-hostile-data-");
    tmpBefore = FileTree.snapshot(tmpRoot);
    clock = SettableClock.at(ZonedDateTime.of(2025, 12, 1, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
    mail = ItMail.start(MAILBOX);
    store =
        JdbcStore.builder("jdbc:sqlite:" + dataDir.resolve("oc_seguimiento.db"))
            .mirrorDocumentsTo(dataDir)
            .build();
    gateway =
        JakartaMailGateway.create(
            MailSettings.builder()
                .imap(ItMail.HOST, mail.imapPort, MailSettings.Security.PLAINTEXT)
                .imapLogin(MAILBOX, Credentials.password(mail.password))
                .smtp(ItMail.HOST, mail.smtpPort, MailSettings.Security.PLAINTEXT)
                .smtpLogin(MAILBOX, Credentials.password(mail.password))
                .from(MAILBOX, "Kontrol Travel")
                .allowPlaintext(true)
                .trustedAuthServIds(List.of(AUTHSERV))
                .maxMessageSize(4L * 1024 * 1024)
                .spoolThreshold(256L * 1024)
                .build());
    engine =
        OcEngine.builder()
            .config(
                OcConfig.builder()
                    .mailboxAddress(MAILBOX)
                    .allowedSenders(List.of(BOOKING))
                    .ccRecipients(List.of(FINANCE))
                    .senderAuthentication(OcConfig.SenderAuthentication.ENFORCE)
                    .nodeId("hostile")
                    .build())
            .store(store)
            .mailGateway(gateway)
            .reservationParser(PdfBoxReservationParser.create())
            .clock(clock)
            .build();
    engine.operations().putAgency(Agency.requiringOc(AGENCY, AGENCY_MAIL), "setup");
    engine.operations().putAgency(Agency.requiringOc(XSS_AGENCY, XSS_MAIL), "setup");

    // Three good bookings; the agency answers the third with its OC.
    for (String id : List.of(B1, B2, B3)) {
      deliver(
          confirmation("good-" + id + "@booking.test", id, HostilePdfs.confirmation(id, AGENCY)));
    }
    tick();
    for (String id : List.of(B1, B2, B3)) {
      assertThat(engine.operations().reservation(id).orElseThrow().state())
          .as("booking %s", id)
          .isEqualTo(TrackingState.REQUESTED);
    }
    deliver(
        reply(
            "good-oc-" + B3 + "@andes.test",
            AGENCY_MAIL,
            "RE: Solicitud de Orden de Compra - Reserva #" + B3,
            "oc." + B3 + ".request.0@kontroltravel.test",
            HostilePdfs.purchaseOrder(AGENCY, "4500000003", B3)));
    tick();
    assertThat(engine.operations().reservation(B3).orElseThrow().state())
        .isEqualTo(TrackingState.RECEIVED);
  }

  @AfterAll
  void stopEverything() {
    if (engine != null) {
      engine.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (store != null) {
      store.close();
    }
    if (mail != null) {
      mail.close();
    }
    System.out.println("hostile inputs: " + table.size() + " cases");
    System.out.printf("%-48s | %-14s | %s%n", "case", "outcome", "reason");
    table.forEach(System.out::println);
  }

  // ------------------------------------------------------------------ helpers

  void deliver(byte[] raw) {
    mail.deliverRaw("sender@it.test", raw);
  }

  void tick() {
    for (int i = 0; i < 2; i++) {
      engine.tick();
      clock.advance(Duration.ofMinutes(1));
    }
  }

  byte[] confirmation(String messageId, String id, byte[] pdf) {
    return confirmation(messageId, "Confirmación de reserva " + id, "Reserva_" + id + ".pdf", pdf);
  }

  byte[] confirmation(String messageId, String subject, String fileName, byte[] pdf) {
    return mail.message(
        messageId,
        BOOKING,
        subject,
        "Adjunto el resumen de servicios.",
        clock.instant(),
        null,
        AUTH_PASS,
        List.of(ItMail.Attachment.pdf(fileName, pdf)));
  }

  byte[] reply(String messageId, String from, String subject, String inReplyTo, byte[] pdf) {
    return mail.message(
        messageId,
        from,
        subject,
        "Adjuntamos la orden de compra.",
        clock.instant(),
        inReplyTo,
        Map.of(),
        pdf == null ? List.of() : List.of(ItMail.Attachment.pdf("OC.pdf", pdf)));
  }

  Map<String, InboundRecord> records() {
    Map<String, InboundRecord> all = new HashMap<>();
    for (InboundOutcome o : InboundOutcome.values()) {
      for (InboundRecord r : engine.operations().inbound(o, 10_000)) {
        all.put(r.key(), r);
      }
    }
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("com.kontroltravel.oc.it.HostileCase#all")
  @Order(1)
  @DisplayName("a hostile input ends recorded once, with an outcome and a reason")
  void hostileInput(HostileCase c) {
    Map<String, InboundRecord> before = records();
    List<byte[]> messages = c.messages().apply(this);
    for (byte[] m : messages) {
      deliver(m);
    }
    tick();
    Map<String, InboundRecord> after = records();
    List<InboundRecord> added = new ArrayList<>();
    after.forEach(
        (k, r) -> {
          if (!before.containsKey(k)) {
            added.add(r);
          }
        });
    for (InboundRecord r : added) {
      table.add(
          String.format(
              "%-48s | %-14s | %s",
              cut(c.name(), 48),
              r.outcome(),
              cut(String.valueOf(r.reason()).replaceAll("[\\r\\n]", " "), 110)));
    }
    if (added.isEmpty()) {
      table.add(String.format("%-48s | %-14s | %s", cut(c.name(), 48), "(none new)", "-"));
    }
    if (c.records() < 0) {
      assertThat(added).as("new inbound records").hasSizeLessThanOrEqualTo(1);
    } else {
      assertThat(added).as("new inbound records").hasSize(c.records());
    }
    for (InboundRecord r : added) {
      assertThat(r.reason()).as("reason of %s", r.outcome()).isNotBlank();
      assertThat(c.allowed()).as("reason: %s", r.reason()).contains(r.outcome());
    }
    c.check().accept(this, added);
    // The engine is still healthy enough to take the next message.
    assertThat(engine.health().problems()).doesNotContainKey("store");
  }

  @Test
  @Order(2)
  @DisplayName("no outbound header or HTML carries injected content")
  void outboundIsClean() {
    List<MimeMessage> out = mail.outbound();
    assertThat(out).as("the engine sent mail during the suite").isNotEmpty();
    boolean sawEscapedScript = false;
    for (MimeMessage m : out) {
      List<String> headers = ItMail.headerLines(m);
      String id = ItMail.messageId(m);
      for (String h : headers) {
        String lower = h.toLowerCase(Locale.ROOT);
        assertThat(lower).as("header of %s", id).doesNotStartWith("x-injected");
        assertThat(lower).as("header of %s", id).doesNotStartWith("bcc:");
        assertThat(lower).as("header of %s", id).doesNotContain("attacker.test");
        assertThat(lower).as("header of %s", id).doesNotContain("<script");
        assertThat(h).as("header of %s", id).doesNotContain("\0");
      }
      assertThat(headers.stream().filter(h -> h.regionMatches(true, 0, "Subject:", 0, 8)))
          .as("one Subject in %s", id)
          .hasSize(1);
      for (String html : ItMail.htmlParts(m)) {
        String lower = html.toLowerCase(Locale.ROOT);
        assertThat(lower).as("HTML of %s", id).doesNotContain("<script");
        assertThat(lower).as("HTML of %s", id).doesNotContain("<img");
        assertThat(lower).as("HTML of %s", id).doesNotContain("x-injected: yes\r\n");
        sawEscapedScript |= html.contains("&lt;script&gt;");
      }
    }
    assertThat(sawEscapedScript)
        .as("the hostile agency/hotel names reached an outbound HTML body, escaped")
        .isTrue();
  }

  @Test
  @Order(3)
  @DisplayName("nothing is written outside the data folder, and the data folder holds safe names")
  void nothingWrittenOutsideTheDataFolder() throws Exception {
    Map<Path, String> after = FileTree.snapshot(tmpRoot);
    assertThat(FileTree.writtenOutside(tmpBefore, after, dataDir))
        .as("written under %s outside %s", tmpRoot, dataDir)
        .isEmpty();
    for (Path p : List.of(Path.of("/etc/passwd.pdf"), Path.of("/tmp/oc-evil-abs.pdf"))) {
      assertThat(p).doesNotExist();
    }
    List<String> names = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dataDir)) {
      s.filter(Files::isRegularFile).forEach(p -> names.add(dataDir.relativize(p).toString()));
    }
    assertThat(names).isNotEmpty();
    for (String n : names) {
      assertThat(n)
          .matches(
              "oc_seguimiento\\.db(-wal|-shm|-journal)?"
                  + "|confirmaciones/[0-9]{8}_[A-Za-z0-9-]{1,64}\\.pdf"
                  + "|oc/[0-9]{8}_[A-Za-z0-9-]{1,64}_oc\\.pdf");
    }
    Map<String, Long> byFolder = new LinkedHashMap<>();
    names.forEach(
        n -> byFolder.merge(n.contains("/") ? n.substring(0, n.indexOf('/')) : ".", 1L, Long::sum));
    System.out.println("data folder: " + byFolder);
  }

  @Test
  @Order(4)
  @DisplayName("a From display name with an encoded CR/LF is recorded and does not stall intake")
  void crlfInFromNameDoesNotStallIntake() {
    Map<String, InboundRecord> before = records();
    deliver(
        raw(
            "Message-ID: <h-crlffrom@it.test>",
            "From: "
                + encodedWord("Agencia\r\n" + INJECTED + "\r\nBcc: evil@attacker.test")
                + " <"
                + AGENCY_MAIL
                + ">",
            "Subject: OC reserva " + B1,
            "",
            "sin adjunto"));
    deliver(
        confirmation(
            "after-poison@booking.test", "45211099", HostilePdfs.confirmation("45211099", AGENCY)));
    tick();
    Map<String, InboundRecord> after = records();
    after.keySet().removeAll(before.keySet());
    assertThat(after).hasSize(2);
    assertThat(after.values())
        .allMatch(r -> r.reason() != null && !r.reason().isBlank())
        .anyMatch(r -> r.outcome() != InboundOutcome.CONFIRMATION);
    assertThat(engine.operations().reservation("45211099")).isPresent();
  }

  static String cut(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "~";
  }
}
