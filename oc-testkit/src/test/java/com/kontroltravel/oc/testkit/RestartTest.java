package com.kontroltravel.oc.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.spi.StoreTransaction;
import com.kontroltravel.oc.store.memory.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A restarted engine (same node id) takes back what its killed predecessor had claimed. */
class RestartTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");

  @Test
  @DisplayName("claims left by a killed engine are taken back at start, not after the lease")
  void ownClaimsTakenBackAtStart() {
    SettableClock clock =
        SettableClock.at(ZonedDateTime.of(2025, 11, 3, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
    InMemoryStore store = InMemoryStore.create();
    RecordingMailGateway gateway = RecordingMailGateway.create(clock);
    OcConfig config =
        OcConfig.builder()
            .mailboxAddress("oc@kontroltravel.com")
            .nodeId("node-a")
            .pollInterval(Duration.ofSeconds(1))
            .build();
    OcEngine first =
        OcEngine.builder()
            .config(config)
            .store(store)
            .mailGateway(gateway)
            .reservationParser(new FakePdf())
            .clock(clock)
            .build();
    first.operations().putAgency(Agency.requiringOc("Viajes Andes", "oc@andes.cl"), "setup");
    first.track(ReservationDetails.builder("4572001").agencyName("Viajes Andes").build(), null);
    // The first engine claims the due booking and is killed before it can send or release.
    Instant now = clock.instant();
    List<String> claimed =
        store.inTransaction(
            (StoreTransaction t) -> t.claimDue(now, 10, "node-a", now.plus(Duration.ofMinutes(5))));
    assertThat(claimed).containsExactly("4572001");

    try (OcEngine restarted =
        OcEngine.builder()
            .config(config)
            .store(store)
            .mailGateway(gateway)
            .reservationParser(new FakePdf())
            .clock(clock)
            .build()) {
      restarted.start();
      Await.await(
          "the request sent by the restarted engine (the clock does not move: the lease never ends)",
          () -> !gateway.sent().isEmpty(),
          Duration.ofSeconds(20));
    }
    assertThat(gateway.sent()).hasSize(1);
  }
}
