package com.kontroltravel.oc.exception;

/**
 * A {@link com.kontroltravel.oc.spi.Store} could not do what was asked (database down, I/O error).
 */
public class StoreException extends OcException {
  private static final long serialVersionUID = 1L;

  /** With a message. */
  public StoreException(String message) {
    super(message);
  }

  /** With a message and the cause. */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
