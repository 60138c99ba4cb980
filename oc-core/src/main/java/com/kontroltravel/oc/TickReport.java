package com.kontroltravel.oc;

/**
 * What one {@link OcEngine#tick()} did.
 *
 * @param received inbound messages recorded (new ones only)
 * @param followedUp bookings looked at by the follow-up step
 * @param sent messages the mail server accepted
 * @param failed messages that failed (transiently or for good)
 */
public record TickReport(int received, int followedUp, int sent, int failed) {
  /** The sum of two reports. */
  public TickReport plus(TickReport o) {
    return new TickReport(
        received + o.received, followedUp + o.followedUp, sent + o.sent, failed + o.failed);
  }
}
