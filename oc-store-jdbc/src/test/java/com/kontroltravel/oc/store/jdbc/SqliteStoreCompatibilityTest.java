package com.kontroltravel.oc.store.jdbc;

import com.kontroltravel.oc.spi.Store;
import com.kontroltravel.oc.testkit.StoreCompatibilityKit;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("JdbcStore on a SQLite file passes the Store compatibility kit")
class SqliteStoreCompatibilityTest extends StoreCompatibilityKit {
  @TempDir Path dir;

  @Override
  protected Store createStore() {
    return JdbcStore.sqlite(dir.resolve("data/oc_seguimiento.db"));
  }
}
