package com.kontroltravel.oc.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.ParseResult;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.testkit.RecordingMailGateway;
import com.kontroltravel.oc.testkit.SettableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The issue's acceptance on the real engine: four engines, each with its own {@link JdbcStore} (own
 * pool) on one PostgreSQL, share a recording gateway; one engine's database connection dies in the
 * middle of sending.
 */
class PostgresMultiEngineTest {
  private static final ZoneId ZONE = ZoneId.of("America/Santiago");
  private static final int BOOKINGS = 5_000;
  private static final int STEPS = 4; // request and three reminders (ReminderSchedule.DEFAULT)
  private static final byte[] PDF = "%PDF-1.4 confirmation".getBytes(StandardCharsets.US_ASCII);

  private String schema;
  private final List<JdbcStore> stores = new ArrayList<>();

  @BeforeEach
  void freshSchema() {
    schema = PostgresTestSupport.createSchema();
  }

  @AfterEach
  void dropSchema() {
    stores.forEach(JdbcStore::close);
    if (schema != null) {
      PostgresTestSupport.dropSchema(schema);
    }
  }

  @Test
  @Timeout(value = 600, unit = TimeUnit.SECONDS)
  @DisplayName(
      "four engines with their own pools on one PostgreSQL send every step of 5,000 bookings exactly once,"
          + " though one dies mid-send")
  void fourEnginesOneKilled() throws Exception {
    SettableClock clock =
        SettableClock.at(ZonedDateTime.of(2025, 11, 3, 8, 0, 0, 0, ZONE).toInstant(), ZONE);
    RecordingMailGateway gateway = RecordingMailGateway.create(clock);
    String url = PostgresTestSupport.urlFor(schema);
    List<OcEngine> engines = new ArrayList<>();
    List<ExecutorService> threads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      JdbcStore store = JdbcStore.builder(url).maximumPoolSize(3).build();
      stores.add(store);
      engines.add(
          OcEngine.builder()
              .config(
                  OcConfig.builder()
                      .mailboxAddress("oc@kontroltravel.com")
                      .allowedSenders(List.of("reservas@kontrol.cl"))
                      .nodeId("node-" + i)
                      .batchSize(50)
                      .leaseDuration(Duration.ofMinutes(10))
                      .build())
              .store(store)
              .mailGateway(gateway)
              .reservationParser(
                  doc -> ParseResult.failed("not used: bookings are tracked directly"))
              .clock(clock)
              .build());
      String name = "engine-" + i;
      threads.add(Executors.newSingleThreadExecutor(r -> new Thread(r, name)));
    }

    // Engine 0 dies abruptly (its pool closes under it) right after the mail server accepted its
    // 25th message,
    // before it could record that: the worst moment for "exactly once".
    AtomicInteger sentByZero = new AtomicInteger();
    AtomicBoolean zeroDead = new AtomicBoolean();
    gateway.failSendsWith(
        m -> {
          if (Thread.currentThread().getName().equals("engine-0")
              && sentByZero.incrementAndGet() == 25) {
            stores.get(0).close();
            zeroDead.set(true);
          }
          return null;
        });

    engines
        .get(1)
        .operations()
        .putAgency(Agency.requiringOc("Viajes Andes", "oc@andes.cl"), "setup");
    List<Future<?>> tracking = new ArrayList<>();
    for (int e = 0; e < 4; e++) {
      int engine = e;
      tracking.add(
          threads
              .get(e)
              .submit(
                  () -> {
                    for (int i = engine; i < BOOKINGS; i += 4) {
                      engines
                          .get(engine)
                          .track(
                              ReservationDetails.builder(String.valueOf(700_000 + i))
                                  .agencyName("Viajes Andes")
                                  .issueDate(LocalDate.of(2025, 11, 3))
                                  .build(),
                              PDF);
                    }
                    return null;
                  }));
    }
    for (Future<?> f : tracking) {
      f.get(300, TimeUnit.SECONDS);
    }

    try {
      for (int round = 0; round < 10 * 24 * 2; round++) {
        List<Future<?>> ticks = new ArrayList<>();
        for (int e = 0; e < 4; e++) {
          if (e == 0 && zeroDead.get()) {
            continue;
          }
          OcEngine engine = engines.get(e);
          ticks.add(threads.get(e).submit(engine::tick));
        }
        for (int k = 0; k < ticks.size(); k++) {
          try {
            ticks.get(k).get(120, TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException ex) {
            // Only the dead engine may fail (its store is closed).
            assertThat(zeroDead).as("a live engine failed: %s", ex.getCause()).isTrue();
          }
        }
        clock.advance(Duration.ofMinutes(30));
      }
    } finally {
      threads.forEach(ExecutorService::shutdownNow);
    }

    assertThat(zeroDead).as("engine 0 was killed mid-run").isTrue();
    Map<String, Integer> copies = new HashMap<>();
    for (OutboundMessage m : gateway.sent()) {
      copies.merge(m.messageId(), 1, Integer::sum);
    }
    assertThat(
            copies.entrySet().stream()
                .filter(en -> en.getValue() > 1)
                .map(Map.Entry::getKey)
                .toList())
        .as("Message-IDs sent more than once")
        .isEmpty();
    assertThat(copies).hasSize(BOOKINGS * STEPS);
    OcEngine survivor = engines.get(2);
    assertThat(survivor.operations().statistics().byState().get(TrackingState.REMINDER_3))
        .isEqualTo((long) BOOKINGS);
  }
}
