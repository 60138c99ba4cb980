package com.kontroltravel.oc.store.jdbc;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Objects;

/**
 * The SQL databases {@link JdbcStore} speaks. Each has its own schema migrations and column types;
 * the SPI behaves the same on both.
 */
public enum Dialect {
  /**
   * SQLite 3.35 or later through {@code org.xerial:sqlite-jdbc}: one file, one node. Instants are
   * stored as microseconds since the epoch, dates as ISO text, decimals as exact text. Writers are
   * serialised ({@code BEGIN IMMEDIATE}).
   */
  SQLITE("sqlite") {
    @Override
    void setInstant(PreparedStatement ps, int i, Instant v) throws SQLException {
      if (v == null) {
        ps.setNull(i, Types.BIGINT);
      } else {
        ps.setLong(i, toMicros(v));
      }
    }

    @Override
    Instant getInstant(ResultSet rs, String column) throws SQLException {
      long micros = rs.getLong(column);
      return rs.wasNull() ? null : fromMicros(micros);
    }

    @Override
    void setDate(PreparedStatement ps, int i, LocalDate v) throws SQLException {
      if (v == null) {
        ps.setNull(i, Types.VARCHAR);
      } else {
        ps.setString(i, v.toString());
      }
    }

    @Override
    LocalDate getDate(ResultSet rs, String column) throws SQLException {
      String s = rs.getString(column);
      return s == null ? null : LocalDate.parse(s);
    }

    @Override
    void setDecimal(PreparedStatement ps, int i, BigDecimal v) throws SQLException {
      if (v == null) {
        ps.setNull(i, Types.VARCHAR);
      } else {
        ps.setString(i, v.toString());
      }
    }

    @Override
    BigDecimal getDecimal(ResultSet rs, String column) throws SQLException {
      String s = rs.getString(column);
      return s == null ? null : new BigDecimal(s);
    }
  },

  /**
   * PostgreSQL 12 or later: any number of engines sharing one database. Claims use {@code FOR
   * UPDATE SKIP LOCKED}; instants are {@code timestamptz} (microsecond precision), decimals {@code
   * numeric}.
   */
  POSTGRESQL("postgresql") {
    @Override
    void setInstant(PreparedStatement ps, int i, Instant v) throws SQLException {
      if (v == null) {
        ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
      } else {
        ps.setObject(i, OffsetDateTime.ofInstant(v, ZoneOffset.UTC));
      }
    }

    @Override
    Instant getInstant(ResultSet rs, String column) throws SQLException {
      OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
      return t == null ? null : t.toInstant();
    }

    @Override
    void setDate(PreparedStatement ps, int i, LocalDate v) throws SQLException {
      if (v == null) {
        ps.setNull(i, Types.DATE);
      } else {
        ps.setObject(i, v);
      }
    }

    @Override
    LocalDate getDate(ResultSet rs, String column) throws SQLException {
      return rs.getObject(column, LocalDate.class);
    }

    @Override
    void setDecimal(PreparedStatement ps, int i, BigDecimal v) throws SQLException {
      if (v == null) {
        ps.setNull(i, Types.NUMERIC);
      } else {
        ps.setBigDecimal(i, v);
      }
    }

    @Override
    BigDecimal getDecimal(ResultSet rs, String column) throws SQLException {
      return rs.getBigDecimal(column);
    }
  };

  private final String folder;

  Dialect(String folder) {
    this.folder = folder;
  }

  /**
   * The dialect of a JDBC URL ({@code jdbc:sqlite:...} or {@code jdbc:postgresql:...}).
   *
   * @throws IllegalArgumentException for any other URL
   */
  public static Dialect fromJdbcUrl(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl == null");
    String u = jdbcUrl.trim().toLowerCase(Locale.ROOT);
    if (u.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (u.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    // Never echo the URL: it may carry a password.
    throw new IllegalArgumentException(
        "unsupported JDBC URL: expected jdbc:sqlite:... or jdbc:postgresql:...");
  }

  /** The resource folder of this dialect's migrations. */
  String migrationFolder() {
    return folder;
  }

  abstract void setInstant(PreparedStatement ps, int i, Instant v) throws SQLException;

  abstract Instant getInstant(ResultSet rs, String column) throws SQLException;

  abstract void setDate(PreparedStatement ps, int i, LocalDate v) throws SQLException;

  abstract LocalDate getDate(ResultSet rs, String column) throws SQLException;

  abstract void setDecimal(PreparedStatement ps, int i, BigDecimal v) throws SQLException;

  abstract BigDecimal getDecimal(ResultSet rs, String column) throws SQLException;

  static long toMicros(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1_000);
  }

  static Instant fromMicros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }
}
