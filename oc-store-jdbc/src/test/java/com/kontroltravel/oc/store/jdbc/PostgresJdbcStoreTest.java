package com.kontroltravel.oc.store.jdbc;

import static com.kontroltravel.oc.store.jdbc.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kontroltravel.oc.exception.StoreConflictException;
import com.kontroltravel.oc.exception.StoreException;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.spi.StoreTransaction;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("JdbcStore on PostgreSQL")
class PostgresJdbcStoreTest {
  private String schema;
  private String url;
  private final List<JdbcStore> opened = new ArrayList<>();

  @BeforeEach
  void freshSchema() {
    schema = PostgresTestSupport.createSchema();
    url = PostgresTestSupport.urlFor(schema);
  }

  @AfterEach
  void dropSchema() {
    opened.forEach(JdbcStore::close);
    if (schema != null) {
      PostgresTestSupport.dropSchema(schema);
    }
  }

  private JdbcStore open() {
    JdbcStore s = JdbcStore.builder(url).maximumPoolSize(4).build();
    opened.add(s);
    return s;
  }

  private long scalar(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  @DisplayName(
      "four stores starting at once on an empty database migrate it once, under the advisory lock")
  void concurrentMigrations() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<JdbcStore>> fs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        fs.add(
            pool.submit(
                () -> {
                  go.await(10, TimeUnit.SECONDS);
                  return JdbcStore.builder(url).maximumPoolSize(2).build();
                }));
      }
      go.countDown();
      for (Future<JdbcStore> f : fs) {
        opened.add(f.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(scalar("SELECT COUNT(*) FROM oc_schema_version"))
        .isEqualTo(JdbcStore.SCHEMA_VERSION);
    open().close();
    assertThat(scalar("SELECT COUNT(*) FROM oc_schema_version"))
        .isEqualTo(JdbcStore.SCHEMA_VERSION);
    for (JdbcStore s : opened.subList(0, 4)) {
      assertThat(s.inTransaction((StoreTransaction t) -> t.countNeedingAttention())).isZero();
    }
  }

  @Test
  @DisplayName("a database whose schema is newer than the code is refused with a clear error")
  void newerSchemaRefused() throws Exception {
    open().close();
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO oc_schema_version (version, description, applied_at) VALUES (42, 'future', 'x')");
    }
    assertThatThrownBy(this::open)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("version 42")
        .hasMessageContaining("newer schema");
  }

  @Test
  @DisplayName(
      "a duplicate insert inside a larger unit of work rolls the whole unit back as a conflict")
  void duplicateInsideLargerUnit() {
    JdbcStore s = open();
    s.inTransaction((StoreTransaction t) -> t.insertReservation(StoreFixtures.due(1, T0)));
    assertThatThrownBy(
            () ->
                s.inTransaction(
                    (StoreTransaction t) -> {
                      t.insertReservation(StoreFixtures.due(2, T0));
                      return t.insertReservation(StoreFixtures.due(1, T0));
                    }))
        .isInstanceOf(StoreConflictException.class);
    assertThat(s.inTransaction((StoreTransaction t) -> t.reservation(StoreFixtures.id(2))))
        .isEmpty();
  }

  @Test
  @DisplayName("claiming due work can use the partial index on next-action time")
  void claimUsesTheDueIndex() throws Exception {
    open().close();
    StringBuilder plan = new StringBuilder();
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      st.execute("SET enable_seqscan = off");
      try (ResultSet rs =
          st.executeQuery(
              "EXPLAIN SELECT id FROM oc_reservation WHERE next_action_at <= now()"
                  + " AND (claim_until IS NULL OR claim_until <= now()) ORDER BY next_action_at LIMIT 10"
                  + " FOR UPDATE SKIP LOCKED")) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
    }
    assertThat(plan.toString()).contains("oc_reservation_due");
  }

  @Test
  @DisplayName(
      "four stores with their own pools claim 5,000 due bookings; one dies holding claims; each is done once")
  void fourStoresClaimDisjointlyAndSurviveAKill() throws Exception {
    int total = 5_000;
    JdbcStore loader = open();
    for (int from = 0; from < total; from += 1_000) {
      int start = from;
      loader.inTransaction(
          (StoreTransaction t) -> {
            for (int i = start; i < start + 1_000; i++) {
              t.insertReservation(StoreFixtures.due(i, T0.minusMillis(total - i)));
            }
            return null;
          });
    }
    List<JdbcStore> engines = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      engines.add(open());
    }
    Instant lease = T0.plusSeconds(60);
    Map<String, AtomicInteger> done = new ConcurrentHashMap<>();
    AtomicInteger claimedByDead = new AtomicInteger();
    AtomicInteger duplicateClaims = new AtomicInteger();
    Map<String, String> claimOwner = new ConcurrentHashMap<>();

    // Engine 0 claims a batch and dies before doing any of it.
    List<String> lost =
        engines
            .get(0)
            .inTransaction((StoreTransaction t) -> t.claimDue(T0, 200, "engine-0", lease));
    lost.forEach(id -> claimOwner.put(id, "engine-0"));
    claimedByDead.set(lost.size());
    engines.get(0).close();

    runEngines(engines.subList(1, 4), T0, lease, done, claimOwner, duplicateClaims, total);
    assertThat(done).hasSize(total - claimedByDead.get());
    // After the dead engine's lease ends, the survivors pick up its rows.
    Instant later = lease.plusSeconds(1);
    runEngines(
        engines.subList(1, 4),
        later,
        later.plusSeconds(60),
        done,
        claimOwner,
        duplicateClaims,
        total);

    assertThat(claimedByDead.get()).isEqualTo(200);
    assertThat(duplicateClaims).hasValue(0);
    assertThat(done).hasSize(total);
    assertThat(done.values()).allMatch(c -> c.get() == 1);
    assertThat(loader.inTransaction((StoreTransaction t) -> t.earliestNextAction())).isEmpty();
  }

  private static void runEngines(
      List<JdbcStore> engines,
      Instant now,
      Instant lease,
      Map<String, AtomicInteger> done,
      Map<String, String> claimOwner,
      AtomicInteger duplicateClaims,
      int total)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(engines.size());
    try {
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int e = 0; e < engines.size(); e++) {
        JdbcStore store = engines.get(e);
        String owner = "engine-" + (e + 1) + "@" + now;
        tasks.add(
            () -> {
              for (int round = 0; round < total; round++) {
                List<String> ids =
                    store.inTransaction((StoreTransaction t) -> t.claimDue(now, 100, owner, lease));
                if (ids.isEmpty()) {
                  return null;
                }
                for (String id : ids) {
                  String prev = claimOwner.put(id, owner);
                  if (prev != null && !prev.equals("engine-0")) {
                    duplicateClaims.incrementAndGet();
                  }
                }
                // Do the work: clear the next action (version-checked) and release the claim.
                store.inTransaction(
                    (StoreTransaction t) -> {
                      for (String id : ids) {
                        Reservation r = t.reservation(id).orElseThrow();
                        t.updateReservation(r.toBuilder().nextActionAt(null).build());
                        t.releaseClaim(id, owner);
                      }
                      return null;
                    });
                ids.forEach(
                    id -> done.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet());
              }
              throw new IllegalStateException("claim loop did not finish within its bound");
            });
      }
      for (Future<Void> f : pool.invokeAll(tasks, 120, TimeUnit.SECONDS)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
