package com.kontroltravel.oc.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.DocumentKind;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.SendResult;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.spi.OcListener;
import com.kontroltravel.oc.store.memory.InMemoryStore;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The listener's timing callbacks (what metrics are made of), and that a failing one is harmless.
 */
class ListenerTimingsTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  SettableClock clock;
  RecordingMailGateway gateway;
  InMemoryStore store;
  AtomicInteger seq = new AtomicInteger();

  /** Everything a listener is told, as text. */
  static final class Recorder implements OcListener {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Duration> negative = new CopyOnWriteArrayList<>();

    private void check(Duration took) {
      if (took.isNegative()) {
        negative.add(took);
      }
    }

    @Override
    public void onEvent(TimelineEvent event) {
      calls.add("event " + event.kind());
    }

    @Override
    public void onInbound(InboundRecord record) {
      calls.add("inbound " + record.outcome());
    }

    @Override
    public void onSend(Step step, SendResult.Status result, Duration took) {
      check(took);
      calls.add("send " + step + " " + result);
    }

    @Override
    public void onRetry(Step step, int attempt) {
      calls.add("retry " + step + " " + attempt);
    }

    @Override
    public void onParse(DocumentKind kind, Duration took, boolean ok) {
      check(took);
      calls.add("parse " + kind + " " + ok);
    }

    @Override
    public void onTick(String round, Duration took) {
      check(took);
      calls.add("tick " + round);
    }
  }

  /** Throws from every callback. */
  static final class Broken implements OcListener {
    final AtomicInteger calls = new AtomicInteger();

    private RuntimeException boom() {
      calls.incrementAndGet();
      return new IllegalStateException("listener bug");
    }

    @Override
    public void onEvent(TimelineEvent event) {
      throw boom();
    }

    @Override
    public void onInbound(InboundRecord record) {
      throw boom();
    }

    @Override
    public void onSend(Step step, SendResult.Status result, Duration took) {
      throw boom();
    }

    @Override
    public void onRetry(Step step, int attempt) {
      throw boom();
    }

    @Override
    public void onParse(DocumentKind kind, Duration took, boolean ok) {
      throw boom();
    }

    @Override
    public void onTick(String round, Duration took) {
      throw boom();
    }
  }

  @BeforeEach
  void setUp() {
    clock = SettableClock.at(ZonedDateTime.of(2025, 11, 3, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
    gateway = RecordingMailGateway.create(clock);
    store = InMemoryStore.create();
  }

  OcEngine engine(OcListener... listeners) {
    OcEngine.Builder b = TestEngines.builder(store, gateway, clock);
    for (OcListener l : listeners) {
      b.listener(l);
    }
    OcEngine e = b.build();
    e.operations().putAgency(Agency.requiringOc("Viajes Andes", "oc@andes.cl"), "setup");
    return e;
  }

  InboundMessage confirmation(String id) {
    ReservationDetails d =
        ReservationDetails.builder(id)
            .agencyName("Viajes Andes")
            .status("Reservado")
            .issueDate(LocalDate.of(2025, 11, 3))
            .build();
    return FakePdf.confirmationMail(d, seq.incrementAndGet(), clock.instant());
  }

  /** Sends fail transiently until told otherwise. */
  void failFirstSend() {
    AtomicInteger sends = new AtomicInteger();
    gateway.failSendsWith(
        m -> sends.incrementAndGet() == 1 ? SendResult.transientFailure("451 later") : null);
  }

  @Test
  @DisplayName(
      "a listener is told of each parse, each send with its result, each retry and each tick")
  void timingsArrive() {
    Recorder r = new Recorder();
    OcEngine e = engine(r);
    failFirstSend();
    e.ingest(confirmation("1"));
    e.tick();
    clock.advance(Duration.ofMinutes(5));
    e.tick();

    assertThat(r.calls)
        .containsSubsequence(
            "parse CONFIRMATION true",
            "inbound CONFIRMATION",
            // The retry is told when its unit of work commits, the send's time right after.
            "retry REQUEST 1",
            "send REQUEST TRANSIENT_FAILURE",
            "tick tick",
            "send REQUEST SENT",
            "tick tick");
    assertThat(r.negative).isEmpty();
    assertThat(r.calls).filteredOn(c -> c.startsWith("retry")).hasSize(1);
    assertThat(r.calls).filteredOn(c -> c.startsWith("send")).hasSize(2);
    assertThat(e.operations().reservation("1").orElseThrow().state())
        .isEqualTo(TrackingState.REQUESTED);
  }

  @Test
  @DisplayName(
      "a listener that throws from every callback changes nothing: the booking is tracked, its"
          + " request retried and sent, and the listeners after it are still told")
  void aBrokenListenerIsHarmless() {
    Broken broken = new Broken();
    Recorder r = new Recorder();
    OcEngine e = engine(broken, r);
    failFirstSend();
    e.ingest(confirmation("1"));
    e.tick();
    clock.advance(Duration.ofMinutes(5));
    e.tick();

    assertThat(broken.calls.get()).isGreaterThan(6);
    assertThat(gateway.sent()).hasSize(1);
    assertThat(e.operations().reservation("1").orElseThrow().state())
        .isEqualTo(TrackingState.REQUESTED);
    assertThat(r.calls)
        .contains(
            "parse CONFIRMATION true",
            "inbound CONFIRMATION",
            "send REQUEST TRANSIENT_FAILURE",
            "retry REQUEST 1",
            "send REQUEST SENT",
            "tick tick");
  }

  @Test
  @Timeout(30)
  @DisplayName("a started engine reports each round of its inbound, follow-up and dispatch loops")
  void loopRoundsArrive() {
    Recorder r = new Recorder();
    OcEngine e = engine(r);
    try {
      gateway.deliver(confirmation("1"));
      e.start();
      Await.await(
          "the request sent by the loops",
          () -> gateway.sent().size() == 1,
          Duration.ofSeconds(20));
      Await.await(
          "a round of each loop reported",
          () ->
              r.calls.containsAll(List.of("tick inbound", "tick follow-up", "tick dispatch"))
                  && r.calls.contains("send REQUEST SENT"),
          Duration.ofSeconds(10));
      assertThat(r.calls).doesNotContain("tick tick");
    } finally {
      e.close();
    }
  }
}
