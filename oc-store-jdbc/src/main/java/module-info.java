/**
 * {@link com.kontroltravel.oc.store.jdbc.JdbcStore}: the engine's store over SQLite or PostgreSQL.
 */
module com.kontroltravel.oc.store.jdbc {
  requires transitive com.kontroltravel.oc;
  requires transitive java.sql;
  requires org.slf4j;
  requires com.zaxxer.hikari;
  requires org.xerial.sqlitejdbc;
  requires org.postgresql.jdbc;

  exports com.kontroltravel.oc.store.jdbc;
}
