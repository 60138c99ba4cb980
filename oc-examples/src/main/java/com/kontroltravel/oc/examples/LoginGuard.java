package com.kontroltravel.oc.examples;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed admin logins, per client address: every checked failure is logged; after {@link
 * #FREE_FAILURES} failures a client must wait before its next attempt is even checked (1 s,
 * doubling up to {@link #MAX_LOCK}), and attempts in that window are refused without looking at the
 * password. A success clears the client's record. Other clients are not affected, so an attacker
 * cannot lock the operators out from another address.
 */
final class LoginGuard {
  private static final Logger log = LoggerFactory.getLogger(LoginGuard.class);

  /** Failures a client may make before it has to wait. */
  static final int FREE_FAILURES = 5;

  /** The longest wait between two checked attempts of one client. */
  static final Duration MAX_LOCK = Duration.ofMinutes(15);

  /** Clients remembered at most (oldest unlocked ones are forgotten beyond this). */
  static final int MAX_CLIENTS = 10_000;

  private static final long FORGET_AFTER_NANOS = Duration.ofHours(1).toNanos();

  private static final class Client {
    int failures;
    long lockedUntil;
    long lastSeen;
    long refused;
  }

  private final Map<String, Client> clients = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;

  LoginGuard() {
    this(System::nanoTime);
  }

  LoginGuard(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** How long the client must still wait before an attempt is checked; zero when it may try. */
  Duration waitFor(String client) {
    Client c = clients.get(client);
    if (c == null) {
      return Duration.ZERO;
    }
    synchronized (c) {
      long left = c.lockedUntil - nanoTime.getAsLong();
      if (left <= 0) {
        return Duration.ZERO;
      }
      c.refused++;
      if (c.refused == 1 || Long.bitCount(c.refused) == 1 && c.refused >= 1024) {
        log.warn(
            "admin login attempts from {} refused for {} s after {} failed logins ({} refused so"
                + " far)",
            client,
            Math.max(1, Duration.ofNanos(left).toSeconds()),
            c.failures,
            c.refused);
      }
      return Duration.ofNanos(left);
    }
  }

  /** A checked attempt failed. */
  void failed(String client, String user) {
    long now = nanoTime.getAsLong();
    forgetOld(now);
    Client c = clients.computeIfAbsent(client, k -> new Client());
    synchronized (c) {
      c.failures++;
      c.lastSeen = now;
      long lock = 0;
      if (c.failures >= FREE_FAILURES) {
        int doublings = Math.min(c.failures - FREE_FAILURES, 20);
        lock = Math.min(Duration.ofSeconds(1L << doublings).toNanos(), MAX_LOCK.toNanos());
        c.lockedUntil = now + lock;
      }
      log.warn(
          "admin login failed for user '{}' from {} ({} failure(s){}{})",
          Views.terminalSafe(cut(user)),
          client,
          c.failures,
          lock > 0 ? "; next attempt checked in " + Duration.ofNanos(lock).toSeconds() + " s" : "",
          c.refused > 0 ? "; " + c.refused + " attempt(s) refused while waiting" : "");
    }
  }

  /** A checked attempt succeeded: the client starts afresh. */
  void succeeded(String client) {
    Client c = clients.remove(client);
    if (c != null && c.failures > 0) {
      log.info("admin login from {} succeeded after {} failure(s)", client, c.failures);
    }
  }

  private void forgetOld(long now) {
    if (clients.size() < MAX_CLIENTS) {
      return;
    }
    for (Iterator<Map.Entry<String, Client>> it = clients.entrySet().iterator(); it.hasNext(); ) {
      Client c = it.next().getValue();
      synchronized (c) {
        if (now - c.lastSeen > FORGET_AFTER_NANOS || c.lockedUntil - now <= 0) {
          it.remove();
        }
      }
    }
  }

  private static String cut(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
