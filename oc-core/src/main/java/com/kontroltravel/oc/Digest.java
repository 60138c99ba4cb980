package com.kontroltravel.oc;

import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationQuery;
import com.kontroltravel.oc.model.Step;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Queues the day's digest for the administration once a day, in office hours. */
final class Digest {
  /** Most flagged bookings listed in one digest. */
  static final int MAX_LISTED = 100;

  private final OcConfig config;
  private final Planner planner;
  private final Composer composer;
  private final Transactions transactions;

  Digest(OcConfig config, Planner planner, Composer composer, Transactions transactions) {
    this.config = config;
    this.planner = planner;
    this.composer = composer;
    this.transactions = transactions;
  }

  /** Queues today's digest unless it is disabled, outside office hours, or already queued. */
  void queueIfDue() {
    if (config.digestRecipients().isEmpty()) {
      return;
    }
    Instant now = transactions.now();
    if (!planner.calendar().isOfficeHours(now)) {
      return;
    }
    LocalDate today = planner.calendar().dateOf(now);
    String id = OutboxMessage.idOf(null, Step.DIGEST, Composer.digestGeneration(today));
    transactions.run(
        u -> {
          if (u.tx.outbox(id).isPresent()) {
            return;
          }
          List<Reservation> flagged =
              u.tx
                  .list(ReservationQuery.all().withNeedsAttention(true).withPage(0, MAX_LISTED))
                  .items();
          u.tx.insertOutbox(
              composer.composeDigest(
                  u,
                  today,
                  u.tx.countByState(),
                  flagged,
                  u.tx.countNeedingAttention(),
                  u.tx.countInbound(InboundOutcome.REVIEW)));
        });
  }
}
