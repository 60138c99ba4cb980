package com.kontroltravel.oc.model;

/** One kind of message the engine sends about a booking. */
public enum Step {
  /** The first OC request, with the confirmation PDF attached. */
  REQUEST(TrackingState.REQUESTED),
  /** The friendly reminder (default: business day 2). */
  REMINDER_1(TrackingState.REMINDER_1),
  /** The firm reminder (default: business day 4). */
  REMINDER_2(TrackingState.REMINDER_2),
  /** The ultimatum naming the suspension date (default: business day 6). */
  REMINDER_3(TrackingState.REMINDER_3),
  /** The acknowledgement sent when the OC arrives. */
  ACKNOWLEDGEMENT(null),
  /** The daily digest for administration (not tied to one booking). */
  DIGEST(null);

  private final TrackingState stateAfter;

  Step(TrackingState stateAfter) {
    this.stateAfter = stateAfter;
  }

  /**
   * The state a booking reaches once this step is queued, or null when the step does not move the
   * state.
   */
  public TrackingState stateAfter() {
    return stateAfter;
  }

  /** True for the steps of the chase itself (request and reminders). */
  public boolean isChase() {
    return stateAfter != null;
  }

  /**
   * A short lower-case token used in Message-IDs and template names, for example {@code
   * reminder-1}.
   */
  public String token() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
