package com.kontroltravel.oc.model;

/** What became of an inbound message. */
public enum InboundOutcome {
  /** A booking confirmation that was tracked (or updated an existing booking). */
  CONFIRMATION,
  /** A purchase order that was filed against a booking. */
  PURCHASE_ORDER,
  /** A purchase order that matched no booking, or more than one: waits for a person. */
  REVIEW,
  /** Not for the engine (with the reason). */
  IGNORED,
  /**
   * Looked like work but could not be processed, for a reason that will not change on its own (not
   * a PDF, truncated, encrypted, no PDF attached), with the error. A person may reprocess it.
   */
  QUARANTINED,
  /**
   * Could not be processed for a passing reason (the parser timed out or was overloaded, an
   * unexpected error): the engine tries again with backoff ({@link InboundRecord#attempts()},
   * {@link InboundRecord#nextAttemptAt()}) from the message it kept, and quarantines it after the
   * last attempt.
   */
  RETRYING;

  /** Whether the engine is still working on the message (it will be tried again). */
  public boolean isOpen() {
    return this == RETRYING;
  }

  /** Whether the engine keeps the message itself (for a person to inspect or reprocess). */
  public boolean keepsMessage() {
    return this == REVIEW || this == IGNORED || this == QUARANTINED || this == RETRYING;
  }

  /** The label shown to people, in Spanish. */
  public String label() {
    return switch (this) {
      case CONFIRMATION -> "Confirmación";
      case PURCHASE_ORDER -> "Orden de compra";
      case REVIEW -> "En revisión";
      case IGNORED -> "Ignorado";
      case QUARANTINED -> "En cuarentena";
      case RETRYING -> "Reintentando";
    };
  }
}
