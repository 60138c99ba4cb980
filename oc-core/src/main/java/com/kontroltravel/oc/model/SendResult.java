package com.kontroltravel.oc.model;

import java.util.Objects;

/**
 * The outcome of handing one message to the mail server.
 *
 * @param status sent, or how it failed
 * @param detail the server's answer or the error, for the timeline (never a secret)
 */
public record SendResult(Status status, String detail) {

  /** How a send ended. */
  public enum Status {
    /** The server accepted the message. */
    SENT,
    /** Worth retrying later: 4xx replies, connection problems, timeouts. */
    TRANSIENT_FAILURE,
    /** Will not work by retrying: 5xx replies, invalid addresses. */
    PERMANENT_FAILURE
  }

  /** Checks the values. */
  public SendResult {
    Objects.requireNonNull(status, "status == null");
    detail = detail == null ? "" : detail;
  }

  /** Accepted by the server. */
  public static SendResult sent(String detail) {
    return new SendResult(Status.SENT, detail);
  }

  /** A failure worth retrying. */
  public static SendResult transientFailure(String detail) {
    return new SendResult(Status.TRANSIENT_FAILURE, detail);
  }

  /** A failure not worth retrying. */
  public static SendResult permanentFailure(String detail) {
    return new SendResult(Status.PERMANENT_FAILURE, detail);
  }

  /** True when sent. */
  public boolean isSent() {
    return status == Status.SENT;
  }
}
