package com.kontroltravel.oc.store.jdbc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * Finds a PostgreSQL for tests: {@code OC_TEST_PG_URL} (a full JDBC URL with user and password
 * parameters), else a Testcontainers server when Docker works, else nothing (the tests are skipped
 * with a loud message). Each store under test gets its own schema, dropped afterwards.
 */
final class PostgresTestSupport {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresTestSupport.class);
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static volatile Optional<String> url;
  private static PostgreSQLContainer<?> container;
  private static volatile boolean warned;

  private PostgresTestSupport() {}

  /** The base URL, or empty when no PostgreSQL can be had. */
  static synchronized Optional<String> baseUrl() {
    if (url == null) {
      url = find();
    }
    return url;
  }

  /** Skips the calling test class (loudly) when there is no PostgreSQL. */
  static synchronized String requireBaseUrl() {
    Optional<String> u = baseUrl();
    if (u.isEmpty() && !warned) {
      warned = true;
      String msg =
          "SKIPPING PostgreSQL tests: OC_TEST_PG_URL is not set and Docker is not available."
              + " Run `eval \"$(.ci/start-postgres.sh)\"` to get a local server.";
      LOG.warn(msg);
      System.err.println("\n*** " + msg + " ***\n");
    }
    assumeTrue(u.isPresent(), "no PostgreSQL: set OC_TEST_PG_URL or start Docker");
    return u.get();
  }

  private static Optional<String> find() {
    String env = System.getenv("OC_TEST_PG_URL");
    if (env != null && !env.isBlank()) {
      LOG.info("PostgreSQL tests use OC_TEST_PG_URL");
      return Optional.of(env.trim());
    }
    boolean docker;
    try {
      docker = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      docker = false;
    }
    if (!docker) {
      return Optional.empty();
    }
    LOG.info("PostgreSQL tests use a Testcontainers server");
    container = new PostgreSQLContainer<>("postgres:16-alpine");
    container.start();
    String base = container.getJdbcUrl();
    return Optional.of(
        base
            + (base.contains("?") ? "&" : "?")
            + "user="
            + container.getUsername()
            + "&password="
            + container.getPassword());
  }

  /** Creates a new empty schema and returns its name. */
  static String createSchema() {
    String schema = "oc_t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
    exec("CREATE SCHEMA " + schema);
    return schema;
  }

  /** The base URL with {@code currentSchema} set. */
  static String urlFor(String schema) {
    String base = requireBaseUrl();
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  static void dropSchema(String schema) {
    exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  /** Runs test-only DDL (schema names made here, never input). */
  static void exec(String sql) {
    try (Connection c = DriverManager.getConnection(requireBaseUrl());
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("test DDL failed: " + e.getMessage(), e);
    }
  }
}
