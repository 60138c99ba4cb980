package com.kontroltravel.oc;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Which messages the first read of a mailbox processes (when the store has no cursor for it yet):
 * all of them, none that are already there, or those from a date or the last days on. Messages
 * before the cut-off are skipped (not tracked) and counted in one summary line and one setting of
 * the store. Later reads go on from the cursor whatever this says.
 */
public final class FirstStart {
  /**
   * The library's default: every message (as before first-start policies existed). Deployments
   * pointed at a mailbox with history should choose {@link #RECOMMENDED}; the runner does.
   */
  public static final FirstStart DEFAULT = new FirstStart("all", null, 0);

  /** The last 30 days: the window in which a booking can still be chased. */
  public static final FirstStart RECOMMENDED = new FirstStart("days", null, 30);

  private final String kind;
  private final Instant since;
  private final int days;

  private FirstStart(String kind, Instant since, int days) {
    this.kind = kind;
    this.since = since;
    this.days = days;
  }

  /** Every message in the mailbox. */
  public static FirstStart all() {
    return DEFAULT;
  }

  /** Only messages that arrive after the first start. */
  public static FirstStart now() {
    return new FirstStart("now", null, 0);
  }

  /** Messages received at or after {@code since}. */
  public static FirstStart since(Instant since) {
    return new FirstStart("since", Objects.requireNonNull(since, "since == null"), 0);
  }

  /** Messages of the last {@code days} days. */
  public static FirstStart lastDays(int days) {
    if (days < 1) {
      throw new IllegalArgumentException("days must be at least 1: " + days);
    }
    return new FirstStart("days", null, days);
  }

  /**
   * Parses {@code all}, {@code now}, an ISO date ({@code 2026-11-01}, the start of that day in
   * {@code zone}) or a number of days ({@code 30}).
   *
   * @throws IllegalArgumentException for anything else
   */
  public static FirstStart parse(String text, ZoneId zone) {
    String t = Objects.requireNonNull(text, "text == null").trim().toLowerCase(Locale.ROOT);
    if (t.equals("all")) {
      return all();
    }
    if (t.equals("now")) {
      return now();
    }
    if (t.matches("\\d{1,5}")) {
      return lastDays(Integer.parseInt(t));
    }
    try {
      return since(LocalDate.parse(t).atStartOfDay(zone).toInstant());
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          "expected all, now, a date (YYYY-MM-DD) or a number of days: " + text, e);
    }
  }

  /** The cut-off at {@code now}: messages before it are skipped; empty means read everything. */
  public Optional<Instant> cutoff(Instant now) {
    return switch (kind) {
      case "all" -> Optional.empty();
      case "now" -> Optional.of(now);
      case "since" -> Optional.of(since);
      default -> Optional.of(now.minus(Duration.ofDays(days)));
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FirstStart f
        && kind.equals(f.kind)
        && Objects.equals(since, f.since)
        && days == f.days;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, since, days);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case "all" -> "all";
      case "now" -> "now";
      case "since" -> "since " + since;
      default -> "last " + days + " days";
    };
  }
}
