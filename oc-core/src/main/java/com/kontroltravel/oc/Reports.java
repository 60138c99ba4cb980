package com.kontroltravel.oc;

import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.OutboxStatus;
import com.kontroltravel.oc.model.Page;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationQuery;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.TrackingState;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The read-only reports of dashboards, computed from the store's existing queries: how long each
 * booking has been chased, the critical ones, a per-agency summary and a daily series.
 */
final class Reports {
  /** States in which the engine is chasing: a request or reminder went out, no OC yet. */
  static final Set<TrackingState> CHASING =
      EnumSet.of(
          TrackingState.REQUESTED,
          TrackingState.REMINDER_1,
          TrackingState.REMINDER_2,
          TrackingState.REMINDER_3);

  /** Bookings read per unit of work while scanning them all. */
  static final int SCAN_PAGE = 1000;

  /** Most critical candidates looked at (the longest chased come first). */
  static final int MAX_CRITICAL = 1000;

  /** Longest daily series. */
  static final int MAX_SERIES_DAYS = 366;

  private final Transactions transactions;
  private final BusinessCalendar calendar;

  Reports(Transactions transactions, BusinessCalendar calendar) {
    this.transactions = transactions;
    this.calendar = calendar;
  }

  /** The chase of each of {@code rows} whose request went out, by booking id. */
  Map<String, Chase> chases(Collection<Reservation> rows) {
    return transactions.call(
        u -> {
          LocalDate today = calendar.dateOf(u.now);
          Map<String, Chase> out = new LinkedHashMap<>();
          for (Reservation r : rows) {
            requestedAt(u, r).ifPresent(at -> out.put(r.id(), chase(r, at, today)));
          }
          return out;
        });
  }

  /**
   * Bookings being chased for {@code businessDays} business days or more since their request, the
   * longest first. Candidates come from a day-0 query (a request never goes out before day 0), then
   * each one's request time decides.
   */
  List<Chase> critical(int businessDays) {
    if (businessDays < 0) {
      throw new IllegalArgumentException("businessDays < 0: " + businessDays);
    }
    return transactions.call(
        u -> {
          LocalDate today = calendar.dateOf(u.now);
          LocalDate cutoff = minusBusinessDays(today, businessDays);
          Page<Reservation> candidates =
              u.tx.list(
                  ReservationQuery.all()
                      .withStates(CHASING)
                      .withDayZeroBetween(null, cutoff)
                      .withPage(0, MAX_CRITICAL));
          List<Chase> out = new ArrayList<>();
          for (Reservation r : candidates.items()) {
            Optional<Instant> at = requestedAt(u, r);
            if (at.isPresent()) {
              Chase c = chase(r, at.get(), today);
              if (c.businessDays() >= businessDays) {
                out.add(c);
              }
            }
          }
          out.sort(
              Comparator.comparing(Chase::requestedAt).thenComparing(c -> c.reservation().id()));
          return out;
        });
  }

  /**
   * Bookings per agency: each configured agency (by its name, aliases included) and each unknown
   * agency name found on bookings, by name.
   */
  List<AgencySummary> agencies() {
    Map<String, long[]> counts = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    Map<String, Boolean> configured = new HashMap<>();
    Map<String, String> names = new HashMap<>();
    for (Agency a : transactions.call(u -> u.tx.agencies())) {
      counts.put(a.name(), new long[4]);
      configured.put(a.name(), true);
    }
    scan(
        (u, r) -> {
          String raw = r.details().agencyName() == null ? "" : r.details().agencyName().trim();
          String name = names.computeIfAbsent(raw, n -> u.agency(n).map(Agency::name).orElse(n));
          configured.putIfAbsent(name, false);
          long[] c = counts.computeIfAbsent(name, n -> new long[4]);
          c[0]++;
          if (r.state() == TrackingState.RECEIVED) {
            c[1]++;
          }
          if (CHASING.contains(r.state())) {
            c[2]++;
          }
          if (r.needsAttention()) {
            c[3]++;
          }
        });
    List<AgencySummary> out = new ArrayList<>();
    counts.forEach(
        (name, c) ->
            out.add(
                new AgencySummary(
                    name, configured.getOrDefault(name, false), c[0], c[1], c[2], c[3])));
    return out;
  }

  /** The last {@code days} days up to today, oldest first: tracked, requested, received. */
  List<DailyCount> daily(int days) {
    if (days < 1 || days > MAX_SERIES_DAYS) {
      throw new IllegalArgumentException("days must be 1.." + MAX_SERIES_DAYS + ": " + days);
    }
    LocalDate today = transactions.call(u -> calendar.dateOf(u.now));
    LocalDate first = today.minusDays(days - 1L);
    Instant from = first.atStartOfDay(calendar.zone()).toInstant();
    Map<LocalDate, long[]> byDay = new TreeMap<>();
    for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
      byDay.put(d, new long[3]);
    }
    scan(
        (u, r) -> {
          count(byDay, r.trackedAt(), 0);
          if (r.purchaseOrder() != null) {
            count(byDay, r.purchaseOrder().receivedAt(), 2);
          }
          // The request is the first message: nothing of it in the window when the last message
          // came before.
          if (r.lastMessageAt() != null && !r.lastMessageAt().isBefore(from)) {
            sentRequest(u, r).ifPresent(at -> count(byDay, at, 1));
          }
        });
    List<DailyCount> out = new ArrayList<>();
    byDay.forEach((d, c) -> out.add(new DailyCount(d, c[0], c[1], c[2])));
    return out;
  }

  private void count(Map<LocalDate, long[]> byDay, Instant at, int column) {
    if (at != null) {
      long[] c = byDay.get(calendar.dateOf(at));
      if (c != null) {
        c[column]++;
      }
    }
  }

  /** A booking and the unit of work it was read in. */
  private interface Visitor {
    void visit(UnitOfWork u, Reservation r);
  }

  /** Every booking, a page per unit of work. */
  private void scan(Visitor visitor) {
    int offset = 0;
    // Bounded by the count read on the first page, plus one page of late arrivals.
    long pages = 1;
    for (long i = 0; i < pages; i++) {
      int at = offset;
      Page<Reservation> p =
          transactions.call(
              u -> {
                Page<Reservation> page = u.tx.list(ReservationQuery.all().withPage(at, SCAN_PAGE));
                page.items().forEach(r -> visitor.visit(u, r));
                return page;
              });
      if (i == 0) {
        pages = p.total() / SCAN_PAGE + 2;
      }
      if (p.items().isEmpty()) {
        return;
      }
      offset += p.items().size();
    }
  }

  /** When the booking's first request was sent (only sent ones). */
  private static Optional<Instant> sentRequest(UnitOfWork u, Reservation r) {
    return r.lastStep() == null ? Optional.empty() : firstRequest(u, r, true);
  }

  /**
   * When the chase of a booking began: its first request sent, else queued; for a booking being
   * chased with no request on record (imported from another system), the start of day 0.
   */
  private Optional<Instant> requestedAt(UnitOfWork u, Reservation r) {
    Optional<Instant> at = firstRequest(u, r, false);
    if (at.isPresent()) {
      return at;
    }
    if (CHASING.contains(r.state())) {
      return Optional.of(r.dayZero().atStartOfDay(calendar.zone()).toInstant());
    }
    return Optional.empty();
  }

  private static Optional<Instant> firstRequest(UnitOfWork u, Reservation r, boolean sentOnly) {
    Instant sent = null;
    Instant queued = null;
    for (OutboxMessage m : u.tx.outboxFor(r.id())) {
      if (m.step() != Step.REQUEST) {
        continue;
      }
      if (m.status() == OutboxStatus.SENT && m.sentAt() != null) {
        sent = sent == null || m.sentAt().isBefore(sent) ? m.sentAt() : sent;
      } else if (m.status() == OutboxStatus.PENDING && m.createdAt() != null) {
        queued = queued == null || m.createdAt().isBefore(queued) ? m.createdAt() : queued;
      }
    }
    if (sent != null) {
      return Optional.of(sent);
    }
    return sentOnly ? Optional.empty() : Optional.ofNullable(queued);
  }

  private Chase chase(Reservation r, Instant requestedAt, LocalDate today) {
    LocalDate from = calendar.dateOf(requestedAt);
    long days = Math.max(0, ChronoUnit.DAYS.between(from, today));
    return new Chase(r, requestedAt, days, businessDaysBetween(from, today));
  }

  /** Business days after {@code from} up to and including {@code to}. */
  long businessDaysBetween(LocalDate from, LocalDate to) {
    long n = 0;
    // Bounded: a chase longer than ten years is counted as ten years.
    LocalDate d = from.plusDays(1);
    for (int i = 0; i < 3660 && !d.isAfter(to); i++, d = d.plusDays(1)) {
      if (calendar.isBusinessDay(d)) {
        n++;
      }
    }
    return n;
  }

  /** The latest date with at least {@code n} business days after it up to {@code today}. */
  LocalDate minusBusinessDays(LocalDate today, int n) {
    LocalDate d = today;
    int counted = 0;
    for (int i = 0; i < 3660 && counted < n; i++) {
      if (calendar.isBusinessDay(d)) {
        counted++;
      }
      d = d.minusDays(1);
    }
    return d;
  }
}
