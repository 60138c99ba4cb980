package com.kontroltravel.oc;

import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.exception.InvalidOperationException;
import com.kontroltravel.oc.exception.ReservationNotFoundException;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.OutboxStatus;
import com.kontroltravel.oc.model.Page;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationQuery;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.StoredDocument;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.spi.Store;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queries and operator actions over a {@link Store}: what a CLI, an admin page or a host needs to
 * see and fix bookings, without a mailbox or running loops (as db-scheduler's {@code
 * SchedulerClient} stands beside its {@code Scheduler}). A running {@link OcEngine} hands out one
 * through {@link OcEngine#operations()} that also wakes its loops after an action.
 *
 * <p>Thread safe. Every action is one unit of work, recorded in the booking's timeline with the
 * acting operator's name, and safe while engines run on the same store.
 */
public final class OcOperations {
  private static final Logger log = LoggerFactory.getLogger(OcOperations.class);

  /** Longest operator name kept. */
  public static final int MAX_ACTOR_LENGTH = 100;

  /** Most review-queue entries {@link #reviewQueue()} returns. */
  public static final int REVIEW_PAGE_SIZE = 500;

  /** Most inbound records one call returns. */
  public static final int MAX_INBOUND_PAGE = 1000;

  private final Flow flow;
  private final Runnable afterChange;

  OcOperations(Flow flow, Runnable afterChange) {
    this.flow = flow;
    this.afterChange = afterChange;
  }

  /** Operations over {@code store} with {@code config}, the default policies and templates. */
  public static OcOperations create(Store store, OcConfig config) {
    return builder().store(store).config(config).build();
  }

  /** A builder, for hosts that use their own agency policy, templates, parser or clock. */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------ actions

  /**
   * Marks the booking's OC received.
   *
   * @param ocNumber the OC number, or null
   * @param document the OC document, or null
   * @param actor the operator
   * @throws ReservationNotFoundException when there is no such booking
   * @throws InvalidOperationException when it is already received
   */
  public Reservation markReceived(
      String reservationId, String ocNumber, Attachment document, String actor) {
    return changed(flow.actions.markReceived(id(reservationId), ocNumber, document, actor(actor)));
  }

  /** Cancels the chase of a booking; its pending messages are cancelled. */
  public Reservation cancel(String reservationId, String reason, String actor) {
    return changed(flow.actions.cancel(id(reservationId), reason, actor(actor)));
  }

  /** Queues a step again under a new Message-ID (a new generation), to go out now. */
  public OutboxMessage resend(String reservationId, Step step, String actor) {
    Objects.requireNonNull(step, "step == null");
    return changed(flow.actions.resend(id(reservationId), step, actor(actor)));
  }

  /** Pauses the chase of a booking. */
  public Reservation pause(String reservationId, String actor) {
    return changed(flow.actions.pause(id(reservationId), actor(actor)));
  }

  /** Resumes the chase, clears its attention flag and re-plans it now. */
  public Reservation resume(String reservationId, String actor) {
    return changed(flow.actions.resume(id(reservationId), actor(actor)));
  }

  /** Files a purchase order from the review queue against a booking. */
  public Reservation assignPurchaseOrder(String inboundKey, String reservationId, String actor) {
    Objects.requireNonNull(inboundKey, "inboundKey == null");
    return changed(flow.actions.assignPurchaseOrder(inboundKey, id(reservationId), actor(actor)));
  }

  /**
   * Runs the kept copy of an inbound message through the engine again (after a fix: a parser
   * upgrade, an allowed sender or an agency added) and records the new outcome; its reason also
   * tells the one before. Needs a parser (the engine's operations have one).
   *
   * @throws ConfigurationException when these operations were built without a parser
   * @throws InvalidOperationException when no complete copy of the message was kept
   */
  public InboundRecord reprocess(String inboundKey, String actor) {
    Objects.requireNonNull(inboundKey, "inboundKey == null");
    String a = actor(actor);
    if (!flow.canRead) {
      throw new ConfigurationException(
          List.of("reprocessing needs a ReservationParser: build the operations with one"));
    }
    return changed(flow.intake.reprocess(inboundKey, a));
  }

  /**
   * Takes a message out of the review queue without filing it (spam, a duplicate, handled by hand);
   * it stays in the inbound log as ignored, with who dismissed it and why.
   *
   * @throws InvalidOperationException when the message is not in the review queue
   */
  public InboundRecord dismissReview(String inboundKey, String reason, String actor) {
    Objects.requireNonNull(inboundKey, "inboundKey == null");
    return changed(flow.actions.dismissReview(inboundKey, reason, actor(actor)));
  }

  /** Adds or replaces an agency in the store (used when the agency policy is the store's). */
  public void putAgency(Agency agency, String actor) {
    Objects.requireNonNull(agency, "agency == null");
    flow.transactions.run(u -> u.tx.putAgency(agency));
    log.info("agency {} saved by {}", agency.name(), actor(actor));
    afterChange.run();
  }

  private <T> T changed(T result) {
    afterChange.run();
    return result;
  }

  // ------------------------------------------------------------------ queries

  /** The booking with this id. */
  public Optional<Reservation> reservation(String reservationId) {
    String id = id(reservationId);
    return flow.transactions.call(u -> u.tx.reservation(id));
  }

  /** Bookings whose id, LOC interno or localizador is {@code reference}. */
  public List<Reservation> find(String reference) {
    Objects.requireNonNull(reference, "reference == null");
    return flow.transactions.call(u -> u.tx.findByReference(reference.trim()));
  }

  /** A page of bookings. */
  public Page<Reservation> list(ReservationQuery query) {
    Objects.requireNonNull(query, "query == null");
    return flow.transactions.call(u -> u.tx.list(query));
  }

  /** A booking's timeline, oldest first. */
  public List<TimelineEvent> timeline(String reservationId) {
    String id = id(reservationId);
    return flow.transactions.call(u -> u.tx.timeline(id));
  }

  /** The messages queued for a booking, oldest first. */
  public List<OutboxMessage> messages(String reservationId) {
    String id = id(reservationId);
    return flow.transactions.call(u -> u.tx.outboxFor(id));
  }

  /** Purchase orders waiting for a person (unmatched or ambiguous), newest first. */
  public List<InboundRecord> reviewQueue() {
    return inbound(InboundOutcome.REVIEW, REVIEW_PAGE_SIZE);
  }

  /** Recorded inbound messages with this outcome, newest first, at most {@code limit}. */
  public List<InboundRecord> inbound(InboundOutcome outcome, int limit) {
    Objects.requireNonNull(outcome, "outcome == null");
    return flow.transactions.call(u -> u.tx.inboundByOutcome(outcome, limit));
  }

  /**
   * The inbound log, newest first.
   *
   * @param outcome only this outcome, or null for all
   * @param since only messages recorded at or after this instant, or null
   * @param limit at most this many (1..{@value #MAX_INBOUND_PAGE})
   */
  public List<InboundRecord> inbound(InboundOutcome outcome, Instant since, int limit) {
    int n = Math.max(1, Math.min(limit, MAX_INBOUND_PAGE));
    return flow.transactions.call(u -> u.tx.inboundLog(outcome, since, n));
  }

  /** An inbound message with the copy the engine kept of it, if any. */
  public Optional<InboundDetail> inboundMessage(String inboundKey) {
    Objects.requireNonNull(inboundKey, "inboundKey == null");
    Optional<InboundRecord> r = flow.transactions.call(u -> u.tx.inbound(inboundKey));
    if (r.isEmpty()) {
      return Optional.empty();
    }
    Optional<KeptMessages.Kept> kept = flow.intake.keptCopy(inboundKey);
    return Optional.of(
        new InboundDetail(
            r.get(),
            kept.map(KeptMessages.Kept::message),
            kept.map(KeptMessages.Kept::leftOut).orElse(List.of())));
  }

  /**
   * When the engine these operations belong to last read its mailboxes without an error; empty for
   * operations built on their own (a CLI over the store) and before the first read.
   */
  public Optional<Instant> lastMailboxCheck() {
    return Optional.ofNullable(flow.lastMailboxCheck);
  }

  /** A stored document. */
  public Optional<StoredDocument> document(String documentId) {
    Objects.requireNonNull(documentId, "documentId == null");
    return flow.transactions.call(u -> u.tx.document(documentId));
  }

  /** The agencies in the store. */
  public List<Agency> agencies() {
    return flow.transactions.call(u -> u.tx.agencies());
  }

  /** Counts for dashboards, each from a count query. */
  public Statistics statistics() {
    return flow.transactions.call(
        u -> {
          Map<TrackingState, Long> byState = new EnumMap<>(TrackingState.class);
          Map<TrackingState, Long> counts = u.tx.countByState();
          long total = 0;
          for (TrackingState s : TrackingState.values()) {
            long n = counts.getOrDefault(s, 0L);
            byState.put(s, n);
            total += n;
          }
          Map<OutboxStatus, Long> outbox = new EnumMap<>(OutboxStatus.class);
          Map<OutboxStatus, Long> byStatus = u.tx.countOutboxByStatus();
          for (OutboxStatus s : OutboxStatus.values()) {
            outbox.put(s, byStatus.getOrDefault(s, 0L));
          }
          return new Statistics(
              byState,
              total,
              u.tx.countNeedingAttention(),
              u.tx.countInbound(InboundOutcome.REVIEW),
              outbox);
        });
  }

  static String id(String reservationId) {
    Objects.requireNonNull(reservationId, "reservationId == null");
    if (reservationId.isBlank()) {
      throw new IllegalArgumentException("reservationId is blank");
    }
    return reservationId.trim();
  }

  static String actor(String actor) {
    Objects.requireNonNull(actor, "actor == null");
    String a = Headers.clean(actor);
    if (a.isEmpty()) {
      throw new IllegalArgumentException("actor is blank");
    }
    return a.length() > MAX_ACTOR_LENGTH ? a.substring(0, MAX_ACTOR_LENGTH) : a;
  }

  // ------------------------------------------------------------------ reports

  /** Days of the dashboard's daily series. */
  public static final int SERIES_DAYS = 30;

  private Reports reports() {
    return new Reports(flow.transactions, flow.config.calendar());
  }

  /**
   * Bookings being chased (a request or reminder out, no OC) for {@code businessDays} business days
   * or more since their first request, the longest first; at most 1,000 are looked at.
   */
  public List<Chase> critical(int businessDays) {
    return reports().critical(businessDays);
  }

  /**
   * How long each of {@code reservations} has been chased since its first request, by booking id;
   * bookings never requested are absent.
   */
  public Map<String, Chase> chases(java.util.Collection<Reservation> reservations) {
    Objects.requireNonNull(reservations, "reservations == null");
    return reports().chases(reservations);
  }

  /**
   * Bookings per agency (total, received, chasing, needing attention): every configured agency and
   * every unknown agency name on bookings. Reads every booking, a page at a time.
   */
  public List<AgencySummary> agencySummary() {
    return reports().agencies();
  }

  /**
   * Bookings tracked, first requests sent and OCs received on each of the last {@code days} days (1
   * to 366) up to today, oldest first, in the business calendar's zone. Reads every booking, a page
   * at a time.
   */
  public List<DailyCount> dailySeries(int days) {
    return reports().daily(days);
  }

  /** When the engine next looks at a booking (its next follow-up), if one is scheduled. */
  public Optional<java.time.Instant> nextFollowUp() {
    return flow.transactions.call(u -> u.tx.earliestNextAction());
  }

  /** Builds {@link OcOperations}. Not thread safe. */
  public static final class Builder extends PartsBuilder<Builder> {
    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /**
     * Builds the operations. The parser is optional here: it reads the number of an OC filed from
     * the review queue.
     *
     * @throws ConfigurationException listing every missing part
     */
    public OcOperations build() {
      List<String> problems = problems();
      if (!problems.isEmpty()) {
        throw new ConfigurationException(problems);
      }
      return new OcOperations(flow(null), () -> {});
    }
  }
}
