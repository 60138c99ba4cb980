package com.kontroltravel.oc.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.AttentionReason;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.OutboxStatus;
import com.kontroltravel.oc.model.ReminderSchedule;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.spi.ReminderPolicy;
import com.kontroltravel.oc.spi.Store;
import com.kontroltravel.oc.spi.StoreTransaction;
import com.kontroltravel.oc.store.memory.InMemoryStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The engine commits a fetched batch of mail, and a round of due bookings, in one unit of work each
 * (one store commit rather than several a message), and a message or booking that fails for its own
 * reason still gets its own record while the rest go on.
 */
class BatchedUnitsOfWorkTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  static final String BROKEN = "Agencia Rota";

  SettableClock clock;
  RecordingMailGateway gateway;
  CountingStore store;
  final AtomicInteger seq = new AtomicInteger();

  /** Calls to {@link #BROKEN}'s schedule after which it throws (a broken custom policy). */
  final AtomicInteger brokenAfter = new AtomicInteger(Integer.MAX_VALUE);

  final AtomicInteger brokenCalls = new AtomicInteger();

  /** A store that notes, for every committed transaction, which of its methods were called. */
  static final class CountingStore implements Store {
    final Store inner = InMemoryStore.create();
    final List<Set<String>> committed = Collections.synchronizedList(new ArrayList<>());

    /** A reservation whose reading throws (a bug, not the store) once a message was sent. */
    volatile String failingAfterASend;

    volatile boolean aSendRecorded;

    @Override
    public <T> T inTransaction(Work<T> work) {
      return inner.inTransaction(
          t -> {
            Set<String> calls = ConcurrentHashMap.newKeySet();
            StoreTransaction seen =
                (StoreTransaction)
                    Proxy.newProxyInstance(
                        StoreTransaction.class.getClassLoader(),
                        new Class<?>[] {StoreTransaction.class},
                        (proxy, method, args) -> {
                          calls.add(method.getName());
                          if (method.getName().equals("updateOutbox")
                              && ((OutboxMessage) args[0]).status() == OutboxStatus.SENT) {
                            aSendRecorded = true;
                          }
                          if (method.getName().equals("reservation")
                              && aSendRecorded
                              && args[0].equals(failingAfterASend)) {
                            throw new IllegalStateException("reading " + args[0] + " failed");
                          }
                          try {
                            return method.invoke(t, args);
                          } catch (InvocationTargetException e) {
                            throw e.getCause();
                          }
                        });
            T result = work.run(seen);
            committed.add(calls);
            return result;
          });
    }

    /** Committed transactions that called {@code method}. */
    long transactionsCalling(String method) {
      synchronized (committed) {
        return committed.stream().filter(c -> c.contains(method)).count();
      }
    }
  }

  @BeforeEach
  void setUp() {
    clock = SettableClock.at(ZonedDateTime.of(2025, 11, 3, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
    gateway = RecordingMailGateway.create(clock);
    store = new CountingStore();
  }

  OcEngine engine() {
    ReminderPolicy policy =
        agency -> {
          if (agency != null
              && agency.name().equals(BROKEN)
              && brokenCalls.incrementAndGet() > brokenAfter.get()) {
            throw new IllegalStateException("schedule service unavailable");
          }
          return ReminderSchedule.DEFAULT;
        };
    OcEngine e = TestEngines.builder(store, gateway, clock).reminderPolicy(policy).build();
    e.operations().putAgency(Agency.requiringOc("Viajes Andes", "oc@andes.cl"), "setup");
    e.operations().putAgency(Agency.requiringOc(BROKEN, "oc@rota.cl"), "setup");
    return e;
  }

  InboundMessage confirmation(String id, String agency) {
    ReservationDetails d =
        ReservationDetails.builder(id)
            .agencyName(agency)
            .status("Reservado")
            .issueDate(LocalDate.of(2025, 11, 3))
            .build();
    return FakePdf.confirmationMail(d, seq.incrementAndGet(), clock.instant());
  }

  long requestsTo(String address) {
    return gateway.sent().stream().filter(m -> m.to().contains(address)).count();
  }

  @Test
  @DisplayName(
      "30 confirmations fetched together are recorded, tracked and the cursor moved in three"
          + " commits of 10; their 30 requests are queued in one more")
  void oneCommitForABatch() {
    OcEngine e = engine();
    for (int i = 0; i < 30; i++) {
      gateway.deliver(confirmation("46100" + (10 + i), "Viajes Andes"));
    }
    e.tick();

    assertThat(e.operations().statistics().total()).isEqualTo(30);
    assertThat(e.operations().inbound(InboundOutcome.CONFIRMATION, null, 100)).hasSize(30);
    assertThat(requestsTo("oc@andes.cl")).isEqualTo(30);
    // One message at a time took three or more commits each (look-up, record, cursor).
    assertThat(store.transactionsCalling("insertInbound")).isEqualTo(3);
    assertThat(store.committed)
        .filteredOn(c -> c.contains("insertInbound"))
        .allMatch(c -> c.contains("insertReservation") && c.contains("putCursor"));
    // Follow-up claimed the 30 due bookings and queued their requests together.
    assertThat(store.transactionsCalling("insertOutbox")).isEqualTo(1);

    // Nothing is recorded twice when the mailbox is read again.
    e.tick();
    assertThat(e.operations().inbound(InboundOutcome.CONFIRMATION, null, 100)).hasSize(30);
    assertThat(requestsTo("oc@andes.cl")).isEqualTo(30);
  }

  @Test
  @DisplayName(
      "a message whose applying throws sinks only itself: the batch is taken again one message"
          + " at a time, the others tracked, it recorded to try again with the error")
  void aFailingMessageInABatch() {
    brokenAfter.set(0); // tracking a booking of the broken agency throws
    OcEngine e = engine();
    for (int i = 0; i < 4; i++) {
      gateway.deliver(confirmation("46200" + (10 + i), "Viajes Andes"));
    }
    gateway.deliver(confirmation("4620099", BROKEN));
    gateway.deliver(confirmation("4620020", "Viajes Andes"));
    e.tick();

    assertThat(e.operations().statistics().total()).isEqualTo(5);
    assertThat(requestsTo("oc@andes.cl")).isEqualTo(5);
    assertThat(e.operations().reservation("4620099")).isEmpty();
    List<InboundRecord> retrying = e.operations().inbound(InboundOutcome.RETRYING, null, 10);
    assertThat(retrying).hasSize(1);
    assertThat(retrying.get(0).reason())
        .contains("internal error while processing")
        .contains("schedule service unavailable");
    assertThat(e.operations().inboundMessage(retrying.get(0).key()).orElseThrow().canReprocess())
        .isTrue();
    assertThat(e.operations().inbound(InboundOutcome.CONFIRMATION, null, 100)).hasSize(5);
  }

  @Test
  @DisplayName(
      "a booking whose follow-up throws sinks only itself: it is flagged for a person, the other"
          + " bookings of the round get their requests")
  void aFailingBookingInARound() {
    brokenAfter.set(1); // tracking works; its follow-up throws
    OcEngine e = engine();
    for (int i = 0; i < 4; i++) {
      gateway.deliver(confirmation("46300" + (10 + i), "Viajes Andes"));
    }
    gateway.deliver(confirmation("4630099", BROKEN));
    e.tick();

    assertThat(requestsTo("oc@andes.cl")).isEqualTo(4);
    assertThat(requestsTo("oc@rota.cl")).isZero();
    var broken = e.operations().reservation("4630099").orElseThrow();
    assertThat(broken.state()).isEqualTo(TrackingState.PENDING);
    assertThat(broken.attentionReason())
        .startsWith(AttentionReason.PROCESSING_ERROR.label())
        .contains("schedule service unavailable");
    assertThat(broken.nextActionAt()).isNull();
    for (int i = 0; i < 4; i++) {
      assertThat(e.operations().reservation("46300" + (10 + i)).orElseThrow().state())
          .isEqualTo(TrackingState.REQUESTED);
    }
  }

  @Test
  @DisplayName(
      "a sent message is recorded in the unit of work that checks the sender's next one: 30"
          + " requests take 31 commits, not 60")
  void oneCommitPerMessageSent() {
    OcEngine e = engine();
    for (int i = 0; i < 30; i++) {
      gateway.deliver(confirmation("46400" + (10 + i), "Viajes Andes"));
    }
    e.tick();

    assertThat(requestsTo("oc@andes.cl")).isEqualTo(30);
    // Checking a row reads it back (outbox); recording it updates it (updateOutbox). One sender.
    long checksAndRecords =
        store.committed.stream()
            .filter(c -> c.contains("outbox") || c.contains("updateOutbox"))
            .count();
    assertThat(gateway.maxConcurrentSends()).isEqualTo(1);
    assertThat(checksAndRecords).isEqualTo(31);
    for (int i = 0; i < 30; i++) {
      assertThat(e.operations().messages("46400" + (10 + i)))
          .singleElement()
          .satisfies(m -> assertThat(m.status()).isEqualTo(OutboxStatus.SENT));
    }
  }

  @Test
  @DisplayName(
      "checking the next row throws: the message just sent is still recorded as sent, the other"
          + " row is sent once on the next round")
  void aFailingCheckKeepsTheRecordOfTheSend() {
    OcEngine e = engine();
    gateway.deliver(confirmation("4650010", "Viajes Andes"));
    gateway.deliver(confirmation("4650011", "Viajes Andes"));
    store.failingAfterASend = "4650011";

    assertThatThrownBy(e::tick).hasMessageContaining("reading 4650011 failed");
    assertThat(requestsTo("oc@andes.cl")).isEqualTo(1);
    assertThat(e.operations().messages("4650010"))
        .singleElement()
        .satisfies(m -> assertThat(m.status()).isEqualTo(OutboxStatus.SENT));
    assertThat(e.operations().messages("4650011"))
        .singleElement()
        .satisfies(m -> assertThat(m.status()).isEqualTo(OutboxStatus.PENDING));

    store.failingAfterASend = null;
    clock.advance(java.time.Duration.ofMinutes(30)); // past the claim's lease
    e.tick();
    assertThat(requestsTo("oc@andes.cl")).isEqualTo(2);
    for (String id : List.of("4650010", "4650011")) {
      assertThat(e.operations().messages(id))
          .singleElement()
          .satisfies(m -> assertThat(m.status()).isEqualTo(OutboxStatus.SENT));
    }
  }
}
