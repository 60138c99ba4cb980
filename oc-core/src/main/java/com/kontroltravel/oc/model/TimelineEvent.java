package com.kontroltravel.oc.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry in a booking's timeline: when, what, why and who.
 *
 * @param reservationId the booking
 * @param at when it happened (engine clock)
 * @param kind what happened
 * @param detail why, or what exactly, in English
 * @param actor {@link #SYSTEM} or the name of an operator
 */
public record TimelineEvent(
    String reservationId, Instant at, EventKind kind, String detail, String actor) {

  /** The actor of everything the engine does by itself. */
  public static final String SYSTEM = "system";

  /** Checks the values. */
  public TimelineEvent {
    Objects.requireNonNull(reservationId, "reservationId == null");
    Objects.requireNonNull(at, "at == null");
    Objects.requireNonNull(kind, "kind == null");
    detail = detail == null ? "" : detail;
    actor = actor == null ? SYSTEM : actor;
  }
}
