package com.kontroltravel.oc.spi;

import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.ReminderSchedule;
import java.util.Objects;

/** Chooses the chase schedule of a booking. Thread safe; never returns null. */
@FunctionalInterface
public interface ReminderPolicy {

  /** The agency's override where it has one, else {@link ReminderSchedule#DEFAULT}. */
  ReminderPolicy DEFAULT = of(ReminderSchedule.DEFAULT);

  /**
   * The schedule for bookings of this agency.
   *
   * @param agency the agency, or null when it is not configured
   * @return the schedule, never null
   */
  ReminderSchedule scheduleFor(Agency agency);

  /** The agency's override where it has one, else {@code fallback}. */
  static ReminderPolicy of(ReminderSchedule fallback) {
    Objects.requireNonNull(fallback, "fallback == null");
    return agency -> agency != null && agency.schedule() != null ? agency.schedule() : fallback;
  }
}
