package com.kontroltravel.oc.mail.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kontroltravel.oc.exception.MailAccessException;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.FetchBatch;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.SendResult;
import com.kontroltravel.oc.testkit.mail.TestMails;
import jakarta.mail.Flags;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Intake against GreenMail on loopback: exactly once across restarts, \Seen, UIDVALIDITY, IDLE,
 * outages.
 */
class ImapIntakeTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private <T extends AutoCloseable> T track(T t) {
    open.add(t);
    return t;
  }

  private static final byte[] PDF =
      "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
          .getBytes(StandardCharsets.ISO_8859_1);

  /**
   * Message {@code i} of a mixed mailbox: confirmations, OC replies, HTML-only, no Message-ID,
   * broken MIME.
   */
  static byte[] mixed(int i) {
    String id = "m" + i + "@mixed.example";
    return switch (i % 5) {
      case 0 ->
          TestMails.to(TestMailServer.USER)
              .raw(
                  TestMails.to(TestMailServer.USER)
                      .toMime(
                          InboundMessage.builder()
                              .messageId(id)
                              .from("reservas@booking.example")
                              .subject("Confirmación de reserva " + (45000000 + i))
                              .textBody("Resumen de servicios " + i)
                              .date(Instant.parse("2025-11-20T10:00:00Z").plusSeconds(i))
                              .attachment(Attachment.pdf("Resumen " + i + ".pdf", PDF))
                              .build()));
      case 1 ->
          TestMails.to(TestMailServer.USER)
              .raw(
                  TestMails.to(TestMailServer.USER)
                      .toMime(
                          InboundMessage.builder()
                              .messageId(id)
                              .from("compras@agencia.example")
                              .subject("RE: Solicitud de orden de compra " + i)
                              .textBody("Adjunto OC " + i)
                              .inReplyTo(List.of("oc-" + i + "-request@oc.example"))
                              .references(List.of("oc-" + i + "-request@oc.example"))
                              .build()));
      case 2 ->
          ("From: x@y.example\r\nSubject: html "
                  + i
                  + "\r\nMessage-ID: <"
                  + id
                  + ">\r\n"
                  + "Content-Type: text/html; charset=utf-8\r\n\r\n<p>Hola "
                  + i
                  + "</p>\r\n")
              .getBytes(StandardCharsets.UTF_8);
      case 3 ->
          ("From: sin-id@y.example\r\nSubject: sin message-id "
                  + i
                  + "\r\n"
                  + "Content-Type: text/plain\r\n\r\ncuerpo "
                  + i
                  + "\r\n")
              .getBytes(StandardCharsets.UTF_8);
      default ->
          ("From: roto@y.example\r\nSubject: roto "
                  + i
                  + "\r\nMessage-ID: <"
                  + id
                  + ">\r\n"
                  + "Content-Type: multipart/mixed; boundary=\"nunca\"\r\n\r\nsin partes "
                  + i
                  + "\r\n")
              .getBytes(StandardCharsets.UTF_8);
    };
  }

  @Test
  @DisplayName("1,000 mixed messages are taken in exactly once across a restart in the middle")
  void thousandMessagesAcrossRestart() {
    TestMailServer server = track(TestMailServer.start(false));
    for (int i = 0; i < 500; i++) {
      server.deliverRaw(mixed(i));
    }
    SimulatedEngine engine = new SimulatedEngine(dir.resolve("cursor"));
    MailSettings settings = server.settings().build();
    JakartaMailGateway first = JakartaMailGateway.create(settings);
    int crashBatch = 0;
    for (int round = 0; round < 100; round++) {
      FetchBatch b = first.fetch(engine.loadCursor(), 37);
      engine.record(b);
      if (engine.recorded.size() >= 300) {
        // The engine dies after recording this batch and before saving its cursor.
        crashBatch = b.messages().size();
        break;
      }
      engine.saveCursor(b.cursor());
    }
    first.close();
    assertThat(crashBatch).isPositive();

    JakartaMailGateway second = track(JakartaMailGateway.create(settings));
    int next = 500;
    for (int round = 0; round < 200; round++) {
      for (int k = 0; k < 50 && next < 1000; k++) {
        server.deliverRaw(mixed(next++));
      }
      FetchBatch b = engine.step(second, 37);
      if (!b.hasMore() && next >= 1000) {
        break;
      }
    }
    engine.drain(second, 37);

    assertThat(engine.recorded).hasSize(1000);
    Set<String> expectedIds = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      if (i % 5 != 3) {
        expectedIds.add("m" + i + "@mixed.example");
      }
    }
    assertThat(engine.recorded.keySet()).containsAll(expectedIds);
    assertThat(engine.recorded.keySet().stream().filter(k -> k.endsWith("@oc-intake.invalid")))
        .hasSize(200);
    assertThat(engine.recorded.values().stream().filter(m -> !m.problems().isEmpty())).hasSize(200);
    // At least once: only the batch in flight at the crash came twice from the gateway.
    assertThat(engine.fetchedKeys.size() - engine.recorded.size()).isEqualTo(crashBatch);
  }

  @Test
  @DisplayName(
      "messages a person already read are still taken in, and the gateway leaves \\Seen untouched")
  void seenMessagesAreTakenIn() throws Exception {
    TestMailServer server = track(TestMailServer.start(false));
    for (int i = 0; i < 4; i++) {
      server.deliverRaw(mixed(i * 5));
    }
    ImapClient person = track(new ImapClient(server));
    person.markSeen("INBOX", 1, 3);
    JakartaMailGateway gateway = track(JakartaMailGateway.create(server.settings().build()));
    FetchBatch b = gateway.fetch(null, 100);
    assertThat(b.messages())
        .extracting(InboundMessage::messageId)
        .containsExactly(
            "m0@mixed.example", "m5@mixed.example", "m10@mixed.example", "m15@mixed.example");
    List<Flags> flags = person.flags("INBOX");
    assertThat(flags.get(0).contains(Flags.Flag.SEEN)).isTrue();
    assertThat(flags.get(1).contains(Flags.Flag.SEEN)).as("unread mail stays unread").isFalse();
    assertThat(flags.get(2).contains(Flags.Flag.SEEN)).isTrue();
    assertThat(flags.get(3).contains(Flags.Flag.SEEN)).as("unread mail stays unread").isFalse();
  }

  @Test
  @DisplayName(
      "a UIDVALIDITY change rescans the folder: the engine repeats nothing and loses nothing")
  void uidValidityChange() throws Exception {
    TestMailServer server = track(TestMailServer.start(false));
    ImapClient admin = track(new ImapClient(server));
    admin.create("Reservas");
    List<MimeMessage> firstFive = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      firstFive.add(new MimeMessage(TestMails.SESSION, new java.io.ByteArrayInputStream(mixed(i))));
    }
    admin.append("Reservas", firstFive.toArray(new MimeMessage[0]));
    long before = admin.uidValidity("Reservas");

    JakartaMailGateway gateway =
        track(JakartaMailGateway.create(server.settings().folder("Reservas").build()));
    SimulatedEngine engine = new SimulatedEngine(dir.resolve("cursor"));
    engine.drain(gateway, 10);
    assertThat(engine.recorded).hasSize(5);

    // The folder is deleted and re-created with the same mail plus two new messages.
    admin.delete("Reservas");
    Thread.sleep(1100); // GreenMail derives UIDVALIDITY from the clock in seconds
    admin.create("Reservas");
    admin.append("Reservas", firstFive.toArray(new MimeMessage[0]));
    admin.append(
        "Reservas",
        new MimeMessage(TestMails.SESSION, new java.io.ByteArrayInputStream(mixed(5))),
        new MimeMessage(TestMails.SESSION, new java.io.ByteArrayInputStream(mixed(6))));
    assertThat(admin.uidValidity("Reservas")).isNotEqualTo(before);

    FetchBatch rescan = engine.step(gateway, 100);
    assertThat(rescan.messages()).as("everything again, from the start").hasSize(7);
    assertThat(rescan.cursor().uidValidity()).isNotEqualTo(before);
    assertThat(engine.recorded).hasSize(7);
    assertThat(engine.recorded.keySet()).contains("m5@mixed.example", "m6@mixed.example");
    assertThat(engine.step(gateway, 100).messages()).isEmpty();
  }

  @Test
  @DisplayName("IDLE reports a new message within 2 seconds, also after the IDLE was re-issued")
  void idleDeliversNewMail() throws Exception {
    TestMailServer server = track(TestMailServer.start(false));
    JakartaMailGateway gateway =
        track(
            JakartaMailGateway.create(
                server.settings().idleRenewal(Duration.ofMillis(1500)).build()));
    Semaphore calls = new Semaphore(0);
    AutoCloseable subscription = gateway.subscribe(calls::release).orElseThrow();
    track(subscription);
    // The watcher signals once when it (re)connects, as mail may have come while it was away.
    assertThat(calls.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    calls.drainPermits();

    server.deliverRaw(mixed(0));
    assertThat(calls.tryAcquire(2, TimeUnit.SECONDS)).as("callback within 2 s").isTrue();
    assertThat(gateway.fetch(null, 10).messages()).hasSize(1);

    Thread.sleep(3500); // at least two IDLE renewals
    calls.drainPermits();
    server.deliverRaw(mixed(1));
    assertThat(calls.tryAcquire(2, TimeUnit.SECONDS))
        .as("callback within 2 s after renewals")
        .isTrue();

    // Closing. A second, live subscription is the control: it must call back within the window
    // proven above for mail delivered after the first one is closed, and the closed one must stay
    // silent for that whole window and as long again. A closed subscription that merely called back
    // late, or not at all because IDLE had stopped working, would not pass.
    Duration window = Duration.ofSeconds(2);
    Semaphore control = new Semaphore(0);
    track(gateway.subscribe(control::release).orElseThrow());
    assertThat(control.tryAcquire(10, TimeUnit.SECONDS)).as("control connected").isTrue();
    server.deliverRaw(mixed(2));
    assertThat(control.tryAcquire(window.toMillis(), TimeUnit.MILLISECONDS))
        .as("the control is in IDLE")
        .isTrue();
    assertThat(calls.tryAcquire(window.toMillis(), TimeUnit.MILLISECONDS))
        .as("the first subscription is live too")
        .isTrue();

    subscription.close();
    calls.drainPermits();
    control.drainPermits();
    long delivered = System.nanoTime();
    server.deliverRaw(mixed(3));
    assertThat(control.tryAcquire(window.toMillis(), TimeUnit.MILLISECONDS))
        .as("a live IDLE calls back within %s for mail delivered after the close", window)
        .isTrue();
    long waited = Duration.ofNanos(System.nanoTime() - delivered).toMillis();
    assertThat(
            calls.tryAcquire(
                window.toMillis() + Math.max(0, window.toMillis() - waited), TimeUnit.MILLISECONDS))
        .as("no callback once closed, within twice the proven window")
        .isFalse();
  }

  @Test
  @DisplayName(
      "a server outage throws MailAccessException meanwhile; after the restart nothing is lost")
  void outageAndRestart() throws Exception {
    TestMailServer server = track(TestMailServer.start(false));
    for (int i = 0; i < 20; i++) {
      server.deliverRaw(mixed(i));
    }
    JakartaMailGateway gateway = track(JakartaMailGateway.create(server.settings().build()));
    SimulatedEngine engine = new SimulatedEngine(dir.resolve("cursor"));
    engine.step(gateway, 10);
    assertThat(engine.recorded).hasSize(10);

    server.stop();
    assertThatThrownBy(() -> engine.step(gateway, 10)).isInstanceOf(MailAccessException.class);
    SendResult during =
        gateway.send(
            new OutboundMessage(
                "outage@oc.example",
                null,
                List.of("a@agencia.example"),
                List.of(),
                "s",
                "t",
                null,
                null,
                List.of(),
                List.of()));
    assertThat(during.status()).isEqualTo(SendResult.Status.TRANSIENT_FAILURE);

    // GreenMail keeps mail in memory only: the restarted server gets its mailbox back from
    // "backup", plus new
    // mail, under whatever UIDVALIDITY it now has.
    server.start();
    for (int i = 0; i < 25; i++) {
      server.deliverRaw(mixed(i));
    }
    engine.drain(gateway, 10);
    assertThat(engine.recorded).hasSize(25);
    assertThat(
            gateway
                .send(
                    new OutboundMessage(
                        "after@oc.example",
                        null,
                        List.of("a@agencia.example"),
                        List.of(),
                        "s",
                        "t",
                        null,
                        null,
                        List.of(),
                        List.of()))
                .isSent())
        .isTrue();
  }

  @Test
  @DisplayName(
      "UID gaps (expunged runs longer than a batch) and mail after the read: every message once,"
          + " in order, no empty batch while mail remains")
  void uidGapsAndLateMail() throws Exception {
    TestMailServer server = track(TestMailServer.start(false));
    for (int i = 0; i < 60; i++) {
      server.deliverRaw(mixed(i * 5)); // confirmations: m0, m5, ... m295
    }
    ImapClient person = track(new ImapClient(server));
    // Positions 4..28 (25 in a row, more than several windows of 4) and a few scattered ones.
    int[] gone = new int[25 + 3];
    for (int k = 0; k < 25; k++) {
      gone[k] = 4 + k;
    }
    gone[25] = 40;
    gone[26] = 41;
    gone[27] = 59;
    person.expunge("INBOX", gone);
    Set<Integer> expunged = new HashSet<>();
    for (int p : gone) {
      expunged.add(p - 1);
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      if (!expunged.contains(i)) {
        expected.add("m" + i * 5 + "@mixed.example");
      }
    }
    JakartaMailGateway gateway = track(JakartaMailGateway.create(server.settings().build()));
    List<String> seen = new ArrayList<>();
    FetchBatch b = null;
    for (int round = 0; round < 40; round++) {
      b = gateway.fetch(b == null ? null : b.cursor(), 3);
      assertThat(b.messages().size()).as("round " + round).isBetween(1, 3);
      b.messages().forEach(m -> seen.add(m.messageId()));
      if (!b.hasMore()) {
        break;
      }
    }
    assertThat(b.hasMore()).isFalse();
    assertThat(seen).containsExactlyElementsOf(expected);
    // Mail delivered after the last read is found by the next one, and nothing before it again.
    server.deliverRaw(mixed(1000));
    FetchBatch late = gateway.fetch(b.cursor(), 3);
    assertThat(late.messages())
        .extracting(InboundMessage::messageId)
        .containsExactly("m1000@mixed.example");
    assertThat(gateway.fetch(late.cursor(), 3).messages()).isEmpty();
  }

  @Test
  @DisplayName("messages without a Message-ID get a stable identity from their raw bytes")
  void noMessageIdGetsRawDigest() {
    TestMailServer server = track(TestMailServer.start(false));
    byte[] empty = "From: a@y.example\r\n\r\n".getBytes(StandardCharsets.UTF_8);
    byte[] binary =
        "From: a@y.example\r\nContent-Type: application/octet-stream\r\n\r\nAAECAw==\r\n"
            .getBytes(StandardCharsets.UTF_8);
    server.deliverRaw(empty);
    server.deliverRaw(binary);
    JakartaMailGateway gateway = track(JakartaMailGateway.create(server.settings().build()));
    List<InboundMessage> first = gateway.fetch(null, 10).messages();
    List<InboundMessage> again = gateway.fetch(null, 10).messages();
    assertThat(first).hasSize(2);
    assertThat(first)
        .allMatch(m -> m.messageId().matches("sha256-[0-9a-f]{64}@oc-intake\\.invalid"));
    assertThat(first.get(0).messageId()).isNotEqualTo(first.get(1).messageId());
    assertThat(again)
        .extracting(InboundMessage::messageId)
        .containsExactly(first.get(0).messageId(), first.get(1).messageId());
  }

  @Test
  @DisplayName(
      "a message over the size limit is reported as too large with its headers, not downloaded")
  void tooLarge() {
    TestMailServer server = track(TestMailServer.start(false));
    byte[] big = new byte[200_000];
    new java.util.Random(1).nextBytes(big);
    server.deliverRaw(
        TestMails.to(TestMailServer.USER)
            .raw(
                TestMails.to(TestMailServer.USER)
                    .toMime(
                        InboundMessage.builder()
                            .messageId("big@booking.example")
                            .from("reservas@booking.example")
                            .subject("Confirmación grande")
                            .textBody("x")
                            .attachment(Attachment.pdf("big.pdf", big))
                            .build())));
    server.deliverRaw(mixed(0));
    JakartaMailGateway gateway =
        track(JakartaMailGateway.create(server.settings().maxMessageSize(100_000).build()));
    List<InboundMessage> got = gateway.fetch(null, 10).messages();
    assertThat(got).hasSize(2);
    InboundMessage m = got.get(0);
    assertThat(m.messageId()).isEqualTo("big@booking.example");
    assertThat(m.subject()).isEqualTo("Confirmación grande");
    assertThat(m.from()).isEqualTo("reservas@booking.example");
    assertThat(m.attachments()).isEmpty();
    assertThat(m.problems())
        .singleElement()
        .asString()
        .matches("too large \\(\\d+ bytes > 100000\\)");
    assertThat(got.get(1).problems()).isEmpty();
  }

  @Test
  @DisplayName(
      "a message above the spool threshold is decoded from a temporary file with exact bytes")
  void spooledMessage() {
    TestMailServer server = track(TestMailServer.start(false));
    byte[] pdf = new byte[300_000];
    new java.util.Random(2).nextBytes(pdf);
    System.arraycopy(PDF, 0, pdf, 0, 8);
    server.deliverRaw(
        TestMails.to(TestMailServer.USER)
            .raw(
                TestMails.to(TestMailServer.USER)
                    .toMime(
                        InboundMessage.builder()
                            .messageId("spool@booking.example")
                            .from("reservas@booking.example")
                            .subject("grande")
                            .textBody("x")
                            .attachment(Attachment.pdf("Resumen.pdf", pdf))
                            .build())));
    JakartaMailGateway gateway =
        track(JakartaMailGateway.create(server.settings().spoolThreshold(10_000).build()));
    InboundMessage m = gateway.fetch(null, 10).messages().get(0);
    assertThat(m.problems()).isEmpty();
    assertThat(m.attachments())
        .singleElement()
        .satisfies(a -> assertThat(a.content()).isEqualTo(pdf));
  }
}
