package com.kontroltravel.oc.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.store.memory.InMemoryStore;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several engines sharing one store and one mailbox, ticking at the same time, never send a step
 * twice.
 */
class MultiEngineTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  @DisplayName("four engines ticking concurrently over ten days send each step exactly once")
  void fourEngines() throws Exception {
    SettableClock clock =
        SettableClock.at(ZonedDateTime.of(2025, 11, 3, 8, 0, 0, 0, ZONE).toInstant(), ZONE);
    RecordingMailGateway gateway = RecordingMailGateway.create(clock);
    InMemoryStore store = InMemoryStore.create();
    List<OcEngine> engines = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      engines.add(
          OcEngine.builder()
              .config(
                  OcConfig.builder()
                      .mailboxAddress("oc@kontroltravel.com")
                      .allowedSenders(List.of("reservas@kontrol.cl"))
                      .nodeId("node-" + i)
                      .batchSize(7)
                      .build())
              .store(store)
              .mailGateway(gateway)
              .reservationParser(new FakePdf())
              .clock(clock)
              .build());
    }
    engines
        .get(0)
        .operations()
        .putAgency(Agency.requiringOc("Viajes Andes", "oc@andes.cl"), "setup");
    int bookings = 300;
    for (int i = 0; i < bookings; i++) {
      ReservationDetails d =
          ReservationDetails.builder(String.valueOf(80_000 + i))
              .agencyName("Viajes Andes")
              .issueDate(LocalDate.of(2025, 11, 3))
              .build();
      gateway.deliver(
          InboundMessage.builder()
              .messageId("c" + i + "@kontrol.cl")
              .from("reservas@kontrol.cl")
              .subject("Confirmacion " + i)
              .attachment(Attachment.pdf("c.pdf", FakePdf.confirmation(d)))
              .build());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CyclicBarrier barrier = new CyclicBarrier(4);
    try {
      for (int round = 0; round < 10 * 24 * 2; round++) {
        List<Future<?>> ticks = new ArrayList<>();
        for (OcEngine e : engines) {
          ticks.add(
              pool.submit(
                  () -> {
                    barrier.await(10, TimeUnit.SECONDS);
                    return e.tick();
                  }));
        }
        for (Future<?> f : ticks) {
          f.get(30, TimeUnit.SECONDS);
        }
        clock.advance(Duration.ofMinutes(30));
      }
    } finally {
      pool.shutdownNow();
    }
    Map<String, Integer> copies = new HashMap<>();
    for (OutboundMessage m : gateway.sent()) {
      copies.merge(m.messageId(), 1, Integer::sum);
    }
    assertThat(copies).hasSize(bookings * 4);
    assertThat(copies.values()).allMatch(n -> n == 1);
    OcEngine any = engines.get(2);
    assertThat(any.operations().inbound(InboundOutcome.CONFIRMATION, 10_000)).hasSize(bookings);
    assertThat(any.operations().statistics().byState().get(TrackingState.REMINDER_3))
        .isEqualTo(bookings);
  }
}
