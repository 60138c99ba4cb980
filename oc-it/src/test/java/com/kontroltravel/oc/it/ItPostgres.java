package com.kontroltravel.oc.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The PostgreSQL server of {@code OC_TEST_PG_URL} (started by {@code .ci/start-postgres.sh}); each
 * test gets a fresh database, optionally owned by a fresh role with its own password.
 */
final class ItPostgres {
  private ItPostgres() {}

  /** The admin URL, or null when PostgreSQL is not configured. */
  static String adminUrl() {
    String url = System.getenv("OC_TEST_PG_URL");
    return url == null || url.isBlank() ? null : url;
  }

  /** {@code jdbc:postgresql://host:port}. */
  static String server() {
    String url = adminUrl();
    int slash = url.indexOf('/', "jdbc:postgresql://".length());
    return url.substring(0, slash);
  }

  /** A fresh database (owned by {@code owner}, or by the admin user when null); its name. */
  static String createDatabase(String prefix, String owner) throws SQLException {
    String name =
        (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10))
            .toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(adminUrl());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name + (owner == null ? "" : " OWNER " + owner));
    }
    return name;
  }

  /** A login role with this password. */
  static void createRole(String role, String password) throws SQLException {
    try (Connection c = DriverManager.getConnection(adminUrl());
        Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
    }
  }

  /** The URL of a database with the admin credentials. */
  static String urlOf(String database) {
    String url = adminUrl();
    int q = url.indexOf('?');
    return server() + "/" + database + (q < 0 ? "" : url.substring(q));
  }

  /**
   * Drops every connection to {@code database} (a database outage, seen from the engine), from an
   * admin connection to another database so it works while that one refuses connections.
   */
  static int terminateConnectionsFromAdmin(String database) throws SQLException {
    try (Connection c = DriverManager.getConnection(adminUrl());
        var ps =
            c.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
      ps.setString(1, database);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  static void dropRole(String role) {
    try (Connection c = DriverManager.getConnection(adminUrl());
        Statement s = c.createStatement()) {
      s.execute("DROP ROLE IF EXISTS " + role);
    } catch (SQLException e) {
      System.err.println("could not drop test role " + role + ": " + e.getMessage());
    }
  }

  static void dropDatabase(String database) {
    try (Connection c = DriverManager.getConnection(adminUrl());
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    } catch (SQLException e) {
      System.err.println("could not drop test database " + database + ": " + e.getMessage());
    }
  }
}
