package com.kontroltravel.oc;

import com.kontroltravel.oc.exception.ReservationNotFoundException;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.EventKind;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.spi.AgencyPolicy;
import com.kontroltravel.oc.spi.OcListener;
import com.kontroltravel.oc.spi.StoreTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One store transaction as a stage sees it: the transaction, the time it runs at, and the events it
 * produced, which {@link Transactions} hands to listeners once it commits.
 */
final class UnitOfWork {
  final StoreTransaction tx;
  final Instant now;
  final List<TimelineEvent> events = new ArrayList<>();
  final List<InboundRecord> inbound = new ArrayList<>();
  final List<Consumer<OcListener>> notices = new ArrayList<>();
  final MessageIds messageIds;
  private final AgencyPolicy agencyPolicy;

  UnitOfWork(StoreTransaction tx, Instant now, AgencyPolicy agencyPolicy, MessageIds messageIds) {
    this.tx = tx;
    this.now = now;
    this.agencyPolicy = agencyPolicy;
    this.messageIds = messageIds;
  }

  /** Appends a timeline event, fired to listeners after commit. */
  void event(String reservationId, EventKind kind, String detail, String actor) {
    // Details quote inbound text (a subject, a sender): no control character is ever stored.
    TimelineEvent e =
        new TimelineEvent(reservationId, now, kind, Headers.clean(detail), Headers.clean(actor));
    tx.appendEvent(e);
    events.add(e);
  }

  /** Tells the listeners something after commit (nothing when the unit of work is retried). */
  void notice(Consumer<OcListener> n) {
    notices.add(n);
  }

  /** The agency of that name, from the agency policy when one is set, else from the store. */
  Optional<Agency> agency(String name) {
    if (name == null) {
      return Optional.empty();
    }
    return agencyPolicy != null ? agencyPolicy.find(name) : tx.agency(name);
  }

  /** The agency of a booking. */
  Optional<Agency> agencyOf(Reservation r) {
    return agency(r.details().agencyName());
  }

  /** The booking with this id. */
  Reservation require(String reservationId) {
    return tx.reservation(reservationId)
        .orElseThrow(() -> new ReservationNotFoundException(reservationId));
  }
}
