package com.kontroltravel.oc.testkit;

import com.kontroltravel.oc.exception.MailAccessException;
import com.kontroltravel.oc.model.FetchBatch;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.MailboxCursor;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.SendResult;
import com.kontroltravel.oc.spi.MailGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An in-memory {@link MailGateway} for tests: a mailbox you {@link #deliver} messages into, and a
 * record of every message {@link #send sent}. Sending can be made to fail on demand with {@link
 * #failSendsWith}; reading the mailbox with {@link #failFetches}. Thread safe.
 */
public final class RecordingMailGateway implements MailGateway {
  private static final long UID_VALIDITY = 1;

  private final String mailbox;
  private final List<InboundMessage> inbox = new ArrayList<>();
  private final List<OutboundMessage> sent = new CopyOnWriteArrayList<>();
  private final List<SentMessage> sentLog = new CopyOnWriteArrayList<>();
  private final java.time.Clock clock;
  private volatile boolean knowsSentFolder = true;
  private final List<Runnable> subscribers = new CopyOnWriteArrayList<>();
  private volatile Function<OutboundMessage, SendResult> sendFailure = m -> null;
  private volatile boolean fetchFails;
  private long uidValidity = UID_VALIDITY;

  private RecordingMailGateway(String mailbox, java.time.Clock clock) {
    this.mailbox = Objects.requireNonNull(mailbox, "mailbox == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  /** A gateway over an empty mailbox named {@code INBOX}, timing sends with the system clock. */
  public static RecordingMailGateway create() {
    return new RecordingMailGateway("INBOX", java.time.Clock.systemUTC());
  }

  /** A gateway over an empty mailbox named {@code INBOX}, timing sends with {@code clock}. */
  public static RecordingMailGateway create(java.time.Clock clock) {
    return new RecordingMailGateway("INBOX", clock);
  }

  /**
   * A message accepted by {@link #send}, with the time it was sent.
   *
   * @param message the message
   * @param at the gateway clock's time of sending
   */
  public record SentMessage(OutboundMessage message, java.time.Instant at) {}

  /** Every message sent, with when, in order. */
  public List<SentMessage> sentLog() {
    return List.copyOf(sentLog);
  }

  /**
   * Whether {@link #findSent} answers from what was sent (true, the default) or always UNKNOWN
   * (false).
   */
  public void knowsSentFolder(boolean knows) {
    knowsSentFolder = knows;
  }

  /** How many messages are in the mailbox. */
  public synchronized int mailboxSize() {
    return inbox.size();
  }

  /** Puts a message in the mailbox (it gets the next UID) and wakes push subscribers. */
  public void deliver(InboundMessage message) {
    Objects.requireNonNull(message, "message == null");
    synchronized (this) {
      inbox.add(message);
    }
    subscribers.forEach(Runnable::run);
  }

  /** Every message sent, in order (including those the failure rule let through only). */
  public List<OutboundMessage> sent() {
    return List.copyOf(sent);
  }

  /** Forgets what was sent. */
  public void clearSent() {
    sent.clear();
    sentLog.clear();
  }

  /**
   * Makes {@link #send} answer with {@code rule}'s result, or deliver normally when the rule
   * returns null. The rule runs for every send until replaced.
   */
  public void failSendsWith(Function<OutboundMessage, SendResult> rule) {
    sendFailure = Objects.requireNonNull(rule, "rule == null");
  }

  /** Makes every send succeed again. */
  public void stopFailing() {
    sendFailure = m -> null;
  }

  /**
   * Makes {@link #fetch} throw {@link MailAccessException} (as a server outage would) until called
   * with false.
   */
  public void failFetches(boolean fail) {
    fetchFails = fail;
  }

  /** Simulates a UIDVALIDITY change: the same messages under new UIDs. */
  public synchronized void resetUidValidity() {
    uidValidity++;
  }

  @Override
  public String mailbox() {
    return mailbox;
  }

  @Override
  public synchronized FetchBatch fetch(MailboxCursor after, int maxMessages) {
    if (fetchFails) {
      throw new MailAccessException("mailbox unavailable (simulated)");
    }
    if (maxMessages < 1) {
      throw new IllegalArgumentException("maxMessages < 1: " + maxMessages);
    }
    long from = after == null || after.uidValidity() != uidValidity ? 0 : after.uid();
    List<InboundMessage> out = new ArrayList<>();
    long last = from;
    for (int i = (int) from; i < inbox.size() && out.size() < maxMessages; i++) {
      long uid = i + 1L;
      MailboxCursor pos = new MailboxCursor(mailbox, uidValidity, uid);
      InboundMessage m = inbox.get(i);
      out.add(
          new InboundMessage(
              m.messageId(),
              m.from(),
              m.fromName(),
              m.subject(),
              m.textBody(),
              m.date(),
              m.inReplyTo(),
              m.references(),
              m.attachments(),
              pos,
              m.problems(),
              m.authenticated()));
      last = uid;
    }
    return new FetchBatch(out, new MailboxCursor(mailbox, uidValidity, last), last < inbox.size());
  }

  @Override
  public SendResult send(OutboundMessage message) {
    Objects.requireNonNull(message, "message == null");
    SendResult failure = sendFailure.apply(message);
    if (failure != null && !failure.isSent()) {
      return failure;
    }
    sent.add(message);
    sentLog.add(new SentMessage(message, clock.instant()));
    return SendResult.sent("250 OK (recorded)");
  }

  @Override
  public SentCheck findSent(String messageId) {
    if (!knowsSentFolder) {
      return SentCheck.UNKNOWN;
    }
    return sent.stream().anyMatch(m -> m.messageId().equals(messageId))
        ? SentCheck.SENT
        : SentCheck.NOT_SENT;
  }

  @Override
  public Optional<AutoCloseable> subscribe(Runnable onNewMail) {
    subscribers.add(onNewMail);
    return Optional.of(() -> subscribers.remove(onNewMail));
  }
}
