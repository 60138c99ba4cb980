package com.kontroltravel.oc.store.memory;

import com.kontroltravel.oc.exception.StoreConflictException;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.AgencyNames;
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
import com.kontroltravel.oc.spi.StoreTransaction;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** One unit of work on an {@link InMemoryStore}: direct changes, each with its undo. */
final class MemoryTransaction implements StoreTransaction {
  private final MemoryState s;

  MemoryTransaction(MemoryState s) {
    this.s = s;
  }

  private final Deque<Runnable> undo = new ArrayDeque<>();
  boolean closed;

  private void check() {
    if (closed) {
      throw new IllegalStateException("transaction used after its unit of work ended");
    }
  }

  void rollback() {
    while (!undo.isEmpty()) {
      undo.pop().run();
    }
  }

  private void setReservation(String id, Reservation value) {
    Reservation old = s.reservations.get(id);
    undo.push(() -> s.rawReservation(id, old));
    s.rawReservation(id, value);
  }

  private void setOutbox(String id, OutboxMessage value) {
    OutboxMessage old = s.outbox.get(id);
    undo.push(() -> s.rawOutbox(id, old));
    s.rawOutbox(id, value);
  }

  private <K, V> void set(Map<K, V> map, K key, V value) {
    V old = map.get(key);
    undo.push(() -> MemoryState.rawPut(map, key, old));
    MemoryState.rawPut(map, key, value);
  }

  @Override
  public Optional<Reservation> reservation(String reservationId) {
    check();
    return Optional.ofNullable(
        s.reservations.get(Objects.requireNonNull(reservationId, "reservationId")));
  }

  @Override
  public Reservation insertReservation(Reservation reservation) {
    check();
    if (s.reservations.containsKey(reservation.id())) {
      throw new StoreConflictException("reservation exists: " + reservation.id());
    }
    Reservation stored = reservation.toBuilder().version(1).build();
    setReservation(stored.id(), stored);
    return stored;
  }

  @Override
  public Reservation updateReservation(Reservation reservation) {
    check();
    Reservation current = s.reservations.get(reservation.id());
    if (current == null) {
      throw new StoreConflictException("no reservation " + reservation.id());
    }
    if (current.version() != reservation.version()) {
      throw new StoreConflictException(
          "stale version of "
              + reservation.id()
              + ": "
              + reservation.version()
              + " != "
              + current.version());
    }
    Reservation stored = reservation.toBuilder().version(current.version() + 1).build();
    setReservation(stored.id(), stored);
    return stored;
  }

  @Override
  public List<Reservation> findByReference(String reference) {
    check();
    return s.findByReference(reference);
  }

  @Override
  public Page<Reservation> list(ReservationQuery query) {
    check();
    return s.list(query);
  }

  @Override
  public Map<TrackingState, Long> countByState() {
    check();
    Map<TrackingState, Long> out = new EnumMap<>(TrackingState.class);
    for (Reservation r : s.reservations.values()) {
      out.merge(r.state(), 1L, Long::sum);
    }
    return out;
  }

  @Override
  public long countNeedingAttention() {
    check();
    return s.reservations.values().stream().filter(Reservation::needsAttention).count();
  }

  @Override
  public List<String> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
    check();
    List<String> out = new ArrayList<>();
    for (MemoryState.Due d : s.due) {
      if (d.at().isAfter(now) || out.size() >= limit) {
        break;
      }
      MemoryState.Claim c = s.reservationClaims.get(d.id());
      if (c == null || !c.activeAt(now)) {
        set(s.reservationClaims, d.id(), new MemoryState.Claim(owner, leaseUntil));
        out.add(d.id());
      }
    }
    return out;
  }

  @Override
  public void releaseClaim(String reservationId, String owner) {
    check();
    MemoryState.Claim c = s.reservationClaims.get(reservationId);
    if (c != null && c.owner().equals(owner)) {
      set(s.reservationClaims, reservationId, null);
    }
  }

  @Override
  public void releaseClaims(String owner) {
    check();
    for (Map<String, MemoryState.Claim> claims : List.of(s.reservationClaims, s.outboxClaims)) {
      for (String id : List.copyOf(claims.keySet())) {
        if (claims.get(id).owner().equals(owner)) {
          set(claims, id, null);
        }
      }
    }
  }

  @Override
  public Optional<Instant> earliestNextAction() {
    check();
    return s.due.isEmpty() ? Optional.empty() : Optional.of(s.due.first().at());
  }

  @Override
  public Optional<Agency> agency(String name) {
    check();
    String key = AgencyNames.normalize(name);
    if (key.isEmpty()) {
      return Optional.empty();
    }
    Agency direct = s.agencies.get(key);
    if (direct != null) {
      return Optional.of(direct);
    }
    return s.agencies.values().stream().filter(a -> a.matches(name)).findFirst();
  }

  @Override
  public void putAgency(Agency agency) {
    check();
    set(s.agencies, agency.key(), agency);
  }

  @Override
  public boolean removeAgency(String name) {
    check();
    String key = AgencyNames.normalize(name);
    if (!s.agencies.containsKey(key)) {
      return false;
    }
    set(s.agencies, key, null);
    return true;
  }

  @Override
  public List<Agency> agencies() {
    check();
    return s.agencies.values().stream().sorted(Comparator.comparing(Agency::name)).toList();
  }

  @Override
  public void appendEvent(TimelineEvent event) {
    check();
    List<TimelineEvent> list =
        s.timelines.computeIfAbsent(event.reservationId(), k -> new ArrayList<>());
    list.add(event);
    undo.push(() -> list.remove(list.size() - 1));
  }

  @Override
  public List<TimelineEvent> timeline(String reservationId) {
    check();
    return List.copyOf(s.timelines.getOrDefault(reservationId, List.of()));
  }

  @Override
  public boolean insertInbound(InboundRecord record) {
    check();
    if (s.inbound.containsKey(record.key())) {
      return false;
    }
    set(s.inbound, record.key(), record);
    return true;
  }

  @Override
  public Optional<InboundRecord> inbound(String key) {
    check();
    return Optional.ofNullable(s.inbound.get(key));
  }

  @Override
  public void updateInbound(InboundRecord record) {
    check();
    if (!s.inbound.containsKey(record.key())) {
      throw new StoreConflictException("no inbound record " + record.key());
    }
    set(s.inbound, record.key(), record);
  }

  @Override
  public List<InboundRecord> inboundByOutcome(InboundOutcome outcome, int limit) {
    check();
    List<InboundRecord> out = new ArrayList<>();
    for (InboundRecord r : s.inbound.values()) {
      if (r.outcome() == outcome) {
        out.add(r);
      }
    }
    out.sort(Comparator.comparing(InboundRecord::recordedAt).reversed());
    return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
  }

  @Override
  public List<InboundRecord> inboundLog(InboundOutcome outcome, Instant since, int limit) {
    check();
    List<InboundRecord> out = new ArrayList<>();
    for (InboundRecord r : s.inbound.values()) {
      if ((outcome == null || r.outcome() == outcome)
          && (since == null || !r.recordedAt().isBefore(since))) {
        out.add(r);
      }
    }
    out.sort(Comparator.comparing(InboundRecord::recordedAt).reversed());
    return out.size() > limit ? List.copyOf(out.subList(0, Math.max(0, limit))) : out;
  }

  @Override
  public List<InboundRecord> dueInbound(Instant now, int limit) {
    check();
    List<InboundRecord> out = new ArrayList<>();
    for (InboundRecord r : s.inbound.values()) {
      if (r.outcome() == InboundOutcome.RETRYING
          && r.nextAttemptAt() != null
          && !r.nextAttemptAt().isAfter(now)) {
        out.add(r);
      }
    }
    out.sort(Comparator.comparing(InboundRecord::nextAttemptAt));
    return out.size() > limit ? List.copyOf(out.subList(0, Math.max(0, limit))) : out;
  }

  @Override
  public void putInboundContent(String key, byte[] content, Instant storedAt) {
    check();
    Objects.requireNonNull(key, "key == null");
    set(
        s.inboundContents,
        key,
        new MemoryState.KeptContent(
            Objects.requireNonNull(content, "content == null").clone(),
            Objects.requireNonNull(storedAt, "storedAt == null")));
  }

  @Override
  public Optional<byte[]> inboundContent(String key) {
    check();
    MemoryState.KeptContent k = s.inboundContents.get(key);
    return k == null ? Optional.empty() : Optional.of(k.content().clone());
  }

  @Override
  public int purgeInboundContent(Instant before) {
    check();
    List<String> drop = new ArrayList<>();
    for (Map.Entry<String, MemoryState.KeptContent> e : s.inboundContents.entrySet()) {
      InboundRecord r = s.inbound.get(e.getKey());
      if (e.getValue().storedAt().isBefore(before)
          && (r == null || r.outcome() != InboundOutcome.RETRYING)) {
        drop.add(e.getKey());
      }
    }
    for (String key : drop) {
      set(s.inboundContents, key, null);
    }
    return drop.size();
  }

  @Override
  public long countInbound(InboundOutcome outcome) {
    check();
    return s.inbound.values().stream().filter(r -> r.outcome() == outcome).count();
  }

  @Override
  public boolean insertOutbox(OutboxMessage message) {
    check();
    if (s.outbox.containsKey(message.id())) {
      return false;
    }
    if (s.outboxByMessageId.containsKey(message.messageId())) {
      throw new StoreConflictException("Message-ID in use: " + message.messageId());
    }
    setOutbox(message.id(), message);
    return true;
  }

  @Override
  public Optional<OutboxMessage> outbox(String id) {
    check();
    return Optional.ofNullable(s.outbox.get(id));
  }

  @Override
  public Optional<OutboxMessage> outboxByMessageId(String messageId) {
    check();
    String id = s.outboxByMessageId.get(messageId);
    return id == null ? Optional.empty() : Optional.of(s.outbox.get(id));
  }

  @Override
  public List<OutboxMessage> outboxFor(String reservationId) {
    check();
    List<OutboxMessage> out = new ArrayList<>();
    for (OutboxMessage m : s.outbox.values()) {
      if (Objects.equals(m.reservationId(), reservationId)) {
        out.add(m);
      }
    }
    return out;
  }

  @Override
  public void updateOutbox(OutboxMessage message) {
    check();
    if (!s.outbox.containsKey(message.id())) {
      throw new StoreConflictException("no outbox row " + message.id());
    }
    setOutbox(message.id(), message);
    if (s.outboxClaims.containsKey(message.id())) {
      set(s.outboxClaims, message.id(), null);
    }
  }

  @Override
  public List<OutboxMessage> claimOutbox(Instant now, int limit, String owner, Instant leaseUntil) {
    check();
    List<OutboxMessage> out = new ArrayList<>();
    Iterator<MemoryState.Due> it = s.pendingOutbox.iterator();
    List<String> ids = new ArrayList<>();
    while (it.hasNext() && ids.size() < limit) {
      MemoryState.Due d = it.next();
      if (d.at().isAfter(now)) {
        break;
      }
      MemoryState.Claim c = s.outboxClaims.get(d.id());
      if (c == null || !c.activeAt(now)) {
        ids.add(d.id());
      }
    }
    for (String id : ids) {
      OutboxMessage m = s.outbox.get(id);
      OutboxMessage claimed =
          m.with(m.status(), m.attempts() + 1, m.nextAttemptAt(), m.lastError(), m.sentAt());
      setOutbox(id, claimed);
      set(s.outboxClaims, id, new MemoryState.Claim(owner, leaseUntil));
      out.add(claimed);
    }
    return out;
  }

  @Override
  public int cancelPendingOutbox(String reservationId, String reason) {
    check();
    int n = 0;
    for (OutboxMessage m : List.copyOf(s.outbox.values())) {
      if (Objects.equals(m.reservationId(), reservationId) && m.status() == OutboxStatus.PENDING) {
        setOutbox(m.id(), m.with(OutboxStatus.CANCELLED, m.attempts(), null, reason, null));
        n++;
      }
    }
    return n;
  }

  @Override
  public Map<OutboxStatus, Long> countOutboxByStatus() {
    check();
    Map<OutboxStatus, Long> out = new EnumMap<>(OutboxStatus.class);
    for (OutboxMessage m : s.outbox.values()) {
      out.merge(m.status(), 1L, Long::sum);
    }
    return out;
  }

  @Override
  public Optional<Instant> earliestPendingOutbox() {
    check();
    return s.pendingOutbox.isEmpty() ? Optional.empty() : Optional.of(s.pendingOutbox.first().at());
  }

  @Override
  public Optional<MailboxCursor> cursor(String mailbox) {
    check();
    return Optional.ofNullable(s.cursors.get(mailbox));
  }

  @Override
  public void putCursor(MailboxCursor cursor) {
    check();
    set(s.cursors, cursor.mailbox(), cursor);
  }

  @Override
  public Optional<String> setting(String name) {
    check();
    return Optional.ofNullable(s.settings.get(Objects.requireNonNull(name, "name == null")));
  }

  @Override
  public boolean insertSetting(String name, String value) {
    check();
    Objects.requireNonNull(value, "value == null");
    if (s.settings.containsKey(Objects.requireNonNull(name, "name == null"))) {
      return false;
    }
    set(s.settings, name, value);
    return true;
  }

  @Override
  public void putDocument(StoredDocument document) {
    check();
    set(s.documents, document.id(), document);
  }

  @Override
  public Optional<StoredDocument> document(String id) {
    check();
    return Optional.ofNullable(s.documents.get(id));
  }

  @Override
  public List<StoredDocument> documentsFor(String reservationId) {
    check();
    List<StoredDocument> out = new ArrayList<>();
    for (StoredDocument d : s.documents.values()) {
      if (Objects.equals(d.reservationId(), reservationId)) {
        out.add(d);
      }
    }
    return out;
  }
}
