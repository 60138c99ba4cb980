package com.kontroltravel.oc.exception;

/** The root of every exception the engine and its adapters throw on purpose. */
public abstract class OcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With a message. */
  protected OcException(String message) {
    super(message);
  }

  /** With a message and the cause. */
  protected OcException(String message, Throwable cause) {
    super(message, cause);
  }
}
