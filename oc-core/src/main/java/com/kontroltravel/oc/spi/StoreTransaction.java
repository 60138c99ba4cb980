package com.kontroltravel.oc.spi;

import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.MailboxCursor;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.OutboxStatus;
import com.kontroltravel.oc.model.Page;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationQuery;
import com.kontroltravel.oc.model.StoredDocument;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.model.TrackingState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operations available inside one {@link Store} unit of work. Valid only while the work runs;
 * not thread safe. Arguments are never null unless stated.
 */
public interface StoreTransaction {

  // ---- reservations

  /** The reservation with this id. */
  Optional<Reservation> reservation(String reservationId);

  /**
   * Inserts a new reservation.
   *
   * @return the stored copy, with version 1
   * @throws com.kontroltravel.oc.exception.StoreConflictException when the id exists
   */
  Reservation insertReservation(Reservation reservation);

  /**
   * Replaces a reservation if its stored version still equals {@code reservation.version()}. Does
   * not touch claims.
   *
   * @return the stored copy, with the version incremented
   * @throws com.kontroltravel.oc.exception.StoreConflictException when the stored version differs
   *     or the row is missing
   */
  Reservation updateReservation(Reservation reservation);

  /**
   * Reservations whose id, LOC interno (ignoring case) or localizador equals {@code reference}
   * exactly, at most 10.
   */
  List<Reservation> findByReference(String reference);

  /** A page of reservations matching the query, ordered by day 0 descending then id. */
  Page<Reservation> list(ReservationQuery query);

  /** How many reservations are in each state (states with none may be absent). */
  Map<TrackingState, Long> countByState();

  /** How many reservations need attention. */
  long countNeedingAttention();

  /**
   * Claims up to {@code limit} reservations whose next-action time is at or before {@code now} and
   * that no one else holds (or whose lease ended), ordered by next-action time. The cost must grow
   * with the number due, not with the number stored (an index on next-action time).
   *
   * @return the claimed reservation ids
   */
  List<String> claimDue(Instant now, int limit, String owner, Instant leaseUntil);

  /** Releases {@code owner}'s claim on one reservation, if it holds one. */
  void releaseClaim(String reservationId, String owner);

  /** Releases every claim (reservations and outbox) held by {@code owner}. */
  void releaseClaims(String owner);

  /** The earliest next-action time of any reservation, if any. */
  Optional<Instant> earliestNextAction();

  // ---- agencies

  /** The agency whose name or alias matches {@code name} after normalisation. */
  Optional<Agency> agency(String name);

  /** Inserts or replaces the agency with the same normalised name. */
  void putAgency(Agency agency);

  /** Removes the agency with this (normalised) name; true when one was removed. */
  boolean removeAgency(String name);

  /** Every agency, by name. */
  List<Agency> agencies();

  // ---- timeline

  /** Appends an event to a reservation's timeline. */
  void appendEvent(TimelineEvent event);

  /** A reservation's timeline in the order appended. */
  List<TimelineEvent> timeline(String reservationId);

  // ---- inbound-message log

  /**
   * Records an inbound message once.
   *
   * @return false (and nothing written) when a record with the same key exists
   */
  boolean insertInbound(InboundRecord record);

  /** The record with this key. */
  Optional<InboundRecord> inbound(String key);

  /** Replaces the record with the same key. */
  void updateInbound(InboundRecord record);

  /** Records with this outcome, most recent first, at most {@code limit}. */
  List<InboundRecord> inboundByOutcome(InboundOutcome outcome, int limit);

  /** How many recorded inbound messages have this outcome. */
  long countInbound(InboundOutcome outcome);

  /**
   * The inbound log, most recent first (by {@link InboundRecord#recordedAt()}).
   *
   * @param outcome only records with this outcome, or null for all
   * @param since only records recorded at or after this instant, or null for no bound
   * @param limit at most this many
   */
  List<InboundRecord> inboundLog(InboundOutcome outcome, Instant since, int limit);

  /**
   * {@link InboundOutcome#RETRYING} records whose next attempt is due at {@code now}, the earliest
   * first, at most {@code limit}.
   */
  List<InboundRecord> dueInbound(Instant now, int limit);

  /**
   * Keeps the content of an inbound message (an opaque, engine-encoded copy) so a person can
   * inspect it and the engine can process it again; replaces an earlier copy.
   */
  void putInboundContent(String key, byte[] content, Instant storedAt);

  /** The kept content of an inbound message. */
  Optional<byte[]> inboundContent(String key);

  /**
   * Drops kept contents stored before {@code before} whose record is not {@link
   * InboundOutcome#RETRYING}; returns how many.
   */
  int purgeInboundContent(Instant before);

  // ---- outbox

  /**
   * Queues a message once per id.
   *
   * @return false (and nothing written) when a row with the same id exists
   */
  boolean insertOutbox(OutboxMessage message);

  /** The row with this id. */
  Optional<OutboxMessage> outbox(String id);

  /** The row carrying this Message-ID (without brackets). */
  Optional<OutboxMessage> outboxByMessageId(String messageId);

  /** A reservation's rows, in creation order. */
  List<OutboxMessage> outboxFor(String reservationId);

  /** Replaces the row with the same id and releases any claim on it. */
  void updateOutbox(OutboxMessage message);

  /**
   * Claims up to {@code limit} PENDING rows whose next attempt is at or before {@code now} and that
   * no one holds (or whose lease ended), incrementing and persisting their attempt count.
   *
   * @return the claimed rows, with the new attempt count
   */
  List<OutboxMessage> claimOutbox(Instant now, int limit, String owner, Instant leaseUntil);

  /** Marks every PENDING row of a reservation CANCELLED; returns how many. */
  int cancelPendingOutbox(String reservationId, String reason);

  /** How many rows are in each status (statuses with none may be absent). */
  Map<OutboxStatus, Long> countOutboxByStatus();

  /** The earliest next-attempt time of any PENDING row, if any. */
  Optional<Instant> earliestPendingOutbox();

  // ---- mailbox cursors

  /** The cursor of a mailbox folder. */
  Optional<MailboxCursor> cursor(String mailbox);

  /** Saves a cursor (replacing the one of the same mailbox). */
  void putCursor(MailboxCursor cursor);

  // ---- documents

  /** Inserts or replaces a document by id. */
  void putDocument(StoredDocument document);

  /** The document with this id, content included. */
  Optional<StoredDocument> document(String id);

  /** A reservation's documents, in the order stored. */
  List<StoredDocument> documentsFor(String reservationId);

  // ---------------------------------------------------------------- deployment settings

  /** A deployment-wide value the engine keeps in the store (its Message-ID key, say). */
  Optional<String> setting(String name);

  /**
   * Stores a deployment-wide value unless one of that name exists.
   *
   * @return false (and nothing written) when the name already has a value
   */
  boolean insertSetting(String name, String value);
}
