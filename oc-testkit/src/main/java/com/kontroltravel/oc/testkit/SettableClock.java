package com.kontroltravel.oc.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until told to move. Thread safe. Use it to run a week of the
 * engine in milliseconds.
 */
public final class SettableClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private SettableClock(Instant start, ZoneId zone) {
    this.now = new AtomicReference<>(Objects.requireNonNull(start, "start == null"));
    this.zone = Objects.requireNonNull(zone, "zone == null");
  }

  /** A clock standing at {@code start}, in UTC. */
  public static SettableClock at(Instant start) {
    return new SettableClock(start, ZoneOffset.UTC);
  }

  /** A clock standing at {@code start}, in {@code zone}. */
  public static SettableClock at(Instant start, ZoneId zone) {
    return new SettableClock(start, zone);
  }

  /** Moves the clock to {@code instant} (which may be in the past). */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant == null"));
  }

  /** Moves the clock forward by {@code amount}. */
  public Instant advance(Duration amount) {
    return now.updateAndGet(i -> i.plus(amount));
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId newZone) {
    SettableClock shared = this;
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return newZone;
      }

      @Override
      public Clock withZone(ZoneId z) {
        return shared.withZone(z);
      }

      @Override
      public Instant instant() {
        return shared.instant();
      }
    };
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public String toString() {
    return "SettableClock[" + now.get() + "]";
  }
}
