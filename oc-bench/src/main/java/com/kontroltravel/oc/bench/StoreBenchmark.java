package com.kontroltravel.oc.bench;

import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.spi.StoreTransaction;
import com.kontroltravel.oc.store.jdbc.Dialect;
import com.kontroltravel.oc.store.jdbc.JdbcStore;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A plain driver measuring {@link JdbcStore} with many tracked reservations: bulk tracking
 * throughput (through the store API), a tick with nothing due, and claiming 1,000 due reservations.
 * The figures for a fixed number due should stay flat as the number tracked grows, because claims
 * read the partial index on next-action time.
 *
 * <pre>
 * mvn -q -pl oc-bench exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=com.kontroltravel.oc.bench.StoreBenchmark \
 *   -Dexec.args="--sizes 10000,100000,1000000 --dialects sqlite,postgresql --pg-url $OC_TEST_PG_URL"
 * </pre>
 *
 * <p>Data set per size N: 1,000 reservations due (next action in the hour before now), 70% of the
 * rest open with a next action 1 to 10 days ahead, 30% closed (no next action).
 */
public final class StoreBenchmark {
  private static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
  private static final int DUE = 1_000;
  private static final int LOAD_BATCH = 5_000;
  private static final int TICKS = 300;
  private static final int CLAIM_ROUNDS = 15;

  private StoreBenchmark() {}

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    List<Integer> sizes = List.of(10_000, 100_000);
    List<String> dialects = List.of("sqlite", "postgresql");
    String pgUrl = System.getenv("OC_TEST_PG_URL");
    Path work = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--sizes" ->
            sizes =
                Arrays.stream(args[i + 1].split(",")).map(s -> Integer.parseInt(s.trim())).toList();
        case "--dialects" ->
            dialects = Arrays.stream(args[i + 1].split(",")).map(String::trim).toList();
        case "--pg-url" -> pgUrl = args[i + 1];
        case "--dir" -> work = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (work == null) {
      work = Files.createTempDirectory("oc-store-bench");
    }
    System.out.printf(
        Locale.ROOT,
        "%-10s %10s %14s %14s %14s %14s %14s %14s%n",
        "dialect",
        "tracked",
        "load rows/s",
        "tick p50 ms",
        "tick p95 ms",
        "claim1k p50 ms",
        "claim1k max ms",
        "release p50 ms");
    for (String dialect : dialects) {
      for (int n : sizes) {
        if (n < DUE) {
          throw new IllegalArgumentException(
              "each size must be at least " + DUE + " (the due set): " + n);
        }
        if (dialect.equals("postgresql") && (pgUrl == null || pgUrl.isBlank())) {
          System.out.println("postgresql: skipped (set OC_TEST_PG_URL or pass --pg-url)");
          break;
        }
        Result r = dialect.equals("sqlite") ? runSqlite(work, n) : runPostgres(pgUrl, n);
        System.out.printf(
            Locale.ROOT,
            "%-10s %10d %14.0f %14.3f %14.3f %14.2f %14.2f %14.2f%n",
            dialect,
            n,
            r.loadRowsPerSecond,
            r.tickP50Ms,
            r.tickP95Ms,
            r.claimP50Ms,
            r.claimMaxMs,
            r.releaseP50Ms);
      }
    }
    deleteTree(work);
  }

  record Result(
      double loadRowsPerSecond,
      double tickP50Ms,
      double tickP95Ms,
      double claimP50Ms,
      double claimMaxMs,
      double releaseP50Ms) {}

  private static Result runSqlite(Path work, int n) throws IOException {
    Path file = work.resolve("bench-" + n + ".db");
    try (JdbcStore store = JdbcStore.sqlite(file)) {
      return measure(store, n, () -> {});
    } finally {
      for (String suffix : List.of("", "-wal", "-shm")) {
        Files.deleteIfExists(Path.of(file + suffix));
      }
    }
  }

  private static Result runPostgres(String baseUrl, int n) throws SQLException {
    String schema = "oc_bench_" + n + "_" + ProcessHandle.current().pid();
    exec(baseUrl, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    exec(baseUrl, "CREATE SCHEMA " + schema);
    String url = baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    try (JdbcStore store = JdbcStore.builder(url).maximumPoolSize(4).build()) {
      if (store.dialect() != Dialect.POSTGRESQL) {
        throw new IllegalStateException("not PostgreSQL");
      }
      // Autovacuum would analyse the freshly loaded table soon after; do it now so plans are the
      // steady state.
      return measure(store, n, () -> exec(url, "ANALYZE"));
    } finally {
      exec(baseUrl, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private static void exec(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("bench DDL failed: " + e.getMessage(), e);
    }
  }

  private static Result measure(JdbcStore store, int n, Runnable afterLoad) {
    // Bulk tracking through the store API, LOAD_BATCH reservations per unit of work.
    long t0 = System.nanoTime();
    for (int from = 0; from < n; from += LOAD_BATCH) {
      int start = from;
      int end = Math.min(n, from + LOAD_BATCH);
      store.inTransaction(
          (StoreTransaction t) -> {
            for (int i = start; i < end; i++) {
              t.insertReservation(reservation(i, n));
            }
            return null;
          });
    }
    double loadSeconds = (System.nanoTime() - t0) / 1e9;
    afterLoad.run();

    // A tick with nothing due: what the follow-up and outbox loops ask when they wake.
    Instant quiet = NOW.minus(Duration.ofDays(1));
    long[] ticks = new long[TICKS];
    for (int k = 0; k < TICKS; k++) {
      long s = System.nanoTime();
      store.inTransaction(
          (StoreTransaction t) -> {
            if (!t.claimDue(quiet, 100, "bench", quiet.plusSeconds(300)).isEmpty()) {
              throw new IllegalStateException("something was due");
            }
            t.claimOutbox(quiet, 50, "bench", quiet.plusSeconds(300));
            t.earliestNextAction();
            t.earliestPendingOutbox();
            return null;
          });
      ticks[k] = System.nanoTime() - s;
    }

    // Claiming 1,000 due, then releasing them (not timed) so the next round finds them again.
    long[] claims = new long[CLAIM_ROUNDS];
    long[] releases = new long[CLAIM_ROUNDS];
    for (int k = 0; k < CLAIM_ROUNDS; k++) {
      String owner = "bench-" + k;
      long s = System.nanoTime();
      List<String> got =
          store.inTransaction(
              (StoreTransaction t) -> t.claimDue(NOW, DUE, owner, NOW.plusSeconds(300)));
      claims[k] = System.nanoTime() - s;
      if (got.size() != DUE) {
        throw new IllegalStateException("claimed " + got.size() + " of " + DUE);
      }
      s = System.nanoTime();
      store.inTransaction(
          (StoreTransaction t) -> {
            t.releaseClaims(owner);
            return null;
          });
      releases[k] = System.nanoTime() - s;
    }
    Arrays.sort(ticks);
    Arrays.sort(claims);
    Arrays.sort(releases);
    return new Result(
        n / loadSeconds,
        ticks[TICKS / 2] / 1e6,
        ticks[(int) (TICKS * 0.95)] / 1e6,
        claims[CLAIM_ROUNDS / 2] / 1e6,
        claims[CLAIM_ROUNDS - 1] / 1e6,
        releases[CLAIM_ROUNDS / 2] / 1e6);
  }

  /**
   * Reservation i of n: DUE spread over the set are due, 70% of the others open ahead, the rest
   * closed.
   */
  static Reservation reservation(int i, int n) {
    String id = String.format(Locale.ROOT, "%09d", i);
    ReservationDetails details =
        ReservationDetails.builder(id)
            .internalLocator("LOC" + id)
            .locator("Z" + Integer.toString(i, 36).toUpperCase(Locale.ROOT))
            .agencyName("Agency " + (i % 200))
            .hotelName("Hotel " + (i % 997))
            .issueDate(LocalDate.of(2026, 1, 1).plusDays(i % 60))
            .checkIn(LocalDate.of(2026, 4, 1).plusDays(i % 90))
            .checkOut(LocalDate.of(2026, 4, 3).plusDays(i % 90))
            .nights(2)
            .rooms(1)
            .totalAmount(new BigDecimal("250000.00"))
            .currency("CLP")
            .build();
    int stride = n / DUE;
    Instant next;
    TrackingState state;
    if (i % stride == 0 && i / stride < DUE) {
      next = NOW.minusSeconds(1 + (i % 3_600));
      state = TrackingState.REQUESTED;
    } else if (i % 10 < 7) {
      next = NOW.plus(Duration.ofHours(24 + (i % 216)));
      state = TrackingState.REMINDER_1;
    } else {
      next = null;
      state = TrackingState.RECEIVED;
    }
    return Reservation.builder(details, details.issueDate(), NOW.minus(Duration.ofDays(3)))
        .state(state)
        .nextActionAt(next)
        .build();
  }

  private static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      List<Path> all = new ArrayList<>(s.toList());
      all.sort(Comparator.reverseOrder());
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    }
  }
}
