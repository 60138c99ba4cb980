package com.kontroltravel.oc;

import com.kontroltravel.oc.exception.StoreException;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.AttentionReason;
import com.kontroltravel.oc.model.EventKind;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.ReminderSchedule;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ScheduledStep;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.spi.ReminderPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves due bookings along their schedule: claims them by next-action time, queues the step that is
 * due (in office hours), expires those past the policy's limit, and flags for a person what cannot
 * go on (no agency, no contact, no OC after the ultimatum).
 */
final class FollowUp {
  private static final Logger log = LoggerFactory.getLogger(FollowUp.class);

  /** Most claim rounds in one call, a bound against a store that keeps answering. */
  static final int MAX_ROUNDS = 10_000;

  private final OcConfig config;
  private final ReminderPolicy reminderPolicy;
  private final Planner planner;
  private final Composer composer;
  private final Transactions transactions;

  FollowUp(
      OcConfig config,
      ReminderPolicy reminderPolicy,
      Planner planner,
      Composer composer,
      Transactions transactions) {
    this.config = config;
    this.reminderPolicy = reminderPolicy;
    this.planner = planner;
    this.composer = composer;
    this.transactions = transactions;
  }

  /** Claims and handles every booking whose next action is due; returns how many were looked at. */
  int run(String owner) {
    int handled = 0;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Instant now = transactions.now();
      List<String> ids =
          transactions.call(
              u -> u.tx.claimDue(now, config.batchSize(), owner, now.plus(config.leaseDuration())));
      handled += handleAll(ids, owner);
      if (ids.size() < config.batchSize()) {
        break;
      }
    }
    return handled;
  }

  /**
   * Handles claimed bookings in one unit of work, one commit for the round. When one of them fails
   * for a reason other than the store, the round is rolled back and taken one booking at a time, so
   * the failing booking is flagged for a person and the others go on.
   */
  private int handleAll(List<String> ids, String owner) {
    if (ids.size() > 1) {
      try {
        transactions.run(u -> ids.forEach(id -> handle(u, id, owner)));
        return ids.size();
      } catch (StoreException e) {
        throw e;
      } catch (RuntimeException e) {
        log.warn(
            "follow-up round of {} booking(s) failed as one unit of work ({}); taking them one at"
                + " a time",
            ids.size(),
            e.toString());
      }
    }
    for (String id : ids) {
      try {
        transactions.run(u -> handle(u, id, owner));
      } catch (StoreException e) {
        throw e;
      } catch (RuntimeException e) {
        log.error("follow-up of booking {} failed", id, e);
        flagError(id, owner, "follow-up failed: " + e);
      }
    }
    return ids.size();
  }

  private void flagError(String id, String owner, String detail) {
    transactions.run(
        u -> {
          u.tx
              .reservation(id)
              .ifPresent(
                  r -> {
                    Reservation flagged =
                        r.toBuilder()
                            .attention(AttentionReason.PROCESSING_ERROR, Text.reason(detail))
                            .nextActionAt(null)
                            .updatedAt(u.now)
                            .build();
                    u.tx.updateReservation(flagged);
                    u.event(
                        id, EventKind.ATTENTION, flagged.attentionReason(), TimelineEvent.SYSTEM);
                  });
          u.tx.releaseClaim(id, owner);
        });
  }

  private void handle(UnitOfWork u, String id, String owner) {
    Optional<Reservation> found = u.tx.reservation(id);
    if (found.isPresent()) {
      Reservation r = found.get();
      Reservation next = advance(u, r);
      if (next != r) {
        u.tx.updateReservation(next.toBuilder().updatedAt(u.now).build());
      }
    }
    u.tx.releaseClaim(id, owner);
  }

  /** The booking after its due action; the same instance when nothing changed. */
  private Reservation advance(UnitOfWork u, Reservation r) {
    if (r.nextActionAt() == null || r.nextActionAt().isAfter(u.now)) {
      return r;
    }
    if (r.paused() || !r.state().isOpen()) {
      return r.toBuilder().nextActionAt(null).build();
    }
    Optional<Agency> agency = u.agencyOf(r);
    if (r.lastStep() == null) {
      if (agency.isEmpty()) {
        if (config.unknownAgency() == OcConfig.UnknownAgencyAction.NOT_REQUIRED) {
          return notRequired(u, r, "agency is not configured");
        }
        return attention(u, r, AttentionReason.AGENCY_NOT_CONFIGURED, r.details().agencyName());
      }
      if (!agency.get().active() || !agency.get().requiresOc()) {
        return notRequired(u, r, "agency " + agency.get().name() + " no longer requires an OC");
      }
    }
    ReminderSchedule schedule = reminderPolicy.scheduleFor(agency.orElse(null));
    Instant expireAt = planner.expiryTime(r, schedule);
    if (!u.now.isBefore(expireAt)) {
      return expire(u, r, schedule);
    }
    ScheduledStep step = schedule.after(r.lastStep());
    if (step == null) {
      return afterUltimatum(u, r, expireAt);
    }
    Instant due = planner.dueTime(r, step, schedule);
    if (u.now.isBefore(due)) {
      return r.toBuilder().nextActionAt(Planner.min(due, expireAt)).build();
    }
    if (!planner.calendar().isOfficeHours(u.now)) {
      return r.toBuilder().nextActionAt(planner.calendar().nextOfficeTime(u.now)).build();
    }
    if (agency.isEmpty() || Headers.validAddresses(agency.get().contacts()).isEmpty()) {
      return attention(u, r, AttentionReason.NO_CONTACT_ADDRESS, "para " + step.step().token());
    }
    return send(u, r, agency.get(), step, schedule, expireAt);
  }

  private Reservation send(
      UnitOfWork u,
      Reservation r,
      Agency agency,
      ScheduledStep step,
      ReminderSchedule schedule,
      Instant expireAt) {
    OutboxMessage msg = composer.compose(u, r, agency, step.step(), 0);
    if (u.tx.insertOutbox(msg)) {
      u.event(
          r.id(),
          EventKind.MESSAGE_QUEUED,
          step.step().token()
              + " queued to "
              + String.join(", ", msg.to())
              + " (Message-ID "
              + msg.messageId()
              + ")",
          TimelineEvent.SYSTEM);
    }
    TrackingState after = step.step().stateAfter();
    u.event(
        r.id(),
        EventKind.STATE_CHANGED,
        r.state().label() + " -> " + after.label(),
        TimelineEvent.SYSTEM);
    Reservation sent =
        r.toBuilder().state(after).lastStep(step.step()).lastMessageAt(u.now).build();
    ScheduledStep following = schedule.after(step.step());
    Instant nextAt =
        following == null
            ? planner.calendar().openingOf(planner.suspensionDate(u.now))
            : planner.dueTime(sent, following, schedule);
    return sent.toBuilder().nextActionAt(Planner.min(nextAt, expireAt)).build();
  }

  private Reservation expire(UnitOfWork u, Reservation r, ReminderSchedule schedule) {
    int cancelled = u.tx.cancelPendingOutbox(r.id(), "booking expired");
    u.event(
        r.id(),
        EventKind.EXPIRED,
        "no OC "
            + schedule.expiryDays()
            + " days after day 0 ("
            + r.dayZero()
            + ")"
            + (cancelled > 0 ? "; " + cancelled + " pending message(s) cancelled" : ""),
        TimelineEvent.SYSTEM);
    u.event(
        r.id(),
        EventKind.STATE_CHANGED,
        r.state().label() + " -> " + TrackingState.EXPIRED.label(),
        TimelineEvent.SYSTEM);
    // An expired booking still owes its OC: it stays flagged for a person (the guarantee:
    // progressing or flagged).
    Reservation.Builder b = r.toBuilder().state(TrackingState.EXPIRED).nextActionAt(null);
    if (!r.needsAttention()) {
      b.attention(AttentionReason.EXPIRED_WITHOUT_OC, schedule.expiryDays() + " días");
    }
    return b.build();
  }

  private Reservation afterUltimatum(UnitOfWork u, Reservation r, Instant expireAt) {
    Reservation.Builder b = r.toBuilder().nextActionAt(expireAt);
    if (!r.needsAttention()) {
      u.event(
          r.id(),
          EventKind.ATTENTION,
          "no OC after the ultimatum: a person must decide",
          TimelineEvent.SYSTEM);
      b.attention(AttentionReason.NO_OC_AFTER_ULTIMATUM, null);
    }
    return b.build();
  }

  private Reservation notRequired(UnitOfWork u, Reservation r, String why) {
    u.event(
        r.id(),
        EventKind.STATE_CHANGED,
        r.state().label() + " -> " + TrackingState.NOT_REQUIRED.label() + ": " + why,
        TimelineEvent.SYSTEM);
    return r.toBuilder()
        .state(TrackingState.NOT_REQUIRED)
        .nextActionAt(null)
        .clearAttention()
        .build();
  }

  private Reservation attention(
      UnitOfWork u, Reservation r, AttentionReason reason, String detail) {
    Reservation flagged = r.toBuilder().attention(reason, detail).nextActionAt(null).build();
    if (!flagged.attentionReason().equals(r.attentionReason())) {
      u.event(r.id(), EventKind.ATTENTION, flagged.attentionReason(), TimelineEvent.SYSTEM);
    }
    return flagged;
  }
}
