package com.kontroltravel.oc.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kontroltravel.oc.FirstStart;
import com.kontroltravel.oc.InboundDetail;
import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.exception.InvalidOperationException;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.AttentionReason;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.ParseResult;
import com.kontroltravel.oc.model.PurchaseOrderInfo;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.spi.ReservationParser;
import com.kontroltravel.oc.store.memory.InMemoryStore;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the engine does with messages it could not process at once, and what operators can do about
 * them: transient failures retried from the kept copy, quarantined messages inspected and
 * reprocessed, review dismissed, replies checked for an OC, OC totals compared, first starts.
 */
class InboundRecoveryTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  SettableClock clock;
  RecordingMailGateway gateway;
  InMemoryStore store;
  FlakyParser parser;
  AtomicInteger seq = new AtomicInteger();

  /** The fake parser, failing "for now" (a time-out) while {@link #failuresLeft} is positive. */
  static final class FlakyParser implements ReservationParser {
    final FakePdf fake = new FakePdf();
    final AtomicInteger failuresLeft = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    final java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public ParseResult parse(byte[] document) {
      calls.incrementAndGet();
      threads.add(Thread.currentThread().getName());
      if (failuresLeft.getAndDecrement() > 0) {
        return ParseResult.failedForNow("reading took longer than the limit of 5000 ms");
      }
      return fake.parse(document);
    }

    @Override
    public PurchaseOrderInfo readPurchaseOrder(byte[] document) {
      return fake.readPurchaseOrder(document);
    }
  }

  @BeforeEach
  void setUp() {
    clock = SettableClock.at(ZonedDateTime.of(2025, 11, 3, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
    gateway = RecordingMailGateway.create(clock);
    store = InMemoryStore.create();
    parser = new FlakyParser();
  }

  OcEngine engine(OcConfig.Builder config) {
    OcEngine e =
        OcEngine.builder()
            .config(config.build())
            .store(store)
            .mailGateway(gateway)
            .reservationParser(parser)
            .clock(clock)
            .build();
    e.operations()
        .putAgency(
            Agency.requiringOc("Viajes Andes", "oc@andes.cl").withEmailDomains(List.of("andes.cl")),
            "setup");
    return e;
  }

  OcConfig.Builder config() {
    return OcConfig.builder()
        .mailboxAddress("oc@kontroltravel.com")
        .allowedSenders(List.of("kontrol.cl"))
        .retryInitialBackoff(Duration.ofMinutes(1))
        .nodeId("t");
  }

  InboundMessage confirmation(String id, BigDecimal total) {
    ReservationDetails d =
        ReservationDetails.builder(id)
            .agencyName("Viajes Andes")
            .status("Reservado")
            .issueDate(LocalDate.of(2025, 11, 3))
            .totalAmount(total)
            .currency(total == null ? null : "CLP")
            .build();
    return FakePdf.confirmationMail(d, seq.incrementAndGet(), clock.instant());
  }

  List<OutboundMessage> requests(String id) {
    return gateway.sent().stream()
        .filter(m -> m.messageId().startsWith("oc." + id + ".request."))
        .toList();
  }

  InboundMessage reply(String id, String from, byte[] pdf) {
    String request = requests(id).get(0).messageId();
    return InboundMessage.builder()
        .messageId("reply" + seq.incrementAndGet() + "@andes.cl")
        .from(from)
        .subject("RE: Solicitud de orden de compra")
        .date(clock.instant())
        .inReplyTo(List.of(request))
        .attachment(Attachment.pdf("doc.pdf", pdf))
        .build();
  }

  @Test
  @DisplayName(
      "a parse time-out is retried with backoff from the kept copy: tracked on the retry, with"
          + " exactly one request")
  void timeOutIsRetried() {
    OcEngine e = engine(config());
    parser.failuresLeft.set(1);
    InboundMessage m = confirmation("4570001", null);
    InboundRecord first = e.ingest(m);
    assertThat(first.outcome()).isEqualTo(InboundOutcome.RETRYING);
    assertThat(first.attempts()).isEqualTo(1);
    assertThat(first.nextAttemptAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));
    assertThat(first.reason()).contains("longer than the limit");
    assertThat(e.operations().reservation("4570001")).isEmpty();
    assertThat(e.operations().inboundMessage(first.key()).orElseThrow().canReprocess()).isTrue();

    assertThat(e.operations().lastMailboxCheck()).isEmpty();
    e.tick(); // not due yet
    assertThat(e.operations().lastMailboxCheck()).contains(clock.instant());
    assertThat(com.kontroltravel.oc.OcOperations.create(store, config().build()).lastMailboxCheck())
        .isEmpty();
    assertThat(e.operations().reservation("4570001")).isEmpty();
    clock.advance(Duration.ofSeconds(61));
    e.tick();
    e.tick();
    InboundRecord retried = e.operations().inboundMessage(first.key()).orElseThrow().record();
    assertThat(retried.outcome()).isEqualTo(InboundOutcome.CONFIRMATION);
    assertThat(retried.attempts()).isEqualTo(2);
    assertThat(retried.nextAttemptAt()).isNull();
    assertThat(retried.reason()).contains("attempt 2").contains("before: RETRYING");
    assertThat(e.operations().reservation("4570001").orElseThrow().state())
        .isEqualTo(TrackingState.REQUESTED);
    assertThat(requests("4570001")).hasSize(1);

    // The booking system delivers the same message again: nothing new.
    assertThat(e.ingest(m)).isEqualTo(retried);
    e.tick();
    assertThat(requests("4570001")).hasSize(1);
    assertThat(e.operations().statistics().total()).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "a fetched batch's PDFs are read in parallel ahead of the classifier, each exactly once,"
          + " and the decisions stay in arrival order")
  void batchIsReadAhead() {
    OcEngine e = engine(config());
    for (int i = 0; i < 20; i++) {
      gateway.deliver(confirmation("45900" + (10 + i), null));
    }
    // The same booking amended in the same batch: it must see the booking the first one tracked.
    gateway.deliver(confirmation("4590010", new BigDecimal("5000")));
    e.tick();
    assertThat(e.operations().statistics().total()).isEqualTo(20);
    assertThat(parser.calls.get()).isEqualTo(21);
    assertThat(parser.threads).anyMatch(t -> t.startsWith("oc-prefetch-"));
    assertThat(e.operations().reservation("4590010").orElseThrow().details().totalAmount())
        .isEqualByComparingTo("5000");
    assertThat(e.operations().inbound(InboundOutcome.CONFIRMATION, null, 100)).hasSize(21);
  }

  @Test
  @DisplayName("a redelivery of a message still retrying is processed at once, once")
  void redeliveryOfRetryingMessage() {
    OcEngine e = engine(config());
    parser.failuresLeft.set(1);
    InboundMessage m = confirmation("4570002", null);
    assertThat(e.ingest(m).outcome()).isEqualTo(InboundOutcome.RETRYING);
    gateway.deliver(m);
    e.tick();
    e.tick();
    assertThat(e.operations().reservation("4570002")).isPresent();
    clock.advance(Duration.ofMinutes(5));
    e.tick();
    assertThat(requests("4570002")).hasSize(1);
    assertThat(e.operations().inbound(null, null, 10)).hasSize(1);
  }

  @Test
  @DisplayName(
      "after the last attempt the message is quarantined with the reason; fixed, a person"
          + " reprocesses it and both outcomes are told")
  void givesUpThenReprocessed() {
    OcEngine e = engine(config().maxInboundAttempts(3));
    parser.failuresLeft.set(100);
    InboundRecord r = e.ingest(confirmation("4570003", null));
    for (int i = 0; i < 6; i++) {
      clock.advance(Duration.ofMinutes(10));
      e.tick();
    }
    InboundRecord given = e.operations().inboundMessage(r.key()).orElseThrow().record();
    assertThat(given.outcome()).isEqualTo(InboundOutcome.QUARANTINED);
    assertThat(given.attempts()).isEqualTo(3);
    assertThat(given.reason()).contains("gave up after 3 attempt(s)");
    assertThat(parser.calls.get()).isEqualTo(3);
    assertThat(e.operations().inbound(InboundOutcome.QUARANTINED, null, 10))
        .extracting(InboundRecord::key)
        .containsExactly(r.key());

    parser.failuresLeft.set(0);
    InboundRecord again = e.operations().reprocess(r.key(), "ana");
    assertThat(again.outcome()).isEqualTo(InboundOutcome.CONFIRMATION);
    assertThat(again.reason()).contains("reprocessed by ana").contains("before: QUARANTINED");
    e.tick();
    assertThat(requests("4570003")).hasSize(1);
    assertThatThrownBy(() -> e.operations().reprocess(r.key(), "ana"))
        .isInstanceOf(InvalidOperationException.class)
        .hasMessageContaining("only quarantined, ignored, reviewed or retrying");
  }

  @Test
  @DisplayName(
      "a deterministic failure is quarantined at once; its kept copy can be inspected; kept"
          + " copies go after the retention period")
  void quarantinedIsKeptAndInspectable() {
    OcEngine e = engine(config().inboundRetention(Duration.ofDays(10)));
    InboundMessage broken =
        InboundMessage.builder()
            .messageId("b@kontrol.cl")
            .from("reservas@kontrol.cl")
            .subject("Confirmacion reserva 9")
            .textBody("adjunto")
            .date(clock.instant())
            .attachment(
                Attachment.pdf("x.pdf", "%PDF-1.4 garbage".getBytes(StandardCharsets.UTF_8)))
            .build();
    InboundRecord r = e.ingest(broken);
    assertThat(r.outcome()).isEqualTo(InboundOutcome.QUARANTINED);
    assertThat(r.nextAttemptAt()).isNull();
    InboundDetail d = e.operations().inboundMessage(r.key()).orElseThrow();
    InboundMessage kept = d.message().orElseThrow();
    assertThat(kept.subject()).isEqualTo("Confirmacion reserva 9");
    assertThat(kept.textBody()).isEqualTo("adjunto");
    assertThat(kept.attachments()).containsExactlyElementsOf(broken.attachments());
    // Reprocessed unchanged, it is quarantined again, with both reasons.
    InboundRecord again = e.operations().reprocess(r.key(), "ana");
    assertThat(again.outcome()).isEqualTo(InboundOutcome.QUARANTINED);
    assertThat(again.reason()).contains("reprocessed by ana").contains("before: QUARANTINED");

    clock.advance(Duration.ofDays(11));
    e.tick();
    assertThat(e.operations().inboundMessage(r.key()).orElseThrow().message()).isEmpty();
    assertThat(e.operations().inboundMessage("nope")).isEmpty();
  }

  @Test
  @DisplayName("a message in review can be dismissed once, with who and why")
  void dismissReview() {
    OcEngine e = engine(config());
    e.ingest(confirmation("4570004", null));
    e.tick();
    InboundRecord outsider =
        e.ingest(
            InboundMessage.builder()
                .messageId("x1@evil.example")
                .from("someone@evil.example")
                .subject("OC reserva 4570004")
                .attachment(Attachment.pdf("oc.pdf", FakePdf.purchaseOrder("1", "")))
                .build());
    assertThat(outsider.outcome()).isEqualTo(InboundOutcome.REVIEW);
    InboundRecord dismissed = e.operations().dismissReview(outsider.key(), "spam", "ana");
    assertThat(dismissed.outcome()).isEqualTo(InboundOutcome.IGNORED);
    assertThat(dismissed.reason()).contains("dismissed from review by ana: spam");
    assertThat(e.operations().reviewQueue()).isEmpty();
    assertThatThrownBy(() -> e.operations().dismissReview(outsider.key(), null, "ana"))
        .isInstanceOf(InvalidOperationException.class);
    assertThat(e.operations().reservation("4570004").orElseThrow().state())
        .isEqualTo(TrackingState.REQUESTED);
  }

  @Test
  @DisplayName(
      "a threaded reply counts as the OC only if its PDF shows an OC number or OC wording;"
          + " otherwise it goes to review")
  void replyNeedsAnOcDocument() {
    OcEngine e = engine(config());
    e.ingest(confirmation("4570005", null));
    e.tick();
    InboundRecord invoice =
        e.ingest(
            reply(
                "4570005",
                "oc@andes.cl",
                "%PDF-1.4\nFactura electronica 123\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(invoice.outcome()).isEqualTo(InboundOutcome.REVIEW);
    assertThat(invoice.reason()).contains("no OC number");
    assertThat(e.operations().reservation("4570005").orElseThrow().state())
        .isEqualTo(TrackingState.REQUESTED);
    InboundRecord oc =
        e.ingest(reply("4570005", "oc@andes.cl", FakePdf.purchaseOrder("4500123", "")));
    assertThat(oc.outcome()).isEqualTo(InboundOutcome.PURCHASE_ORDER);
    assertThat(e.operations().reservation("4570005").orElseThrow().state())
        .isEqualTo(TrackingState.RECEIVED);
  }

  @Test
  @DisplayName(
      "an OC whose total differs from the booking's is filed and flagged with both amounts;"
          + " within the tolerance it is not")
  void amountsCompared() {
    OcEngine e = engine(config());
    e.ingest(confirmation("4570006", new BigDecimal("100000")));
    e.ingest(confirmation("4570007", new BigDecimal("100000")));
    e.tick();
    e.ingest(reply("4570006", "oc@andes.cl", FakePdf.purchaseOrder("11", "TOTAL CLP 120000")));
    e.ingest(reply("4570007", "oc@andes.cl", FakePdf.purchaseOrder("12", "TOTAL CLP 100000")));
    Reservation off = e.operations().reservation("4570006").orElseThrow();
    assertThat(off.state()).isEqualTo(TrackingState.RECEIVED);
    assertThat(off.attention()).isEqualTo(AttentionReason.OC_AMOUNT_MISMATCH);
    assertThat(off.attentionReason()).contains("120,000.00").contains("100,000.00");
    Reservation exact = e.operations().reservation("4570007").orElseThrow();
    assertThat(exact.state()).isEqualTo(TrackingState.RECEIVED);
    assertThat(exact.needsAttention()).isFalse();

    store = InMemoryStore.create();
    gateway = RecordingMailGateway.create(clock);
    OcEngine tolerant = engine(config().amountTolerance(new BigDecimal("25000")));
    tolerant.ingest(confirmation("4570008", new BigDecimal("100000")));
    tolerant.tick();
    tolerant.ingest(
        reply("4570008", "oc@andes.cl", FakePdf.purchaseOrder("13", "TOTAL CLP 120000")));
    assertThat(tolerant.operations().reservation("4570008").orElseThrow().needsAttention())
        .isFalse();
  }

  @Test
  @DisplayName(
      "a first start skips messages older than the policy's cut-off (one summary), later reads"
          + " take everything after the cursor")
  void firstStartSkipsOldMail() {
    OcEngine e = engine(config().firstStart(FirstStart.lastDays(30)));
    clock.advance(Duration.ofDays(-60));
    for (int i = 0; i < 5; i++) {
      gateway.deliver(confirmation("45800" + i, null));
    }
    clock.advance(Duration.ofDays(60));
    gateway.deliver(confirmation("4581000", null));
    gateway.deliver(confirmation("4581001", null));
    e.tick();
    assertThat(e.operations().statistics().total()).isEqualTo(2);
    assertThat(e.operations().inbound(null, null, 100)).hasSize(2);
    assertThat(e.operations().reservation("4581000")).isPresent();
    assertThat(e.operations().reservation("458000")).isEmpty();
    gateway.deliver(confirmation("4581002", null));
    e.tick();
    assertThat(e.operations().statistics().total()).isEqualTo(3);
  }

  @Test
  @DisplayName("first start 'now' skips everything already in the mailbox")
  void firstStartNow() {
    OcEngine e = engine(config().firstStart(FirstStart.parse("now", ZONE)));
    gateway.deliver(confirmation("4582000", null));
    clock.advance(Duration.ofSeconds(1));
    e.tick();
    assertThat(e.operations().statistics().total()).isZero();
    gateway.deliver(confirmation("4582001", null));
    e.tick();
    assertThat(e.operations().statistics().total()).isEqualTo(1);
  }
}
