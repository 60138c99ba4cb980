package com.kontroltravel.oc;

import com.kontroltravel.oc.exception.InvalidOperationException;
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
import com.kontroltravel.oc.model.StartPosition;
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

  /**
   * Messages recorded per unit of work. A fetched batch is recorded in units this size, each moving
   * the cursor past its last message: a unit holds the store (SQLite's one writer) for a few
   * milliseconds, so a sender waiting to record what it sent waits for one unit, not a batch.
   */
  static final int UNIT = 10;

  /** What {@link #ingest} did. */
  record Ingested(InboundRecord record, boolean isNew) {}

  private final OcConfig config;
  private final Classifier classifier;
  private final Tracker tracker;
  private final Receiver receiver;
  private final Documents documents;
  private final Transactions transactions;
  private final PrefetchingParser prefetch;

  Intake(
      OcConfig config,
      Classifier classifier,
      Tracker tracker,
      Receiver receiver,
      Documents documents,
      Transactions transactions,
      PrefetchingParser prefetch) {
    this.config = config;
    this.classifier = classifier;
    this.tracker = tracker;
    this.receiver = receiver;
    this.documents = documents;
    this.transactions = transactions;
    this.prefetch = prefetch;
  }

  /**
   * Reads every new message of {@code gateway}'s mailbox; returns how many were new. The first read
   * of a mailbox (no cursor yet) skips messages received before the {@link FirstStart} cut-off and
   * says so in one line; the cut-off is kept in the store so a first read cut short by a crash goes
   * on skipping the same messages.
   */
  int read(MailGateway gateway, Runnable onNewMail) {
    String mailbox = gateway.mailbox();
    MailboxCursor start = transactions.call(u -> u.tx.cursor(mailbox).orElse(null));
    Instant cutoff = firstReadCutoff(mailbox, start == null);
    MailboxCursor cursor = start;
    int recorded = 0;
    long skipped = 0;
    if (cutoff != null && start == null) {
      Optional<StartPosition> pos = startPosition(gateway, cutoff);
      if (pos.isPresent()) {
        cursor = pos.get().cursor();
        skipped = pos.get().skipped();
        MailboxCursor c = cursor;
        transactions.run(u -> u.tx.putCursor(c));
      }
    }
    // Pipelined: while one batch is read and recorded, the next is fetched and its documents are
    // read. Only the fetching and reading run ahead; messages are recorded and the cursor moved in
    // order, in the same units of work as when batches were read one after another.
    FetchBatch batch = gateway.fetch(cursor, FETCH_BATCH);
    List<InboundMessage> wanted = wanted(batch, cutoff);
    PrefetchingParser.Readings readings = readAhead(wanted);
    for (int batchNo = 0; batchNo < MAX_FETCH_BATCHES; batchNo++) {
      skipped += batch.messages().size() - wanted.size();
      MailboxCursor after = batch.cursor();
      FetchBatch next = null;
      List<InboundMessage> nextWanted = List.of();
      PrefetchingParser.Readings nextReadings = null;
      RuntimeException aheadFailed = null;
      int before = recorded;
      try {
        if (batch.hasMore() && batchNo + 1 < MAX_FETCH_BATCHES) {
          try {
            next = gateway.fetch(after, FETCH_BATCH);
            nextWanted = wanted(next, cutoff);
            nextReadings = readAhead(nextWanted);
          } catch (RuntimeException e) {
            aheadFailed = e; // thrown once this batch is recorded
          }
        }
        if (readings != null) {
          // Read before the unit of work opens: it must not hold the store while documents parse.
          readings.awaitAll();
        }
        recorded += ingestAll(wanted, after);
      } catch (RuntimeException e) {
        if (nextReadings != null) {
          nextReadings.close();
        }
        throw e;
      } finally {
        if (readings != null) {
          readings.close();
        }
      }
      if (!wanted.isEmpty()) {
        try {
          gateway.markAllProcessed(wanted);
        } catch (RuntimeException e) {
          log.warn(
              "gateway could not mark {} recorded message(s) of {} processed: {}",
              wanted.size(),
              mailbox,
              e.toString());
        }
      }
      if (recorded > before) {
        onNewMail.run();
      }
      if (aheadFailed != null) {
        throw aheadFailed;
      }
      if (next == null) {
        break;
      }
      batch = next;
      wanted = nextWanted;
      readings = nextReadings;
    }
    if (cutoff != null) {
      finishFirstRead(mailbox, cutoff, skipped, recorded);
    }
    return recorded;
  }

  /** The messages of {@code batch} received at or after the first-read {@code cutoff}, if any. */
  private static List<InboundMessage> wanted(FetchBatch batch, Instant cutoff) {
    if (cutoff == null) {
      return batch.messages();
    }
    List<InboundMessage> wanted = new ArrayList<>(batch.messages().size());
    for (InboundMessage m : batch.messages()) {
      if (m.date() == null || !m.date().isBefore(cutoff)) {
        wanted.add(m);
      }
    }
    return wanted;
  }

  /** Starts reading the documents of {@code messages} on the parser's pool; null when not. */
  private PrefetchingParser.Readings readAhead(List<InboundMessage> messages) {
    return prefetch == null || messages.isEmpty() ? null : prefetch.prefetch(messages, config);
  }

  private static Optional<StartPosition> startPosition(MailGateway gateway, Instant cutoff) {
    try {
      return gateway.startPosition(cutoff);
    } catch (RuntimeException e) {
      log.warn(
          "mailbox {} could not tell where mail from {} starts ({}); reading it all and skipping"
              + " by date",
          gateway.mailbox(),
          cutoff,
          e.toString());
      return Optional.empty();
    }
  }

  private static String cutoffSetting(String mailbox) {
    return "first-start.cutoff." + mailbox;
  }

  private static String doneSetting(String mailbox) {
    return "first-start.done." + mailbox;
  }

  /** The first-read cut-off of {@code mailbox} while its first read is not finished, else null. */
  private Instant firstReadCutoff(String mailbox, boolean noCursor) {
    return transactions.call(
        u -> {
          if (u.tx.setting(doneSetting(mailbox)).isPresent()) {
            return null;
          }
          Optional<String> kept = u.tx.setting(cutoffSetting(mailbox));
          if (kept.isPresent()) {
            return kept.get().isEmpty() ? null : Instant.parse(kept.get());
          }
          if (!noCursor) {
            return null; // a store from before first-start policies: already reading
          }
          Instant c = config.firstStart().cutoff(u.now).orElse(null);
          u.tx.insertSetting(cutoffSetting(mailbox), c == null ? "" : c.toString());
          return c;
        });
  }

  private void finishFirstRead(String mailbox, Instant cutoff, long skipped, int recorded) {
    String summary =
        "first read of mailbox "
            + mailbox
            + " (first-start policy: "
            + config.firstStart()
            + "): skipped "
            + skipped
            + " message(s) received before "
            + cutoff
            + ", not tracked; processed "
            + recorded
            + " newer one(s)";
    transactions.run(u -> u.tx.insertSetting(doneSetting(mailbox), summary));
    log.info(summary);
  }

  /**
   * Tries again the messages whose earlier attempt failed for a passing reason and whose next
   * attempt is due; returns how many were tried.
   */
  int retryDue() {
    List<InboundRecord> due = transactions.call(u -> u.tx.dueInbound(u.now, FETCH_BATCH));
    for (InboundRecord r : due) {
      Optional<KeptMessages.Kept> kept = keptCopy(r.key());
      if (kept.isEmpty() || !kept.get().complete()) {
        transactions.run(
            u ->
                u.tx.updateInbound(
                    again(
                        r,
                        u.now,
                        InboundOutcome.QUARANTINED,
                        "cannot try again: the kept copy of the message is missing or incomplete;"
                            + " last error: "
                            + r.reason(),
                        r.attempts())));
        continue;
      }
      process(kept.get().message(), r.key(), null, r, null);
    }
    return due.size();
  }

  /**
   * Runs the kept copy of an inbound message through the engine again, for a person; the new
   * record's reason tells both outcomes.
   *
   * @throws InvalidOperationException when no complete copy of the message was kept
   */
  InboundRecord reprocess(String key, String actor) {
    InboundRecord r =
        transactions
            .call(u -> u.tx.inbound(key))
            .orElseThrow(() -> new InvalidOperationException("no inbound message " + key));
    if (!r.outcome().keepsMessage()) {
      throw new InvalidOperationException(
          "message "
              + key
              + " was processed ("
              + r.outcome()
              + "); only quarantined, ignored, reviewed or retrying messages can be reprocessed");
    }
    KeptMessages.Kept kept =
        keptCopy(key)
            .orElseThrow(
                () ->
                    new InvalidOperationException(
                        "no copy of message "
                            + key
                            + " was kept (copies are kept of quarantined, ignored, reviewed and"
                            + " retrying messages, for the retention period)"));
    if (!kept.complete()) {
      throw new InvalidOperationException(
          "message "
              + key
              + " cannot be reprocessed: attachments too big to keep were left out: "
              + String.join(", ", kept.leftOut()));
    }
    Ingested done = process(kept.message(), key, null, r, actor);
    log.info(
        "inbound {} reprocessed by {}: {} -> {} ({})",
        key,
        actor,
        r.outcome(),
        done.record().outcome(),
        done.record().reason());
    return done.record();
  }

  /** The decoded kept copy of a message. */
  Optional<KeptMessages.Kept> keptCopy(String key) {
    return transactions.call(u -> u.tx.inboundContent(key)).flatMap(KeptMessages::decode);
  }

  /**
   * Records a fetched batch and moves the cursor past it, in units of {@link #UNIT} messages (or in
   * one when a message lacks its position in the mailbox, which a unit's cursor needs).
   */
  private int ingestAll(List<InboundMessage> batch, MailboxCursor after) {
    boolean positioned = batch.stream().allMatch(m -> m.position() != null);
    int unit = positioned ? UNIT : Math.max(1, batch.size());
    int recorded = 0;
    int from = 0;
    do {
      int to = Math.min(batch.size(), from + unit);
      MailboxCursor cursor = to == batch.size() ? after : batch.get(to - 1).position();
      recorded += ingestUnit(batch.subList(from, to), cursor);
      from = to;
    } while (from < batch.size());
    return recorded;
  }

  /**
   * Records messages and moves the cursor past them in one unit of work: one commit rather than
   * several for each message. When applying a message fails for a reason other than the store, the
   * unit is rolled back and taken again one message at a time, as {@link #ingest} does, so one bad
   * message gets its own record and the others go on.
   */
  private int ingestUnit(List<InboundMessage> batch, MailboxCursor after) {
    try {
      return transactions.call(
          u -> {
            int recorded = 0;
            for (InboundMessage m : batch) {
              if (ingestIn(u, m).isNew()) {
                recorded++;
              }
            }
            u.tx.putCursor(after);
            return recorded;
          });
    } catch (StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      log.warn(
          "{} message(s) failed as one unit of work ({}); taking them one at a time",
          batch.size(),
          e.toString());
      int recorded = 0;
      for (InboundMessage m : batch) {
        if (ingest(m, m.position()).isNew()) {
          recorded++;
        }
      }
      transactions.run(u -> u.tx.putCursor(after));
      return recorded;
    }
  }

  /** {@link #ingest} inside the open unit of work {@code u}, which throws what it cannot apply. */
  private Ingested ingestIn(UnitOfWork u, InboundMessage m) {
    String key = m.dedupKey();
    Optional<InboundRecord> existing = u.tx.inbound(key);
    if (existing.isPresent() && !existing.get().outcome().isOpen()) {
      return new Ingested(existing.get(), false);
    }
    Decision d = decide(m, key, StoreReads.within(u));
    return apply(u, m, key, d, null, existing.orElse(null), null);
  }

  /**
   * Records one inbound message once and acts on it; a message whose earlier attempt failed for a
   * passing reason (a redelivery) is tried again. Never throws for bad input.
   */
  Ingested ingest(InboundMessage m, MailboxCursor position) {
    Objects.requireNonNull(m, "message == null");
    String key = m.dedupKey();
    Optional<InboundRecord> existing = transactions.call(u -> u.tx.inbound(key));
    if (existing.isPresent() && !existing.get().outcome().isOpen()) {
      if (position != null) {
        transactions.run(u -> u.tx.putCursor(position));
      }
      return new Ingested(existing.get(), false);
    }
    return process(m, key, position, existing.orElse(null), null);
  }

  /**
   * Classifies and applies {@code m}; {@code previous} is the record of an earlier attempt (a
   * retry, a redelivery or a reprocessing by {@code actor}), or null for a first sight.
   */
  private Ingested process(
      InboundMessage m, String key, MailboxCursor position, InboundRecord previous, String actor) {
    Decision decision = decide(m, key, transactions);
    try {
      return transactions.call(u -> apply(u, m, key, decision, position, previous, actor));
    } catch (StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      log.error("processing message {} failed", key, e);
      Decision q = Decision.of(InboundOutcome.RETRYING, "internal error while processing: " + e);
      return transactions.call(u -> apply(u, m, key, q, position, previous, actor));
    }
  }

  /** What {@code m} is; a classifier that throws makes it a message to try again. */
  private Decision decide(InboundMessage m, String key, StoreReads reads) {
    try {
      return classifier.classify(m, reads);
    } catch (StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      log.error("classifying message {} failed", key, e);
      return Decision.of(InboundOutcome.RETRYING, "internal error while classifying: " + e);
    }
  }

  /** The record of a further attempt at {@code r}. */
  private InboundRecord again(
      InboundRecord r, Instant now, InboundOutcome outcome, String reason, int attempts) {
    return new InboundRecord(
        r.key(),
        r.messageId(),
        r.from(),
        r.subject(),
        r.receivedAt(),
        now,
        outcome,
        Text.reason(reason),
        r.reservationId(),
        r.documentIds(),
        attempts,
        outcome == InboundOutcome.RETRYING ? now.plus(Dispatcher.backoff(config, attempts)) : null);
  }

  private Ingested apply(
      UnitOfWork u,
      InboundMessage m,
      String key,
      Decision first,
      MailboxCursor position,
      InboundRecord previous,
      String actor) {
    Instant received = m.date() != null ? m.date() : u.now;
    int attempts = previous == null || actor != null ? 1 : previous.attempts() + 1;
    Decision d = first;
    if (d.outcome == InboundOutcome.RETRYING && attempts >= config.maxInboundAttempts()) {
      d =
          Decision.of(
              InboundOutcome.QUARANTINED,
              "gave up after " + attempts + " attempt(s): " + first.reason);
    }
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
    if (previous == null) {
      if (!u.tx.insertInbound(record)) {
        return new Ingested(u.tx.inbound(key).orElseThrow(), false);
      }
    } else {
      InboundRecord current = u.tx.inbound(key).orElse(null);
      if (current == null
          || current.outcome() != previous.outcome()
          || current.attempts() != previous.attempts()
          || !current.recordedAt().equals(previous.recordedAt())) {
        // Another engine (or person) got there first.
        return new Ingested(current == null ? previous : current, false);
      }
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
      case QUARANTINED, RETRYING -> {}
    }
    if (previous != null) {
      reason =
          (actor != null ? "reprocessed by " + actor + ": " : "attempt " + attempts + ": ")
              + reason
              + " (before: "
              + previous.outcome()
              + ": "
              + previous.reason()
              + ")";
      if (docs.isEmpty() && d.outcome != InboundOutcome.CONFIRMATION) {
        docs.addAll(previous.documentIds());
      }
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
            docs,
            attempts,
            d.outcome == InboundOutcome.RETRYING
                ? u.now.plus(Dispatcher.backoff(config, attempts))
                : null);
    u.tx.updateInbound(done);
    if (d.outcome.keepsMessage() && (previous == null || u.tx.inboundContent(key).isEmpty())) {
      u.tx.putInboundContent(key, KeptMessages.encode(m), u.now);
    }
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
