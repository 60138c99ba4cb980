package com.kontroltravel.oc;

import com.kontroltravel.oc.model.OutboxStatus;
import com.kontroltravel.oc.model.TrackingState;
import java.util.Map;

/**
 * Counts for dashboards.
 *
 * @param byState reservations per state (every state present, zero when none)
 * @param total all reservations
 * @param needingAttention reservations a person must look at
 * @param inReview purchase orders waiting in the review queue
 * @param outbox messages per delivery status (every status present)
 */
public record Statistics(
    Map<TrackingState, Long> byState,
    long total,
    long needingAttention,
    long inReview,
    Map<OutboxStatus, Long> outbox) {
  /** Copies the maps. */
  public Statistics {
    byState = Map.copyOf(byState);
    outbox = Map.copyOf(outbox);
  }
}
