package com.kontroltravel.oc.store.memory;

import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.MailboxCursor;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.OutboxStatus;
import com.kontroltravel.oc.model.Page;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationQuery;
import com.kontroltravel.oc.model.StoredDocument;
import com.kontroltravel.oc.model.TimelineEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The maps of an {@link InMemoryStore} and their indexes; changed only under its lock. */
final class MemoryState {

  final Map<String, Reservation> reservations = new HashMap<>();
  final Map<String, Claim> reservationClaims = new HashMap<>();
  final TreeSet<Due> due = new TreeSet<>();
  final Map<String, Set<String>> references = new HashMap<>();
  final Map<String, Agency> agencies = new LinkedHashMap<>();
  final Map<String, List<TimelineEvent>> timelines = new HashMap<>();
  final Map<String, InboundRecord> inbound = new LinkedHashMap<>();
  final Map<String, OutboxMessage> outbox = new LinkedHashMap<>();
  final Map<String, String> outboxByMessageId = new HashMap<>();
  final Map<String, Claim> outboxClaims = new HashMap<>();
  final TreeSet<Due> pendingOutbox = new TreeSet<>();
  final Map<String, MailboxCursor> cursors = new HashMap<>();
  final Map<String, StoredDocument> documents = new LinkedHashMap<>();
  final Map<String, String> settings = new HashMap<>();
  final Map<String, KeptContent> inboundContents = new HashMap<>();

  record KeptContent(byte[] content, Instant storedAt) {}

  record Claim(String owner, Instant until) {
    boolean activeAt(Instant now) {
      return until.isAfter(now);
    }
  }

  record Due(Instant at, String id) implements Comparable<Due> {
    private static final Comparator<Due> ORDER =
        Comparator.comparing(Due::at).thenComparing(Due::id);

    @Override
    public int compareTo(Due o) {
      return ORDER.compare(this, o);
    }
  }

  // ---- raw setters keeping indexes; used by transactions and by undo

  void rawReservation(String id, Reservation value) {
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

  static List<String> refs(Reservation r) {
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

  void rawOutbox(String id, OutboxMessage value) {
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

  static <K, V> void rawPut(Map<K, V> map, K key, V value) {
    if (value == null) {
      map.remove(key);
    } else {
      map.put(key, value);
    }
  }

  /** Up to 10 bookings whose id, LOC interno (any case) or localizador is {@code reference}. */
  List<Reservation> findByReference(String reference) {
    if (reference == null || reference.isBlank()) {
      return List.of();
    }
    Set<String> ids = references.getOrDefault(reference.trim().toLowerCase(Locale.ROOT), Set.of());
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

  /** A page of bookings matching the query, newest day 0 first. */
  Page<Reservation> list(ReservationQuery query) {
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
}
