package com.kontroltravel.oc.store.jdbc;

import com.kontroltravel.oc.exception.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema migrations, applied at start. A small runner rather than a migration library: one
 * {@code oc_schema_version} table, every pending migration applied in one transaction (both
 * databases have transactional DDL) under a lock that serialises engines starting at once ({@code
 * pg_advisory_xact_lock} on PostgreSQL, {@code BEGIN EXCLUSIVE} on SQLite), and a hard refusal when
 * the database is newer than the code.
 */
final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  /** A constant key for PostgreSQL's advisory lock ("oc-store" in ASCII). */
  private static final long PG_LOCK_KEY = 0x6f632d73746f7265L;

  private static final int SQLITE_LOCK_ATTEMPTS = 20;

  /** Every migration, in order. Add new ones at the end; never edit a released one. */
  static final List<Migration> ALL =
      List.of(
          new Migration(1, "initial schema", "V1__initial_schema.sql"),
          new Migration(
              2, "typed attention reasons, settings", "V2__attention_code_and_settings.sql"),
          new Migration(
              3,
              "inbound retries and kept message contents",
              "V3__inbound_retries_and_kept_content.sql"));

  /** The schema version this code writes and reads. */
  static final int LATEST = ALL.get(ALL.size() - 1).version();

  private Migrations() {}

  record Migration(int version, String description, String resource) {}

  /** Brings the schema to {@link #LATEST}; returns the version found before. */
  static int migrate(DataSource dataSource, Dialect dialect) {
    try (Connection c = dataSource.getConnection()) {
      return dialect == Dialect.POSTGRESQL ? migratePostgres(c) : migrateSqlite(c);
    } catch (SQLException e) {
      throw SqlErrors.translate("schema migration failed", e);
    }
  }

  private static int migratePostgres(Connection c) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        ps.setLong(1, PG_LOCK_KEY);
        ps.execute();
      }
      int found = applyPending(c, Dialect.POSTGRESQL);
      c.commit();
      return found;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  private static int migrateSqlite(Connection c) throws SQLException {
    c.setAutoCommit(true);
    try (Statement st = c.createStatement()) {
      // Persistent in the file; outside any transaction.
      st.execute("PRAGMA journal_mode=WAL");
      beginExclusive(st);
      try {
        int found = applyPending(c, Dialect.SQLITE);
        st.execute("COMMIT");
        return found;
      } catch (SQLException | RuntimeException e) {
        st.execute("ROLLBACK");
        throw e;
      }
    }
  }

  private static void beginExclusive(Statement st) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        st.execute("BEGIN EXCLUSIVE");
        return;
      } catch (SQLException e) {
        if (!SqlErrors.isBusy(e) || attempt >= SQLITE_LOCK_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private static int applyPending(Connection c, Dialect dialect) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE IF NOT EXISTS oc_schema_version (version integer PRIMARY KEY, description text NOT NULL,"
              + " applied_at text NOT NULL)");
    }
    int current = 0;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT MAX(version) FROM oc_schema_version")) {
      if (rs.next()) {
        current = rs.getInt(1);
      }
    }
    if (current > LATEST) {
      throw new StoreException(
          "the database schema is at version "
              + current
              + " but this oc-store-jdbc only knows versions up to "
              + LATEST
              + ": refusing to run against a newer schema (upgrade oc-store-jdbc, or point it at another"
              + " database)");
    }
    for (Migration m : ALL) {
      if (m.version() <= current) {
        continue;
      }
      LOG.info("applying {} schema migration {} ({})", dialect, m.version(), m.description());
      try (Statement st = c.createStatement()) {
        for (String sql : statements(read(dialect, m))) {
          st.execute(sql);
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO oc_schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
        ps.setInt(1, m.version());
        ps.setString(2, m.description());
        ps.setString(3, Instant.now().toString());
        ps.executeUpdate();
      }
    }
    return current;
  }

  private static String read(Dialect dialect, Migration m) {
    String path = "migrations/" + dialect.migrationFolder() + "/" + m.resource();
    try (InputStream in = Migrations.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new StoreException("missing migration resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StoreException("cannot read migration resource " + path, e);
    }
  }

  /**
   * Splits a script on semicolons that end a line; drops comment lines. Scripts hold no other
   * semicolons.
   */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : script.split("\n", -1)) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("--")) {
        continue;
      }
      cur.append(line).append('\n');
      if (t.endsWith(";")) {
        String sql = cur.toString().strip();
        out.add(sql.substring(0, sql.length() - 1));
        cur.setLength(0);
      }
    }
    if (!cur.toString().isBlank()) {
      out.add(cur.toString().strip());
    }
    return out;
  }
}
