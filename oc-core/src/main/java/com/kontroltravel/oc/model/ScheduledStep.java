package com.kontroltravel.oc.model;

import java.util.Objects;

/**
 * A chase step at a business-day offset from day 0.
 *
 * @param step a chase step (request or reminder)
 * @param businessDay 0 for "as soon as tracked", else the n-th business day after day 0
 */
public record ScheduledStep(Step step, int businessDay) {
  /** Checks the values. */
  public ScheduledStep {
    Objects.requireNonNull(step, "step == null");
    if (!step.isChase()) {
      throw new IllegalArgumentException("not a chase step: " + step);
    }
    if (businessDay < 0 || businessDay > 60) {
      throw new IllegalArgumentException("businessDay must be 0..60: " + businessDay);
    }
  }
}
