package com.kontroltravel.oc.store.memory;

import com.kontroltravel.oc.exception.StoreException;
import com.kontroltravel.oc.spi.Store;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Store} in memory, for tests, demos and hosts that keep state elsewhere. Thread safe:
 * units of work run one at a time under a lock, and a unit that throws is undone. Claiming due work
 * uses ordered indexes, so its cost grows with the number due. Nothing survives the JVM.
 */
public final class InMemoryStore implements Store {
  private final ReentrantLock lock = new ReentrantLock();
  private final MemoryState state = new MemoryState();

  private InMemoryStore() {}

  /** An empty store. */
  public static InMemoryStore create() {
    return new InMemoryStore();
  }

  @Override
  public <T> T inTransaction(Work<T> work) {
    Objects.requireNonNull(work, "work == null");
    if (lock.isHeldByCurrentThread()) {
      throw new IllegalStateException("nested unit of work on the same store");
    }
    lock.lock();
    MemoryTransaction tx = new MemoryTransaction(state);
    try {
      T result = work.run(tx);
      tx.closed = true;
      return result;
    } catch (RuntimeException e) {
      tx.rollback();
      throw e;
    } catch (Exception e) {
      tx.rollback();
      throw new StoreException("unit of work failed: " + e.getMessage(), e);
    } catch (Error e) {
      tx.rollback();
      throw e;
    } finally {
      tx.closed = true;
      lock.unlock();
    }
  }
}
