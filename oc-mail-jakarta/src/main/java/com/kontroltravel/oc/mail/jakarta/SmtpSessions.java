package com.kontroltravel.oc.mail.jakarta;

import jakarta.mail.MessagingException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small pool of connected, authenticated SMTP sessions, so many messages share one TLS handshake
 * and one AUTH.
 *
 * <p>At most {@code size} sessions exist at once, each used by one sender at a time; a sender that
 * finds them all busy waits (up to the connection timeout). A session is reused only after a clean
 * send; after any failure the caller {@linkplain Lease#discard() discards} it, so a broken or
 * half-used session is never offered again. Nothing is resent here: the caller reports the failure
 * and the engine decides, which keeps one Message-ID per step. A session idle for a while is
 * checked with NOOP before reuse, one idle longer than the idle timeout is closed (by a daemon
 * thread, so the server never holds a forgotten one), and one that carried {@code
 * messagesPerSession} messages is replaced. Thread safe.
 */
final class SmtpSessions implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SmtpSessions.class);

  /** A session unused longer than this is checked with NOOP before it carries a message. */
  static final Duration CHECK_AFTER = Duration.ofSeconds(2);

  /** Opens, connects and authenticates a new session. */
  interface Connector {
    SMTPTransport connect() throws MessagingException;
  }

  private static final class Pooled {
    final SMTPTransport transport;
    int messages;
    long lastUsed = System.nanoTime();

    Pooled(SMTPTransport transport) {
      this.transport = transport;
    }
  }

  private final Connector connector;
  private final int size;
  private final Duration idleTimeout;
  private final int messagesPerSession;
  private final Duration waitTimeout;
  private final Semaphore permits;
  private final ArrayDeque<Pooled> idle = new ArrayDeque<>(); // guarded by this; most recent first
  private final AtomicLong opened = new AtomicLong();
  private ScheduledExecutorService closer; // guarded by this
  private boolean closed; // guarded by this

  SmtpSessions(
      Connector connector,
      int size,
      Duration idleTimeout,
      int messagesPerSession,
      Duration waitTimeout) {
    this.connector = connector;
    this.size = size;
    this.idleTimeout = idleTimeout;
    this.messagesPerSession = messagesPerSession;
    this.waitTimeout = waitTimeout;
    this.permits = new Semaphore(size, true);
  }

  /** A session lent to one sender; give it back with {@link #release()} or {@link #discard()}. */
  final class Lease {
    private final Pooled pooled;
    private boolean done;

    private Lease(Pooled pooled) {
      this.pooled = pooled;
    }

    SMTPTransport transport() {
      return pooled.transport;
    }

    /** The message went through cleanly: the session may carry the next one. */
    void release() {
      finish(true);
    }

    /** Something failed: the session is closed, never reused. Idempotent. */
    void discard() {
      finish(false);
    }

    private void finish(boolean reusable) {
      if (done) {
        return;
      }
      done = true;
      try {
        pooled.messages++;
        pooled.lastUsed = System.nanoTime();
        boolean keep = reusable && pooled.messages < messagesPerSession;
        synchronized (SmtpSessions.this) {
          if (keep && !closed) {
            idle.addFirst(pooled);
            startCloser();
            return;
          }
        }
        quietlyClose(pooled);
      } finally {
        permits.release();
      }
    }
  }

  /**
   * A connected session: the most recently used idle one that is still alive, else a new one.
   *
   * @throws MessagingException when connecting or authenticating fails, or every session stays busy
   *     for the wait timeout
   */
  Lease acquire() throws MessagingException {
    try {
      if (!permits.tryAcquire(waitTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new MessagingException(
            "all " + size + " SMTP sessions stayed busy for " + waitTimeout.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MessagingException("interrupted while waiting for an SMTP session", e);
    }
    boolean lent = false;
    try {
      for (Pooled p = takeIdle(); p != null; p = takeIdle()) {
        long idleNanos = System.nanoTime() - p.lastUsed;
        if (idleNanos > idleTimeout.toNanos()) {
          quietlyClose(p);
        } else if (idleNanos > CHECK_AFTER.toNanos() && !p.transport.isConnected()) {
          // isConnected() sent NOOP and the server did not answer 250: it dropped the session
          log.debug("an idle SMTP session was dropped by the server; opening another");
          quietlyClose(p);
        } else {
          lent = true;
          return new Lease(p);
        }
      }
      SMTPTransport t = connector.connect();
      opened.incrementAndGet();
      lent = true;
      return new Lease(new Pooled(t));
    } finally {
      if (!lent) {
        permits.release();
      }
    }
  }

  private synchronized Pooled takeIdle() throws MessagingException {
    if (closed) {
      throw new MessagingException("the mail gateway is closed");
    }
    return idle.pollFirst();
  }

  /** Sessions opened so far (tests and diagnostics). */
  long opened() {
    return opened.get();
  }

  /** Sessions open and idle now. */
  synchronized int idleCount() {
    return idle.size();
  }

  private void startCloser() {
    // caller holds this
    if (closer == null) {
      closer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "oc-smtp-idle-closer");
                t.setDaemon(true);
                return t;
              });
      long period = Math.max(200, idleTimeout.toMillis() / 4);
      closer.scheduleWithFixedDelay(this::closeExpired, period, period, TimeUnit.MILLISECONDS);
    }
  }

  /** Closes the sessions idle longer than the idle timeout. */
  void closeExpired() {
    List<Pooled> expired = new ArrayList<>();
    long now = System.nanoTime();
    synchronized (this) {
      for (Iterator<Pooled> it = idle.iterator(); it.hasNext(); ) {
        Pooled p = it.next();
        if (now - p.lastUsed > idleTimeout.toNanos()) {
          it.remove();
          expired.add(p);
        }
      }
    }
    for (Pooled p : expired) {
      quietlyClose(p);
    }
    if (!expired.isEmpty()) {
      log.debug("closed {} idle SMTP session(s)", expired.size());
    }
  }

  private static void quietlyClose(Pooled p) {
    try {
      p.transport.close();
    } catch (MessagingException | RuntimeException e) {
      log.debug("closing an SMTP session failed", e);
    }
  }

  /** Closes every idle session now, and each busy one when its sender is done. Idempotent. */
  @Override
  public void close() {
    List<Pooled> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(idle);
      idle.clear();
      if (closer != null) {
        closer.shutdownNow();
      }
    }
    for (Pooled p : all) {
      quietlyClose(p);
    }
  }
}
