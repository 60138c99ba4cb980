package com.kontroltravel.oc.testkit;

import com.kontroltravel.oc.spi.Store;
import com.kontroltravel.oc.store.memory.InMemoryStore;

/** The in-memory store passes the whole Store kit. */
class InMemoryStoreCompatibilityTest extends StoreCompatibilityKit {
  @Override
  protected Store createStore() {
    return InMemoryStore.create();
  }
}
