package com.kontroltravel.oc;

import com.kontroltravel.oc.model.ReminderSchedule;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ScheduledStep;
import java.time.Instant;
import java.time.LocalDate;

/** Turns a schedule (business-day offsets from day 0) into instants on a business calendar. */
final class Planner {
  private final BusinessCalendar calendar;

  Planner(BusinessCalendar calendar) {
    this.calendar = calendar;
  }

  public BusinessCalendar calendar() {
    return calendar;
  }

  /**
   * When {@code step} is due for {@code r}: its business day's opening, no sooner than the minimum
   * gap.
   */
  public Instant dueTime(Reservation r, ScheduledStep step, ReminderSchedule schedule) {
    Instant base =
        step.businessDay() == 0
            ? calendar.nextOfficeTime(r.trackedAt())
            : calendar.openingOf(calendar.addBusinessDays(r.dayZero(), step.businessDay()));
    if (r.lastMessageAt() != null && schedule.minGapBusinessDays() > 0) {
      Instant earliest =
          calendar.plusBusinessDays(r.lastMessageAt(), schedule.minGapBusinessDays());
      if (earliest.isAfter(base)) {
        base = earliest;
      }
    }
    return calendar.nextOfficeTime(base);
  }

  /** When an unanswered booking expires. */
  public Instant expiryTime(Reservation r, ReminderSchedule schedule) {
    return calendar.nextOfficeTime(
        r.dayZero()
            .plusDays(schedule.expiryDays())
            .atTime(calendar.opens())
            .atZone(calendar.zone())
            .toInstant());
  }

  /** The suspension date named in the ultimatum: the next business day after {@code sentAt}. */
  public LocalDate suspensionDate(Instant sentAt) {
    return calendar.nextBusinessDay(calendar.dateOf(sentAt));
  }

  /** The earlier of two instants. */
  static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
