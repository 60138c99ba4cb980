package com.kontroltravel.oc;

import com.kontroltravel.oc.exception.InvalidOperationException;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.AttentionReason;
import com.kontroltravel.oc.model.EventKind;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.StoredDocument;
import com.kontroltravel.oc.model.TrackingState;
import java.util.Optional;

/**
 * What operators do to a booking: mark its OC received, cancel, resend a step, pause, resume, and
 * file an OC from the review queue. Each is one unit of work recorded in the timeline with the
 * operator's name.
 */
final class ManualActions {
  private final Receiver receiver;
  private final Composer composer;
  private final Documents documents;
  private final Transactions transactions;

  ManualActions(
      Receiver receiver, Composer composer, Documents documents, Transactions transactions) {
    this.receiver = receiver;
    this.composer = composer;
    this.documents = documents;
    this.transactions = transactions;
  }

  Reservation markReceived(String id, String ocNumber, Attachment document, String actor) {
    return transactions.call(
        u -> {
          Reservation r = u.require(id);
          if (r.state() == TrackingState.RECEIVED) {
            throw new InvalidOperationException(
                "booking " + id + " is already " + TrackingState.RECEIVED.label());
          }
          String number = ocNumber == null ? null : Headers.clean(ocNumber);
          return receiver
              .receive(u, r, new Receiver.Oc(document, null, number, null, false), actor)
              .reservation();
        });
  }

  Reservation cancel(String id, String reason, String actor) {
    return transactions.call(
        u -> {
          Reservation r = u.require(id);
          if (r.state() == TrackingState.CANCELLED) {
            return r;
          }
          int n = u.tx.cancelPendingOutbox(id, "cancelled by " + actor);
          u.event(
              id,
              EventKind.CANCELLED,
              (reason == null || reason.isBlank() ? "cancelled" : Text.reason(reason))
                  + (n > 0 ? "; " + n + " pending message(s) cancelled" : ""),
              actor);
          u.event(
              id,
              EventKind.STATE_CHANGED,
              r.state().label() + " -> " + TrackingState.CANCELLED.label(),
              actor);
          return u.tx.updateReservation(
              r.toBuilder()
                  .state(TrackingState.CANCELLED)
                  .nextActionAt(null)
                  .clearAttention()
                  .updatedAt(u.now)
                  .build());
        });
  }

  OutboxMessage resend(String id, Step step, String actor) {
    if (step == Step.DIGEST) {
      throw new IllegalArgumentException("the digest is not a booking's step");
    }
    return transactions.call(
        u -> {
          Reservation r = u.require(id);
          if (r.state() == TrackingState.CANCELLED) {
            throw new InvalidOperationException("booking " + id + " is cancelled");
          }
          Agency agency =
              u.agencyOf(r)
                  .orElseThrow(
                      () ->
                          new InvalidOperationException(
                              "agency of booking " + id + " is not configured"));
          int generation =
              u.tx.outboxFor(id).stream()
                  .filter(m -> m.step() == step)
                  .mapToInt(m -> m.generation() + 1)
                  .max()
                  .orElse(0);
          OutboxMessage m = composer.compose(u, r, agency, step, generation);
          if (m == null) {
            throw new InvalidOperationException(
                "agency of booking " + id + " has no valid contact address");
          }
          u.tx.insertOutbox(m);
          u.event(
              id,
              EventKind.RESENT,
              step.token()
                  + " queued again (generation "
                  + generation
                  + ", Message-ID "
                  + m.messageId()
                  + ")",
              actor);
          if (r.attention() == AttentionReason.SEND_FAILED) {
            u.tx.updateReservation(r.toBuilder().clearAttention().updatedAt(u.now).build());
            u.event(id, EventKind.ATTENTION_CLEARED, "resent by an operator", actor);
          }
          return m;
        });
  }

  Reservation pause(String id, String actor) {
    return transactions.call(
        u -> {
          Reservation r = u.require(id);
          if (r.paused()) {
            return r;
          }
          u.event(id, EventKind.PAUSED, "chase paused", actor);
          return u.tx.updateReservation(
              r.toBuilder().paused(true).nextActionAt(null).updatedAt(u.now).build());
        });
  }

  /** Resumes the chase and clears the attention flag; the next follow-up re-plans it. */
  Reservation resume(String id, String actor) {
    return transactions.call(
        u -> {
          Reservation r = u.require(id);
          Reservation.Builder b = r.toBuilder().paused(false).clearAttention().updatedAt(u.now);
          if (r.state().isOpen()) {
            b.nextActionAt(u.now);
          }
          u.event(
              id,
              EventKind.RESUMED,
              "chase resumed" + (r.needsAttention() ? "; attention cleared" : ""),
              actor);
          return u.tx.updateReservation(b.build());
        });
  }

  /** Files an OC from the review queue against a booking. */
  Reservation assignPurchaseOrder(String inboundKey, String reservationId, String actor) {
    return transactions.call(
        u -> {
          InboundRecord rec = inReview(u, inboundKey);
          Reservation r = u.require(reservationId);
          Attachment pdf = firstDocument(u, rec);
          Receiver.Oc oc =
              new Receiver.Oc(pdf, documents.readPurchaseOrder(pdf), null, rec.from(), true);
          Receiver.Received rc = receiver.receive(u, r, oc, actor);
          u.tx.updateInbound(
              rec.withOutcome(
                  InboundOutcome.PURCHASE_ORDER,
                  "assigned by " + actor + " to booking " + reservationId,
                  reservationId));
          return rc.reservation();
        });
  }

  /** Takes a message out of the review queue as ignored, with who and why. */
  InboundRecord dismissReview(String inboundKey, String reason, String actor) {
    return transactions.call(
        u -> {
          InboundRecord rec = inReview(u, inboundKey);
          String why = reason == null || reason.isBlank() ? "" : ": " + Text.reason(reason);
          InboundRecord dismissed =
              rec.withOutcome(
                  InboundOutcome.IGNORED,
                  Text.reason(
                      "dismissed from review by " + actor + why + " (was: " + rec.reason() + ")"),
                  rec.reservationId());
          u.tx.updateInbound(dismissed);
          if (rec.reservationId() != null && u.tx.reservation(rec.reservationId()).isPresent()) {
            u.event(
                rec.reservationId(),
                EventKind.NOTE,
                "a message held for review was dismissed by " + actor + why,
                actor);
          }
          return dismissed;
        });
  }

  /** The record of a message in the review queue, or why there is none. */
  private static InboundRecord inReview(UnitOfWork u, String inboundKey) {
    InboundRecord rec =
        u.tx
            .inbound(inboundKey)
            .orElseThrow(() -> new InvalidOperationException("no inbound message " + inboundKey));
    if (rec.outcome() != InboundOutcome.REVIEW) {
      throw new InvalidOperationException("message " + inboundKey + " is not in the review queue");
    }
    return rec;
  }

  private static Attachment firstDocument(UnitOfWork u, InboundRecord rec) {
    for (String docId : rec.documentIds()) {
      Optional<StoredDocument> d = u.tx.document(docId);
      if (d.isPresent()) {
        return new Attachment(d.get().originalName(), d.get().contentType(), d.get().content());
      }
    }
    return null;
  }
}
