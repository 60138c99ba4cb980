package com.kontroltravel.oc.store.jdbc;

import com.kontroltravel.oc.spi.Store;
import com.kontroltravel.oc.testkit.StoreCompatibilityKit;
import org.junit.jupiter.api.DisplayName;

@DisplayName("JdbcStore on PostgreSQL passes the Store compatibility kit")
class PostgresStoreCompatibilityTest extends StoreCompatibilityKit {
  private String schema;

  @Override
  protected Store createStore() {
    schema = PostgresTestSupport.createSchema();
    return JdbcStore.builder(PostgresTestSupport.urlFor(schema)).maximumPoolSize(6).build();
  }

  @Override
  protected void dispose(Store store) {
    try {
      store.close();
    } finally {
      PostgresTestSupport.dropSchema(schema);
    }
  }
}
