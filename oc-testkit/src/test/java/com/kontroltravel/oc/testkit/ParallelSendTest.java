package com.kontroltravel.oc.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.FetchBatch;
import com.kontroltravel.oc.model.MailboxCursor;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.SendResult;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.store.memory.InMemoryStore;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ParallelSendTest {

  /** A gateway with a pool of {@code sessions}: counts how many sends overlap. */
  static final class PooledGateway implements MailGateway {
    final RecordingMailGateway inner;
    final int sessions;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger most = new AtomicInteger();

    PooledGateway(RecordingMailGateway inner, int sessions) {
      this.inner = inner;
      this.sessions = sessions;
    }

    @Override
    public String mailbox() {
      return inner.mailbox();
    }

    @Override
    public FetchBatch fetch(MailboxCursor after, int maxMessages) {
      return inner.fetch(after, maxMessages);
    }

    @Override
    public SendResult send(OutboundMessage message) {
      int now = inFlight.incrementAndGet();
      most.accumulateAndGet(now, Math::max);
      try {
        Thread.sleep(20);
        return inner.send(message);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return SendResult.transientFailure("interrupted");
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public int maxConcurrentSends() {
      return sessions;
    }
  }

  OcEngine engine(MailGateway gateway, SettableClock clock) {
    OcEngine e = TestEngines.builder(InMemoryStore.create(), gateway, clock).build();
    e.operations().putAgency(Agency.requiringOc("Viajes Andes", "oc@andes.cl"), "setup");
    return e;
  }

  @Test
  @DisplayName(
      "claimed messages go out in parallel up to the gateway's sessions, each exactly once; a"
          + " gateway of one session is called from one thread at a time")
  void sendsInParallelUpToTheGatewaysSessions() {
    ZoneId zone = ZoneId.of("America/Santiago");
    for (int sessions : new int[] {1, 3}) {
      SettableClock clock =
          SettableClock.at(ZonedDateTime.of(2025, 11, 3, 10, 0, 0, 0, zone).toInstant(), zone);
      PooledGateway gateway = new PooledGateway(RecordingMailGateway.create(clock), sessions);
      OcEngine e = engine(gateway, clock);
      for (int i = 0; i < 30; i++) {
        e.track(
            ReservationDetails.builder("47000" + (10 + i)).agencyName("Viajes Andes").build(),
            null);
      }
      e.tick();
      List<OutboundMessage> sent = gateway.inner.sent();
      Set<String> ids = new HashSet<>();
      sent.forEach(m -> ids.add(m.messageId()));
      assertThat(sent).as("sessions=%d", sessions).hasSize(30);
      assertThat(ids).hasSize(30);
      if (sessions == 1) {
        assertThat(gateway.most.get()).isEqualTo(1);
      } else {
        assertThat(gateway.most.get()).isGreaterThan(1).isLessThanOrEqualTo(sessions);
      }
    }
  }
}
