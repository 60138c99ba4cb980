package com.kontroltravel.oc.settings;

import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.model.ReminderSchedule;
import com.kontroltravel.oc.model.ScheduledStep;
import com.kontroltravel.oc.model.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The chase schedule's settings: {@code OC_SCHEDULE}, the old {@code DAYS_FOR_REMINDER_1/2}, {@code
 * OC_MIN_GAP_DAYS}, {@code OC_EXPIRY_DAYS}.
 */
final class ScheduleSettings {
  private ScheduleSettings() {}

  /**
   * The default chase schedule: {@code OC_SCHEDULE} or the old {@code DAYS_FOR_REMINDER_1/2}
   * (request, reminder, ultimatum), else the engine's; {@code OC_MIN_GAP_DAYS} and {@code
   * OC_EXPIRY_DAYS} apply to either.
   *
   * @throws ConfigurationException listing every problem
   */
  static ReminderSchedule schedule(Variables s) {
    List<String> problems = new ArrayList<>();
    Integer d1 = s.integer("DAYS_FOR_REMINDER_1", problems);
    Integer d2 = s.integer("DAYS_FOR_REMINDER_2", problems);
    String steps = s.get("OC_SCHEDULE");
    Integer gap = s.integer("OC_MIN_GAP_DAYS", problems);
    Integer expiry = s.integer("OC_EXPIRY_DAYS", problems);
    String schedule = s.name("OC_SCHEDULE");
    String old = s.name("DAYS_FOR_REMINDER_1") + "/2";
    if (steps != null && (d1 != null || d2 != null)) {
      problems.add(
          schedule
              + " and "
              + old
              + " are both set: keep one ("
              + schedule
              + "=2,4 is the old "
              + s.name("DAYS_FOR_REMINDER_1")
              + "=2, "
              + s.name("DAYS_FOR_REMINDER_2")
              + "=4)");
    }
    if (gap != null && (gap < 0 || gap > 30)) {
      problems.add(s.name("OC_MIN_GAP_DAYS") + " must be 0..30: " + gap);
    }
    if (expiry != null && (expiry < 1 || expiry > 3650)) {
      problems.add(s.name("OC_EXPIRY_DAYS") + " must be 1..3650: " + expiry);
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    ReminderSchedule base = ReminderSchedule.DEFAULT;
    try {
      if (steps != null) {
        base = parse(steps);
      } else if (d1 != null || d2 != null) {
        int first = d1 == null ? 2 : d1;
        int second = d2 == null ? Math.max(first + 2, 4) : d2;
        base = ReminderSchedule.legacy(first, second);
      }
    } catch (IllegalArgumentException e) {
      String name = steps != null ? schedule : old;
      throw new ConfigurationException(
          List.of(name + " do not make a schedule: " + e.getMessage()));
    }
    try {
      return new ReminderSchedule(
          base.steps(),
          gap == null ? base.minGapBusinessDays() : gap,
          expiry == null ? base.expiryDays() : expiry);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(List.of("the chase schedule: " + e.getMessage()));
    }
  }

  /**
   * {@code 2,4,6}: the reminders' business days after day 0, the last being the ultimatum (one day
   * is the ultimatum alone, two are reminder 1 and the ultimatum as the old system had, three are
   * all reminders); a leading {@code 0} is the request and may be left out. Also the agencies CSV's
   * forms ({@link #steps(String)}).
   *
   * @throws IllegalArgumentException saying why it is not a schedule
   */
  static ReminderSchedule parse(String v) {
    if (v.contains("@") || v.contains("/")) {
      ReminderSchedule r = steps(v);
      if (r == null) {
        throw new IllegalArgumentException("empty: " + v);
      }
      return r;
    }
    List<Integer> days = new ArrayList<>();
    for (String item : Variables.list(v)) {
      try {
        days.add(Integer.valueOf(item));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a business day number: " + item);
      }
    }
    if (!days.isEmpty() && days.get(0) == 0) {
      days.remove(0);
    }
    if (days.isEmpty() || days.size() > 3) {
      throw new IllegalArgumentException("name one to three reminder days, such as 2,4,6: " + v);
    }
    List<Step> reminders =
        switch (days.size()) {
          case 1 -> List.of(Step.REMINDER_3);
          case 2 -> List.of(Step.REMINDER_1, Step.REMINDER_3);
          default -> List.of(Step.REMINDER_1, Step.REMINDER_2, Step.REMINDER_3);
        };
    List<ScheduledStep> out = new ArrayList<>();
    out.add(new ScheduledStep(Step.REQUEST, 0));
    for (int i = 0; i < days.size(); i++) {
      out.add(new ScheduledStep(reminders.get(i), days.get(i)));
    }
    return new ReminderSchedule(
        out, ReminderSchedule.DEFAULT.minGapBusinessDays(), ReminderSchedule.DEFAULT.expiryDays());
  }

  /**
   * The agencies CSV's forms: {@code 2/4} (the old system's reminder and ultimatum days), or steps
   * at days, {@code request@0;reminder-1@2;reminder-3@5} (separated by {@code ;}, {@code |} or line
   * breaks); null when blank (the default).
   *
   * @throws IllegalArgumentException naming the step that is not {@code step@day}
   */
  static ReminderSchedule steps(String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    if (v.matches("\\s*\\d+\\s*/\\s*\\d+\\s*")) {
      String[] p = v.split("/");
      return ReminderSchedule.legacy(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
    }
    List<ScheduledStep> steps = new ArrayList<>();
    List<String> items =
        Arrays.stream(v.split("[;|\\r\\n]")).map(String::trim).filter(i -> !i.isEmpty()).toList();
    for (String item : items) {
      String[] p = item.split("@");
      if (p.length != 2) {
        throw new IllegalArgumentException("schedule step must be step@day: " + item);
      }
      Step step = null;
      for (Step s : Step.values()) {
        if (s.token().equalsIgnoreCase(p[0].trim()) || s.name().equalsIgnoreCase(p[0].trim())) {
          step = s;
        }
      }
      if (step == null) {
        throw new IllegalArgumentException("unknown step in schedule: " + p[0]);
      }
      try {
        steps.add(new ScheduledStep(step, Integer.parseInt(p[1].trim())));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("schedule day must be a number: " + p[1]);
      }
    }
    return new ReminderSchedule(
        steps,
        ReminderSchedule.DEFAULT.minGapBusinessDays(),
        ReminderSchedule.DEFAULT.expiryDays());
  }
}
