package com.kontroltravel.oc;

import java.util.function.Function;

/**
 * Where a stage reads the store: in a unit of work of its own ({@link Transactions}) or in one
 * already open, so a batch's reads and writes share one transaction.
 */
interface StoreReads {
  /** Runs {@code read} against the store and returns its result. */
  <T> T call(Function<UnitOfWork, T> read);

  /** Reads inside the open unit of work {@code u}. */
  static StoreReads within(UnitOfWork u) {
    return new StoreReads() {
      @Override
      public <T> T call(Function<UnitOfWork, T> read) {
        return read.apply(u);
      }
    };
  }
}
