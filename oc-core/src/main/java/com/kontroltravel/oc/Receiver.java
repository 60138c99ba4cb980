package com.kontroltravel.oc;

import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.AttentionReason;
import com.kontroltravel.oc.model.DocumentKind;
import com.kontroltravel.oc.model.EventKind;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.PurchaseOrder;
import com.kontroltravel.oc.model.PurchaseOrderInfo;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.TrackingState;

/**
 * Files an OC against a booking: stores the document, moves the booking to RECEIVED, cancels its
 * pending reminders and queues the acknowledgement. An OC for a booking already received or
 * cancelled is filed and noted, not applied.
 */
final class Receiver {
  private final OcConfig config;
  private final Documents documents;
  private final Composer composer;

  Receiver(OcConfig config, Documents documents, Composer composer) {
    this.config = config;
    this.documents = documents;
    this.composer = composer;
  }

  /** What receiving did: the booking, the stored document (or null) and a summary. */
  record Received(Reservation reservation, String documentId, String summary) {}

  /** An OC, as it arrived. */
  record Oc(Attachment pdf, PurchaseOrderInfo info, String number, String from, boolean viaEmail) {
    String label() {
      String n = number != null ? number : info == null ? null : info.ocNumber();
      return n == null ? "an OC" : "OC " + n;
    }

    String resolvedNumber() {
      return number != null ? number : info == null ? null : info.ocNumber();
    }
  }

  Received receive(UnitOfWork u, Reservation r, Oc oc, String actor) {
    String docId =
        oc.pdf() == null
            ? null
            : documents.store(u, r.id(), DocumentKind.PURCHASE_ORDER, oc.pdf()).id();
    if (oc.info() != null && !oc.info().hasTextLayer() && oc.pdf() != null) {
      u.event(
          r.id(),
          EventKind.NOTE,
          "the OC document has no text layer (scanned?); filed as is",
          actor);
    }
    if (r.state() == TrackingState.RECEIVED) {
      u.event(
          r.id(),
          EventKind.OC_DUPLICATE,
          oc.label()
              + " arrived for a booking already "
              + TrackingState.RECEIVED.label()
              + (docId == null ? "" : "; filed as " + docId),
          actor);
      return new Received(
          r, docId, "duplicate OC: booking already " + TrackingState.RECEIVED.label());
    }
    if (r.state() == TrackingState.CANCELLED) {
      u.event(
          r.id(), EventKind.NOTE, oc.label() + " arrived for a cancelled booking; filed", actor);
      Reservation flagged =
          u.tx.updateReservation(
              r.toBuilder()
                  .attention(AttentionReason.OC_FOR_CANCELLED_BOOKING, null)
                  .updatedAt(u.now)
                  .build());
      u.event(r.id(), EventKind.ATTENTION, flagged.attentionReason(), actor);
      return new Received(flagged, docId, "OC filed for a cancelled booking (attention)");
    }
    PurchaseOrder po = new PurchaseOrder(oc.resolvedNumber(), docId, oc.from(), u.now, actor);
    int cancelled = u.tx.cancelPendingOutbox(r.id(), "OC received");
    Reservation received =
        u.tx.updateReservation(
            r.toBuilder()
                .state(TrackingState.RECEIVED)
                .purchaseOrder(po)
                .nextActionAt(null)
                .clearAttention()
                .paused(false)
                .updatedAt(u.now)
                .build());
    u.event(
        r.id(),
        EventKind.OC_RECEIVED,
        oc.label()
            + " received from "
            + (oc.from() == null ? actor : oc.from())
            + (docId == null ? " (no document)" : ", filed as " + docId)
            + (cancelled > 0 ? "; " + cancelled + " pending message(s) cancelled" : ""),
        actor);
    u.event(
        r.id(),
        EventKind.STATE_CHANGED,
        r.state().label() + " -> " + TrackingState.RECEIVED.label(),
        actor);
    String mismatch = amountMismatch(r, oc.info());
    if (mismatch != null) {
      received =
          u.tx.updateReservation(
              received.toBuilder()
                  .attention(AttentionReason.OC_AMOUNT_MISMATCH, mismatch)
                  .updatedAt(u.now)
                  .build());
      u.event(r.id(), EventKind.ATTENTION, received.attentionReason(), actor);
    }
    if (oc.viaEmail() && config.sendAcknowledgement()) {
      acknowledge(u, received, actor);
    }
    return new Received(
        received,
        docId,
        "booking "
            + r.id()
            + " "
            + TrackingState.RECEIVED.label()
            + (mismatch == null ? "" : "; amounts differ: " + mismatch));
  }

  /**
   * How the OC's total differs from the booking's, for a person, or null when they agree (within
   * the tolerance) or either is unknown. A different currency is a difference: nothing converts.
   */
  String amountMismatch(Reservation r, PurchaseOrderInfo info) {
    if (info == null || info.totalAmount() == null || r.details().totalAmount() == null) {
      return null;
    }
    String bookingCurrency = r.details().currency();
    String ocCurrency = info.currency() == null ? bookingCurrency : info.currency();
    String ocText = Composer.formatMoney(info.totalAmount(), ocCurrency, java.util.Locale.ENGLISH);
    String bookingText =
        Composer.formatMoney(r.details().totalAmount(), bookingCurrency, java.util.Locale.ENGLISH);
    if (ocCurrency != null
        && bookingCurrency != null
        && !ocCurrency.equalsIgnoreCase(bookingCurrency)) {
      return "OC total " + ocText + ", booking total " + bookingText + " (different currency)";
    }
    java.math.BigDecimal diff = info.totalAmount().subtract(r.details().totalAmount()).abs();
    if (diff.compareTo(config.amountTolerance()) <= 0) {
      return null;
    }
    return "OC total "
        + ocText
        + ", booking total "
        + bookingText
        + " (difference "
        + diff.stripTrailingZeros().toPlainString()
        + ")";
  }

  /** Acknowledges to the agency's configured contacts only, never to the inbound sender. */
  private void acknowledge(UnitOfWork u, Reservation r, String actor) {
    Agency agency = u.agencyOf(r).orElse(null);
    OutboxMessage ack =
        agency == null ? null : composer.compose(u, r, agency, Step.ACKNOWLEDGEMENT, 0);
    if (ack == null) {
      u.event(r.id(), EventKind.NOTE, "no acknowledgement: the agency has no contact", actor);
    } else if (u.tx.insertOutbox(ack)) {
      u.event(
          r.id(),
          EventKind.MESSAGE_QUEUED,
          "acknowledgement queued to " + String.join(", ", ack.to()),
          actor);
    }
  }
}
