package com.kontroltravel.oc.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.FetchBatch;
import com.kontroltravel.oc.model.MailboxCursor;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.SendResult;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.store.memory.InMemoryStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kills the engine at each point of the send path (before the server sees the message, and after it
 * accepted it but before the engine recorded that) and restarts a fresh engine on the same store:
 * no step is ever sent under two Message-IDs, and none is lost.
 */
class CrashRecoveryTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  static final int BOOKINGS = 30;

  /** Stands for the process dying: not an exception the engine may catch. */
  static final class Crash extends Error {
    private static final long serialVersionUID = 1L;

    Crash() {
      super("simulated crash", null, false, false);
    }
  }

  enum Point {
    BEFORE_SEND,
    AFTER_SEND
  }

  /**
   * Delegates to a recording gateway and dies at every {@code every}-th send, at the chosen point.
   */
  static final class CrashingGateway implements MailGateway {
    final RecordingMailGateway delegate;
    final Point point;
    final int every;
    final AtomicInteger sends = new AtomicInteger();
    int crashes;

    CrashingGateway(RecordingMailGateway delegate, Point point, int every) {
      this.delegate = delegate;
      this.point = point;
      this.every = every;
    }

    @Override
    public String mailbox() {
      return delegate.mailbox();
    }

    @Override
    public FetchBatch fetch(MailboxCursor after, int maxMessages) {
      return delegate.fetch(after, maxMessages);
    }

    @Override
    public SendResult send(OutboundMessage message) {
      boolean crash = sends.incrementAndGet() % every == 0;
      if (crash && point == Point.BEFORE_SEND) {
        crashes++;
        throw new Crash();
      }
      SendResult r = delegate.send(message);
      if (crash) {
        crashes++;
        throw new Crash();
      }
      return r;
    }

    @Override
    public SentCheck findSent(String messageId) {
      return delegate.findSent(messageId);
    }
  }

  @ParameterizedTest(name = "crash {0}, sent folder known: {1}")
  @CsvSource({"BEFORE_SEND, true", "BEFORE_SEND, false", "AFTER_SEND, true", "AFTER_SEND, false"})
  @DisplayName(
      "a crash at any point of the send path never sends a step under two Message-IDs and loses none")
  void crashAndRestart(Point point, boolean sentFolderKnown) {
    SettableClock clock =
        SettableClock.at(ZonedDateTime.of(2025, 11, 3, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
    RecordingMailGateway recording = RecordingMailGateway.create(clock);
    recording.knowsSentFolder(sentFolderKnown);
    CrashingGateway gateway = new CrashingGateway(recording, point, 7);
    InMemoryStore store = InMemoryStore.create();
    int engines = 0;
    OcEngine engine = newEngine(store, gateway, clock, engines++);
    engine.operations().putAgency(Agency.requiringOc("Viajes Andes", "oc@andes.cl"), "setup");
    for (int i = 0; i < BOOKINGS; i++) {
      engine.track(
          ReservationDetails.builder(String.valueOf(9000 + i))
              .agencyName("Viajes Andes")
              .issueDate(LocalDate.of(2025, 11, 3))
              .totalAmount(new BigDecimal("100.00"))
              .currency("USD")
              .build(),
          null);
    }
    Instant end = clock.instant().plus(Duration.ofDays(14));
    int crashesSeen = 0;
    for (int i = 0; i < 14 * 96 && clock.instant().isBefore(end); i++) {
      try {
        engine.tick();
      } catch (Crash c) {
        crashesSeen++;
        // The process died: the old engine is abandoned without close(); its claims stay until the
        // lease ends.
        engine = newEngine(store, gateway, clock, engines++);
      }
      clock.advance(Duration.ofMinutes(15));
    }
    assertThat(crashesSeen).isGreaterThanOrEqualTo(10);

    Map<String, Set<String>> idsPerStep = new HashMap<>();
    Map<String, Integer> copiesPerId = new HashMap<>();
    for (OutboundMessage m : recording.sent()) {
      String[] parts = m.messageId().split("\\.");
      idsPerStep
          .computeIfAbsent(parts[1] + "/" + parts[2], k -> new HashSet<>())
          .add(m.messageId());
      copiesPerId.merge(m.messageId(), 1, Integer::sum);
    }
    for (int i = 0; i < BOOKINGS; i++) {
      String id = String.valueOf(9000 + i);
      for (String step : List.of("request", "reminder-1", "reminder-2", "reminder-3")) {
        assertThat(idsPerStep.get(id + "/" + step)).as("%s %s", id, step).hasSize(1);
      }
      assertThat(engine.operations().reservation(id).orElseThrow().state())
          .isEqualTo(TrackingState.REMINDER_3);
    }
    assertThat(idsPerStep).hasSize(BOOKINGS * 4);
    if (point == Point.BEFORE_SEND || sentFolderKnown) {
      assertThat(copiesPerId.values())
          .as("no message reached the server twice")
          .allMatch(n -> n == 1);
    } else {
      // Without a Sent folder to look in, a message accepted just before the crash goes again under
      // the same id.
      assertThat(copiesPerId.values()).allMatch(n -> n <= 2).contains(2);
    }
  }

  @org.junit.jupiter.api.Test
  @DisplayName("the crash double is an Error the engine does not swallow")
  void crashEscapesTheEngine() {
    SettableClock clock =
        SettableClock.at(ZonedDateTime.of(2025, 11, 3, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
    CrashingGateway gateway =
        new CrashingGateway(RecordingMailGateway.create(clock), Point.BEFORE_SEND, 1);
    InMemoryStore store = InMemoryStore.create();
    OcEngine engine = newEngine(store, gateway, clock, 0);
    engine.operations().putAgency(Agency.requiringOc("Viajes Andes", "oc@andes.cl"), "setup");
    engine.track(ReservationDetails.builder("1").agencyName("Viajes Andes").build(), null);
    assertThatThrownBy(engine::tick).isInstanceOf(Crash.class);
  }

  private static OcEngine newEngine(
      InMemoryStore store, MailGateway gateway, SettableClock clock, int n) {
    return OcEngine.builder()
        .config(
            OcConfig.builder()
                .mailboxAddress("oc@kontroltravel.com")
                .nodeId("engine-" + n)
                .leaseDuration(Duration.ofMinutes(5))
                .build())
        .store(store)
        .mailGateway(gateway)
        .reservationParser(new FakePdf())
        .clock(clock)
        .build();
  }
}
