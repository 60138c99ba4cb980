package com.kontroltravel.oc.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.exception.MailAccessException;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.spi.Store;
import com.kontroltravel.oc.store.memory.InMemoryStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The intake fetches the next batch of mail while it records the one in hand, and a failure of that
 * fetch ahead costs nothing of the batch in hand: it is recorded and the cursor moved before the
 * failure is reported, and the next read starts after it.
 */
class PipelinedIntakeTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");

  SettableClock clock;
  RecordingMailGateway inbox;
  final AtomicInteger seq = new AtomicInteger();

  /** Fetch calls made so far (through {@link #gateway}). */
  final AtomicInteger fetches = new AtomicInteger();

  /** The fetch call (1-based) that throws once, as a dropped connection would; 0 for none. */
  final AtomicInteger failingFetch = new AtomicInteger();

  /**
   * For each committed unit of work that recorded inbound mail (10 messages each): the fetches made
   * by then.
   */
  final List<Integer> fetchesAtRecording = Collections.synchronizedList(new ArrayList<>());

  /** The Message-IDs of each {@code markAllProcessed} call, in order. */
  final List<List<String>> marked = Collections.synchronizedList(new ArrayList<>());

  /** For each {@code markAllProcessed} call: the units of work that had recorded mail by then. */
  final List<Integer> markedAtRecordings = Collections.synchronizedList(new ArrayList<>());

  /** Calls of the one-message {@code markProcessed} made by the engine. */
  final AtomicInteger singleMarks = new AtomicInteger();

  volatile boolean failMarks;

  @BeforeEach
  void setUp() {
    clock = SettableClock.at(ZonedDateTime.of(2025, 11, 3, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
    inbox = RecordingMailGateway.create(clock);
  }

  /** {@link #inbox} counting its fetches, the {@link #failingFetch} throwing. */
  MailGateway gateway() {
    return (MailGateway)
        Proxy.newProxyInstance(
            MailGateway.class.getClassLoader(),
            new Class<?>[] {MailGateway.class},
            (proxy, method, args) -> {
              if (method.getName().equals("markProcessed")) {
                singleMarks.incrementAndGet();
              }
              if (method.getName().equals("markAllProcessed")) {
                @SuppressWarnings("unchecked")
                List<InboundMessage> batch = (List<InboundMessage>) args[0];
                List<String> ids = new ArrayList<>();
                for (InboundMessage m : batch) {
                  ids.add(m.messageId());
                }
                marked.add(ids);
                markedAtRecordings.add(fetchesAtRecording.size());
                if (failMarks) {
                  throw new MailAccessException("MOVE refused (simulated)");
                }
              }
              if (method.getName().equals("fetch")) {
                int n = fetches.incrementAndGet();
                if (n == failingFetch.get()) {
                  throw new MailAccessException("connection dropped (fetch " + n + ")");
                }
              }
              try {
                return method.invoke(inbox, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /** A store noting how many fetches were made when each batch of mail was committed. */
  Store store() {
    Store inner = InMemoryStore.create();
    return new Store() {
      @Override
      public <T> T inTransaction(Work<T> work) {
        boolean[] recordsMail = {false};
        T result =
            inner.inTransaction(
                t ->
                    work.run(
                        (com.kontroltravel.oc.spi.StoreTransaction)
                            Proxy.newProxyInstance(
                                com.kontroltravel.oc.spi.StoreTransaction.class.getClassLoader(),
                                new Class<?>[] {com.kontroltravel.oc.spi.StoreTransaction.class},
                                (proxy, method, args) -> {
                                  if (method.getName().equals("insertInbound")) {
                                    recordsMail[0] = true;
                                  }
                                  try {
                                    return method.invoke(t, args);
                                  } catch (InvocationTargetException e) {
                                    throw e.getCause();
                                  }
                                })));
        if (recordsMail[0]) {
          fetchesAtRecording.add(fetches.get());
        }
        return result;
      }

      @Override
      public void close() {
        inner.close();
      }
    };
  }

  OcEngine engine() {
    OcEngine e = TestEngines.builder(store(), gateway(), clock).build();
    e.operations().putAgency(Agency.requiringOc("Viajes Andes", "oc@andes.cl"), "setup");
    return e;
  }

  void deliver(int count) {
    for (int i = 0; i < count; i++) {
      ReservationDetails d =
          ReservationDetails.builder(String.valueOf(4700000 + seq.incrementAndGet()))
              .agencyName("Viajes Andes")
              .status("Reservado")
              .issueDate(LocalDate.of(2025, 11, 3))
              .build();
      InboundMessage m = FakePdf.confirmationMail(d, seq.get(), clock.instant());
      inbox.deliver(m);
    }
  }

  long requests() {
    return inbox.sent().stream().filter(m -> m.to().contains("oc@andes.cl")).count();
  }

  @Test
  @DisplayName(
      "120 messages in batches of 50: each batch is committed after the next one was fetched (in"
          + " units of 10);"
          + " every message recorded and requested once")
  void nextBatchIsFetchedBeforeThisOneIsCommitted() {
    OcEngine e = engine();
    deliver(120);
    e.tick();

    // Fetches: batch 1 (50), batch 2 (50, ahead of batch 1's commits), batch 3 (20, ahead of
    // batch 2's commits), nothing after a batch that was not full. Units of 10.
    assertThat(fetchesAtRecording).containsExactly(2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3);
    assertThat(fetches.get()).isEqualTo(3);
    assertThat(e.operations().inbound(InboundOutcome.CONFIRMATION, null, 500)).hasSize(120);
    assertThat(requests()).isEqualTo(120);

    e.tick();
    assertThat(e.operations().inbound(null, null, 500)).hasSize(120);
    assertThat(requests()).isEqualTo(120);
  }

  @Test
  @DisplayName(
      "the fetch ahead fails: the batch in hand is still recorded and the cursor moved, the"
          + " mailbox is reported down, and the next read takes the rest once")
  void failedFetchAheadKeepsTheBatchInHand() {
    OcEngine e = engine();
    deliver(70);
    failingFetch.set(2); // the fetch ahead of the first batch's commit
    e.tick();

    assertThat(fetchesAtRecording).containsExactly(2, 2, 2, 2, 2);
    assertThat(e.operations().inbound(InboundOutcome.CONFIRMATION, null, 500)).hasSize(50);
    assertThat(e.health().problems()).containsKey("mailbox");
    assertThat(e.health().problems().get("mailbox")).contains("connection dropped (fetch 2)");

    e.tick();
    assertThat(e.operations().inbound(InboundOutcome.CONFIRMATION, null, 500)).hasSize(70);
    assertThat(e.health().problems()).doesNotContainKey("mailbox");
    assertThat(requests()).isEqualTo(70);
    assertThat(e.operations().statistics().total()).isEqualTo(70);
  }

  @Test
  @DisplayName(
      "each batch is marked processed once, as a whole, after all its units of work committed;"
          + " nothing one message at a time")
  void batchesAreMarkedProcessedWhole() {
    OcEngine e = engine();
    deliver(120);
    e.tick();

    assertThat(marked).extracting(List::size).containsExactly(50, 50, 20);
    // 5 units of 10 per full batch, 2 for the last one
    assertThat(markedAtRecordings).containsExactly(5, 10, 12);
    List<String> all = new ArrayList<>();
    marked.forEach(all::addAll);
    List<String> recorded = new ArrayList<>();
    for (InboundMessage m : inbox.fetch(null, 500).messages()) {
      recorded.add(m.messageId());
    }
    assertThat(all).isEqualTo(recorded);
    assertThat(singleMarks.get()).isZero();
  }

  @Test
  @DisplayName(
      "marking fails: intake goes on, every message recorded and requested once, nothing read"
          + " again")
  void failedMarkingCostsNothing() {
    OcEngine e = engine();
    failMarks = true;
    deliver(70);
    e.tick();
    e.tick();

    assertThat(marked).hasSize(2);
    assertThat(e.operations().inbound(null, null, 500)).hasSize(70);
    assertThat(requests()).isEqualTo(70);
    assertThat(e.health().problems()).doesNotContainKey("mailbox");
  }
}
