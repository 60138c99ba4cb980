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
  /** Looked like work but could not be processed (with the error). */
  QUARANTINED
}
