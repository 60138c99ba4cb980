package com.kontroltravel.oc.model;

/**
 * Where a booking stands in the chase for its purchase order. Each state has the Spanish label used
 * in templates and user-facing text.
 */
public enum TrackingState {
  /** The agency owes no OC for this booking. */
  NOT_REQUIRED("NO_REQUIERE_OC"),
  /** Tracked; the first request has not been sent yet. */
  PENDING("PENDIENTE"),
  /** The first request was sent. */
  REQUESTED("SOLICITADA"),
  /** The first (friendly) reminder was sent. */
  REMINDER_1("RECORDATORIO_1"),
  /** The second (firm) reminder was sent. */
  REMINDER_2("RECORDATORIO_2"),
  /** The ultimatum was sent; after it a person takes over. */
  REMINDER_3("RECORDATORIO_3"),
  /** The OC arrived and was filed. */
  RECEIVED("RECIBIDA"),
  /** The booking was cancelled, or a person closed the chase. */
  CANCELLED("CANCELADA"),
  /** No OC arrived before the policy's limit. */
  EXPIRED("EXPIRADA");

  private final String label;

  TrackingState(String label) {
    this.label = label;
  }

  /** The Spanish label, for example {@code PENDIENTE}. */
  public String label() {
    return label;
  }

  /** True while the engine is still chasing (or about to chase) the OC. */
  public boolean isOpen() {
    return this == PENDING
        || this == REQUESTED
        || this == REMINDER_1
        || this == REMINDER_2
        || this == REMINDER_3;
  }

  /** True when nothing more will happen to the booking without a person. */
  public boolean isFinal() {
    return !isOpen();
  }

  /** Parses either the enum name or the Spanish label, ignoring case. */
  public static TrackingState parse(String value) {
    for (TrackingState s : values()) {
      if (s.name().equalsIgnoreCase(value.trim()) || s.label.equalsIgnoreCase(value.trim())) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown tracking state: " + value);
  }
}
