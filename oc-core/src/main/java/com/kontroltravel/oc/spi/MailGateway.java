package com.kontroltravel.oc.spi;

import com.kontroltravel.oc.model.FetchBatch;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.MailboxCursor;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.SendResult;
import com.kontroltravel.oc.model.StartPosition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads the monitored mailbox and sends mail. Implementations are thread safe: the engine fetches
 * and sends from different threads.
 *
 * <p>Intake is at least once: {@link #fetch} returns every message after the cursor, whatever its
 * \Seen flag, and the engine saves the returned cursor only after recording the messages,
 * de-duplicating by Message-ID (or a content hash). A message the gateway cannot decode is still
 * returned, with {@link InboundMessage#problems()} saying why, so that it is recorded rather than
 * lost.
 */
public interface MailGateway extends AutoCloseable {

  /** The name of the mailbox folder this gateway reads; the key of its cursor in the store. */
  String mailbox();

  /**
   * Reads messages after {@code after}.
   *
   * @param after the saved cursor, the cursor the previous fetch returned (the engine fetches the
   *     next batch while it records this one, before this one's cursor is saved or its messages
   *     {@linkplain #markProcessed marked}), or null to start at the beginning of the folder; when
   *     its UIDVALIDITY no longer matches the folder's, the gateway starts again from the beginning
   * @param maxMessages at most this many messages
   * @return the messages and the cursor after them
   * @throws com.kontroltravel.oc.exception.MailAccessException when the mailbox cannot be read now
   */
  FetchBatch fetch(MailboxCursor after, int maxMessages);

  /**
   * How many {@link #send} calls the gateway takes at once from different threads (its pool of
   * server sessions); the engine sends up to this many claimed messages in parallel. The default,
   * 1, means {@code send} is only ever called from one thread at a time.
   *
   * @return at least 1
   */
  default int maxConcurrentSends() {
    return 1;
  }

  /**
   * Where a first read should start to pass over mail dated before {@code since} without
   * downloading it (a first start on a mailbox with years of history). The position may be
   * conservative (it may leave some older messages to read; the engine skips those by their date)
   * but must never pass over a message dated at or after {@code since}. Empty (the default) when
   * the gateway cannot tell: the engine then reads every message and skips the older ones.
   *
   * @param since the first-start cut-off
   * @return the position and how many messages it passes over, or empty
   */
  default Optional<StartPosition> startPosition(Instant since) {
    return Optional.empty();
  }

  /**
   * Sends one message. Delivery failures are returned, not thrown.
   *
   * @return sent, or a transient or permanent failure with the server's answer
   */
  SendResult send(OutboundMessage message);

  /**
   * Whether a message with this Message-ID is known to have been sent (for example found in a Sent
   * folder). Used before re-sending a message whose earlier outcome is unknown. The default does
   * not know.
   */
  default SentCheck findSent(String messageId) {
    return SentCheck.UNKNOWN;
  }

  /**
   * Asks to be told when new mail may have arrived (IMAP IDLE). The callback may be called
   * spuriously and from any thread; the engine then fetches. The default offers no push, so the
   * engine polls.
   *
   * @return a handle that stops the subscription, or empty when push is not available
   */
  default Optional<AutoCloseable> subscribe(Runnable onNewMail) {
    return Optional.empty();
  }

  /**
   * Called after the engine durably recorded {@code message}; a gateway may flag or move it. Must
   * never delete. The default does nothing. Failures are logged by the engine and otherwise
   * ignored.
   */
  default void markProcessed(InboundMessage message) {}

  /**
   * {@link #markProcessed(InboundMessage) Marks} the messages of one fetch batch, all durably
   * recorded; the engine calls this once a batch is recorded. A gateway may do it in one round trip
   * (one IMAP {@code UID MOVE} or {@code UID STORE} for the whole batch). The default marks them
   * one by one, goes on past a failure, and throws the first failure (the others suppressed) at the
   * end.
   */
  default void markAllProcessed(List<InboundMessage> messages) {
    RuntimeException first = null;
    for (InboundMessage m : messages) {
      try {
        markProcessed(m);
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Releases connections. The default does nothing. */
  @Override
  default void close() {}

  /** What is known about an earlier send. */
  enum SentCheck {
    /** Found among sent messages. */
    SENT,
    /** Looked for and not found. */
    NOT_SENT,
    /** Could not tell. */
    UNKNOWN
  }
}
