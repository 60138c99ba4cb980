package com.kontroltravel.oc;

import com.kontroltravel.oc.model.Reservation;
import java.time.Instant;
import java.util.Objects;

/**
 * How long a booking has been chased since its first request went out.
 *
 * @param reservation the booking
 * @param requestedAt when its first request was sent (or queued, when not sent yet)
 * @param days calendar days from the request's date to today (0 on the day itself)
 * @param businessDays business days after the request's date up to and including today
 */
public record Chase(Reservation reservation, Instant requestedAt, long days, long businessDays) {
  /** Checks the values. */
  public Chase {
    Objects.requireNonNull(reservation, "reservation == null");
    Objects.requireNonNull(requestedAt, "requestedAt == null");
  }
}
