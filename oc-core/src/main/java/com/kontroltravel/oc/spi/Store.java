package com.kontroltravel.oc.spi;

/**
 * Durable state of the engine: reservations, agencies, timeline, inbound-message log, outbox,
 * mailbox cursors and documents. Every read and write happens inside a {@link #inTransaction(Work)
 * unit of work}.
 *
 * <p>Contract (checked by the testkit's {@code StoreCompatibilityKit}):
 *
 * <ul>
 *   <li>Thread safe. A unit of work is atomic: if {@code work} throws, nothing it wrote is kept,
 *       and the exception (wrapped in {@link com.kontroltravel.oc.exception.StoreException} when
 *       checked) reaches the caller.
 *   <li>Claims ({@link StoreTransaction#claimDue}, {@link StoreTransaction#claimOutbox}) are
 *       disjoint between concurrent claimers, including claimers in other processes sharing the
 *       same database, until their lease expires.
 *   <li>A stale write raises {@link com.kontroltravel.oc.exception.StoreConflictException}; the
 *       caller may retry the whole unit of work.
 * </ul>
 */
public interface Store extends AutoCloseable {

  /**
   * Runs {@code work} in one transaction and commits it when it returns normally.
   *
   * @param work the unit of work; must not keep the transaction after returning
   * @return what {@code work} returned
   * @throws com.kontroltravel.oc.exception.StoreException when the store fails or the transaction
   *     cannot commit
   */
  <T> T inTransaction(Work<T> work);

  /** Releases resources (connection pools). The default does nothing. */
  @Override
  default void close() {}

  /**
   * A unit of work.
   *
   * @param <T> its result
   */
  @FunctionalInterface
  interface Work<T> {
    /** Does the work with the given transaction. */
    T run(StoreTransaction tx) throws Exception;
  }
}
