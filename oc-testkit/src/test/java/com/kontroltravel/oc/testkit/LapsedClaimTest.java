package com.kontroltravel.oc.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.FetchBatch;
import com.kontroltravel.oc.model.MailboxCursor;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.SendResult;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.store.memory.InMemoryStore;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A dispatcher whose claims lapse mid-batch (a slow round, a clock jump) does not send the rows
 * another dispatcher took over in the meantime.
 */
class LapsedClaimTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");

  @Test
  @DisplayName(
      "rows re-claimed by another engine after a lapsed lease are not sent again by the first")
  void lapsedClaims() {
    SettableClock clock =
        SettableClock.at(ZonedDateTime.of(2025, 11, 3, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
    RecordingMailGateway recording = RecordingMailGateway.create(clock);
    InMemoryStore store = InMemoryStore.create();
    OcEngine[] other = new OcEngine[1];
    AtomicBoolean jumped = new AtomicBoolean();
    MailGateway slow =
        new MailGateway() {
          @Override
          public String mailbox() {
            return recording.mailbox();
          }

          @Override
          public FetchBatch fetch(MailboxCursor after, int max) {
            return recording.fetch(after, max);
          }

          @Override
          public SendResult send(OutboundMessage m) {
            if (jumped.compareAndSet(false, true)) {
              // The first send takes longer than the lease; meanwhile another engine takes the work
              // over.
              clock.advance(Duration.ofMinutes(10));
              other[0].tick();
            }
            return recording.send(m);
          }
        };
    OcEngine first = engine(store, slow, clock, "first");
    other[0] = engine(store, recording, clock, "second");
    first.operations().putAgency(Agency.requiringOc("Viajes Andes", "oc@andes.cl"), "setup");
    for (int i = 0; i < 5; i++) {
      first.track(
          ReservationDetails.builder(String.valueOf(700 + i)).agencyName("Viajes Andes").build(),
          null);
    }
    first.tick();
    Map<String, Integer> copies = new HashMap<>();
    recording.sent().forEach(m -> copies.merge(m.messageId(), 1, Integer::sum));
    assertThat(copies).hasSize(5);
    // Only the message already on the wire when the lease lapsed can arrive twice (same
    // Message-ID).
    assertThat(copies.values().stream().filter(n -> n > 1)).hasSizeLessThanOrEqualTo(1);
    assertThat(copies.values()).allMatch(n -> n <= 2);
  }

  private static OcEngine engine(
      InMemoryStore store, MailGateway gateway, SettableClock clock, String node) {
    return OcEngine.builder()
        .config(
            OcConfig.builder()
                .mailboxAddress("oc@kontroltravel.com")
                .nodeId(node)
                .leaseDuration(Duration.ofMinutes(5))
                .build())
        .store(store)
        .mailGateway(gateway)
        .reservationParser(new FakePdf())
        .clock(clock)
        .build();
  }
}
