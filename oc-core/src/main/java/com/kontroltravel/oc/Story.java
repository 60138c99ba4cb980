package com.kontroltravel.oc;

import com.kontroltravel.oc.model.EventKind;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.TimelineEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The log that tells the story: one line per inbound outcome, per message sent or failed, per state
 * change and per operator action, each with the booking id (and the Message-ID of an inbound
 * message), written after the unit of work that did it commits. Logger {@value #LOGGER}; INFO, and
 * WARN for what needs a person (quarantine, review, retries, attention, failed sends). The values
 * are also given as SLF4J key-value pairs ({@code booking}, {@code event}, {@code actor}, {@code
 * messageId}, {@code outcome}) for structured (JSON) logs. Every value was cleaned of line breaks
 * when recorded; nothing secret is ever part of an event.
 */
final class Story {
  /** The logger's name, for routing the story to its own file or shipper. */
  static final String LOGGER = "com.kontroltravel.oc.story";

  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  private Story() {}

  static void event(TimelineEvent e) {
    Level level =
        switch (e.kind()) {
          case ATTENTION, SEND_FAILED -> Level.WARN;
          default -> Level.INFO;
        };
    if (!log.isEnabledForLevel(level)) {
      return;
    }
    log.atLevel(level)
        .addKeyValue("booking", e.reservationId())
        .addKeyValue("event", e.kind().name())
        .addKeyValue("actor", e.actor())
        .log(
            "booking {} {}: {}{}",
            e.reservationId(),
            label(e.kind()),
            e.detail(),
            TimelineEvent.SYSTEM.equals(e.actor()) ? "" : " (by " + e.actor() + ")");
  }

  static void inbound(InboundRecord r) {
    Level level =
        switch (r.outcome()) {
          case QUARANTINED, REVIEW, RETRYING -> Level.WARN;
          default -> Level.INFO;
        };
    if (!log.isEnabledForLevel(level)) {
      return;
    }
    log.atLevel(level)
        .addKeyValue("messageId", r.messageId())
        .addKeyValue("outcome", r.outcome().name())
        .addKeyValue("booking", r.reservationId())
        .log(
            "inbound {} from {}: {}{}: {}",
            r.messageId() == null ? r.key() : "<" + r.messageId() + ">",
            r.from() == null ? "(no sender)" : r.from(),
            r.outcome(),
            r.reservationId() == null ? "" : " (booking " + r.reservationId() + ")",
            r.outcome() == InboundOutcome.RETRYING
                ? r.reason() + "; attempt " + r.attempts() + ", next at " + r.nextAttemptAt()
                : r.reason());
  }

  /** A message not about one booking (the digest) sent or failed. */
  static void unboundMessage(String messageId, String what, boolean ok) {
    log.atLevel(ok ? Level.INFO : Level.WARN)
        .addKeyValue("messageId", messageId)
        .log("message <{}> {}", messageId, what);
  }

  private static String label(EventKind kind) {
    return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }
}
