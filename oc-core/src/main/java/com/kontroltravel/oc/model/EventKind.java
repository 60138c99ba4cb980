package com.kontroltravel.oc.model;

/** The kinds of event in a booking's timeline. */
public enum EventKind {
  /** The booking was first tracked. */
  TRACKED,
  /** An amended confirmation changed its details. */
  UPDATED,
  /** Its tracking state changed. */
  STATE_CHANGED,
  /** A message was queued in the outbox. */
  MESSAGE_QUEUED,
  /** A message was handed to the mail server. */
  MESSAGE_SENT,
  /** Sending failed (transiently or for good). */
  SEND_FAILED,
  /** A person must look at it (with the reason). */
  ATTENTION,
  /** The attention flag was cleared. */
  ATTENTION_CLEARED,
  /** The purchase order arrived or was marked received. */
  OC_RECEIVED,
  /** A purchase order arrived for a booking that already had one. */
  OC_DUPLICATE,
  /** The chase was paused by an operator. */
  PAUSED,
  /** The chase was resumed by an operator. */
  RESUMED,
  /** A message was resent by an operator. */
  RESENT,
  /** The chase was cancelled. */
  CANCELLED,
  /** No OC arrived before the policy's limit. */
  EXPIRED,
  /** A free-form note. */
  NOTE
}
