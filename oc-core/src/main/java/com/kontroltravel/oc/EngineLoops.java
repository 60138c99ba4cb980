package com.kontroltravel.oc;

import com.kontroltravel.oc.exception.MailAccessException;
import com.kontroltravel.oc.exception.StoreException;
import com.kontroltravel.oc.spi.MailGateway;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three loops of a started engine (inbound, follow-up, dispatch), each waking the next when it
 * made work for it, plus the mailboxes' push subscriptions. Failing parts are named in the shared
 * problems map that {@link OcEngine#health()} reports.
 */
final class EngineLoops {
  private static final Logger log = LoggerFactory.getLogger(EngineLoops.class);

  /** The longest a follow-up or dispatch loop sleeps, whatever is scheduled. */
  static final Duration MAX_SLEEP = Duration.ofMinutes(1);

  /** The shortest such sleep, so a busy store is not polled in a spin. */
  static final Duration MIN_SLEEP = Duration.ofSeconds(1);

  private final Flow flow;
  private final List<MailGateway> inboxes;
  private final Clock clock;
  private final Map<String, String> problems;
  private final EngineLoop inbound;
  private final EngineLoop followUp;
  private final EngineLoop dispatch;
  private final List<AutoCloseable> subscriptions = new ArrayList<>();

  EngineLoops(Flow flow, List<MailGateway> inboxes, Clock clock, Map<String, String> problems) {
    this.flow = flow;
    this.inboxes = inboxes;
    this.clock = clock;
    this.problems = problems;
    Duration poll = flow.config.pollInterval();
    this.inbound =
        new EngineLoop(
            "oc-inbound", timed("inbound", this::readMail), ok("mailbox"), failed("mailbox"), poll);
    this.followUp =
        new EngineLoop(
            "oc-follow-up",
            timed("follow-up", this::followUp),
            ok("follow-up"),
            failed("follow-up"),
            poll);
    this.dispatch =
        new EngineLoop(
            "oc-dispatch",
            timed("dispatch", this::dispatch),
            ok("dispatch"),
            failed("dispatch"),
            poll);
  }

  void start() {
    for (MailGateway g : inboxes) {
      try {
        g.subscribe(inbound::wake).ifPresent(subscriptions::add);
      } catch (RuntimeException e) {
        log.warn("push subscription of {} failed; polling only: {}", g.mailbox(), e.toString());
      }
    }
    inbound.start();
    followUp.start();
    dispatch.start();
    log.info("engine {} started (push: {})", flow.config.nodeId(), !subscriptions.isEmpty());
  }

  void wake() {
    inbound.wake();
    followUp.wake();
    dispatch.wake();
  }

  /** Ends the subscriptions, stops the loops and waits up to {@code timeout} for each. */
  void stop(Duration timeout) {
    for (AutoCloseable c : subscriptions) {
      try {
        c.close();
      } catch (Exception e) {
        log.debug("closing push subscription: {}", e.toString());
      }
    }
    List<EngineLoop> all = List.of(inbound, followUp, dispatch);
    all.forEach(EngineLoop::stop);
    all.forEach(l -> l.await(timeout));
  }

  private Duration readMail() {
    Runnable overlap =
        () -> {
          followUp.wake();
          dispatch.wake();
        };
    if (flow.readInboxes(inboxes, overlap) > 0) {
      // New mail may have queued work (an acknowledgement) as well as made bookings due.
      followUp.wake();
      dispatch.wake();
      // Mail comes in bursts: read again at once rather than wait for the server's next push,
      // which some servers send only after a pause.
      return Duration.ZERO;
    }
    return flow.config.pollInterval();
  }

  private Duration followUp() {
    if (flow.followUpAndDigest() > 0) {
      dispatch.wake();
    }
    return untilNext(flow.transactions.call(u -> u.tx.earliestNextAction()));
  }

  private Duration dispatch() {
    Dispatcher.Dispatched d = flow.dispatcher.run(flow.config.nodeId());
    if (d.failed() > 0 && d.sent() == 0) {
      problems.put("sending", d.failed() + " message(s) failed in the last round");
    } else if (d.sent() > 0) {
      problems.remove("sending");
    }
    return untilNext(flow.transactions.call(u -> u.tx.earliestPendingOutbox()));
  }

  /** {@code body}, telling the listeners how long each round took. */
  private Callable<Duration> timed(String round, Callable<Duration> body) {
    return () -> {
      long started = System.nanoTime();
      try {
        return body.call();
      } finally {
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        flow.transactions.tell(l -> l.onTick(round, took));
      }
    };
  }

  private Consumer<Throwable> failed(String component) {
    // Name the part that failed, whichever loop saw it: a database outage is the store's, not the
    // mailbox's.
    return e -> {
      String part =
          e instanceof StoreException
              ? "store"
              : e instanceof MailAccessException ? "mailbox" : component;
      problems.put(part, e.getClass().getSimpleName() + ": " + e.getMessage());
    };
  }

  private Runnable ok(String component) {
    return () -> {
      problems.remove(component);
      if (!component.equals("store")) {
        problems.remove("store");
      }
    };
  }

  private Duration untilNext(Optional<Instant> next) {
    if (next.isEmpty()) {
      return MAX_SLEEP;
    }
    Duration d = Duration.between(clock.instant(), next.get());
    if (d.compareTo(MIN_SLEEP) < 0) {
      return MIN_SLEEP;
    }
    return d.compareTo(MAX_SLEEP) > 0 ? MAX_SLEEP : d;
  }
}
