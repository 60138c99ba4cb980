package com.kontroltravel.oc;

import com.kontroltravel.oc.exception.StoreConflictException;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.spi.AgencyPolicy;
import com.kontroltravel.oc.spi.OcListener;
import com.kontroltravel.oc.spi.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs units of work: one store transaction each, retried on a write conflict, with its events
 * fired to the listeners after it commits. Every stage goes through here.
 */
final class Transactions implements StoreReads {
  private static final Logger log = LoggerFactory.getLogger(Transactions.class);

  /** Attempts of one unit of work before a conflict is given up to the caller. */
  static final int MAX_ATTEMPTS = 8;

  private final Store store;
  private final Clock clock;
  private final AgencyPolicy agencyPolicy;
  private final List<OcListener> listeners;
  private final String messageIdDomain;
  private volatile MessageIds messageIds;

  Transactions(
      Store store,
      Clock clock,
      AgencyPolicy agencyPolicy,
      List<OcListener> listeners,
      String messageIdDomain) {
    this.store = store;
    this.clock = clock;
    this.agencyPolicy = agencyPolicy;
    this.listeners = List.copyOf(listeners);
    this.messageIdDomain = messageIdDomain;
  }

  /**
   * The deployment's Message-IDs. The key is read from the store, or created there by the first
   * engine that needs it (every engine on the store then shares it), in a unit of work of its own.
   */
  MessageIds messageIds() {
    MessageIds ids = messageIds;
    if (ids == null) {
      synchronized (this) {
        if (messageIds == null) {
          String key =
              store.inTransaction(
                  t -> {
                    if (t.setting(MessageIds.KEY_SETTING).isEmpty()) {
                      t.insertSetting(MessageIds.KEY_SETTING, MessageIds.newKey());
                    }
                    return t.setting(MessageIds.KEY_SETTING).orElseThrow();
                  });
          messageIds = MessageIds.fromSetting(key, messageIdDomain);
        }
        ids = messageIds;
      }
    }
    return ids;
  }

  /** The current time, to the millisecond (what the store keeps). */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** Runs {@code work} in one transaction and returns its result. */
  @Override
  public <T> T call(Function<UnitOfWork, T> work) {
    MessageIds ids = messageIds();
    StoreConflictException last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      UnitOfWork[] holder = new UnitOfWork[1];
      try {
        T result =
            store.inTransaction(
                t -> {
                  holder[0] = new UnitOfWork(t, now(), agencyPolicy, ids);
                  return work.apply(holder[0]);
                });
        if (holder[0] != null) {
          fire(holder[0]);
        }
        return result;
      } catch (StoreConflictException e) {
        last = e;
        log.debug("unit of work conflicted (attempt {}): {}", attempt, e.getMessage());
      }
    }
    throw last;
  }

  /** Runs {@code work} in one transaction. */
  void run(Consumer<UnitOfWork> work) {
    call(
        u -> {
          work.accept(u);
          return null;
        });
  }

  /**
   * Tells every listener something that is not a unit of work's (a timing); a listener that throws
   * is logged and otherwise ignored.
   */
  void tell(Consumer<OcListener> call) {
    for (OcListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException ex) {
        log.warn("listener {} failed: {}", l, ex.toString());
      }
    }
  }

  private void fire(UnitOfWork u) {
    u.events.forEach(Story::event);
    u.inbound.forEach(Story::inbound);
    for (OcListener l : listeners) {
      for (TimelineEvent e : u.events) {
        try {
          l.onEvent(e);
        } catch (RuntimeException ex) {
          log.warn("listener {} failed on an event: {}", l, ex.toString());
        }
      }
      for (InboundRecord r : u.inbound) {
        try {
          l.onInbound(r);
        } catch (RuntimeException ex) {
          log.warn("listener {} failed on an inbound record: {}", l, ex.toString());
        }
      }
    }
    u.notices.forEach(this::tell);
  }
}
