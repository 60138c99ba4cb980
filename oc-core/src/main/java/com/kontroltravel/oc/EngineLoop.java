package com.kontroltravel.oc;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One engine loop on its own thread: runs its body, sleeps for the duration the body returns (or
 * until woken), and backs off exponentially (up to {@code maxBackoff}) while the body fails. A
 * failure never ends the loop.
 */
final class EngineLoop {
  private static final Logger log = LoggerFactory.getLogger(EngineLoop.class);
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

  private final String name;
  private final Callable<Duration> body;
  private final Runnable onSuccess;
  private final Consumer<Throwable> onFailure;
  private final Duration maxBackoff;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wakeUp = lock.newCondition();
  private final Thread thread;
  private volatile boolean stopping;
  private boolean woken;

  EngineLoop(
      String name,
      Callable<Duration> body,
      Runnable onSuccess,
      Consumer<Throwable> onFailure,
      Duration maxBackoff) {
    this.name = name;
    this.body = body;
    this.onSuccess = onSuccess;
    this.onFailure = onFailure;
    this.maxBackoff = maxBackoff;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Makes the loop run again now (or as soon as its current round ends). */
  public void wake() {
    lock.lock();
    try {
      woken = true;
      wakeUp.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Asks the loop to stop after its current round. */
  public void stop() {
    stopping = true;
    wake();
  }

  /** Waits for the loop to end. */
  public void await(Duration timeout) {
    try {
      thread.join(Math.max(1, timeout.toMillis()));
      if (thread.isAlive()) {
        log.warn("loop {} did not stop within {}", name, timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    Duration backoff = FIRST_BACKOFF;
    while (!stopping) {
      Duration sleep;
      try {
        sleep = body.call();
        onSuccess.run();
        backoff = FIRST_BACKOFF;
      } catch (Throwable e) {
        if (e instanceof Error && !(e instanceof AssertionError)) {
          log.error("loop {} hit a fatal error", name, e);
        } else {
          log.warn("loop {} failed, retrying in {}: {}", name, backoff, e.toString());
        }
        onFailure.accept(e);
        sleep = backoff;
        backoff =
            backoff.multipliedBy(2).compareTo(maxBackoff) > 0
                ? maxBackoff
                : backoff.multipliedBy(2);
      }
      pause(sleep);
    }
  }

  private void pause(Duration d) {
    lock.lock();
    try {
      long nanos = d.toNanos();
      while (!woken && !stopping && nanos > 0) {
        nanos = wakeUp.awaitNanos(nanos);
      }
      woken = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
    } finally {
      lock.unlock();
    }
  }
}
