package com.kontroltravel.oc.store.memory;

import com.kontroltravel.oc.exception.StoreConflictException;
import com.kontroltravel.oc.exception.StoreException;
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
import com.kontroltravel.oc.spi.Store;
import com.kontroltravel.oc.spi.StoreTransaction;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Store} in memory, for tests, demos and hosts that keep state elsewhere. Thread safe:
 * units of work run one at a time under a lock, and a unit that throws is undone. Claiming due work
 * uses ordered indexes, so its cost grows with the number due. Nothing survives the JVM.
 */
public final class InMemoryStore implements Store {
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Reservation> reservations = new HashMap<>();
  private final Map<String, Claim> reservationClaims = new HashMap<>();
  private final TreeSet<Due> due = new TreeSet<>();
  private final Map<String, Set<String>> references = new HashMap<>();
  private final Map<String, Agency> agencies = new LinkedHashMap<>();
  private final Map<String, List<TimelineEvent>> timelines = new HashMap<>();
  private final Map<String, InboundRecord> inbound = new LinkedHashMap<>();
  private final Map<String, OutboxMessage> outbox = new LinkedHashMap<>();
  private final Map<String, String> outboxByMessageId = new HashMap<>();
  private final Map<String, Claim> outboxClaims = new HashMap<>();
  private final TreeSet<Due> pendingOutbox = new TreeSet<>();
  private final Map<String, MailboxCursor> cursors = new HashMap<>();
  private final Map<String, StoredDocument> documents = new LinkedHashMap<>();
  private final Map<String, String> settings = new HashMap<>();

  private InMemoryStore() {}

  /** An empty store. */
  public static InMemoryStore create() {
    return new InMemoryStore();
  }

  @Override
  public <T> T inTransaction(Work<T> work) {
    Objects.requireNonNull(work, "work == null");
    if (lock.isHeldByCurrentThread()) {
      throw new IllegalStateException("nested unit of work on the same store");
    }
    lock.lock();
    Tx tx = new Tx();
    try {
      T result = work.run(tx);
      tx.closed = true;
      return result;
    } catch (RuntimeException e) {
      tx.rollback();
      throw e;
    } catch (Exception e) {
      tx.rollback();
      throw new StoreException("unit of work failed: " + e.getMessage(), e);
    } catch (Error e) {
      tx.rollback();
      throw e;
    } finally {
      tx.closed = true;
      lock.unlock();
    }
  }

  private record Claim(String owner, Instant until) {
    boolean activeAt(Instant now) {
      return until.isAfter(now);
    }
  }

  private record Due(Instant at, String id) implements Comparable<Due> {
    private static final Comparator<Due> ORDER =
        Comparator.comparing(Due::at).thenComparing(Due::id);

    @Override
    public int compareTo(Due o) {
      return ORDER.compare(this, o);
    }
  }

  // ---- raw setters keeping indexes; used by transactions and by undo

  private void rawReservation(String id, Reservation value) {
    Reservation old = reservations.remove(id);
    if (old != null) {
      if (old.nextActionAt() != null) {
        due.remove(new Due(old.nextActionAt(), id));
      }
      for (String ref : refs(old)) {
        Set<String> ids = references.get(ref);
        if (ids != null) {
          ids.remove(id);
          if (ids.isEmpty()) {
            references.remove(ref);
          }
        }
      }
    }
    if (value != null) {
      reservations.put(id, value);
      if (value.nextActionAt() != null) {
        due.add(new Due(value.nextActionAt(), id));
      }
      for (String ref : refs(value)) {
        references.computeIfAbsent(ref, k -> new HashSet<>()).add(id);
      }
    }
  }

  private static List<String> refs(Reservation r) {
    List<String> out = new ArrayList<>(3);
    out.add(r.id().toLowerCase(Locale.ROOT));
    if (r.details().internalLocator() != null) {
      out.add(r.details().internalLocator().toLowerCase(Locale.ROOT));
    }
    if (r.details().locator() != null) {
      out.add(r.details().locator().toLowerCase(Locale.ROOT));
    }
    return out;
  }

  private void rawOutbox(String id, OutboxMessage value) {
    OutboxMessage old = outbox.remove(id);
    if (old != null) {
      outboxByMessageId.remove(old.messageId());
      if (old.status() == OutboxStatus.PENDING && old.nextAttemptAt() != null) {
        pendingOutbox.remove(new Due(old.nextAttemptAt(), id));
      }
    }
    if (value != null) {
      outbox.put(id, value);
      outboxByMessageId.put(value.messageId(), id);
      if (value.status() == OutboxStatus.PENDING && value.nextAttemptAt() != null) {
        pendingOutbox.add(new Due(value.nextAttemptAt(), id));
      }
    }
  }

  private static <K, V> void rawPut(Map<K, V> map, K key, V value) {
    if (value == null) {
      map.remove(key);
    } else {
      map.put(key, value);
    }
  }

  private final class Tx implements StoreTransaction {
    private final Deque<Runnable> undo = new ArrayDeque<>();
    private boolean closed;

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
      Reservation old = reservations.get(id);
      undo.push(() -> rawReservation(id, old));
      rawReservation(id, value);
    }

    private void setOutbox(String id, OutboxMessage value) {
      OutboxMessage old = outbox.get(id);
      undo.push(() -> rawOutbox(id, old));
      rawOutbox(id, value);
    }

    private <K, V> void set(Map<K, V> map, K key, V value) {
      V old = map.get(key);
      undo.push(() -> rawPut(map, key, old));
      rawPut(map, key, value);
    }

    @Override
    public Optional<Reservation> reservation(String reservationId) {
      check();
      return Optional.ofNullable(
          reservations.get(Objects.requireNonNull(reservationId, "reservationId")));
    }

    @Override
    public Reservation insertReservation(Reservation reservation) {
      check();
      if (reservations.containsKey(reservation.id())) {
        throw new StoreConflictException("reservation exists: " + reservation.id());
      }
      Reservation stored = reservation.toBuilder().version(1).build();
      setReservation(stored.id(), stored);
      return stored;
    }

    @Override
    public Reservation updateReservation(Reservation reservation) {
      check();
      Reservation current = reservations.get(reservation.id());
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
      if (reference == null || reference.isBlank()) {
        return List.of();
      }
      Set<String> ids =
          references.getOrDefault(reference.trim().toLowerCase(Locale.ROOT), Set.of());
      List<Reservation> out = new ArrayList<>();
      for (String id : ids) {
        Reservation r = reservations.get(id);
        // Only the LOC interno is case-insensitive; ids and localizadores must match exactly.
        if (r.id().equals(reference.trim())
            || reference.trim().equalsIgnoreCase(r.details().internalLocator())
            || reference.trim().equals(r.details().locator())) {
          out.add(r);
        }
      }
      out.sort(Comparator.comparing(Reservation::id));
      return out.size() > 10 ? out.subList(0, 10) : out;
    }

    @Override
    public Page<Reservation> list(ReservationQuery query) {
      check();
      List<Reservation> matching =
          reservations.values().stream()
              .filter(query::matches)
              .sorted(
                  Comparator.comparing(Reservation::dayZero)
                      .reversed()
                      .thenComparing(Reservation::id))
              .toList();
      int from = Math.min(query.offset(), matching.size());
      int to = Math.min(from + query.limit(), matching.size());
      return new Page<>(matching.subList(from, to), matching.size(), query.offset());
    }

    @Override
    public Map<TrackingState, Long> countByState() {
      check();
      Map<TrackingState, Long> out = new EnumMap<>(TrackingState.class);
      for (Reservation r : reservations.values()) {
        out.merge(r.state(), 1L, Long::sum);
      }
      return out;
    }

    @Override
    public long countNeedingAttention() {
      check();
      return reservations.values().stream().filter(Reservation::needsAttention).count();
    }

    @Override
    public List<String> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
      check();
      List<String> out = new ArrayList<>();
      for (Due d : due) {
        if (d.at().isAfter(now) || out.size() >= limit) {
          break;
        }
        Claim c = reservationClaims.get(d.id());
        if (c == null || !c.activeAt(now)) {
          set(reservationClaims, d.id(), new Claim(owner, leaseUntil));
          out.add(d.id());
        }
      }
      return out;
    }

    @Override
    public void releaseClaim(String reservationId, String owner) {
      check();
      Claim c = reservationClaims.get(reservationId);
      if (c != null && c.owner().equals(owner)) {
        set(reservationClaims, reservationId, null);
      }
    }

    @Override
    public void releaseClaims(String owner) {
      check();
      for (Map<String, Claim> claims : List.of(reservationClaims, outboxClaims)) {
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
      return due.isEmpty() ? Optional.empty() : Optional.of(due.first().at());
    }

    @Override
    public Optional<Agency> agency(String name) {
      check();
      String key = AgencyNames.normalize(name);
      if (key.isEmpty()) {
        return Optional.empty();
      }
      Agency direct = agencies.get(key);
      if (direct != null) {
        return Optional.of(direct);
      }
      return agencies.values().stream().filter(a -> a.matches(name)).findFirst();
    }

    @Override
    public void putAgency(Agency agency) {
      check();
      set(agencies, agency.key(), agency);
    }

    @Override
    public boolean removeAgency(String name) {
      check();
      String key = AgencyNames.normalize(name);
      if (!agencies.containsKey(key)) {
        return false;
      }
      set(agencies, key, null);
      return true;
    }

    @Override
    public List<Agency> agencies() {
      check();
      return agencies.values().stream().sorted(Comparator.comparing(Agency::name)).toList();
    }

    @Override
    public void appendEvent(TimelineEvent event) {
      check();
      List<TimelineEvent> list =
          timelines.computeIfAbsent(event.reservationId(), k -> new ArrayList<>());
      list.add(event);
      undo.push(() -> list.remove(list.size() - 1));
    }

    @Override
    public List<TimelineEvent> timeline(String reservationId) {
      check();
      return List.copyOf(timelines.getOrDefault(reservationId, List.of()));
    }

    @Override
    public boolean insertInbound(InboundRecord record) {
      check();
      if (inbound.containsKey(record.key())) {
        return false;
      }
      set(inbound, record.key(), record);
      return true;
    }

    @Override
    public Optional<InboundRecord> inbound(String key) {
      check();
      return Optional.ofNullable(inbound.get(key));
    }

    @Override
    public void updateInbound(InboundRecord record) {
      check();
      if (!inbound.containsKey(record.key())) {
        throw new StoreConflictException("no inbound record " + record.key());
      }
      set(inbound, record.key(), record);
    }

    @Override
    public List<InboundRecord> inboundByOutcome(InboundOutcome outcome, int limit) {
      check();
      List<InboundRecord> out = new ArrayList<>();
      for (InboundRecord r : inbound.values()) {
        if (r.outcome() == outcome) {
          out.add(r);
        }
      }
      out.sort(Comparator.comparing(InboundRecord::recordedAt).reversed());
      return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    @Override
    public long countInbound(InboundOutcome outcome) {
      check();
      return inbound.values().stream().filter(r -> r.outcome() == outcome).count();
    }

    @Override
    public boolean insertOutbox(OutboxMessage message) {
      check();
      if (outbox.containsKey(message.id())) {
        return false;
      }
      if (outboxByMessageId.containsKey(message.messageId())) {
        throw new StoreConflictException("Message-ID in use: " + message.messageId());
      }
      setOutbox(message.id(), message);
      return true;
    }

    @Override
    public Optional<OutboxMessage> outbox(String id) {
      check();
      return Optional.ofNullable(outbox.get(id));
    }

    @Override
    public Optional<OutboxMessage> outboxByMessageId(String messageId) {
      check();
      String id = outboxByMessageId.get(messageId);
      return id == null ? Optional.empty() : Optional.of(outbox.get(id));
    }

    @Override
    public List<OutboxMessage> outboxFor(String reservationId) {
      check();
      List<OutboxMessage> out = new ArrayList<>();
      for (OutboxMessage m : outbox.values()) {
        if (Objects.equals(m.reservationId(), reservationId)) {
          out.add(m);
        }
      }
      return out;
    }

    @Override
    public void updateOutbox(OutboxMessage message) {
      check();
      if (!outbox.containsKey(message.id())) {
        throw new StoreConflictException("no outbox row " + message.id());
      }
      setOutbox(message.id(), message);
      if (outboxClaims.containsKey(message.id())) {
        set(outboxClaims, message.id(), null);
      }
    }

    @Override
    public List<OutboxMessage> claimOutbox(
        Instant now, int limit, String owner, Instant leaseUntil) {
      check();
      List<OutboxMessage> out = new ArrayList<>();
      Iterator<Due> it = pendingOutbox.iterator();
      List<String> ids = new ArrayList<>();
      while (it.hasNext() && ids.size() < limit) {
        Due d = it.next();
        if (d.at().isAfter(now)) {
          break;
        }
        Claim c = outboxClaims.get(d.id());
        if (c == null || !c.activeAt(now)) {
          ids.add(d.id());
        }
      }
      for (String id : ids) {
        OutboxMessage m = outbox.get(id);
        OutboxMessage claimed =
            m.with(m.status(), m.attempts() + 1, m.nextAttemptAt(), m.lastError(), m.sentAt());
        setOutbox(id, claimed);
        set(outboxClaims, id, new Claim(owner, leaseUntil));
        out.add(claimed);
      }
      return out;
    }

    @Override
    public int cancelPendingOutbox(String reservationId, String reason) {
      check();
      int n = 0;
      for (OutboxMessage m : List.copyOf(outbox.values())) {
        if (Objects.equals(m.reservationId(), reservationId)
            && m.status() == OutboxStatus.PENDING) {
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
      for (OutboxMessage m : outbox.values()) {
        out.merge(m.status(), 1L, Long::sum);
      }
      return out;
    }

    @Override
    public Optional<Instant> earliestPendingOutbox() {
      check();
      return pendingOutbox.isEmpty() ? Optional.empty() : Optional.of(pendingOutbox.first().at());
    }

    @Override
    public Optional<MailboxCursor> cursor(String mailbox) {
      check();
      return Optional.ofNullable(cursors.get(mailbox));
    }

    @Override
    public void putCursor(MailboxCursor cursor) {
      check();
      set(cursors, cursor.mailbox(), cursor);
    }

    @Override
    public Optional<String> setting(String name) {
      check();
      return Optional.ofNullable(settings.get(Objects.requireNonNull(name, "name == null")));
    }

    @Override
    public boolean insertSetting(String name, String value) {
      check();
      Objects.requireNonNull(value, "value == null");
      if (settings.containsKey(Objects.requireNonNull(name, "name == null"))) {
        return false;
      }
      set(settings, name, value);
      return true;
    }

    @Override
    public void putDocument(StoredDocument document) {
      check();
      set(documents, document.id(), document);
    }

    @Override
    public Optional<StoredDocument> document(String id) {
      check();
      return Optional.ofNullable(documents.get(id));
    }

    @Override
    public List<StoredDocument> documentsFor(String reservationId) {
      check();
      List<StoredDocument> out = new ArrayList<>();
      for (StoredDocument d : documents.values()) {
        if (Objects.equals(d.reservationId(), reservationId)) {
          out.add(d);
        }
      }
      return out;
    }
  }
}
