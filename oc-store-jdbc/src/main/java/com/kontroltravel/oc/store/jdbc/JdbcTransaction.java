package com.kontroltravel.oc.store.jdbc;

import com.kontroltravel.oc.exception.StoreConflictException;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.AgencyNames;
import com.kontroltravel.oc.model.AttentionReason;
import com.kontroltravel.oc.model.DocumentKind;
import com.kontroltravel.oc.model.EventKind;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.MailboxCursor;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.OutboxStatus;
import com.kontroltravel.oc.model.Page;
import com.kontroltravel.oc.model.PurchaseOrder;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.ReservationQuery;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.StoredDocument;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.spi.StoreTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One unit of work on one connection. Every statement is parameterised: the only SQL built at run
 * time joins fixed fragments (filters chosen by which query fields are set) and placeholders.
 */
final class JdbcTransaction implements StoreTransaction {
  private static final String RES_COLS =
      "id, internal_locator, locator, agency_name, booking_status, issue_date, hotel_name, check_in, check_out,"
          + " nights, rooms, total_amount, currency, cancellation_deadline, state, day_zero, tracked_at, last_step,"
          + " last_message_at, next_action_at, paused, attention_code, attention_reason, confirmation_document_id, po_present,"
          + " po_number, po_document_id, po_received_from, po_received_at, po_actor, version, updated_at";

  private static final String OUTBOX_COLS =
      "id, reservation_id, step, generation, message_id, in_reply_to, refs, to_addrs, cc_addrs, subject,"
          + " text_body, html_body, attachment_ids, status, attempts, next_attempt_at, last_error, created_at,"
          + " sent_at";

  private static final String PG_CLAIM_OUTBOX =
      "UPDATE oc_outbox o SET claim_owner = ?, claim_until = ?, attempts = o.attempts + 1 FROM (SELECT id"
          + " FROM oc_outbox WHERE status = 'PENDING' AND next_attempt_at <= ? AND (claim_until IS NULL OR"
          + " claim_until <= ?) ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) due WHERE o.id = due.id"
          + " RETURNING o."
          + OUTBOX_COLS.replace(", ", ", o.");

  private static final String DOC_COLS =
      "id, reservation_id, kind, original_name, safe_name, content_type, sha256, size, content, stored_at";

  private static final String INBOUND_COLS =
      "inbound_key, message_id, sender, subject, received_at, recorded_at, outcome, reason, reservation_id,"
          + " document_ids, attempts, next_attempt_at";

  private static final String AGENCY_COLS =
      "agency_key, name, aliases, email_domains, requires_oc, contacts, cc, schedule, locale, active";

  private static final int MAX_CACHED_STATEMENTS = 64;

  private final Connection c;
  private final Dialect d;
  private final Consumer<StoredDocument> documentListener;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private boolean open = true;

  JdbcTransaction(Connection c, Dialect d, Consumer<StoredDocument> documentListener) {
    this.c = c;
    this.d = d;
    this.documentListener = documentListener;
  }

  /** Ends the transaction's use: closes its cached statements. Called before commit or rollback. */
  void close() {
    open = false;
    closeStatements();
  }

  private void closeStatements() {
    for (PreparedStatement ps : statements.values()) {
      try {
        ps.close();
      } catch (SQLException ignored) {
        // the connection is committed or rolled back next; a failed close changes nothing
      }
    }
    statements.clear();
  }

  /**
   * Statements are cached per SQL text for the life of the unit of work (bulk tracking reuses
   * them).
   */
  private PreparedStatement prepared(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      if (statements.size() >= MAX_CACHED_STATEMENTS) {
        closeStatements();
      }
      ps = c.prepareStatement(sql);
      statements.put(sql, ps);
    } else {
      ps.clearParameters();
    }
    return ps;
  }

  private void checkOpen() {
    if (!open) {
      throw new IllegalStateException(
          "the unit of work has ended: a StoreTransaction is valid only inside it");
    }
  }

  // ------------------------------------------------------------------------------------
  // reservations

  @Override
  public Optional<Reservation> reservation(String reservationId) {
    Objects.requireNonNull(reservationId, "reservationId == null");
    List<Reservation> found =
        query(
            "SELECT " + RES_COLS + " FROM oc_reservation WHERE id = ?",
            this::reservationRow,
            reservationId);
    return found.stream().findFirst();
  }

  @Override
  public Reservation insertReservation(Reservation reservation) {
    Objects.requireNonNull(reservation, "reservation == null");
    Reservation stored = truncate(reservation.toBuilder().version(1).build());
    String sql =
        "INSERT INTO oc_reservation ("
            + RES_COLS
            + ", internal_locator_lc, agency_key) VALUES ("
            + placeholders(34)
            + ") ON CONFLICT (id) DO NOTHING";
    int n =
        update(
            sql,
            ps -> {
              int i = bindReservation(ps, stored, 1);
              ps.setLong(i++, stored.version());
              d.setInstant(ps, i++, stored.updatedAt());
              ps.setString(i++, lower(stored.details().internalLocator()));
              ps.setString(i, AgencyNames.normalize(stored.details().agencyName()));
            });
    if (n == 0) {
      throw new StoreConflictException("reservation " + stored.id() + " already exists");
    }
    return stored;
  }

  @Override
  public Reservation updateReservation(Reservation reservation) {
    Objects.requireNonNull(reservation, "reservation == null");
    Reservation stored =
        truncate(reservation.toBuilder().version(reservation.version() + 1).build());
    String sql =
        "UPDATE oc_reservation SET id = ?, internal_locator = ?, locator = ?, agency_name = ?, booking_status = ?,"
            + " issue_date = ?, hotel_name = ?, check_in = ?, check_out = ?, nights = ?, rooms = ?,"
            + " total_amount = ?, currency = ?, cancellation_deadline = ?, state = ?, day_zero = ?,"
            + " tracked_at = ?, last_step = ?, last_message_at = ?, next_action_at = ?, paused = ?,"
            + " attention_code = ?, attention_reason = ?, confirmation_document_id = ?, po_present = ?, po_number = ?,"
            + " po_document_id = ?, po_received_from = ?, po_received_at = ?, po_actor = ?, version = ?,"
            + " updated_at = ?, internal_locator_lc = ?, agency_key = ? WHERE id = ? AND version = ?";
    int n =
        update(
            sql,
            ps -> {
              int i = bindReservation(ps, stored, 1);
              ps.setLong(i++, stored.version());
              d.setInstant(ps, i++, stored.updatedAt());
              ps.setString(i++, lower(stored.details().internalLocator()));
              ps.setString(i++, AgencyNames.normalize(stored.details().agencyName()));
              ps.setString(i++, stored.id());
              ps.setLong(i, reservation.version());
            });
    if (n == 0) {
      throw new StoreConflictException(
          "reservation "
              + reservation.id()
              + " is missing or changed since version "
              + reservation.version());
    }
    return stored;
  }

  /** Binds the 30 columns of RES_COLS before version and updated_at; returns the next index. */
  private int bindReservation(PreparedStatement ps, Reservation r, int start) throws SQLException {
    ReservationDetails x = r.details();
    int i = start;
    ps.setString(i++, x.reservationId());
    ps.setString(i++, x.internalLocator());
    ps.setString(i++, x.locator());
    ps.setString(i++, x.agencyName());
    ps.setString(i++, x.status());
    d.setDate(ps, i++, x.issueDate());
    ps.setString(i++, x.hotelName());
    d.setDate(ps, i++, x.checkIn());
    d.setDate(ps, i++, x.checkOut());
    setInt(ps, i++, x.nights());
    setInt(ps, i++, x.rooms());
    d.setDecimal(ps, i++, x.totalAmount());
    ps.setString(i++, x.currency());
    d.setDate(ps, i++, x.cancellationDeadline());
    ps.setString(i++, r.state().name());
    d.setDate(ps, i++, r.dayZero());
    d.setInstant(ps, i++, r.trackedAt());
    ps.setString(i++, r.lastStep() == null ? null : r.lastStep().name());
    d.setInstant(ps, i++, r.lastMessageAt());
    d.setInstant(ps, i++, r.nextActionAt());
    ps.setBoolean(i++, r.paused());
    ps.setString(i++, r.attention() == null ? null : r.attention().name());
    ps.setString(i++, r.attentionReason());
    ps.setString(i++, r.confirmationDocumentId());
    PurchaseOrder po = r.purchaseOrder();
    ps.setBoolean(i++, po != null);
    ps.setString(i++, po == null ? null : po.ocNumber());
    ps.setString(i++, po == null ? null : po.documentId());
    ps.setString(i++, po == null ? null : po.receivedFrom());
    d.setInstant(ps, i++, po == null ? null : po.receivedAt());
    ps.setString(i++, po == null ? null : po.actor());
    return i;
  }

  private Reservation reservationRow(ResultSet rs) throws SQLException {
    ReservationDetails details =
        new ReservationDetails(
            rs.getString("id"),
            rs.getString("internal_locator"),
            rs.getString("locator"),
            rs.getString("agency_name"),
            rs.getString("booking_status"),
            d.getDate(rs, "issue_date"),
            rs.getString("hotel_name"),
            d.getDate(rs, "check_in"),
            d.getDate(rs, "check_out"),
            getInt(rs, "nights"),
            getInt(rs, "rooms"),
            d.getDecimal(rs, "total_amount"),
            rs.getString("currency"),
            d.getDate(rs, "cancellation_deadline"));
    PurchaseOrder po =
        rs.getBoolean("po_present")
            ? new PurchaseOrder(
                rs.getString("po_number"),
                rs.getString("po_document_id"),
                rs.getString("po_received_from"),
                d.getInstant(rs, "po_received_at"),
                rs.getString("po_actor"))
            : null;
    String lastStep = rs.getString("last_step");
    return new Reservation(
        details,
        TrackingState.valueOf(rs.getString("state")),
        d.getDate(rs, "day_zero"),
        d.getInstant(rs, "tracked_at"),
        lastStep == null ? null : Step.valueOf(lastStep),
        d.getInstant(rs, "last_message_at"),
        d.getInstant(rs, "next_action_at"),
        rs.getBoolean("paused"),
        attentionCode(rs.getString("attention_code")),
        rs.getString("attention_reason"),
        rs.getString("confirmation_document_id"),
        po,
        rs.getLong("version"),
        d.getInstant(rs, "updated_at"));
  }

  /** The stored reason code; one this version does not know reads as {@code OTHER}. */
  private static AttentionReason attentionCode(String code) {
    if (code == null) {
      return null;
    }
    try {
      return AttentionReason.valueOf(code);
    } catch (IllegalArgumentException e) {
      return AttentionReason.OTHER;
    }
  }

  @Override
  public List<Reservation> findByReference(String reference) {
    Objects.requireNonNull(reference, "reference == null");
    return query(
        "SELECT "
            + RES_COLS
            + " FROM oc_reservation WHERE id = ? OR internal_locator_lc = ? OR locator = ? ORDER BY id LIMIT 10",
        this::reservationRow,
        reference,
        lower(reference),
        reference);
  }

  @Override
  public Page<Reservation> list(ReservationQuery q) {
    Objects.requireNonNull(q, "query == null");
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    List<Binder> binds = new ArrayList<>();
    if (!q.states().isEmpty()) {
      where.append(" AND state IN (");
      int k = 0;
      for (TrackingState s : q.states().stream().sorted().toList()) {
        where.append(k++ == 0 ? "?" : ", ?");
        binds.add((ps, i) -> ps.setString(i, s.name()));
      }
      where.append(')');
    }
    if (q.agency() != null) {
      where.append(" AND agency_key = ?");
      String key = AgencyNames.normalize(q.agency());
      binds.add((ps, i) -> ps.setString(i, key));
    }
    if (q.needsAttention() != null) {
      where.append(
          q.needsAttention()
              ? " AND attention_reason IS NOT NULL"
              : " AND attention_reason IS NULL");
    }
    if (q.trackedFrom() != null) {
      where.append(" AND day_zero >= ?");
      binds.add((ps, i) -> d.setDate(ps, i, q.trackedFrom()));
    }
    if (q.trackedTo() != null) {
      where.append(" AND day_zero <= ?");
      binds.add((ps, i) -> d.setDate(ps, i, q.trackedTo()));
    }
    long total =
        query(
                "SELECT COUNT(*) FROM oc_reservation" + where,
                rs -> rs.getLong(1),
                ps -> bindAll(ps, binds, 1))
            .get(0);
    List<Reservation> items =
        query(
            "SELECT "
                + RES_COLS
                + " FROM oc_reservation"
                + where
                + " ORDER BY day_zero DESC, id LIMIT ? OFFSET ?",
            this::reservationRow,
            ps -> {
              int i = bindAll(ps, binds, 1);
              ps.setInt(i++, q.limit());
              ps.setInt(i, q.offset());
            });
    return new Page<>(items, total, q.offset());
  }

  @Override
  public Map<TrackingState, Long> countByState() {
    Map<TrackingState, Long> out = new EnumMap<>(TrackingState.class);
    query(
        "SELECT state, COUNT(*) FROM oc_reservation GROUP BY state",
        rs -> out.put(TrackingState.valueOf(rs.getString(1)), rs.getLong(2)),
        ps -> {});
    return out;
  }

  @Override
  public long countNeedingAttention() {
    return query(
            "SELECT COUNT(*) FROM oc_reservation WHERE attention_reason IS NOT NULL",
            rs -> rs.getLong(1),
            ps -> {})
        .get(0);
  }

  @Override
  public List<String> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
    Objects.requireNonNull(now, "now == null");
    Objects.requireNonNull(owner, "owner == null");
    Objects.requireNonNull(leaseUntil, "leaseUntil == null");
    if (limit <= 0) {
      return List.of();
    }
    record Claimed(String id, Instant at) {}
    List<Claimed> claimed;
    if (d == Dialect.POSTGRESQL) {
      // SKIP LOCKED: concurrent claimers pass over rows another claim is taking; the re-check of
      // the WHERE on
      // committed rows keeps claims disjoint.
      claimed =
          query(
              "UPDATE oc_reservation r SET claim_owner = ?, claim_until = ? FROM (SELECT id FROM oc_reservation"
                  + " WHERE next_action_at <= ? AND (claim_until IS NULL OR claim_until <= ?)"
                  + " ORDER BY next_action_at LIMIT ? FOR UPDATE SKIP LOCKED) due WHERE r.id = due.id"
                  + " RETURNING r.id, r.next_action_at",
              rs -> new Claimed(rs.getString(1), d.getInstant(rs, "next_action_at")),
              ps -> {
                ps.setString(1, owner);
                d.setInstant(ps, 2, leaseUntil);
                d.setInstant(ps, 3, now);
                d.setInstant(ps, 4, now);
                ps.setInt(5, limit);
              });
    } else {
      // SQLite: this transaction holds the database's write lock (BEGIN IMMEDIATE), so
      // select-then-update is safe.
      claimed =
          query(
              "SELECT id, next_action_at FROM oc_reservation WHERE next_action_at <= ?"
                  + " AND (claim_until IS NULL OR claim_until <= ?) ORDER BY next_action_at LIMIT ?",
              rs -> new Claimed(rs.getString(1), d.getInstant(rs, "next_action_at")),
              ps -> {
                d.setInstant(ps, 1, now);
                d.setInstant(ps, 2, now);
                ps.setInt(3, limit);
              });
      batch(
          "UPDATE oc_reservation SET claim_owner = ?, claim_until = ? WHERE id = ?",
          claimed,
          (ps, cl) -> {
            ps.setString(1, owner);
            d.setInstant(ps, 2, leaseUntil);
            ps.setString(3, cl.id());
          });
    }
    return claimed.stream()
        .sorted(Comparator.comparing(Claimed::at).thenComparing(Claimed::id))
        .map(Claimed::id)
        .toList();
  }

  @Override
  public void releaseClaim(String reservationId, String owner) {
    update(
        "UPDATE oc_reservation SET claim_owner = NULL, claim_until = NULL WHERE id = ? AND claim_owner = ?",
        ps -> {
          ps.setString(1, Objects.requireNonNull(reservationId, "reservationId == null"));
          ps.setString(2, Objects.requireNonNull(owner, "owner == null"));
        });
  }

  @Override
  public void releaseClaims(String owner) {
    Objects.requireNonNull(owner, "owner == null");
    update(
        "UPDATE oc_reservation SET claim_owner = NULL, claim_until = NULL WHERE claim_owner = ?",
        ps -> ps.setString(1, owner));
    update(
        "UPDATE oc_outbox SET claim_owner = NULL, claim_until = NULL WHERE claim_owner = ?",
        ps -> ps.setString(1, owner));
  }

  @Override
  public Optional<Instant> earliestNextAction() {
    // ORDER BY ... LIMIT 1 over the partial index: one index probe.
    return queryOne(
        "SELECT next_action_at FROM oc_reservation WHERE next_action_at IS NOT NULL ORDER BY next_action_at"
            + " LIMIT 1",
        rs -> d.getInstant(rs, "next_action_at"),
        ps -> {});
  }

  // ----------------------------------------------------------------------------------------
  // agencies

  @Override
  public Optional<Agency> agency(String name) {
    String key = AgencyNames.normalize(Objects.requireNonNull(name, "name == null"));
    if (key.isEmpty()) {
      return Optional.empty();
    }
    List<Agency> byName =
        query(
            "SELECT " + AGENCY_COLS + " FROM oc_agency WHERE agency_key = ?", this::agencyRow, key);
    if (!byName.isEmpty()) {
      return Optional.of(byName.get(0));
    }
    return queryOne(
        "SELECT "
            + AGENCY_COLS
            + " FROM oc_agency WHERE agency_key IN (SELECT agency_key FROM oc_agency_alias WHERE alias_key = ?)"
            + " ORDER BY agency_key LIMIT 1",
        this::agencyRow,
        key);
  }

  @Override
  public void putAgency(Agency a) {
    Objects.requireNonNull(a, "agency == null");
    String key = a.key();
    if (key.isEmpty()) {
      throw new IllegalArgumentException("agency name normalises to nothing: " + a.name());
    }
    update(
        "INSERT INTO oc_agency ("
            + AGENCY_COLS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (agency_key) DO UPDATE SET name = excluded.name,"
            + " aliases = excluded.aliases, email_domains = excluded.email_domains,"
            + " requires_oc = excluded.requires_oc, contacts = excluded.contacts, cc = excluded.cc,"
            + " schedule = excluded.schedule, locale = excluded.locale, active = excluded.active",
        ps -> {
          ps.setString(1, key);
          ps.setString(2, a.name());
          ps.setString(3, Codec.encodeList(a.aliases()));
          ps.setString(4, Codec.encodeList(a.emailDomains()));
          ps.setBoolean(5, a.requiresOc());
          ps.setString(6, Codec.encodeList(a.contacts()));
          ps.setString(7, Codec.encodeList(a.cc()));
          ps.setString(8, Codec.encodeSchedule(a.schedule()));
          ps.setString(9, a.locale().toLanguageTag());
          ps.setBoolean(10, a.active());
        });
    update("DELETE FROM oc_agency_alias WHERE agency_key = ?", ps -> ps.setString(1, key));
    Set<String> aliasKeys = new LinkedHashSet<>();
    for (String alias : a.aliases()) {
      String k = AgencyNames.normalize(alias);
      if (!k.isEmpty()) {
        aliasKeys.add(k);
      }
    }
    batch(
        "INSERT INTO oc_agency_alias (agency_key, alias_key) VALUES (?, ?)",
        List.copyOf(aliasKeys),
        (ps, k) -> {
          ps.setString(1, key);
          ps.setString(2, k);
        });
  }

  @Override
  public boolean removeAgency(String name) {
    String key = AgencyNames.normalize(Objects.requireNonNull(name, "name == null"));
    // Its aliases go with it (ON DELETE CASCADE; foreign keys are always on).
    return update("DELETE FROM oc_agency WHERE agency_key = ?", ps -> ps.setString(1, key)) > 0;
  }

  @Override
  public List<Agency> agencies() {
    List<Agency> all =
        query("SELECT " + AGENCY_COLS + " FROM oc_agency", this::agencyRow, ps -> {});
    // Sorted here so that the order is Java's on every database collation.
    return all.stream()
        .sorted(Comparator.comparing(Agency::name).thenComparing(Agency::key))
        .toList();
  }

  private Agency agencyRow(ResultSet rs) throws SQLException {
    return new Agency(
        rs.getString("name"),
        Codec.decodeList(rs.getString("aliases")),
        Codec.decodeList(rs.getString("email_domains")),
        rs.getBoolean("requires_oc"),
        Codec.decodeList(rs.getString("contacts")),
        Codec.decodeList(rs.getString("cc")),
        Codec.decodeSchedule(rs.getString("schedule")),
        Locale.forLanguageTag(rs.getString("locale")),
        rs.getBoolean("active"));
  }

  // ----------------------------------------------------------------------------------------
  // timeline

  @Override
  public void appendEvent(TimelineEvent e) {
    Objects.requireNonNull(e, "event == null");
    update(
        "INSERT INTO oc_timeline (reservation_id, at, kind, detail, actor) VALUES (?, ?, ?, ?, ?)",
        ps -> {
          ps.setString(1, e.reservationId());
          d.setInstant(ps, 2, e.at());
          ps.setString(3, e.kind().name());
          ps.setString(4, e.detail());
          ps.setString(5, e.actor());
        });
  }

  @Override
  public List<TimelineEvent> timeline(String reservationId) {
    return query(
        "SELECT reservation_id, at, kind, detail, actor FROM oc_timeline WHERE reservation_id = ? ORDER BY seq",
        rs ->
            new TimelineEvent(
                rs.getString("reservation_id"),
                d.getInstant(rs, "at"),
                EventKind.valueOf(rs.getString("kind")),
                rs.getString("detail"),
                rs.getString("actor")),
        Objects.requireNonNull(reservationId, "reservationId == null"));
  }

  // -----------------------------------------------------------------------------------------
  // inbound

  @Override
  public boolean insertInbound(InboundRecord r) {
    Objects.requireNonNull(r, "record == null");
    return update(
            "INSERT INTO oc_inbound ("
                + INBOUND_COLS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (inbound_key) DO NOTHING",
            ps -> bindInbound(ps, r))
        > 0;
  }

  @Override
  public Optional<InboundRecord> inbound(String key) {
    return queryOne(
        "SELECT " + INBOUND_COLS + " FROM oc_inbound WHERE inbound_key = ?",
        this::inboundRow,
        Objects.requireNonNull(key, "key == null"));
  }

  @Override
  public void updateInbound(InboundRecord r) {
    Objects.requireNonNull(r, "record == null");
    update(
        "UPDATE oc_inbound SET inbound_key = ?, message_id = ?, sender = ?, subject = ?, received_at = ?,"
            + " recorded_at = ?, outcome = ?, reason = ?, reservation_id = ?, document_ids = ?, attempts = ?,"
            + " next_attempt_at = ? WHERE inbound_key = ?",
        ps -> {
          bindInbound(ps, r);
          ps.setString(13, r.key());
        });
  }

  private void bindInbound(PreparedStatement ps, InboundRecord r) throws SQLException {
    ps.setString(1, r.key());
    ps.setString(2, r.messageId());
    ps.setString(3, r.from());
    ps.setString(4, r.subject());
    d.setInstant(ps, 5, r.receivedAt());
    d.setInstant(ps, 6, r.recordedAt());
    ps.setString(7, r.outcome().name());
    ps.setString(8, r.reason());
    ps.setString(9, r.reservationId());
    ps.setString(10, Codec.encodeList(r.documentIds()));
    ps.setInt(11, r.attempts());
    d.setInstant(ps, 12, r.nextAttemptAt());
  }

  @Override
  public List<InboundRecord> inboundByOutcome(InboundOutcome outcome, int limit) {
    Objects.requireNonNull(outcome, "outcome == null");
    if (limit <= 0) {
      return List.of();
    }
    return query(
        "SELECT "
            + INBOUND_COLS
            + " FROM oc_inbound WHERE outcome = ? ORDER BY recorded_at DESC, seq DESC LIMIT ?",
        this::inboundRow,
        ps -> {
          ps.setString(1, outcome.name());
          ps.setInt(2, limit);
        });
  }

  @Override
  public Optional<String> setting(String name) {
    Objects.requireNonNull(name, "name == null");
    return queryOne("SELECT value FROM oc_setting WHERE name = ?", rs -> rs.getString(1), name);
  }

  @Override
  public boolean insertSetting(String name, String value) {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(value, "value == null");
    return update(
            "INSERT INTO oc_setting (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
            ps -> {
              ps.setString(1, name);
              ps.setString(2, value);
            })
        == 1;
  }

  @Override
  public long countInbound(InboundOutcome outcome) {
    Objects.requireNonNull(outcome, "outcome == null");
    return queryOne(
            "SELECT COUNT(*) FROM oc_inbound WHERE outcome = ?",
            rs -> rs.getLong(1),
            ps -> ps.setString(1, outcome.name()))
        .orElse(0L);
  }

  private InboundRecord inboundRow(ResultSet rs) throws SQLException {
    return new InboundRecord(
        rs.getString("inbound_key"),
        rs.getString("message_id"),
        rs.getString("sender"),
        rs.getString("subject"),
        d.getInstant(rs, "received_at"),
        d.getInstant(rs, "recorded_at"),
        InboundOutcome.valueOf(rs.getString("outcome")),
        rs.getString("reason"),
        rs.getString("reservation_id"),
        Codec.decodeList(rs.getString("document_ids")),
        rs.getInt("attempts"),
        d.getInstant(rs, "next_attempt_at"));
  }

  @Override
  public List<InboundRecord> inboundLog(InboundOutcome outcome, Instant since, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    String where =
        (outcome == null ? "" : " AND outcome = ?")
            + (since == null ? "" : " AND recorded_at >= ?");
    return query(
        "SELECT "
            + INBOUND_COLS
            + " FROM oc_inbound WHERE 1 = 1"
            + where
            + " ORDER BY recorded_at DESC, seq DESC LIMIT ?",
        this::inboundRow,
        ps -> {
          int i = 1;
          if (outcome != null) {
            ps.setString(i++, outcome.name());
          }
          if (since != null) {
            d.setInstant(ps, i++, since);
          }
          ps.setInt(i, limit);
        });
  }

  @Override
  public List<InboundRecord> dueInbound(Instant now, int limit) {
    Objects.requireNonNull(now, "now == null");
    if (limit <= 0) {
      return List.of();
    }
    return query(
        "SELECT "
            + INBOUND_COLS
            + " FROM oc_inbound WHERE outcome = 'RETRYING' AND next_attempt_at <= ?"
            + " ORDER BY next_attempt_at, seq LIMIT ?",
        this::inboundRow,
        ps -> {
          d.setInstant(ps, 1, now);
          ps.setInt(2, limit);
        });
  }

  @Override
  public void putInboundContent(String key, byte[] content, Instant storedAt) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(content, "content == null");
    Objects.requireNonNull(storedAt, "storedAt == null");
    update(
        "INSERT INTO oc_inbound_content (inbound_key, content, stored_at) VALUES (?, ?, ?)"
            + " ON CONFLICT (inbound_key) DO UPDATE SET content = excluded.content,"
            + " stored_at = excluded.stored_at",
        ps -> {
          ps.setString(1, key);
          ps.setBytes(2, content);
          d.setInstant(ps, 3, storedAt);
        });
  }

  @Override
  public Optional<byte[]> inboundContent(String key) {
    return queryOne(
        "SELECT content FROM oc_inbound_content WHERE inbound_key = ?",
        rs -> rs.getBytes(1),
        Objects.requireNonNull(key, "key == null"));
  }

  @Override
  public int purgeInboundContent(Instant before) {
    Objects.requireNonNull(before, "before == null");
    return update(
        "DELETE FROM oc_inbound_content WHERE stored_at < ? AND inbound_key NOT IN"
            + " (SELECT inbound_key FROM oc_inbound WHERE outcome = 'RETRYING')",
        ps -> d.setInstant(ps, 1, before));
  }

  // ------------------------------------------------------------------------------------------
  // outbox

  @Override
  public boolean insertOutbox(OutboxMessage m) {
    Objects.requireNonNull(m, "message == null");
    return update(
            "INSERT INTO oc_outbox ("
                + OUTBOX_COLS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            ps -> bindOutbox(ps, m))
        > 0;
  }

  private void bindOutbox(PreparedStatement ps, OutboxMessage m) throws SQLException {
    ps.setString(1, m.id());
    ps.setString(2, m.reservationId());
    ps.setString(3, m.step().name());
    ps.setInt(4, m.generation());
    ps.setString(5, m.messageId());
    ps.setString(6, m.inReplyTo());
    ps.setString(7, Codec.encodeList(m.references()));
    ps.setString(8, Codec.encodeList(m.to()));
    ps.setString(9, Codec.encodeList(m.cc()));
    ps.setString(10, m.subject());
    ps.setString(11, m.textBody());
    ps.setString(12, m.htmlBody());
    ps.setString(13, Codec.encodeList(m.attachmentDocumentIds()));
    ps.setString(14, m.status().name());
    ps.setInt(15, m.attempts());
    d.setInstant(ps, 16, m.nextAttemptAt());
    ps.setString(17, m.lastError());
    d.setInstant(ps, 18, m.createdAt());
    d.setInstant(ps, 19, m.sentAt());
  }

  private OutboxMessage outboxRow(ResultSet rs) throws SQLException {
    return new OutboxMessage(
        rs.getString("id"),
        rs.getString("reservation_id"),
        Step.valueOf(rs.getString("step")),
        rs.getInt("generation"),
        rs.getString("message_id"),
        rs.getString("in_reply_to"),
        Codec.decodeList(rs.getString("refs")),
        Codec.decodeList(rs.getString("to_addrs")),
        Codec.decodeList(rs.getString("cc_addrs")),
        rs.getString("subject"),
        rs.getString("text_body"),
        rs.getString("html_body"),
        Codec.decodeList(rs.getString("attachment_ids")),
        OutboxStatus.valueOf(rs.getString("status")),
        rs.getInt("attempts"),
        d.getInstant(rs, "next_attempt_at"),
        rs.getString("last_error"),
        d.getInstant(rs, "created_at"),
        d.getInstant(rs, "sent_at"));
  }

  @Override
  public Optional<OutboxMessage> outbox(String id) {
    return queryOne(
        "SELECT " + OUTBOX_COLS + " FROM oc_outbox WHERE id = ?",
        this::outboxRow,
        Objects.requireNonNull(id, "id == null"));
  }

  @Override
  public Optional<OutboxMessage> outboxByMessageId(String messageId) {
    return queryOne(
        "SELECT " + OUTBOX_COLS + " FROM oc_outbox WHERE message_id = ? ORDER BY seq LIMIT 1",
        this::outboxRow,
        Objects.requireNonNull(messageId, "messageId == null"));
  }

  @Override
  public List<OutboxMessage> outboxFor(String reservationId) {
    return query(
        "SELECT " + OUTBOX_COLS + " FROM oc_outbox WHERE reservation_id = ? ORDER BY seq",
        this::outboxRow,
        Objects.requireNonNull(reservationId, "reservationId == null"));
  }

  @Override
  public void updateOutbox(OutboxMessage m) {
    Objects.requireNonNull(m, "message == null");
    update(
        "UPDATE oc_outbox SET id = ?, reservation_id = ?, step = ?, generation = ?, message_id = ?,"
            + " in_reply_to = ?, refs = ?, to_addrs = ?, cc_addrs = ?, subject = ?, text_body = ?, html_body = ?,"
            + " attachment_ids = ?, status = ?, attempts = ?, next_attempt_at = ?, last_error = ?,"
            + " created_at = ?, sent_at = ?, claim_owner = NULL, claim_until = NULL WHERE id = ?",
        ps -> {
          bindOutbox(ps, m);
          ps.setString(20, m.id());
        });
  }

  @Override
  public List<OutboxMessage> claimOutbox(Instant now, int limit, String owner, Instant leaseUntil) {
    Objects.requireNonNull(now, "now == null");
    Objects.requireNonNull(owner, "owner == null");
    Objects.requireNonNull(leaseUntil, "leaseUntil == null");
    if (limit <= 0) {
      return List.of();
    }
    // The literal 'PENDING' (a constant, not input) lets both databases use the partial index
    // oc_outbox_due.
    if (d == Dialect.POSTGRESQL) {
      return query(
          PG_CLAIM_OUTBOX,
          this::outboxRow,
          ps -> {
            ps.setString(1, owner);
            d.setInstant(ps, 2, leaseUntil);
            d.setInstant(ps, 3, now);
            d.setInstant(ps, 4, now);
            ps.setInt(5, limit);
          });
    }
    List<OutboxMessage> due =
        query(
            "SELECT "
                + OUTBOX_COLS
                + " FROM oc_outbox WHERE status = 'PENDING' AND next_attempt_at <= ? AND (claim_until IS NULL OR"
                + " claim_until <= ?) ORDER BY next_attempt_at LIMIT ?",
            this::outboxRow,
            ps -> {
              d.setInstant(ps, 1, now);
              d.setInstant(ps, 2, now);
              ps.setInt(3, limit);
            });
    batch(
        "UPDATE oc_outbox SET claim_owner = ?, claim_until = ?, attempts = attempts + 1 WHERE id = ?",
        due,
        (ps, m) -> {
          ps.setString(1, owner);
          d.setInstant(ps, 2, leaseUntil);
          ps.setString(3, m.id());
        });
    return due.stream()
        .map(
            m -> m.with(m.status(), m.attempts() + 1, m.nextAttemptAt(), m.lastError(), m.sentAt()))
        .toList();
  }

  @Override
  public int cancelPendingOutbox(String reservationId, String reason) {
    Objects.requireNonNull(reservationId, "reservationId == null");
    // The reason is kept as the row's last note (lastError): the record has no other place for it.
    return update(
        "UPDATE oc_outbox SET status = 'CANCELLED', last_error = ?, claim_owner = NULL, claim_until = NULL"
            + " WHERE reservation_id = ? AND status = 'PENDING'",
        ps -> {
          ps.setString(1, reason);
          ps.setString(2, reservationId);
        });
  }

  @Override
  public Map<OutboxStatus, Long> countOutboxByStatus() {
    Map<OutboxStatus, Long> out = new EnumMap<>(OutboxStatus.class);
    query(
        "SELECT status, COUNT(*) FROM oc_outbox GROUP BY status",
        rs -> out.put(OutboxStatus.valueOf(rs.getString(1)), rs.getLong(2)),
        ps -> {});
    return out;
  }

  @Override
  public Optional<Instant> earliestPendingOutbox() {
    return queryOne(
        "SELECT next_attempt_at FROM oc_outbox WHERE status = 'PENDING' AND next_attempt_at IS NOT NULL"
            + " ORDER BY next_attempt_at LIMIT 1",
        rs -> d.getInstant(rs, "next_attempt_at"),
        ps -> {});
  }

  // -----------------------------------------------------------------------------------------
  // cursors

  @Override
  public Optional<MailboxCursor> cursor(String mailbox) {
    return queryOne(
        "SELECT mailbox, uid_validity, uid, sync_state FROM oc_cursor WHERE mailbox = ?",
        rs -> new MailboxCursor(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4)),
        Objects.requireNonNull(mailbox, "mailbox == null"));
  }

  @Override
  public void putCursor(MailboxCursor cursor) {
    Objects.requireNonNull(cursor, "cursor == null");
    update(
        "INSERT INTO oc_cursor (mailbox, uid_validity, uid, sync_state) VALUES (?, ?, ?, ?) ON CONFLICT"
            + " (mailbox) DO UPDATE SET uid_validity = excluded.uid_validity, uid = excluded.uid,"
            + " sync_state = excluded.sync_state",
        ps -> {
          ps.setString(1, cursor.mailbox());
          ps.setLong(2, cursor.uidValidity());
          ps.setLong(3, cursor.uid());
          ps.setString(4, cursor.syncState());
        });
  }

  // ---------------------------------------------------------------------------------------
  // documents

  @Override
  public void putDocument(StoredDocument doc) {
    Objects.requireNonNull(doc, "document == null");
    update(
        "INSERT INTO oc_document ("
            + DOC_COLS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
            + " reservation_id = excluded.reservation_id, kind = excluded.kind,"
            + " original_name = excluded.original_name, safe_name = excluded.safe_name,"
            + " content_type = excluded.content_type, sha256 = excluded.sha256, size = excluded.size,"
            + " content = excluded.content, stored_at = excluded.stored_at",
        ps -> {
          ps.setString(1, doc.id());
          ps.setString(2, doc.reservationId());
          ps.setString(3, doc.kind().name());
          ps.setString(4, doc.originalName());
          ps.setString(5, doc.safeName());
          ps.setString(6, doc.contentType());
          ps.setString(7, doc.sha256());
          ps.setLong(8, doc.size());
          ps.setBytes(9, doc.content());
          d.setInstant(ps, 10, doc.storedAt());
        });
    documentListener.accept(doc);
  }

  @Override
  public Optional<StoredDocument> document(String id) {
    return queryOne(
        "SELECT " + DOC_COLS + " FROM oc_document WHERE id = ?",
        this::documentRow,
        Objects.requireNonNull(id, "id == null"));
  }

  @Override
  public List<StoredDocument> documentsFor(String reservationId) {
    return query(
        "SELECT " + DOC_COLS + " FROM oc_document WHERE reservation_id = ? ORDER BY seq",
        this::documentRow,
        Objects.requireNonNull(reservationId, "reservationId == null"));
  }

  private StoredDocument documentRow(ResultSet rs) throws SQLException {
    byte[] content = rs.getBytes("content");
    return new StoredDocument(
        rs.getString("id"),
        rs.getString("reservation_id"),
        DocumentKind.valueOf(rs.getString("kind")),
        rs.getString("original_name"),
        rs.getString("safe_name"),
        rs.getString("content_type"),
        rs.getString("sha256"),
        rs.getLong("size"),
        content == null ? new byte[0] : content,
        d.getInstant(rs, "stored_at"));
  }

  // -----------------------------------------------------------------------------------------
  // helpers

  @FunctionalInterface
  interface Binder {
    void bind(PreparedStatement ps, int index) throws SQLException;
  }

  @FunctionalInterface
  interface Params {
    void bind(PreparedStatement ps) throws SQLException;
  }

  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  @FunctionalInterface
  interface ItemBinder<T> {
    void bind(PreparedStatement ps, T item) throws SQLException;
  }

  private static int bindAll(PreparedStatement ps, List<Binder> binds, int start)
      throws SQLException {
    int i = start;
    for (Binder b : binds) {
      b.bind(ps, i++);
    }
    return i;
  }

  private <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, String... params) {
    return query(sql, mapper, params).stream().findFirst();
  }

  private <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Params params) {
    return query(sql, mapper, params).stream().findFirst();
  }

  private <T> List<T> query(String sql, RowMapper<T> mapper, String... params) {
    return query(
        sql,
        mapper,
        ps -> {
          for (int i = 0; i < params.length; i++) {
            ps.setString(i + 1, params[i]);
          }
        });
  }

  private <T> List<T> query(String sql, RowMapper<T> mapper, Params params) {
    checkOpen();
    try {
      PreparedStatement ps = prepared(sql);
      params.bind(ps);
      List<T> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw SqlErrors.translate("query failed", e);
    }
  }

  private int update(String sql, Params params) {
    checkOpen();
    try {
      PreparedStatement ps = prepared(sql);
      params.bind(ps);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw SqlErrors.translate("update failed", e);
    }
  }

  private <T> void batch(String sql, List<T> items, ItemBinder<T> binder) {
    checkOpen();
    if (items.isEmpty()) {
      return;
    }
    try {
      PreparedStatement ps = prepared(sql);
      for (T item : items) {
        binder.bind(ps, item);
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw SqlErrors.translate("batch update failed", e);
    }
  }

  private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.INTEGER);
    } else {
      ps.setInt(i, v);
    }
  }

  private static Integer getInt(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  private static String placeholders(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  /** The copy a read would return: instants at the databases' microsecond precision. */
  private static Reservation truncate(Reservation r) {
    PurchaseOrder po = r.purchaseOrder();
    if (po != null) {
      po =
          new PurchaseOrder(
              po.ocNumber(),
              po.documentId(),
              po.receivedFrom(),
              micros(po.receivedAt()),
              po.actor());
    }
    return new Reservation(
        r.details(),
        r.state(),
        r.dayZero(),
        micros(r.trackedAt()),
        r.lastStep(),
        micros(r.lastMessageAt()),
        micros(r.nextActionAt()),
        r.paused(),
        r.attention(),
        r.attentionReason(),
        r.confirmationDocumentId(),
        po,
        r.version(),
        micros(r.updatedAt()));
  }

  private static Instant micros(Instant i) {
    return i == null ? null : i.truncatedTo(ChronoUnit.MICROS);
  }
}
