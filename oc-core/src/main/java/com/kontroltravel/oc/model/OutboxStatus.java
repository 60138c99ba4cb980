package com.kontroltravel.oc.model;

/** The delivery state of an outbox row. */
public enum OutboxStatus {
  /** Waiting to be sent (or being sent under a claim). */
  PENDING,
  /** The mail server accepted it. */
  SENT,
  /** Failed for good (rejected address, too many transient failures). */
  FAILED,
  /** No longer wanted (the OC arrived, the booking was cancelled). */
  CANCELLED
}
