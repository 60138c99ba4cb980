package com.kontroltravel.oc.exception;

/**
 * The mailbox could not be read (connection, authentication, folder). Always worth retrying later;
 * the engine backs off and reports itself degraded meanwhile.
 */
public class MailAccessException extends OcException {
  private static final long serialVersionUID = 1L;

  /** With a message. */
  public MailAccessException(String message) {
    super(message);
  }

  /** With a message and the cause. */
  public MailAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
