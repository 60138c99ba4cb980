package com.kontroltravel.oc;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What happened on one day, for the dashboard's chart.
 *
 * @param day the day, in the business calendar's zone
 * @param tracked bookings first tracked that day
 * @param requested bookings whose first request was sent that day
 * @param received OCs received that day
 */
public record DailyCount(LocalDate day, long tracked, long requested, long received) {
  /** Checks the day. */
  public DailyCount {
    Objects.requireNonNull(day, "day == null");
  }
}
