package com.kontroltravel.oc.exception;

/**
 * A write lost a race: the row changed since it was read (stale version) or already exists. The
 * transaction is rolled back; retrying it from a fresh read is safe.
 */
public class StoreConflictException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** With a message. */
  public StoreConflictException(String message) {
    super(message);
  }

  /** With a message and the cause. */
  public StoreConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
