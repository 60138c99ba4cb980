package com.kontroltravel.oc.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.mail.jakarta.Credentials;
import com.kontroltravel.oc.mail.jakarta.JakartaMailGateway;
import com.kontroltravel.oc.mail.jakarta.MailSettings;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.pdf.pdfbox.PdfBoxReservationParser;
import com.kontroltravel.oc.store.jdbc.JdbcStore;
import com.kontroltravel.oc.testkit.SettableClock;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
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
 * may carry the injected content.
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

  /** One hostile input: the raw messages to deliver, what may become of them, extra checks. */
  record Case(
      String name,
      Function<HostileInputTest, List<byte[]>> messages,
      Set<InboundOutcome> allowed,
      int records,
      BiConsumer<HostileInputTest, List<InboundRecord>> check) {}

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
                .senderAuthenticity(MailSettings.SenderAuthenticity.ENFORCE, List.of(AUTHSERV))
                .allowedSenders(List.of(BOOKING))
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
                    .requireAuthenticatedSenders(true)
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

  /** Raw MIME text, lines joined with CRLF. */
  static byte[] raw(String... lines) {
    return (String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  static String b64(byte[] b) {
    return Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(b);
  }

  static String encodedWord(String s) {
    return "=?UTF-8?B?"
        + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8))
        + "?=";
  }

  /** A confirmation with a hand-written MIME structure around a PDF part. */
  static byte[] confirmationWithPart(
      String messageId, String subject, String partHeaders, String partBody, boolean auth) {
    return raw(
        "Message-ID: <" + messageId + ">",
        "From: Reservas <" + BOOKING + ">",
        "To: " + MAILBOX,
        "Date: Mon, 1 Dec 2025 10:00:00 -0300",
        auth ? "Authentication-Results: " + AUTH_PASS.get("Authentication-Results") : "X-No: auth",
        "Subject: " + subject,
        "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=\"b1\"",
        "",
        "--b1",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Adjunto.",
        "--b1",
        partHeaders,
        "",
        partBody,
        "--b1--");
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

  static Set<InboundOutcome> not(InboundOutcome... excluded) {
    Set<InboundOutcome> s = EnumSet.allOf(InboundOutcome.class);
    s.removeAll(List.of(excluded));
    return s;
  }

  static final Set<InboundOutcome> REJECTED =
      EnumSet.of(InboundOutcome.QUARANTINED, InboundOutcome.IGNORED);
  static final Set<InboundOutcome> ANY = EnumSet.allOf(InboundOutcome.class);
  static final BiConsumer<HostileInputTest, List<InboundRecord>> NOTHING_MORE = (t, r) -> {};

  static Case c(String name, Function<HostileInputTest, List<byte[]>> m, Set<InboundOutcome> ok) {
    return new Case(name, m, ok, 1, NOTHING_MORE);
  }

  static Case one(String name, Function<HostileInputTest, byte[]> m, Set<InboundOutcome> ok) {
    return new Case(name, t -> List.of(m.apply(t)), ok, 1, NOTHING_MORE);
  }

  /** A case whose confirmation is valid apart from the hostile part: tracked, checked after. */
  static Case tracked(String name, Function<HostileInputTest, byte[]> m, String reservationId) {
    return new Case(
        name,
        t -> List.of(m.apply(t)),
        EnumSet.of(InboundOutcome.CONFIRMATION),
        1,
        (t, r) ->
            assertThat(t.engine.operations().reservation(reservationId)).as("tracked").isPresent());
  }

  // ------------------------------------------------------------------ the cases

  Stream<Named<Case>> cases() {
    byte[] good = HostilePdfs.confirmation("45219999", AGENCY);
    String goodB64 = b64(good);
    List<Case> cs = new ArrayList<>();

    // --- malformed MIME
    cs.add(
        one(
            "binary garbage, no headers",
            t -> {
              byte[] b = new byte[4096];
              new java.util.Random(1).nextBytes(b);
              for (int i = 0; i < b.length; i++) {
                if (b[i] == '\r' || b[i] == '\n') {
                  b[i] = 'x';
                }
              }
              return b;
            },
            REJECTED));
    // Without a Message-ID the key is a hash of the decoded sender, date, subject, body and
    // attachments: an empty message decodes exactly like the headerless garbage above, so it is
    // recorded under that same key (0 new records) or, if the gateway tells them apart, once.
    cs.add(new Case("empty message", t -> List.of(raw("")), REJECTED, -1, NOTHING_MORE));
    cs.add(
        one(
            "multipart without boundary",
            t ->
                raw(
                    "Message-ID: <h-noboundary@it.test>",
                    "From: " + BOOKING,
                    "Authentication-Results: " + AUTH_PASS.get("Authentication-Results"),
                    "Subject: Confirmacion de reserva 45211001",
                    "MIME-Version: 1.0",
                    "Content-Type: multipart/mixed",
                    "",
                    "--x",
                    "Content-Type: application/pdf",
                    "",
                    "%PDF-1.4 nothing"),
            not(InboundOutcome.CONFIRMATION)));
    cs.add(
        one(
            "boundary never closed, base64 PDF cut in half",
            t ->
                raw(
                    "Message-ID: <h-unclosed@it.test>",
                    "From: " + BOOKING,
                    "Authentication-Results: " + AUTH_PASS.get("Authentication-Results"),
                    "Subject: Confirmacion de reserva 45211002",
                    "MIME-Version: 1.0",
                    "Content-Type: multipart/mixed; boundary=\"b1\"",
                    "",
                    "--b1",
                    "Content-Type: application/pdf; name=\"r.pdf\"",
                    "Content-Transfer-Encoding: base64",
                    "",
                    goodB64.substring(0, goodB64.length() / 2)),
            not(InboundOutcome.CONFIRMATION)));
    cs.add(
        one(
            "invalid base64 in the PDF part",
            t ->
                confirmationWithPart(
                    "h-badb64@it.test",
                    "Confirmacion de reserva 45211003",
                    "Content-Type: application/pdf; name=\"r.pdf\"\r\nContent-Transfer-Encoding: base64",
                    "JVBERi0x!!!!****@@@@ not base64 at all ~~~~\r\n====",
                    true),
            not(InboundOutcome.CONFIRMATION)));
    cs.add(
        one(
            "unknown transfer encoding",
            t ->
                confirmationWithPart(
                    "h-xenc@it.test",
                    "Confirmacion de reserva 45211004",
                    "Content-Type: application/pdf; name=\"r.pdf\"\r\nContent-Transfer-Encoding: x-evil",
                    goodB64,
                    true),
            ANY));
    cs.add(
        one(
            "multiparts nested 300 deep",
            t -> {
              StringBuilder b = new StringBuilder();
              b.append("Message-ID: <h-deep@it.test>\r\nFrom: ")
                  .append(BOOKING)
                  .append("\r\nAuthentication-Results: ")
                  .append(AUTH_PASS.get("Authentication-Results"))
                  .append("\r\nSubject: Confirmacion de reserva 45211005\r\nMIME-Version: 1.0\r\n");
              for (int i = 0; i < 300; i++) {
                b.append("Content-Type: multipart/mixed; boundary=\"d")
                    .append(i)
                    .append("\"\r\n\r\n--d")
                    .append(i)
                    .append("\r\n");
              }
              b.append("Content-Type: text/plain\r\n\r\nbottom\r\n");
              for (int i = 299; i >= 0; i--) {
                b.append("--d").append(i).append("--\r\n");
              }
              return b.toString().getBytes(StandardCharsets.US_ASCII);
            },
            not(InboundOutcome.CONFIRMATION)));
    cs.add(
        one(
            "3,000 tiny parts",
            t -> {
              StringBuilder b = new StringBuilder();
              b.append("Message-ID: <h-manyparts@it.test>\r\nFrom: agency@nowhere.test\r\n")
                  .append("Subject: OC\r\nMIME-Version: 1.0\r\n")
                  .append("Content-Type: multipart/mixed; boundary=\"p\"\r\n\r\n");
              for (int i = 0; i < 3000; i++) {
                b.append("--p\r\nContent-Type: text/plain\r\n\r\npart ").append(i).append("\r\n");
              }
              b.append("--p--\r\n");
              return b.toString().getBytes(StandardCharsets.US_ASCII);
            },
            not(InboundOutcome.CONFIRMATION, InboundOutcome.PURCHASE_ORDER)));
    cs.add(
        one(
            "100,000-character subject and a header without a colon",
            t ->
                raw(
                    "Message-ID: <h-longsubject@it.test>",
                    "From: someone@nowhere.test",
                    "This line is not a header",
                    "Subject: " + "A".repeat(100_000),
                    "",
                    "body"),
            REJECTED));
    cs.add(
        one(
            "unknown charset in an encoded word",
            t ->
                raw(
                    "Message-ID: <h-charset@it.test>",
                    "From: =?x-evil-charset?B?AAAA?= <someone@nowhere.test>",
                    "Subject: =?x-evil-charset?Q?=FF=FE=00?= =?UTF-8?B?////?=",
                    "Content-Type: text/plain; charset=x-evil-charset",
                    "",
                    "\u00ff\u00fe body"),
            REJECTED));
    cs.add(
        one(
            "invalid UTF-8 bytes in headers and body",
            t -> {
              byte[] head =
                  raw(
                      "Message-ID: <h-badutf8@it.test>",
                      "From: someone@nowhere.test",
                      "Content-Type: text/plain; charset=utf-8");
              byte[] bad = {
                'S',
                'u',
                'b',
                'j',
                'e',
                'c',
                't',
                ':',
                ' ',
                (byte) 0xC3,
                (byte) 0x28,
                (byte) 0xFF,
                '\r',
                '\n',
                '\r',
                '\n',
                (byte) 0xE2,
                (byte) 0x82,
                'x',
                '\r',
                '\n'
              };
              byte[] all = new byte[head.length + bad.length];
              System.arraycopy(head, 0, all, 0, head.length);
              System.arraycopy(bad, 0, all, head.length, bad.length);
              return all;
            },
            REJECTED));
    cs.add(
        one(
            "no Message-ID, no From, no Date",
            t -> raw("Subject: hola", "", "nothing to see"),
            REJECTED));
    cs.add(
        one(
            "forwarded message/rfc822 nested 40 deep",
            t -> {
              String inner =
                  "From: x@nowhere.test\r\nSubject: innermost\r\nContent-Type: text/plain\r\n\r\nhi\r\n";
              for (int i = 0; i < 40; i++) {
                inner =
                    "From: x@nowhere.test\r\nSubject: fwd "
                        + i
                        + "\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n"
                        + inner;
              }
              return ("Message-ID: <h-rfc822@it.test>\r\n" + inner)
                  .getBytes(StandardCharsets.US_ASCII);
            },
            REJECTED));
    cs.add(
        one(
            "oversized message (5 MB attachment, limit 4 MB)",
            t -> {
              byte[] big = new byte[5 * 1024 * 1024];
              new java.util.Random(3).nextBytes(big);
              return t.confirmation(
                  "h-oversized@it.test", "Confirmacion de reserva 45211006", "big.pdf", big);
            },
            EnumSet.of(InboundOutcome.QUARANTINED)));

    // --- hostile PDFs on an authenticated confirmation
    cs.add(
        one(
            "PDF encrypted with a user password",
            t ->
                t.confirmation(
                    "h-encrypted@it.test",
                    "45211010",
                    HostilePdfs.encrypted(HostilePdfs.confirmation("45211010", AGENCY), "s3cret")),
            EnumSet.of(InboundOutcome.QUARANTINED)));
    cs.add(
        one(
            "truncated PDF (first 40%)",
            t ->
                t.confirmation(
                    "h-truncated@it.test",
                    "45211011",
                    HostilePdfs.truncated(HostilePdfs.confirmation("45211011", AGENCY), 0.4)),
            ANY));
    cs.add(
        one(
            "PDF with garbage over its middle third",
            t ->
                t.confirmation(
                    "h-corrupt@it.test",
                    "45211012",
                    HostilePdfs.corrupt(HostilePdfs.confirmation("45211012", AGENCY))),
            ANY));
    cs.add(
        one(
            "only a %PDF- header",
            t ->
                t.confirmation(
                    "h-headeronly@it.test",
                    "45211013",
                    "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII)),
            EnumSet.of(InboundOutcome.QUARANTINED)));
    cs.add(
        one(
            "HTML page named .pdf",
            t ->
                t.confirmation(
                    "h-htmlpdf@it.test",
                    "45211014",
                    "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8)),
            EnumSet.of(InboundOutcome.QUARANTINED)));
    cs.add(
        one(
            "compression bomb: 48 MB content stream",
            t -> t.confirmation("h-flatebomb@it.test", "45211015", HostilePdfs.flateBomb(48)),
            EnumSet.of(InboundOutcome.QUARANTINED)));
    cs.add(
        one(
            "arrays nested 100,000 deep",
            t -> t.confirmation("h-nestarr@it.test", "45990001", HostilePdfs.deepNesting(100_000)),
            ANY));
    cs.add(
        one(
            "dictionaries nested 20,000 deep",
            t ->
                t.confirmation(
                    "h-nestdict@it.test", "45990002", HostilePdfs.deepDictionaries(20_000)),
            ANY));
    cs.add(
        one(
            "page tree that contains itself",
            t -> t.confirmation("h-pageloop@it.test", "45211016", HostilePdfs.pageTreeLoop()),
            EnumSet.of(InboundOutcome.QUARANTINED)));
    cs.add(
        one(
            "20,000-object reference chain",
            t -> t.confirmation("h-objchain@it.test", "45211017", HostilePdfs.manyObjects(20_000)),
            EnumSet.of(InboundOutcome.QUARANTINED)));
    cs.add(
        one(
            "3,000 blank pages",
            t -> t.confirmation("h-pages@it.test", "45211018", HostilePdfs.manyPages(3000)),
            EnumSet.of(InboundOutcome.QUARANTINED)));
    cs.add(
        one(
            "JavaScript and launch actions in a valid confirmation",
            t -> t.confirmation("h-js@it.test", "45211019", HostilePdfs.withJavaScript("45211019")),
            ANY));

    // --- attachment names
    cs.add(
        tracked(
            "file name ../../etc/passwd.pdf",
            t ->
                t.confirmation(
                    "h-traversal@it.test",
                    "Confirmacion de reserva 45211020",
                    "../../etc/passwd.pdf",
                    HostilePdfs.confirmation("45211020", AGENCY)),
            "45211020"));
    cs.add(
        tracked(
            "absolute file name /tmp/oc-evil-abs.pdf",
            t ->
                t.confirmation(
                    "h-absolute@it.test",
                    "Confirmacion de reserva 45211021",
                    "/tmp/oc-evil-abs.pdf",
                    HostilePdfs.confirmation("45211021", AGENCY)),
            "45211021"));
    cs.add(
        tracked(
            "Windows path ..\\..\\evil-win.pdf and drive letter",
            t ->
                t.confirmation(
                    "h-winpath@it.test",
                    "Confirmacion de reserva 45211022",
                    "C:\\..\\..\\evil-win.pdf",
                    HostilePdfs.confirmation("45211022", AGENCY)),
            "45211022"));
    cs.add(
        one(
            "NUL, CR and LF in an RFC 2231 file name",
            t ->
                confirmationWithPart(
                    "h-ctlname@it.test",
                    "Confirmacion de reserva 45211023",
                    "Content-Type: application/pdf\r\nContent-Disposition: attachment;"
                        + " filename*=utf-8''..%2F..%2Fevil%00name%0D%0A"
                        + INJECTED.replace(" ", "%20")
                        + ".pdf\r\nContent-Transfer-Encoding: base64",
                    b64(HostilePdfs.confirmation("45211023", AGENCY)),
                    true),
            EnumSet.of(InboundOutcome.CONFIRMATION, InboundOutcome.QUARANTINED)));
    cs.add(
        tracked(
            "5,000-character file name",
            t ->
                t.confirmation(
                    "h-longname@it.test",
                    "Confirmacion de reserva 45211024",
                    "n".repeat(5000) + ".pdf",
                    HostilePdfs.confirmation("45211024", AGENCY)),
            "45211024"));
    cs.add(
        one(
            "encoded-word file name with ../ and no extension",
            t ->
                confirmationWithPart(
                    "h-ewname@it.test",
                    "Confirmacion de reserva 45211025",
                    "Content-Type: application/octet-stream; name=\""
                        + encodedWord("../../../../tmp/oc-evil-ew")
                        + "\"\r\nContent-Transfer-Encoding: base64",
                    b64(HostilePdfs.confirmation("45211025", AGENCY)),
                    true),
            EnumSet.of(InboundOutcome.CONFIRMATION, InboundOutcome.QUARANTINED)));

    // --- CR/LF aimed at headers
    cs.add(
        one(
            "CR/LF + Bcc in an encoded subject of a confirmation",
            t ->
                confirmationWithPart(
                    "h-crlfsubject@it.test",
                    encodedWord(
                        "Confirmacion de reserva 45211030\r\nBcc: evil@attacker.test\r\n"
                            + INJECTED),
                    "Content-Type: application/pdf; name=\"r.pdf\"\r\nContent-Transfer-Encoding: base64",
                    b64(HostilePdfs.confirmation("45211030", AGENCY)),
                    true),
            ANY));
    cs.add(
        one(
            "CR/LF in the agency name inside the PDF",
            t ->
                t.confirmation(
                    "h-crlfagency@it.test",
                    "45211031",
                    HostilePdfs.rawConfirmation(
                        "45211031",
                        "VIAJES ANDES S.A.\r\n" + INJECTED + "\r\nBcc: evil@attacker.test",
                        "Hotel Uno",
                        "LOCCRLF",
                        null)),
            ANY));
    cs.add(
        one(
            "CR/LF in the reservation id inside the PDF",
            t ->
                t.confirmation(
                    "h-crlfid@it.test",
                    "45211032",
                    HostilePdfs.rawConfirmation(
                        "45211032\r\n" + INJECTED, AGENCY, "Hotel Dos", "LOCCRID", null)),
            ANY));
    cs.add(
        one(
            "CR/LF in the hotel name inside the PDF",
            t ->
                t.confirmation(
                    "h-crlfhotel@it.test",
                    "45211033",
                    HostilePdfs.rawConfirmation(
                        "45211033",
                        AGENCY,
                        "Hotel\r\n" + INJECTED + "\r\nBcc: evil@attacker.test",
                        "LOCCRHO",
                        null)),
            ANY));
    cs.add(
        one(
            "CR/LF in the LOC interno inside the PDF",
            t ->
                t.confirmation(
                    "h-crlfloc@it.test",
                    "45211034",
                    HostilePdfs.rawConfirmation(
                        "45211034", AGENCY, "Hotel Tres", "AB\r\n" + INJECTED, null)),
            ANY));
    cs.add(
        one(
            "CR/LF in the OC number of a reply",
            t ->
                t.reply(
                    "h-crlfoc@it.test",
                    AGENCY_MAIL,
                    "RE: Solicitud de Orden de Compra - Reserva #" + B1,
                    "oc." + B1 + ".request.0@kontroltravel.test",
                    HostilePdfs.rawPurchaseOrder(
                        AGENCY, "4500111111\r\n" + INJECTED + "\r\nBcc: evil@attacker.test", B1)),
            EnumSet.of(InboundOutcome.PURCHASE_ORDER, InboundOutcome.REVIEW)));
    cs.add(
        one(
            "CR/LF in the subject of an unmatched OC",
            t ->
                raw(
                    "Message-ID: <h-crlfocsubj@it.test>",
                    "From: agency@nowhere.test",
                    "Subject: " + encodedWord("Orden de compra 999\r\n" + INJECTED),
                    "",
                    "Adjunto la orden de compra"),
            EnumSet.of(InboundOutcome.REVIEW, InboundOutcome.IGNORED)));
    cs.add(
        one(
            "10,000 References and a folded In-Reply-To",
            t -> {
              StringBuilder refs = new StringBuilder("References:");
              for (int i = 0; i < 10_000; i++) {
                refs.append(" <r").append(i).append("@x.test>\r\n");
              }
              return raw(
                  "Message-ID: <h-refs@it.test>",
                  "From: agency@nowhere.test",
                  refs.toString().strip(),
                  "In-Reply-To:\r\n <oc." + B2 + ".request.0@kontroltravel.test>\r\n " + INJECTED,
                  "Subject: orden de compra",
                  "",
                  "sin adjunto");
            },
            ANY));

    // --- HTML and script
    cs.add(
        tracked(
            "agency name with <script> (a configured agency)",
            t ->
                t.confirmation(
                    "h-xssagency@it.test",
                    "45211040",
                    HostilePdfs.rawConfirmation(
                        "45211040", XSS_AGENCY, "Hotel Cuatro", "LOCXSS1", null)),
            "45211040"));
    cs.add(
        tracked(
            "hotel name with an <img onerror> handler",
            t ->
                t.confirmation(
                    "h-xsshotel@it.test",
                    "45211041",
                    HostilePdfs.rawConfirmation(
                        "45211041",
                        AGENCY,
                        "<img src=x onerror=alert(1)> Hotel <script>alert(2)</script>",
                        "LOCXSS2",
                        null)),
            "45211041"));
    cs.add(
        tracked(
            "subject with <script>",
            t ->
                t.confirmation(
                    "h-xsssubject@it.test",
                    "Confirmacion de reserva 45211042 <script>alert(3)</script>",
                    "r.pdf",
                    HostilePdfs.confirmation("45211042", AGENCY)),
            "45211042"));
    cs.add(
        one(
            "OC number with <script>",
            t ->
                t.reply(
                    "h-xssoc@it.test",
                    AGENCY_MAIL,
                    "RE: Solicitud de Orden de Compra - Reserva #" + B2,
                    "oc." + B2 + ".request.0@kontroltravel.test",
                    HostilePdfs.rawPurchaseOrder(
                        AGENCY, "4500222222<script>alert(4)</script>", B2)),
            EnumSet.of(InboundOutcome.PURCHASE_ORDER, InboundOutcome.REVIEW)));
    cs.add(
        one(
            "From name with <script> and an HTML-only body",
            t ->
                raw(
                    "Message-ID: <h-xssfrom@it.test>",
                    "From: \"<script>alert(5)</script>\" <x@nowhere.test>",
                    "Subject: hola",
                    "MIME-Version: 1.0",
                    "Content-Type: text/html; charset=utf-8",
                    "",
                    "<html><body onload=alert(6)><script>alert(7)</script>Orden de compra"
                        + " </body></html>"),
            EnumSet.of(InboundOutcome.REVIEW, InboundOutcome.IGNORED)));

    // --- spoofing
    cs.add(
        one(
            "allowed sender without Authentication-Results",
            t ->
                confirmationWithPart(
                    "h-spoof-noauth@it.test",
                    "Confirmacion de reserva 45211050",
                    "Content-Type: application/pdf; name=\"r.pdf\"\r\nContent-Transfer-Encoding: base64",
                    b64(HostilePdfs.confirmation("45211050", AGENCY)),
                    false),
            EnumSet.of(InboundOutcome.QUARANTINED)));
    cs.add(
        one(
            "allowed sender with dmarc=fail from the trusted server",
            t ->
                t.mail.message(
                    "h-spoof-fail@it.test",
                    BOOKING,
                    "Confirmacion de reserva 45211051",
                    "x",
                    t.clock.instant(),
                    null,
                    Map.of(
                        "Authentication-Results",
                        AUTHSERV + "; dmarc=fail header.from=booking.test; dkim=fail"),
                    List.of(
                        ItMail.Attachment.pdf(
                            "r.pdf", HostilePdfs.confirmation("45211051", AGENCY)))),
            EnumSet.of(InboundOutcome.QUARANTINED)));
    cs.add(
        one(
            "allowed sender with a pass forged by an untrusted server",
            t ->
                t.mail.message(
                    "h-spoof-forged@it.test",
                    BOOKING,
                    "Confirmacion de reserva 45211052",
                    "x",
                    t.clock.instant(),
                    null,
                    Map.of(
                        "Authentication-Results",
                        "mx.attacker.test; dmarc=pass header.from=booking.test"),
                    List.of(
                        ItMail.Attachment.pdf(
                            "r.pdf", HostilePdfs.confirmation("45211052", AGENCY)))),
            EnumSet.of(InboundOutcome.QUARANTINED)));
    cs.add(
        one(
            "pass for another domain (header.from=attacker.test)",
            t ->
                t.mail.message(
                    "h-spoof-otherdomain@it.test",
                    BOOKING,
                    "Confirmacion de reserva 45211053",
                    "x",
                    t.clock.instant(),
                    null,
                    Map.of(
                        "Authentication-Results",
                        AUTHSERV + "; dmarc=pass header.from=attacker.test"),
                    List.of(
                        ItMail.Attachment.pdf(
                            "r.pdf", HostilePdfs.confirmation("45211053", AGENCY)))),
            EnumSet.of(InboundOutcome.QUARANTINED)));
    cs.add(
        one(
            "display name that looks like the allowed sender",
            t ->
                t.mail.message(
                    "h-spoof-display@it.test",
                    "\"" + BOOKING + "\" <evil@attacker.test>",
                    "Confirmacion de reserva 45211054",
                    "x",
                    t.clock.instant(),
                    null,
                    AUTH_PASS,
                    List.of(
                        ItMail.Attachment.pdf(
                            "r.pdf", HostilePdfs.confirmation("45211054", AGENCY)))),
            not(InboundOutcome.CONFIRMATION)));

    // --- replies and duplicates
    cs.add(
        new Case(
            "an OC naming two bookings",
            t ->
                List.of(
                    t.mail.message(
                        "h-twobookings@andes.test",
                        AGENCY_MAIL,
                        "Orden de compra reservas 45211020 y 45211021",
                        "Adjuntamos la OC para las reservas 45211020 y 45211021",
                        t.clock.instant(),
                        null,
                        Map.of(),
                        List.of(
                            ItMail.Attachment.pdf(
                                "OC.pdf",
                                HostilePdfs.rawPurchaseOrder(
                                    AGENCY, "4500333333", "45211020 y 45211021"))))),
            EnumSet.of(InboundOutcome.REVIEW),
            1,
            (t, r) -> {
              for (String id : List.of("45211020", "45211021")) {
                assertThat(t.engine.operations().reservation(id).orElseThrow().state())
                    .as("an ambiguous OC is not filed against %s", id)
                    .isNotEqualTo(TrackingState.RECEIVED);
              }
            }));
    cs.add(
        new Case(
            "an OC for a booking already received",
            t ->
                List.of(
                    t.reply(
                        "h-again@andes.test",
                        AGENCY_MAIL,
                        "RE: Solicitud de Orden de Compra - Reserva #" + B3,
                        "oc." + B3 + ".request.0@kontroltravel.test",
                        HostilePdfs.purchaseOrder(AGENCY, "4500999999", B3))),
            ANY,
            1,
            (t, r) -> {
              Reservation b3 = t.engine.operations().reservation(B3).orElseThrow();
              assertThat(b3.state()).isEqualTo(TrackingState.RECEIVED);
              assertThat(b3.purchaseOrder().ocNumber()).isEqualTo("4500000003");
              long acks =
                  t.mail.inboxOf(AGENCY_MAIL).stream()
                      .filter(m -> ItMail.messageId(m).startsWith("oc." + B3 + ".acknowledgement."))
                      .count();
              assertThat(acks).as("one acknowledgement only").isEqualTo(1);
            }));
    cs.add(
        new Case(
            "the same confirmation delivered three times",
            t -> {
              byte[] m =
                  t.confirmation(
                      "h-dup@booking.test",
                      "45211060",
                      HostilePdfs.confirmation("45211060", AGENCY));
              return List.of(m, m, m);
            },
            EnumSet.of(InboundOutcome.CONFIRMATION),
            1,
            (t, r) ->
                assertThat(
                        t.mail.inboxOf(AGENCY_MAIL).stream()
                            .filter(m -> ItMail.messageId(m).startsWith("oc.45211060.request."))
                            .count())
                    .as("one request for a thrice-delivered confirmation")
                    .isEqualTo(1)));
    cs.add(
        new Case(
            "a second message reusing an earlier Message-ID",
            t ->
                List.of(
                    t.reply(
                        "h-dup@booking.test",
                        AGENCY_MAIL,
                        "Orden de compra 45211022",
                        null,
                        HostilePdfs.purchaseOrder(AGENCY, "4500444444", "45211022"))),
            ANY,
            0,
            (t, r) ->
                assertThat(t.engine.operations().reservation("45211022").orElseThrow().state())
                    .as("a reused Message-ID is not processed again")
                    .isNotEqualTo(TrackingState.RECEIVED)));
    cs.add(
        one(
            "an OC for a booking nobody tracks",
            t ->
                t.reply(
                    "h-unknown@andes.test",
                    AGENCY_MAIL,
                    "Orden de compra reserva 99999999",
                    null,
                    HostilePdfs.purchaseOrder(AGENCY, "4500555555", "99999999")),
            EnumSet.of(InboundOutcome.REVIEW)));
    cs.add(
        one(
            "a reply to a Message-ID we never sent",
            t ->
                t.reply(
                    "h-foreignreply@andes.test",
                    AGENCY_MAIL,
                    "RE: algo",
                    "oc." + B1 + ".request.0@attacker.test",
                    null),
            EnumSet.of(InboundOutcome.IGNORED, InboundOutcome.REVIEW)));
    cs.add(
        one(
            "an OC from an unrelated sender naming a booking",
            t ->
                t.reply(
                    "h-thirdparty@outsider.test",
                    "someone@outsider.test",
                    "Orden de compra 45211024",
                    null,
                    HostilePdfs.purchaseOrder("EVIL", "4500666666", "45211024")),
            ANY));
    return cs.stream().map(x -> Named.of(x.name(), x));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @Order(1)
  @DisplayName("a hostile input ends recorded once, with an outcome and a reason")
  void hostileInput(Case c) {
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
