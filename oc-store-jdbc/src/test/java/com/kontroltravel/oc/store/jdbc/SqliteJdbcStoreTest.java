package com.kontroltravel.oc.store.jdbc;

import static com.kontroltravel.oc.store.jdbc.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kontroltravel.oc.exception.StoreException;
import com.kontroltravel.oc.model.DocumentKind;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationQuery;
import com.kontroltravel.oc.model.StoredDocument;
import com.kontroltravel.oc.spi.StoreTransaction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

@DisplayName("JdbcStore on SQLite")
class SqliteJdbcStoreTest {
  @TempDir Path dir;

  private Path db() {
    return dir.resolve("oc.db");
  }

  private long scalar(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  @DisplayName("opening a store twice applies the migrations once and keeps the data")
  void migrationsTwice() throws Exception {
    try (JdbcStore s = JdbcStore.sqlite(db())) {
      s.inTransaction((StoreTransaction t) -> t.insertReservation(StoreFixtures.due(1, T0)));
    }
    try (JdbcStore s = JdbcStore.sqlite(db())) {
      assertThat(s.inTransaction((StoreTransaction t) -> t.reservation(StoreFixtures.id(1))))
          .isPresent();
    }
    assertThat(scalar("SELECT COUNT(*) FROM oc_schema_version"))
        .isEqualTo(JdbcStore.SCHEMA_VERSION);
    assertThat(scalar("SELECT MAX(version) FROM oc_schema_version"))
        .isEqualTo(JdbcStore.SCHEMA_VERSION);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
    }
  }

  @Test
  @DisplayName("four stores opened at once on one new file migrate it once, and all of them work")
  void concurrentMigrations() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<JdbcStore> stores = new ArrayList<>();
    try {
      List<Future<JdbcStore>> fs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        fs.add(pool.submit(() -> JdbcStore.sqlite(db())));
      }
      for (Future<JdbcStore> f : fs) {
        stores.add(f.get(60, TimeUnit.SECONDS));
      }
      for (int i = 0; i < stores.size(); i++) {
        int k = i;
        stores
            .get(i)
            .inTransaction((StoreTransaction t) -> t.insertReservation(StoreFixtures.due(k, T0)));
      }
      assertThat(
              stores
                  .get(0)
                  .inTransaction((StoreTransaction t) -> t.list(ReservationQuery.all()))
                  .total())
          .isEqualTo(4);
    } finally {
      stores.forEach(JdbcStore::close);
      pool.shutdownNow();
    }
    assertThat(scalar("SELECT COUNT(*) FROM oc_schema_version"))
        .isEqualTo(JdbcStore.SCHEMA_VERSION);
  }

  @Test
  @DisplayName("a database whose schema is newer than the code is refused with a clear error")
  void newerSchemaRefused() throws Exception {
    JdbcStore.sqlite(db()).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO oc_schema_version (version, description, applied_at) VALUES (999, 'future', 'x')");
    }
    assertThatThrownBy(() -> JdbcStore.sqlite(db()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("version 999")
        .hasMessageContaining("newer schema");
  }

  @Test
  @DisplayName(
      "a store killed while holding claims loses nothing: after the lease the rows are claimable again")
  void killedWhileHoldingClaims() {
    int n = 50;
    JdbcStore first = JdbcStore.sqlite(db());
    first.inTransaction(
        (StoreTransaction t) -> {
          for (int i = 0; i < n; i++) {
            t.insertReservation(StoreFixtures.due(i, T0.minusSeconds(n - i)));
            t.insertOutbox(StoreFixtures.outbox(i, T0.minusSeconds(n - i)));
          }
          return null;
        });
    List<String> held =
        first.inTransaction(
            (StoreTransaction t) -> t.claimDue(T0, 1000, "engine-1", T0.plusSeconds(60)));
    List<OutboxMessage> heldOutbox =
        first.inTransaction(
            (StoreTransaction t) -> t.claimOutbox(T0, 1000, "engine-1", T0.plusSeconds(60)));
    assertThat(held).hasSize(n);
    assertThat(heldOutbox).hasSize(n);
    // Die without releasing anything: the pool goes away, the claims stay in the file.
    first.close();

    try (JdbcStore second = JdbcStore.sqlite(db())) {
      assertThat(
              second.inTransaction(
                  (StoreTransaction t) ->
                      t.claimDue(T0.plusSeconds(30), 1000, "engine-2", T0.plusSeconds(90))))
          .isEmpty();
      assertThat(
              second.inTransaction(
                  (StoreTransaction t) ->
                      t.claimOutbox(T0.plusSeconds(30), 1000, "engine-2", T0.plusSeconds(90))))
          .isEmpty();
      List<String> reclaimed =
          second.inTransaction(
              (StoreTransaction t) ->
                  t.claimDue(T0.plusSeconds(61), 1000, "engine-2", T0.plusSeconds(120)));
      assertThat(reclaimed).containsExactlyElementsOf(held);
      List<OutboxMessage> reclaimedOutbox =
          second.inTransaction(
              (StoreTransaction t) ->
                  t.claimOutbox(T0.plusSeconds(61), 1000, "engine-2", T0.plusSeconds(120)));
      assertThat(reclaimedOutbox).hasSize(n).extracting(OutboxMessage::attempts).containsOnly(2);
      for (int i = 0; i < n; i++) {
        int k = i;
        Reservation r =
            second
                .inTransaction((StoreTransaction t) -> t.reservation(StoreFixtures.id(k)))
                .orElseThrow();
        assertThat(r)
            .isEqualTo(StoreFixtures.due(k, T0.minusSeconds(n - k)).toBuilder().version(1).build());
      }
    }
  }

  @Test
  @DisplayName("claiming due work reads the partial index on next-action time, not the whole table")
  void claimUsesTheDueIndex() throws Exception {
    JdbcStore.sqlite(db()).close();
    String plan = "";
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "EXPLAIN QUERY PLAN SELECT id, next_action_at FROM oc_reservation WHERE next_action_at <= 5"
                    + " AND (claim_until IS NULL OR claim_until <= 5) ORDER BY next_action_at LIMIT 10")) {
      while (rs.next()) {
        plan += rs.getString("detail") + "\n";
      }
    }
    assertThat(plan)
        .contains("USING INDEX oc_reservation_due")
        .doesNotContain("SCAN oc_reservation\n");
  }

  @Test
  @DisplayName("references that look like SQL are plain values")
  void referencesAreParameters() {
    try (JdbcStore s = JdbcStore.sqlite(db())) {
      s.inTransaction((StoreTransaction t) -> t.insertReservation(StoreFixtures.due(1, T0)));
      assertThat(s.inTransaction((StoreTransaction t) -> t.findByReference("' OR '1'='1")))
          .isEmpty();
      assertThat(
              s.inTransaction(
                  (StoreTransaction t) -> t.findByReference("x'; DROP TABLE oc_reservation; --")))
          .isEmpty();
      assertThat(s.inTransaction((StoreTransaction t) -> t.findByReference(StoreFixtures.id(1))))
          .hasSize(1);
    }
  }

  @Test
  @DisplayName(
      "the opt-in mirror writes committed documents under the data folder with safe names only")
  void documentMirror() throws Exception {
    Path data = dir.resolve("data");
    byte[] pdf = "%PDF-1.4 confirmation".getBytes(StandardCharsets.US_ASCII);
    byte[] oc = "%PDF-1.4 oc".getBytes(StandardCharsets.US_ASCII);
    try (JdbcStore s = JdbcStore.builder("jdbc:sqlite:" + db()).mirrorDocumentsTo(data).build()) {
      s.inTransaction(
          (StoreTransaction t) -> {
            t.putDocument(
                doc("c1", "45215412", DocumentKind.CONFIRMATION, "20251120_45215412.pdf", pdf));
            t.putDocument(
                doc("o1", "45215412", DocumentKind.PURCHASE_ORDER, "20251120_45215412_oc.pdf", oc));
            t.putDocument(
                doc("evil", "../../x", DocumentKind.PURCHASE_ORDER, "../../../etc/passwd", oc));
            t.putDocument(doc("review", null, DocumentKind.PURCHASE_ORDER, "review_oc.pdf", oc));
            return null;
          });
      assertThatThrownBy(
              () ->
                  s.inTransaction(
                      (StoreTransaction t) -> {
                        t.putDocument(
                            doc("c2", "777", DocumentKind.CONFIRMATION, "20251121_777.pdf", pdf));
                        throw new IllegalStateException("rolled back");
                      }))
          .hasMessage("rolled back");
    }
    assertThat(Files.readAllBytes(data.resolve("confirmaciones/20251120_45215412.pdf")))
        .isEqualTo(pdf);
    assertThat(Files.readAllBytes(data.resolve("oc/20251120_45215412_oc.pdf"))).isEqualTo(oc);
    assertThat(Files.readAllBytes(data.resolve("oc/20260302_------x_oc.pdf"))).isEqualTo(oc);
    assertThat(data.resolve("confirmaciones/20251121_777.pdf")).doesNotExist();
    try (Stream<Path> all = Files.walk(data)) {
      assertThat(
              all.filter(Files::isRegularFile)
                  .map(p -> data.relativize(p).toString().replace('\\', '/')))
          .containsExactlyInAnyOrder(
              "confirmaciones/20251120_45215412.pdf",
              "oc/20251120_45215412_oc.pdf",
              "oc/20260302_------x_oc.pdf");
    }
  }

  private static StoredDocument doc(
      String id, String rid, DocumentKind kind, String safeName, byte[] content) {
    return new StoredDocument(
        id, rid, kind, "orig.pdf", safeName, "application/pdf", "sha", content.length, content, T0);
  }

  @Test
  @DisplayName(
      "a caller's SQLite DataSource works too, with the busy timeout and foreign keys set per connection")
  void callersDataSource() throws Exception {
    SQLiteDataSource ds = new SQLiteDataSource(new SQLiteConfig());
    ds.setUrl("jdbc:sqlite:" + db());
    try (JdbcStore s = JdbcStore.create(ds, Dialect.SQLITE)) {
      s.inTransaction((StoreTransaction t) -> t.insertReservation(StoreFixtures.due(1, T0)));
      List<Callable<Void>> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int base = 100 + w * 100;
        writers.add(
            () -> {
              for (int i = 0; i < 25; i++) {
                int k = base + i;
                s.inTransaction(
                    (StoreTransaction t) -> t.insertReservation(StoreFixtures.due(k, T0)));
              }
              return null;
            });
      }
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        for (Future<Void> f : pool.invokeAll(writers, 60, TimeUnit.SECONDS)) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(s.inTransaction((StoreTransaction t) -> t.list(ReservationQuery.all())).total())
          .isEqualTo(101);
    }
  }
}
