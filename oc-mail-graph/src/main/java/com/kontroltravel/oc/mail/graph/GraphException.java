package com.kontroltravel.oc.mail.graph;

/**
 * A Graph call that failed: the HTTP status (0 when no answer came), Graph's {@code error.code} and
 * whether trying later may help. The message never holds a token or secret.
 */
final class GraphException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final boolean transientFailure;

  GraphException(
      String message, int status, String code, boolean transientFailure, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.code = code;
    this.transientFailure = transientFailure;
  }

  int status() {
    return status;
  }

  /** Graph's {@code error.code}, or empty. */
  String code() {
    return code;
  }

  boolean isTransient() {
    return transientFailure;
  }

  /** A delta link the service no longer knows: start a new round. */
  boolean isStaleDeltaState() {
    if (status == 410) {
      return true;
    }
    String c = code.toLowerCase(java.util.Locale.ROOT);
    return c.equals("syncstatenotfound")
        || c.equals("resyncrequired")
        || c.equals("syncstateinvalid")
        || c.equals("errorinvalidsyncstatedata");
  }
}
