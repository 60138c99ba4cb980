package com.kontroltravel.oc.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AwaitTest {
  private String savedFactor;

  @BeforeEach
  void saveFactor() {
    savedFactor = System.getProperty(Await.FACTOR_PROPERTY);
    // The property wins over the environment: pin it to 1 so OC_TEST_TIMEOUT_FACTOR on this
    // machine does not change what these tests measure.
    System.setProperty(Await.FACTOR_PROPERTY, "1");
  }

  @AfterEach
  void restoreFactor() {
    if (savedFactor == null) {
      System.clearProperty(Await.FACTOR_PROPERTY);
    } else {
      System.setProperty(Await.FACTOR_PROPERTY, savedFactor);
    }
  }

  @Test
  @DisplayName("returns once the condition holds, polling more than once")
  void passes() {
    AtomicInteger polls = new AtomicInteger();
    Await.await("the third poll", () -> polls.incrementAndGet() >= 3, Duration.ofSeconds(10));
    assertThat(polls).hasValue(3);
  }

  @Test
  @DisplayName("the value variant returns the first value that passes")
  void returnsTheValue() {
    AtomicInteger n = new AtomicInteger();
    Integer v =
        Await.await("a value above 4", n::incrementAndGet, x -> x > 4, Duration.ofSeconds(10));
    assertThat(v).isEqualTo(5);
  }

  @Test
  @DisplayName("a condition that already holds is checked once and does not sleep")
  void alreadyTrue() {
    AtomicInteger polls = new AtomicInteger();
    long start = System.nanoTime();
    Await.await("at once", () -> polls.incrementAndGet() > 0, Duration.ZERO);
    assertThat(polls).hasValue(1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  @DisplayName("on timeout: an AssertionError naming what was awaited and the last value seen")
  void failsWithDescriptionAndLastValue() {
    AtomicInteger n = new AtomicInteger();
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                Await.await(
                    "the counter to reach a million",
                    () -> "count=" + n.incrementAndGet(),
                    s -> s.equals("count=1000000"),
                    Duration.ofMillis(200)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("awaiting the counter to reach a million")
        .hasMessageContaining("last value: count=" + n.get())
        .hasMessageContaining("timeout PT0.2S");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took)
        .isGreaterThanOrEqualTo(Duration.ofMillis(200))
        .isLessThan(Duration.ofSeconds(5));
    // Bounded back-off: short pauses, so a 200 ms wait polls several times.
    assertThat(n.get()).isBetween(3, 200);
  }

  @Test
  @DisplayName(
      "the boolean variant fails naming what was awaited; the condition is polled again at the end")
  void booleanFails() {
    AtomicInteger polls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                Await.await(
                    "a door that never opens",
                    () -> polls.incrementAndGet() < 0,
                    Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("awaiting a door that never opens")
        .hasMessageContaining("last value: false");
    assertThat(polls.get()).isGreaterThanOrEqualTo(2);
  }

  @Test
  @DisplayName("a long last value is cut in the message")
  void longValueIsCut() {
    String big = "x".repeat(10_000);
    assertThatThrownBy(() -> Await.await("never", () -> big, s -> false, Duration.ZERO))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("(10000 characters)")
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(3_000));
  }

  @Test
  @DisplayName("oc.test.timeoutFactor multiplies the timeout")
  void honoursTheFactor() {
    System.setProperty(Await.FACTOR_PROPERTY, "4");
    assertThat(Await.timeoutFactor()).isEqualTo(4.0);
    assertThat(Await.scaled(Duration.ofMillis(150))).isEqualTo(Duration.ofMillis(600));
    long start = System.nanoTime();
    assertThatThrownBy(() -> Await.await("never", () -> false, Duration.ofMillis(150)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("x factor 4.0 = PT0.6S");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(600));

    // A factor that lets a slow condition make it in time.
    AtomicInteger polls = new AtomicInteger();
    long begun = System.nanoTime();
    Await.await(
        "200 ms to pass",
        () -> {
          polls.incrementAndGet();
          return System.nanoTime() - begun >= Duration.ofMillis(200).toNanos();
        },
        Duration.ofMillis(100));
    assertThat(polls.get()).isGreaterThan(1);
  }

  @Test
  @DisplayName(
      "the factor: property first, then the environment variable, else 1; nonsense is refused")
  void factorSources() {
    assertThat(Await.timeoutFactor(null, null)).isEqualTo(1.0);
    assertThat(Await.timeoutFactor(" ", "")).isEqualTo(1.0);
    assertThat(Await.timeoutFactor(null, "2.5")).isEqualTo(2.5);
    assertThat(Await.timeoutFactor("3", "2.5")).isEqualTo(3.0);
    assertThatThrownBy(() -> Await.timeoutFactor("fast", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Await.FACTOR_PROPERTY);
    assertThatThrownBy(() -> Await.timeoutFactor(null, "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Await.FACTOR_ENV);
    assertThatThrownBy(() -> Await.timeoutFactor("-1", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Await.timeoutFactor("Infinity", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Await.timeoutFactor("NaN", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("an exception from the condition ends the wait at once")
  void exceptionPropagates() {
    AtomicInteger polls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                Await.await(
                    "a broken probe",
                    () -> {
                      polls.incrementAndGet();
                      throw new IllegalStateException("probe broke");
                    },
                    Duration.ofSeconds(30)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("probe broke");
    assertThat(polls).hasValue(1);
  }

  @Test
  @DisplayName("an interrupt ends the wait with an AssertionError and keeps the interrupt flag")
  void interrupted() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> Await.await("never", () -> false, Duration.ofSeconds(30)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("interrupted awaiting never");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
