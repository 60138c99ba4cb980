package com.kontroltravel.oc.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.FetchBatch;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.MailboxCursor;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.SendResult;
import com.kontroltravel.oc.spi.MailGateway;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link MailGateway} must meet. Make a test class that extends this and
 * implement the abstract methods; every test method then runs against your gateway.
 *
 * <p>Each test method must start with an empty monitored mailbox and nothing sent (use a fresh
 * server, mailbox or fake per test, for example in a {@code @BeforeEach}). {@link #gateway()} may
 * be called several times in one test and must return the same gateway each time within a test.
 */
public abstract class MailGatewayCompatibilityKit {

  /** For the adapter's test class, which extends this kit. */
  protected MailGatewayCompatibilityKit() {}

  /** The gateway under test. */
  protected abstract MailGateway gateway();

  /**
   * Puts {@code message} into the mailbox the gateway reads, as a real email would arrive: with its
   * subject, sender (address and display name), date, text body, Message-ID, In-Reply-To,
   * References and attachments. Its {@code position} and {@code problems} are ignored.
   */
  protected abstract void deliver(InboundMessage message);

  /**
   * Every message that reached the mail server through {@link MailGateway#send}, read back from the
   * server as records (one per sent message, not per recipient), in the order they arrived. Text
   * bodies may use either line ending; attachment content types may carry parameters.
   */
  protected abstract List<OutboundMessage> sent();

  /**
   * An address the server refuses with a permanent (5xx) error, or empty when the server under test
   * cannot refuse one; the rejection check is then skipped.
   */
  protected Optional<String> rejectedRecipient() {
    return Optional.empty();
  }

  /** How long a sent message may take to show up in {@link #sent()}. */
  protected Duration deliveryTimeout() {
    return Duration.ofSeconds(10);
  }

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  /**
   * A distinct test PDF: a real header and trailer around every byte value, so transfer encodings
   * must be exact.
   */
  protected static byte[] pdfBytes(int seed) {
    StringBuilder head = new StringBuilder("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
    head.append("1 0 obj << /Type /Catalog /Seed ").append(seed).append(" >> endobj\n");
    byte[] start = head.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] end = "\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] out = new byte[start.length + 512 + end.length];
    System.arraycopy(start, 0, out, 0, start.length);
    for (int i = 0; i < 512; i++) {
      out[start.length + i] = (byte) (i + seed);
    }
    System.arraycopy(end, 0, out, start.length + 512, end.length);
    return out;
  }

  /** A realistic confirmation email with a unique Message-ID. */
  protected static InboundMessage confirmation(String tag) {
    int n = SEQUENCE.incrementAndGet();
    return InboundMessage.builder()
        .messageId("kit-" + tag + "-" + n + "." + System.nanoTime() + "@booking.example")
        .from("reservas@booking.example")
        .fromName("Sistema de Reservas")
        .subject("Confirmación de reserva " + tag + " " + n)
        .textBody("Adjuntamos el resumen de servicios.\nSaludos.")
        .date(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .attachment(Attachment.pdf("Resumen " + n + ".pdf", pdfBytes(n)))
        .build();
  }

  private static List<String> ids(List<InboundMessage> messages) {
    return messages.stream().map(InboundMessage::messageId).toList();
  }

  private static void assertPositions(FetchBatch batch, String mailbox) {
    long previous = -1;
    Long uidValidity = null;
    for (InboundMessage m : batch.messages()) {
      MailboxCursor p = m.position();
      assertThat(p).as("position of %s", m.messageId()).isNotNull();
      assertThat(p.mailbox()).isEqualTo(mailbox);
      assertThat(p.uid()).as("uids increase in mailbox order").isGreaterThan(previous);
      if (uidValidity != null) {
        assertThat(p.uidValidity()).isEqualTo(uidValidity);
      }
      uidValidity = p.uidValidity();
      previous = p.uid();
    }
    if (!batch.messages().isEmpty()) {
      assertThat(batch.cursor())
          .as("the batch cursor is the position of its last message")
          .isEqualTo(batch.messages().get(batch.messages().size() - 1).position());
    }
  }

  @Test
  @DisplayName("the mailbox name is stable and not blank")
  void mailboxNameIsStable() {
    assertThat(gateway().mailbox()).isNotBlank();
    assertThat(gateway().mailbox()).isEqualTo(gateway().mailbox());
  }

  @Test
  @DisplayName("an empty mailbox yields no messages and a cursor for that mailbox")
  void emptyMailbox() {
    FetchBatch batch = gateway().fetch(null, 10);
    assertThat(batch.messages()).isEmpty();
    assertThat(batch.hasMore()).isFalse();
    assertThat(batch.cursor().mailbox()).isEqualTo(gateway().mailbox());
  }

  @Test
  @DisplayName("fetching without a cursor returns every message in mailbox order with its position")
  void fetchFromStart() {
    List<InboundMessage> delivered = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      InboundMessage m = confirmation("start");
      deliver(m);
      delivered.add(m);
    }
    FetchBatch batch = gateway().fetch(null, 100);
    assertThat(ids(batch.messages())).containsExactlyElementsOf(ids(delivered));
    assertThat(batch.hasMore()).isFalse();
    assertPositions(batch, gateway().mailbox());
  }

  @Test
  @DisplayName("fetching after the returned cursor yields only newer messages")
  void fetchAfterCursor() {
    InboundMessage a = confirmation("old");
    InboundMessage b = confirmation("old");
    deliver(a);
    deliver(b);
    FetchBatch first = gateway().fetch(null, 100);
    assertThat(ids(first.messages())).containsExactly(a.messageId(), b.messageId());

    FetchBatch none = gateway().fetch(first.cursor(), 100);
    assertThat(none.messages()).as("nothing new yet").isEmpty();
    assertThat(none.cursor().uid()).isGreaterThanOrEqualTo(first.cursor().uid());

    InboundMessage c = confirmation("new");
    InboundMessage d = confirmation("new");
    deliver(c);
    deliver(d);
    FetchBatch second = gateway().fetch(none.cursor(), 100);
    assertThat(ids(second.messages())).containsExactly(c.messageId(), d.messageId());
    assertPositions(second, gateway().mailbox());
    assertThat(second.messages().get(0).position().uid()).isGreaterThan(first.cursor().uid());
  }

  @Test
  @DisplayName("maxMessages is honoured and hasMore leads through the whole mailbox exactly once")
  void maxMessagesAndHasMore() {
    List<String> delivered = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      InboundMessage m = confirmation("page");
      deliver(m);
      delivered.add(m.messageId());
    }
    FetchBatch batch = gateway().fetch(null, 2);
    assertThat(batch.messages()).hasSize(2);
    assertThat(batch.hasMore()).isTrue();
    List<String> seen = new ArrayList<>(ids(batch.messages()));
    for (int round = 0; round < 10 && batch.hasMore(); round++) {
      batch = gateway().fetch(batch.cursor(), 2);
      assertThat(batch.messages().size()).isBetween(1, 2);
      seen.addAll(ids(batch.messages()));
    }
    assertThat(batch.hasMore()).isFalse();
    assertThat(seen).containsExactlyElementsOf(delivered);
  }

  @Test
  @DisplayName("fetching again from an older cursor repeats the messages after it (at least once)")
  void refetchRepeats() {
    List<String> delivered = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      InboundMessage m = confirmation("again");
      deliver(m);
      delivered.add(m.messageId());
    }
    FetchBatch first = gateway().fetch(null, 1);
    assertThat(ids(first.messages())).containsExactly(delivered.get(0));
    FetchBatch rest = gateway().fetch(first.cursor(), 10);
    assertThat(ids(rest.messages())).containsExactlyElementsOf(delivered.subList(1, 3));
    FetchBatch repeated = gateway().fetch(first.cursor(), 10);
    assertThat(ids(repeated.messages())).containsExactlyElementsOf(delivered.subList(1, 3));
    assertThat(ids(gateway().fetch(null, 10).messages())).containsExactlyElementsOf(delivered);
  }

  @Test
  @DisplayName(
      "decoded fields round-trip: accents, lower-case sender, ids without brackets, threading, PDF bytes")
  void decodedFieldsRoundTrip() {
    byte[] pdf = pdfBytes(7);
    Instant date = Instant.parse("2025-11-20T14:03:07Z");
    InboundMessage m =
        InboundMessage.builder()
            .messageId("round.trip." + System.nanoTime() + "@agencia.example")
            .from("Compras.OC@Agencia-Walvis.Example")
            .fromName("Compras Agencia Ñandú")
            .subject("RE: Confirmación de reserva 45215412 – Orden de Compra ¿recibida? ñÑ €")
            .textBody(
                "Estimados:\nAdjunto la orden de compra número 4500123456.\nAtentamente, José Peña")
            .date(date)
            .inReplyTo(List.of("oc-45215412-request@oc.kontroltravel.example"))
            .references(
                List.of(
                    "conf-45215412@booking.example",
                    "oc-45215412-request@oc.kontroltravel.example"))
            .attachment(Attachment.pdf("Orden de Compra Ñº 4500123456.pdf", pdf))
            .build();
    deliver(m);

    FetchBatch batch = gateway().fetch(null, 10);
    assertThat(batch.messages()).hasSize(1);
    InboundMessage got = batch.messages().get(0);
    assertThat(got.messageId()).isEqualTo(m.messageId());
    assertThat(got.from()).isEqualTo("compras.oc@agencia-walvis.example");
    assertThat(got.fromName()).isEqualTo("Compras Agencia Ñandú");
    assertThat(got.subject()).isEqualTo(m.subject());
    assertThat(normalise(got.textBody())).isEqualTo(m.textBody());
    assertThat(got.date()).isEqualTo(date);
    assertThat(got.inReplyTo()).containsExactlyElementsOf(m.inReplyTo());
    assertThat(got.references()).containsExactlyElementsOf(m.references());
    assertThat(got.problems()).isEmpty();
    assertThat(got.attachments()).hasSize(1);
    Attachment a = got.attachments().get(0);
    assertThat(a.fileName()).isEqualTo("Orden de Compra Ñº 4500123456.pdf");
    assertThat(a.content()).isEqualTo(pdf);
    assertThat(a.isPdf()).isTrue();
    assertThat(got.dedupKey()).isEqualTo(m.messageId());
  }

  @Test
  @DisplayName(
      "a sent message reaches the server with its ids, threading, recipients, bodies and attachment")
  void sendKeepsEverything() {
    byte[] pdf = pdfBytes(11);
    String id = "oc-45215412-reminder-1." + System.nanoTime() + "@oc.kontroltravel.example";
    OutboundMessage out =
        new OutboundMessage(
            id,
            "ordenes@kontroltravel.example",
            List.of("compras@agencia.example"),
            List.of("supervisor@agencia.example"),
            "Recordatorio: orden de compra pendiente – reserva 45215412 (Peña, Ñuñoa)",
            "Estimados:\nLes recordamos enviar la orden de compra.\nGracias.",
            "<p>Estimados:</p><p>Les recordamos enviar la <b>orden de compra</b>. ¡Gracias!</p>",
            "oc-45215412-request@oc.kontroltravel.example",
            List.of(
                "conf-45215412@booking.example", "oc-45215412-request@oc.kontroltravel.example"),
            List.of(Attachment.pdf("Resumen de servicios 45215412.pdf", pdf)));

    SendResult result = gateway().send(out);
    assertThat(result.status()).as(result.detail()).isEqualTo(SendResult.Status.SENT);

    OutboundMessage got = awaitSent(id);
    assertThat(got.messageId()).isEqualTo(id);
    assertThat(got.replyTo()).isEqualToIgnoringCase(out.replyTo());
    assertThat(lower(got.to())).containsExactlyElementsOf(out.to());
    assertThat(lower(got.cc())).containsExactlyElementsOf(out.cc());
    assertThat(got.subject()).isEqualTo(out.subject());
    assertThat(normalise(got.textBody())).isEqualTo(out.textBody());
    assertThat(normalise(got.htmlBody())).isEqualTo(out.htmlBody());
    assertThat(got.inReplyTo()).isEqualTo(out.inReplyTo());
    assertThat(got.references()).containsExactlyElementsOf(out.references());
    assertThat(got.attachments()).hasSize(1);
    Attachment a = got.attachments().get(0);
    assertThat(a.fileName()).isEqualTo("Resumen de servicios 45215412.pdf");
    assertThat(a.content()).isEqualTo(pdf);
    assertThat(baseType(a.contentType())).isEqualTo("application/pdf");
  }

  @Test
  @DisplayName("a text-only message without threading is sent as given")
  void sendTextOnly() {
    String id = "oc-1-ack." + System.nanoTime() + "@oc.kontroltravel.example";
    OutboundMessage out =
        new OutboundMessage(
            id,
            null,
            List.of("compras@agencia.example"),
            List.of(),
            "Acuse de recibo",
            "Recibimos su orden de compra.",
            null,
            null,
            List.of(),
            List.of());
    assertThat(gateway().send(out).isSent()).isTrue();
    OutboundMessage got = awaitSent(id);
    assertThat(normalise(got.textBody())).isEqualTo(out.textBody());
    assertThat(got.htmlBody()).isNull();
    assertThat(got.inReplyTo()).isNull();
    assertThat(got.references()).isEmpty();
    assertThat(got.attachments()).isEmpty();
    assertThat(got.cc()).isEmpty();
  }

  @Test
  @DisplayName("an address the server rejects is a permanent failure")
  void rejectedAddressIsPermanent() {
    Optional<String> rejected = rejectedRecipient();
    Assumptions.assumeTrue(rejected.isPresent(), "the server under test cannot reject addresses");
    OutboundMessage out =
        new OutboundMessage(
            "oc-rejected." + System.nanoTime() + "@oc.kontroltravel.example",
            null,
            List.of(rejected.get()),
            List.of(),
            "Solicitud de orden de compra",
            "texto",
            null,
            null,
            List.of(),
            List.of());
    SendResult result = gateway().send(out);
    assertThat(result.status()).isEqualTo(SendResult.Status.PERMANENT_FAILURE);
    assertThat(result.detail()).isNotBlank();
  }

  @Test
  @DisplayName("the gateway can fetch and send from two threads at once")
  void usableFromTwoThreads() throws Exception {
    List<String> delivered = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      InboundMessage m = confirmation("threads");
      deliver(m);
      delivered.add(m.messageId());
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Set<String>> fetcher =
          pool.submit(
              () -> {
                Set<String> seen = new HashSet<>();
                for (int round = 0; round < 5; round++) {
                  seen.addAll(ids(gateway().fetch(null, 100).messages()));
                }
                return seen;
              });
      Future<List<SendResult>> sender =
          pool.submit(
              () -> {
                List<SendResult> results = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                  results.add(
                      gateway()
                          .send(
                              new OutboundMessage(
                                  "oc-thread-" + i + "." + System.nanoTime() + "@oc.example",
                                  null,
                                  List.of("compras@agencia.example"),
                                  List.of(),
                                  "Solicitud " + i,
                                  "texto " + i,
                                  null,
                                  null,
                                  List.of(),
                                  List.of())));
                }
                return results;
              });
      assertThat(fetcher.get(60, TimeUnit.SECONDS)).containsExactlyInAnyOrderElementsOf(delivered);
      assertThat(sender.get(60, TimeUnit.SECONDS)).allMatch(SendResult::isSent);
    } finally {
      pool.shutdownNow();
    }
    long deadline = System.nanoTime() + deliveryTimeout().toNanos();
    while (sent().size() < 5 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(sent()).hasSize(5);
  }

  @Test
  @DisplayName(
      "when push is offered, a new message triggers the callback, and closing the handle stops it")
  void pushWhenOffered() throws Exception {
    java.util.concurrent.Semaphore calls = new java.util.concurrent.Semaphore(0);
    Optional<AutoCloseable> handle = gateway().subscribe(calls::release);
    Assumptions.assumeTrue(handle.isPresent(), "the gateway offers no push");
    try {
      // Spurious calls are allowed (for example one when the subscription connects): let them pass.
      for (int i = 0; i < 20 && calls.tryAcquire(100, TimeUnit.MILLISECONDS); i++) {
        calls.drainPermits();
      }
      deliver(confirmation("push"));
      assertThat(calls.tryAcquire(deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS))
          .as("callback after a new message")
          .isTrue();
    } finally {
      handle.get().close();
    }
    calls.drainPermits();
    deliver(confirmation("push-after-close"));
    assertThat(calls.tryAcquire(500, TimeUnit.MILLISECONDS))
        .as("no callback once closed")
        .isFalse();
  }

  /**
   * Waits (bounded by {@link #deliveryTimeout()}) until a message with this Message-ID reached the
   * server.
   */
  protected OutboundMessage awaitSent(String messageId) {
    long deadline = System.nanoTime() + deliveryTimeout().toNanos();
    while (true) {
      for (OutboundMessage m : sent()) {
        if (m.messageId().equals(messageId)) {
          return m;
        }
      }
      if (System.nanoTime() > deadline) {
        return fail(
            "message " + messageId + " did not reach the server within " + deliveryTimeout());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return fail("interrupted");
      }
    }
  }

  private static String normalise(String text) {
    if (text == null) {
      return null;
    }
    String s = text.replace("\r\n", "\n");
    // Some transfer encodings add one final line break; anything else must be exact.
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }

  private static List<String> lower(List<String> addresses) {
    return addresses.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
  }

  private static String baseType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi))
        .trim()
        .toLowerCase(Locale.ROOT);
  }
}
