package com.kontroltravel.oc.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits in tests for something that happens on another thread or in another process: polls a
 * condition with a short, bounded back-off until it holds or the time runs out, then fails with an
 * {@link AssertionError} that names what was awaited and the last value seen.
 *
 * <p>Every timeout is multiplied by a factor for slow machines, read on each call from the system
 * property {@value #FACTOR_PROPERTY} or, when that is not set, the environment variable {@value
 * #FACTOR_ENV} (default 1; any finite number above 0, e.g. {@code -Doc.test.timeoutFactor=3}).
 *
 * <pre>{@code
 * Await.await("the request sent", () -> gateway.sent().size() == 1, Duration.ofSeconds(10));
 * HttpResponse<String> r =
 *     Await.await("booking tracked", () -> http.get("/api/reservations/1"),
 *         x -> x.statusCode() == 200, Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>The condition is always evaluated at least once, and once more when the time has run out. An
 * exception thrown by the condition is not caught: it ends the wait at once (a condition that may
 * fail for a while must catch its own exceptions). An interrupt ends the wait with an {@link
 * AssertionError} and leaves the thread's interrupt flag set.
 */
public final class Await {
  /** The system property holding the timeout factor. */
  public static final String FACTOR_PROPERTY = "oc.test.timeoutFactor";

  /** The environment variable holding the timeout factor when the system property is not set. */
  public static final String FACTOR_ENV = "OC_TEST_TIMEOUT_FACTOR";

  /** The first pause between two polls. */
  static final Duration FIRST_PAUSE = Duration.ofMillis(5);

  /** The longest pause between two polls. */
  static final Duration MAX_PAUSE = Duration.ofMillis(100);

  private static final int MAX_SHOWN = 2_000;

  private Await() {}

  /**
   * Waits until {@code condition} holds.
   *
   * @param what what is awaited, for the failure message (e.g. "the six requests sent")
   * @param condition polled until it returns true
   * @param timeout how long to wait at most, before the {@linkplain #timeoutFactor() factor}
   * @throws AssertionError when the time ran out (or the thread was interrupted)
   */
  public static void await(String what, BooleanSupplier condition, Duration timeout) {
    Objects.requireNonNull(condition, "condition");
    await(what, condition::getAsBoolean, Boolean::booleanValue, timeout);
  }

  /**
   * Polls {@code value} until {@code until} holds for what it returns, and returns that value.
   *
   * @param what what is awaited, for the failure message
   * @param value polled; may return null (the predicate then sees null)
   * @param until the test the value must pass
   * @param timeout how long to wait at most, before the {@linkplain #timeoutFactor() factor}
   * @return the first value that passed {@code until}
   * @throws AssertionError naming {@code what} and the last value seen when the time ran out (or
   *     the thread was interrupted)
   */
  public static <T> T await(
      String what, Supplier<? extends T> value, Predicate<? super T> until, Duration timeout) {
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(until, "until");
    Duration scaled = scaled(timeout);
    long start = System.nanoTime();
    long deadline = start + scaled.toNanos();
    long pause = FIRST_PAUSE.toNanos();
    int polls = 0;
    while (true) {
      T seen = value.get();
      polls++;
      if (until.test(seen)) {
        return seen;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "timed out after "
                + Duration.ofNanos(System.nanoTime() - start).toMillis()
                + " ms ("
                + describe(timeout, scaled)
                + ", "
                + polls
                + " polls) awaiting "
                + what
                + "; last value: "
                + shown(seen));
      }
      try {
        Thread.sleep(Math.max(1, Math.min(pause, left) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(
            "interrupted awaiting " + what + "; last value: " + shown(seen), e);
      }
      pause = Math.min(pause * 2, MAX_PAUSE.toNanos());
    }
  }

  /**
   * {@code timeout} multiplied by the {@linkplain #timeoutFactor() factor}, for timeouts a test
   * passes elsewhere (e.g. {@code Process.waitFor} or {@code Future.get}).
   */
  public static Duration scaled(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("negative timeout: " + timeout);
    }
    double factor = timeoutFactor();
    if (factor == 1) {
      return timeout;
    }
    double nanos = timeout.toNanos() * factor;
    return nanos >= Long.MAX_VALUE
        ? Duration.ofNanos(Long.MAX_VALUE)
        : Duration.ofNanos((long) nanos);
  }

  /**
   * The timeout factor: the system property {@value #FACTOR_PROPERTY}, else the environment
   * variable {@value #FACTOR_ENV}, else 1.
   *
   * @throws IllegalArgumentException when the one set is not a finite number above 0
   */
  public static double timeoutFactor() {
    return timeoutFactor(System.getProperty(FACTOR_PROPERTY), System.getenv(FACTOR_ENV));
  }

  static double timeoutFactor(String property, String environment) {
    String source = FACTOR_PROPERTY;
    String text = property;
    if (text == null || text.isBlank()) {
      source = FACTOR_ENV;
      text = environment;
    }
    if (text == null || text.isBlank()) {
      return 1;
    }
    double factor;
    try {
      factor = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(source + " is not a number: " + text, e);
    }
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException(source + " must be a finite number above 0: " + text);
    }
    return factor;
  }

  private static String describe(Duration timeout, Duration scaled) {
    return scaled.equals(timeout)
        ? "timeout " + timeout
        : "timeout " + timeout + " x factor " + timeoutFactor() + " = " + scaled;
  }

  private static String shown(Object seen) {
    String s = String.valueOf(seen);
    return s.length() <= MAX_SHOWN
        ? s
        : s.substring(0, MAX_SHOWN) + "... (" + s.length() + " characters)";
  }
}
