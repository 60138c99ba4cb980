package com.kontroltravel.oc.model;

import java.time.LocalDate;
import java.util.Set;

/**
 * Filters and paging for listing reservations. Null filters match everything.
 *
 * @param states states to include, or null/empty for all
 * @param agency an agency name (matched after normalisation), or null
 * @param needsAttention true for only those needing attention, false for only those not, null for
 *     both
 * @param trackedFrom first day (inclusive) of day 0, or null
 * @param trackedTo last day (inclusive) of day 0, or null
 * @param offset rows to skip
 * @param limit rows to return at most (1 to 1000)
 */
public record ReservationQuery(
    Set<TrackingState> states,
    String agency,
    Boolean needsAttention,
    LocalDate trackedFrom,
    LocalDate trackedTo,
    int offset,
    int limit) {

  /** The default page size. */
  public static final int DEFAULT_LIMIT = 50;

  /** Checks paging. */
  public ReservationQuery {
    states = states == null ? Set.of() : Set.copyOf(states);
    if (offset < 0) {
      throw new IllegalArgumentException("offset < 0: " + offset);
    }
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be 1..1000: " + limit);
    }
  }

  /** Everything, first page. */
  public static ReservationQuery all() {
    return new ReservationQuery(Set.of(), null, null, null, null, 0, DEFAULT_LIMIT);
  }

  /** A copy filtered by states. */
  public ReservationQuery withStates(Set<TrackingState> s) {
    return new ReservationQuery(s, agency, needsAttention, trackedFrom, trackedTo, offset, limit);
  }

  /** A copy filtered by agency. */
  public ReservationQuery withAgency(String a) {
    return new ReservationQuery(states, a, needsAttention, trackedFrom, trackedTo, offset, limit);
  }

  /** A copy filtered by the attention flag. */
  public ReservationQuery withNeedsAttention(Boolean b) {
    return new ReservationQuery(states, agency, b, trackedFrom, trackedTo, offset, limit);
  }

  /** A copy filtered by day 0. */
  public ReservationQuery withDayZeroBetween(LocalDate from, LocalDate to) {
    return new ReservationQuery(states, agency, needsAttention, from, to, offset, limit);
  }

  /** A copy with other paging. */
  public ReservationQuery withPage(int newOffset, int newLimit) {
    return new ReservationQuery(
        states, agency, needsAttention, trackedFrom, trackedTo, newOffset, newLimit);
  }

  /**
   * True when {@code r} passes every filter (paging aside). Stores may use it or translate it to a
   * query.
   */
  public boolean matches(Reservation r) {
    if (!states.isEmpty() && !states.contains(r.state())) {
      return false;
    }
    if (agency != null
        && !AgencyNames.normalize(agency).equals(AgencyNames.normalize(r.details().agencyName()))) {
      return false;
    }
    if (needsAttention != null && needsAttention != r.needsAttention()) {
      return false;
    }
    if (trackedFrom != null && r.dayZero().isBefore(trackedFrom)) {
      return false;
    }
    return trackedTo == null || !r.dayZero().isAfter(trackedTo);
  }
}
