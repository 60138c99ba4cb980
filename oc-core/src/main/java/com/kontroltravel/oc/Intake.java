package com.kontroltravel.oc;

import com.kontroltravel.oc.exception.StoreException;
import com.kontroltravel.oc.model.AttentionReason;
import com.kontroltravel.oc.model.DocumentKind;
import com.kontroltravel.oc.model.EventKind;
import com.kontroltravel.oc.model.FetchBatch;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.MailboxCursor;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.spi.MailGateway;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a mailbox after its durable cursor and records every message once (by Message-ID or content
 * hash) with what became of it; the {@link Classifier} decides, and this stage applies the decision
 * in the same unit of work that records the message and moves the cursor.
 */
final class Intake {
  private static final Logger log = LoggerFactory.getLogger(Intake.class);

  /** Messages fetched per batch. */
  static final int FETCH_BATCH = 50;

  /** Most batches read in one call, a bound against a gateway that keeps answering. */
  static final int MAX_FETCH_BATCHES = 1000;

  /** What {@link #ingest} did. */
  record Ingested(InboundRecord record, boolean isNew) {}

  private final Classifier classifier;
  private final Tracker tracker;
  private final Receiver receiver;
  private final Documents documents;
  private final Transactions transactions;

  Intake(
      Classifier classifier,
      Tracker tracker,
      Receiver receiver,
      Documents documents,
      Transactions transactions) {
    this.classifier = classifier;
    this.tracker = tracker;
    this.receiver = receiver;
    this.documents = documents;
    this.transactions = transactions;
  }

  /** Reads every new message of {@code gateway}'s mailbox; returns how many were new. */
  int read(MailGateway gateway) {
    String mailbox = gateway.mailbox();
    MailboxCursor cursor = transactions.call(u -> u.tx.cursor(mailbox).orElse(null));
    int recorded = 0;
    for (int batchNo = 0; batchNo < MAX_FETCH_BATCHES; batchNo++) {
      FetchBatch batch = gateway.fetch(cursor, FETCH_BATCH);
      for (InboundMessage m : batch.messages()) {
        if (ingest(m, m.position()).isNew()) {
          recorded++;
        }
        try {
          gateway.markProcessed(m);
        } catch (RuntimeException e) {
          log.warn("gateway could not mark message {} processed: {}", m.messageId(), e.toString());
        }
      }
      MailboxCursor after = batch.cursor();
      transactions.run(u -> u.tx.putCursor(after));
      cursor = after;
      if (!batch.hasMore()) {
        break;
      }
    }
    return recorded;
  }

  /** Records one inbound message once and acts on it. Never throws for bad input. */
  Ingested ingest(InboundMessage m, MailboxCursor position) {
    Objects.requireNonNull(m, "message == null");
    String key = m.dedupKey();
    Optional<InboundRecord> existing = transactions.call(u -> u.tx.inbound(key));
    if (existing.isPresent()) {
      if (position != null) {
        transactions.run(u -> u.tx.putCursor(position));
      }
      return new Ingested(existing.get(), false);
    }
    Decision d;
    try {
      d = classifier.classify(m);
    } catch (StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      log.error("classifying message {} failed", key, e);
      d = Decision.of(InboundOutcome.QUARANTINED, "internal error while classifying: " + e);
    }
    Decision decision = d;
    try {
      return transactions.call(u -> apply(u, m, key, decision, position));
    } catch (StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      log.error("processing message {} failed", key, e);
      Decision q = Decision.of(InboundOutcome.QUARANTINED, "internal error while processing: " + e);
      return transactions.call(u -> apply(u, m, key, q, position));
    }
  }

  private Ingested apply(
      UnitOfWork u, InboundMessage m, String key, Decision d, MailboxCursor position) {
    Instant received = m.date() != null ? m.date() : u.now;
    InboundRecord record =
        new InboundRecord(
            key,
            m.messageId(),
            Headers.clean(m.from()),
            Text.reason(m.subject()),
            received,
            u.now,
            d.outcome,
            Text.reason(d.reason),
            d.reservationId,
            List.of());
    if (!u.tx.insertInbound(record)) {
      return new Ingested(u.tx.inbound(key).orElseThrow(), false);
    }
    String reason = d.reason;
    String reservationId = d.reservationId;
    List<String> docs = new ArrayList<>();
    switch (d.outcome) {
      case CONFIRMATION -> {
        Tracker.Tracked t =
            tracker.track(u, d.details, d.pdf, m.date(), TimelineEvent.SYSTEM, d.parseProblems);
        reservationId = t.reservation().id();
        reason = t.summary();
        addIfPresent(docs, t.documentId());
      }
      case PURCHASE_ORDER -> {
        Reservation r = u.require(d.reservationId);
        Receiver.Received rc =
            receiver.receive(
                u, r, new Receiver.Oc(d.pdf, d.ocInfo, null, m.from(), true), TimelineEvent.SYSTEM);
        reason = d.reason + "; " + rc.summary();
        addIfPresent(docs, rc.documentId());
      }
      case REVIEW -> {
        if (d.pdf != null) {
          DocumentKind kind =
              d.details != null ? DocumentKind.CONFIRMATION : DocumentKind.PURCHASE_ORDER;
          docs.add(documents.store(u, null, kind, d.pdf).id());
        }
        if (d.details != null) {
          holdOnBooking(u, d);
        }
      }
      case IGNORED -> noteOnBooking(u, d);
      case QUARANTINED -> {}
    }
    InboundRecord done =
        new InboundRecord(
            key,
            m.messageId(),
            record.from(),
            record.subject(),
            received,
            u.now,
            d.outcome,
            Text.reason(reason),
            reservationId,
            docs);
    u.tx.updateInbound(done);
    if (position != null) {
      u.tx.putCursor(position);
    }
    u.inbound.add(done);
    return new Ingested(done, true);
  }

  private static void addIfPresent(List<String> docs, String documentId) {
    if (documentId != null) {
      docs.add(documentId);
    }
  }

  /** A confirmation held for a person: the booking is flagged, nothing of it applied. */
  private static void holdOnBooking(UnitOfWork u, Decision d) {
    u.tx
        .reservation(d.reservationId)
        .ifPresent(
            r -> {
              Reservation flagged =
                  u.tx.updateReservation(
                      r.toBuilder()
                          .attention(AttentionReason.UNVERIFIED_CONFIRMATION, null)
                          .updatedAt(u.now)
                          .build());
              u.event(r.id(), EventKind.ATTENTION, d.reason, TimelineEvent.SYSTEM);
              u.event(r.id(), EventKind.NOTE, flagged.attentionReason(), TimelineEvent.SYSTEM);
            });
  }

  /** An ignored reply about a booking (no document): noted on it and flagged for a person. */
  private static void noteOnBooking(UnitOfWork u, Decision d) {
    if (d.note == null || d.reservationId == null) {
      return;
    }
    Optional<Reservation> r = u.tx.reservation(d.reservationId);
    if (r.isEmpty()) {
      return;
    }
    u.event(d.reservationId, EventKind.NOTE, d.note, TimelineEvent.SYSTEM);
    if (r.get().state().isOpen() && !r.get().needsAttention()) {
      u.tx.updateReservation(
          r.get().toBuilder()
              .attention(AttentionReason.REPLY_WITHOUT_OC, null)
              .updatedAt(u.now)
              .build());
      u.event(
          d.reservationId,
          EventKind.ATTENTION,
          "agency replied without an OC document",
          TimelineEvent.SYSTEM);
    }
  }
}
