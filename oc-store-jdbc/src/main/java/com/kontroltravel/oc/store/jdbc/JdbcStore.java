package com.kontroltravel.oc.store.jdbc;

import com.kontroltravel.oc.exception.StoreException;
import com.kontroltravel.oc.model.StoredDocument;
import com.kontroltravel.oc.spi.Store;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A {@link Store} over JDBC, on SQLite (the embedded default: one file, one node) or PostgreSQL
 * (any number of engines sharing one database).
 *
 * <pre>{@code
 * Store store = JdbcStore.sqlite(Path.of("data/oc_seguimiento.db"));
 * Store shared = JdbcStore.create("jdbc:postgresql://db:5432/oc", "oc", System.getenv("OC_DB_PASSWORD"));
 * }</pre>
 *
 * <p>The schema is created or migrated when the store is built; building fails with a {@link
 * StoreException} when the database's schema is newer than this code. Several engines may build
 * stores on one database at once.
 *
 * <p>Thread safe. On SQLite, units of work run one at a time ({@code BEGIN IMMEDIATE}), since
 * SQLite allows one writer. On PostgreSQL they run concurrently at READ COMMITTED; claims use
 * {@code FOR UPDATE SKIP LOCKED} and leases, and stale writes are caught by the version column.
 * Instants are kept at microsecond precision.
 *
 * <p>Documents live in the database (with SHA-256 and size). A single-node deployment may also
 * mirror them to files with {@link Builder#mirrorDocumentsTo(Path)}.
 */
public final class JdbcStore implements Store {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);

  /** How long SQLite waits for another process's write lock before a unit of work fails. */
  public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(10);

  /** The pool size used for PostgreSQL URLs. */
  public static final int DEFAULT_POSTGRES_POOL_SIZE = 10;

  /** The pool size used for SQLite files (units of work run one at a time anyway). */
  public static final int DEFAULT_SQLITE_POOL_SIZE = 2;

  /** The schema version this code writes and reads. */
  public static final int SCHEMA_VERSION = Migrations.LATEST;

  /**
   * Bounded retries of {@code BEGIN IMMEDIATE} when SQLite still reports BUSY after its busy
   * timeout.
   */
  private static final int SQLITE_BEGIN_ATTEMPTS = 5;

  private final DataSource dataSource;
  private final HikariDataSource ownedPool;
  private final Dialect dialect;
  private final boolean configureSqliteConnections;
  private final Duration busyTimeout;
  private final DocumentMirror mirror;
  private final ReentrantLock sqliteLock = new ReentrantLock(true);
  private final AtomicBoolean closed = new AtomicBoolean();

  private JdbcStore(Builder b) {
    this.dialect = b.dialect;
    this.busyTimeout = b.busyTimeout;
    this.mirror = b.mirrorDir == null ? null : new DocumentMirror(b.mirrorDir);
    if (b.dataSource != null) {
      this.dataSource = b.dataSource;
      this.ownedPool = null;
      this.configureSqliteConnections = dialect == Dialect.SQLITE;
    } else {
      this.ownedPool = pool(b);
      this.dataSource = ownedPool;
      this.configureSqliteConnections = false;
    }
    try {
      int before = Migrations.migrate(dataSource, dialect);
      LOG.info("{} store ready (schema version {} -> {})", dialect, before, SCHEMA_VERSION);
    } catch (RuntimeException e) {
      if (ownedPool != null) {
        ownedPool.close();
      }
      throw e;
    }
  }

  /**
   * A store in a SQLite file (created with its parent folders when missing: folders 0700, the file
   * 0600, whatever the umask), in WAL mode, with foreign keys on and a busy timeout of {@link
   * #DEFAULT_BUSY_TIMEOUT}.
   */
  public static JdbcStore sqlite(Path file) {
    return builder("jdbc:sqlite:" + Objects.requireNonNull(file, "file == null")).build();
  }

  /**
   * A store at a JDBC URL ({@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://...}; credentials
   * may be URL parameters), with a HikariCP pool.
   */
  public static JdbcStore create(String jdbcUrl) {
    return builder(jdbcUrl).build();
  }

  /** A store at a JDBC URL with these credentials, with a HikariCP pool. */
  public static JdbcStore create(String jdbcUrl, String user, String password) {
    return builder(jdbcUrl).credentials(user, password).build();
  }

  /**
   * A store over a caller's {@link DataSource} (the caller owns and closes it). For SQLite, each
   * connection is given the busy timeout and foreign keys when borrowed; enable WAL in the URL or
   * let the migration do it.
   */
  public static JdbcStore create(DataSource dataSource, Dialect dialect) {
    return builder(dataSource, dialect).build();
  }

  /** A builder for a store at a JDBC URL. */
  public static Builder builder(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl == null");
    return new Builder(jdbcUrl, Dialect.fromJdbcUrl(jdbcUrl), null);
  }

  /** A builder for a store over a caller's {@link DataSource}. */
  public static Builder builder(DataSource dataSource, Dialect dialect) {
    return new Builder(
        null,
        Objects.requireNonNull(dialect, "dialect == null"),
        Objects.requireNonNull(dataSource, "dataSource == null"));
  }

  /** The database this store speaks to. */
  public Dialect dialect() {
    return dialect;
  }

  @Override
  public <T> T inTransaction(Work<T> work) {
    Objects.requireNonNull(work, "work == null");
    if (closed.get()) {
      throw new StoreException("the store is closed");
    }
    if (dialect == Dialect.SQLITE) {
      sqliteLock.lock();
      try {
        return run(work);
      } finally {
        sqliteLock.unlock();
      }
    }
    return run(work);
  }

  private <T> T run(Work<T> work) {
    List<StoredDocument> written = new ArrayList<>();
    T result;
    try (Connection c = dataSource.getConnection()) {
      begin(c);
      JdbcTransaction tx =
          new JdbcTransaction(c, dialect, mirror == null ? doc -> {} : written::add);
      try {
        result = work.run(tx);
      } catch (Throwable e) {
        tx.close();
        rollback(c, e);
        throw rethrow(e);
      }
      tx.close();
      commit(c);
    } catch (SQLException e) {
      throw SqlErrors.translate("unit of work failed", e);
    }
    if (mirror != null) {
      for (StoredDocument doc : written) {
        mirror.write(doc);
      }
    }
    return result;
  }

  private void begin(Connection c) throws SQLException {
    if (dialect == Dialect.POSTGRESQL) {
      if (c.getAutoCommit()) {
        c.setAutoCommit(false);
      }
      return;
    }
    // SQLite: the driver stays in auto-commit; we open the transaction ourselves with BEGIN
    // IMMEDIATE so that it
    // takes the write lock up front (a deferred transaction upgrading to write would fail with
    // BUSY_SNAPSHOT).
    if (!c.getAutoCommit()) {
      c.setAutoCommit(true);
    }
    try (Statement st = c.createStatement()) {
      if (configureSqliteConnections) {
        st.execute("PRAGMA busy_timeout = " + busyTimeout.toMillis());
        st.execute("PRAGMA foreign_keys = ON");
      }
      for (int attempt = 1; ; attempt++) {
        try {
          st.execute("BEGIN IMMEDIATE");
          return;
        } catch (SQLException e) {
          if (!SqlErrors.isBusy(e) || attempt >= SQLITE_BEGIN_ATTEMPTS) {
            throw e;
          }
          LOG.debug("SQLite busy at BEGIN IMMEDIATE (attempt {}), retrying", attempt);
        }
      }
    }
  }

  private void commit(Connection c) throws SQLException {
    if (dialect == Dialect.POSTGRESQL) {
      c.commit();
    } else {
      try (Statement st = c.createStatement()) {
        st.execute("COMMIT");
      }
    }
  }

  private void rollback(Connection c, Throwable cause) {
    try {
      if (dialect == Dialect.POSTGRESQL) {
        c.rollback();
      } else {
        try (Statement st = c.createStatement()) {
          st.execute("ROLLBACK");
        }
      }
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static RuntimeException rethrow(Throwable e) {
    if (e instanceof RuntimeException r) {
      return r;
    }
    if (e instanceof Error err) {
      throw err;
    }
    return new StoreException("unit of work failed: " + e, e);
  }

  /** Closes the pool this store built (a caller's {@link DataSource} is left open). Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownedPool != null) {
      ownedPool.close();
    }
  }

  private static HikariDataSource pool(Builder b) {
    HikariConfig cfg = new HikariConfig();
    cfg.setPoolName("oc-store-" + b.dialect.name().toLowerCase(java.util.Locale.ROOT));
    if (b.dialect == Dialect.SQLITE) {
      String path = b.jdbcUrl.substring("jdbc:sqlite:".length());
      int q = path.indexOf('?');
      String file = q < 0 ? path : path.substring(0, q);
      if (!file.isEmpty() && !file.equals(":memory:") && !file.startsWith("file:")) {
        // The database holds every document: its folder is created 0700, the file (and so the
        // WAL and SHM files, which SQLite creates with the database's mode) 0600, whatever the
        // umask.
        Path db = Path.of(file).toAbsolutePath();
        Path parent = db.getParent();
        try {
          if (parent != null) {
            DocumentMirror.privateDirectories(parent);
          }
          DocumentMirror.privateFile(db);
          for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
            Path side = db.resolveSibling(db.getFileName() + suffix);
            if (Files.exists(side, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
              DocumentMirror.privateFile(side);
            }
          }
        } catch (IOException e) {
          throw new StoreException("cannot create the SQLite file or its folder: " + e, e);
        }
      }
      SQLiteConfig sc = new SQLiteConfig();
      sc.setJournalMode(SQLiteConfig.JournalMode.WAL);
      sc.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
      sc.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, b.busyTimeout.toMillis()));
      sc.enforceForeignKeys(true);
      SQLiteDataSource sds = new SQLiteDataSource(sc);
      sds.setUrl(b.jdbcUrl);
      cfg.setDataSource(sds);
      cfg.setMaximumPoolSize(b.poolSize > 0 ? b.poolSize : DEFAULT_SQLITE_POOL_SIZE);
      cfg.setAutoCommit(true);
    } else {
      cfg.setJdbcUrl(b.jdbcUrl);
      if (b.user != null) {
        cfg.setUsername(b.user);
      }
      if (b.password != null) {
        cfg.setPassword(b.password);
      }
      cfg.setMaximumPoolSize(b.poolSize > 0 ? b.poolSize : DEFAULT_POSTGRES_POOL_SIZE);
      cfg.setAutoCommit(false);
    }
    cfg.setMinimumIdle(1);
    cfg.setInitializationFailTimeout(1);
    try {
      return new HikariDataSource(cfg);
    } catch (RuntimeException e) {
      // Hikari's message names the pool, not the password.
      throw new StoreException("cannot open the " + b.dialect + " database: " + e.getMessage(), e);
    }
  }

  /** Options of a {@link JdbcStore}; not thread safe. */
  public static final class Builder {
    private final String jdbcUrl;
    private final Dialect dialect;
    private final DataSource dataSource;
    private String user;
    private String password;
    private int poolSize;
    private Duration busyTimeout = DEFAULT_BUSY_TIMEOUT;
    private Path mirrorDir;

    private Builder(String jdbcUrl, Dialect dialect, DataSource dataSource) {
      this.jdbcUrl = jdbcUrl;
      this.dialect = dialect;
      this.dataSource = dataSource;
    }

    /** Database credentials (for URLs; take the password from the environment, never from code). */
    public Builder credentials(String newUser, String newPassword) {
      this.user = newUser;
      this.password = newPassword;
      return this;
    }

    /** The size of the pool built for a URL (defaults: 10 for PostgreSQL, 2 for SQLite). */
    public Builder maximumPoolSize(int size) {
      if (size < 1 || size > 1000) {
        throw new IllegalArgumentException("maximumPoolSize must be 1..1000: " + size);
      }
      this.poolSize = size;
      return this;
    }

    /**
     * How long SQLite waits for another process's write lock (default {@link
     * #DEFAULT_BUSY_TIMEOUT}).
     */
    public Builder busyTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout == null");
      if (timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("busyTimeout out of range: " + timeout);
      }
      this.busyTimeout = timeout;
      return this;
    }

    /**
     * Also writes every document tied to a reservation, after its unit of work commits, to {@code
     * dataDir/confirmaciones/YYYYMMDD_<id>.pdf} or {@code dataDir/oc/YYYYMMDD_<id>_oc.pdf}. For
     * single-node deployments whose operators use those folders; the database stays the source of
     * truth. A file that cannot be written is logged, not raised.
     */
    public Builder mirrorDocumentsTo(Path dataDir) {
      this.mirrorDir = Objects.requireNonNull(dataDir, "dataDir == null");
      return this;
    }

    /**
     * Opens the store and brings its schema up to date.
     *
     * @throws StoreException when the database cannot be reached or its schema is newer than this
     *     code
     */
    public JdbcStore build() {
      return new JdbcStore(this);
    }
  }
}
