package com.kontroltravel.oc.exception;

/**
 * A manual operation does not fit the booking's state (for example resending to a cancelled
 * booking).
 */
public class InvalidOperationException extends OcException {
  private static final long serialVersionUID = 1L;

  /** With a message. */
  public InvalidOperationException(String message) {
    super(message);
  }
}
