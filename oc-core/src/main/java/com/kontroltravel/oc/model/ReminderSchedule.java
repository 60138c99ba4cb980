package com.kontroltravel.oc.model;

import java.util.List;
import java.util.Objects;

/**
 * A chase schedule, as data: which steps go out on which business day after day 0, the minimum gap
 * between two messages to one booking, and when an unanswered booking expires.
 *
 * @param steps the steps in order; the first must be {@link Step#REQUEST}; days strictly increase
 * @param minGapBusinessDays no two messages to one booking closer than this many business days
 * @param expiryDays calendar days after day 0 at which an unanswered booking becomes EXPIRED
 */
public record ReminderSchedule(List<ScheduledStep> steps, int minGapBusinessDays, int expiryDays) {

  /**
   * Request at once, reminders on business days 2, 4 and 6, one business day apart at least, expiry
   * at 30 days.
   */
  public static final ReminderSchedule DEFAULT =
      new ReminderSchedule(
          List.of(
              new ScheduledStep(Step.REQUEST, 0),
              new ScheduledStep(Step.REMINDER_1, 2),
              new ScheduledStep(Step.REMINDER_2, 4),
              new ScheduledStep(Step.REMINDER_3, 6)),
          1,
          30);

  /**
   * The schedule the existing system used: request, a reminder on day 2 and the ultimatum on day 4.
   */
  public static final ReminderSchedule LEGACY = legacy(2, 4);

  /** Checks the schedule. */
  public ReminderSchedule {
    Objects.requireNonNull(steps, "steps == null");
    steps = List.copyOf(steps);
    if (steps.isEmpty() || steps.get(0).step() != Step.REQUEST) {
      throw new IllegalArgumentException("a schedule starts with REQUEST: " + steps);
    }
    for (int i = 1; i < steps.size(); i++) {
      ScheduledStep prev = steps.get(i - 1);
      ScheduledStep cur = steps.get(i);
      if (cur.step().ordinal() <= prev.step().ordinal()
          || cur.businessDay() <= prev.businessDay()) {
        throw new IllegalArgumentException("steps and days must strictly increase: " + steps);
      }
    }
    if (minGapBusinessDays < 0) {
      throw new IllegalArgumentException("minGapBusinessDays < 0: " + minGapBusinessDays);
    }
    if (expiryDays <= 0) {
      throw new IllegalArgumentException("expiryDays must be positive: " + expiryDays);
    }
  }

  /**
   * Request at once, one reminder on {@code reminderDay}, the ultimatum on {@code ultimatumDay}.
   */
  public static ReminderSchedule legacy(int reminderDay, int ultimatumDay) {
    return new ReminderSchedule(
        List.of(
            new ScheduledStep(Step.REQUEST, 0),
            new ScheduledStep(Step.REMINDER_1, reminderDay),
            new ScheduledStep(Step.REMINDER_3, ultimatumDay)),
        1,
        30);
  }

  /** The step that follows {@code last} (null for the first), or null when the schedule is done. */
  public ScheduledStep after(Step last) {
    if (last == null) {
      return steps.get(0);
    }
    for (ScheduledStep s : steps) {
      if (s.step().ordinal() > last.ordinal()) {
        return s;
      }
    }
    return null;
  }

  /** True when {@code step} is the schedule's last step (the ultimatum). */
  public boolean isLast(Step step) {
    return steps.get(steps.size() - 1).step() == step;
  }
}
