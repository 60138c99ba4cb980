package com.kontroltravel.oc.store.jdbc;

import com.kontroltravel.oc.exception.StoreConflictException;
import com.kontroltravel.oc.exception.StoreException;
import java.sql.SQLException;

/** Translates driver errors to the SPI's exceptions, keeping the cause. */
final class SqlErrors {
  /** SQLITE_BUSY and SQLITE_LOCKED primary result codes. */
  private static final int SQLITE_BUSY = 5;

  private static final int SQLITE_LOCKED = 6;
  private static final int SQLITE_CONSTRAINT = 19;

  private SqlErrors() {}

  static StoreException translate(String what, SQLException e) {
    if (isConflict(e)) {
      return new StoreConflictException(what + ": " + describe(e), e);
    }
    return new StoreException(what + ": " + describe(e), e);
  }

  /**
   * Unique violations, serialization failures and deadlocks: retrying the unit of work may succeed.
   */
  static boolean isConflict(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        String state = s.getSQLState();
        if ("23505".equals(state) || "40001".equals(state) || "40P01".equals(state)) {
          return true;
        }
        if (isSqlite(s) && (s.getErrorCode() & 0xff) == SQLITE_CONSTRAINT) {
          String m = String.valueOf(s.getMessage());
          if (m.contains("UNIQUE") || m.contains("PRIMARYKEY") || m.contains("PRIMARY KEY")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** True for SQLite's "database is busy/locked" results, which a bounded retry may get past. */
  static boolean isBusy(SQLException e) {
    int code = e.getErrorCode() & 0xff;
    return isSqlite(e) && (code == SQLITE_BUSY || code == SQLITE_LOCKED);
  }

  private static boolean isSqlite(SQLException e) {
    return e.getClass().getName().startsWith("org.sqlite")
        || String.valueOf(e.getMessage()).startsWith("[SQLITE_");
  }

  /** The message and SQL state, never parameter values (PostgreSQL omits them unless asked). */
  private static String describe(SQLException e) {
    String state = e.getSQLState();
    return e.getMessage() + (state == null ? "" : " (SQLState " + state + ")");
  }
}
