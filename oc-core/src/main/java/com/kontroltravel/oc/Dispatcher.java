package com.kontroltravel.oc;

import com.kontroltravel.oc.exception.StoreException;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.AttentionReason;
import com.kontroltravel.oc.model.EventKind;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.OutboxStatus;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.SendResult;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.spi.MailGateway;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due outbox rows: claims them, re-checks each in its own unit of work (its booking still
 * open, office hours, the claim still ours), sends through the gateway, and records the result:
 * sent, retried with backoff, or failed for good with the booking flagged for a person.
 */
final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /** What one dispatch round did. */
  record Dispatched(int sent, int failed) {}

  private final OcConfig config;
  private final MailGateway gateway;
  private final BusinessCalendar calendar;
  private final Transactions transactions;

  /** The threads that send in parallel, made on first need (daemons that end when idle). */
  private ExecutorService senders;

  Dispatcher(
      OcConfig config, MailGateway gateway, BusinessCalendar calendar, Transactions transactions) {
    this.config = config;
    this.gateway = gateway;
    this.calendar = calendar;
    this.transactions = transactions;
  }

  /** Claims and sends due outbox rows. */
  Dispatched run(String owner) {
    int sent = 0;
    int failed = 0;
    if (gateway == null) {
      return new Dispatched(0, 0);
    }
    for (int round = 0; round < FollowUp.MAX_ROUNDS; round++) {
      Instant now = transactions.now();
      List<OutboxMessage> rows =
          transactions.call(
              u ->
                  u.tx.claimOutbox(
                      now, config.batchSize(), owner, now.plus(config.leaseDuration())));
      for (SendResult.Status s : sendAll(rows)) {
        if (s == SendResult.Status.SENT) {
          sent++;
        } else if (s != null) {
          failed++;
        }
      }
      if (rows.size() < config.batchSize()) {
        break;
      }
    }
    return new Dispatched(sent, failed);
  }

  /**
   * Sends claimed rows, up to {@link MailGateway#maxConcurrentSends()} at once, each sender taking
   * the next row when it is done with one. Each row is its own check, send and record, so sending
   * in parallel changes nothing about exactly once.
   */
  private List<SendResult.Status> sendAll(List<OutboxMessage> rows) {
    int parallel = Math.min(rows.size(), Math.max(1, safeConcurrency()));
    Queue<OutboxMessage> queue = new ConcurrentLinkedQueue<>(rows);
    if (parallel <= 1) {
      return sender(queue);
    }
    ExecutorService pool = senders(parallel);
    List<Future<List<SendResult.Status>>> futures = new ArrayList<>(parallel);
    for (int i = 0; i < parallel; i++) {
      futures.add(pool.submit(() -> sender(queue)));
    }
    List<SendResult.Status> out = new ArrayList<>(rows.size());
    for (Future<List<SendResult.Status>> f : futures) {
      try {
        out.addAll(f.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        futures.forEach(x -> x.cancel(false));
        throw new IllegalStateException("interrupted while sending", e);
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
      }
    }
    return out;
  }

  /** A row sent and the gateway's answer, still to be recorded. */
  private record Sent(OutboxMessage row, SendResult result, Duration took) {}

  /**
   * One sender: takes rows from {@code queue} until it is empty, and returns what became of each
   * (null for a row not sent now). The result of a send is recorded in the same unit of work that
   * checks the sender's next row, one commit rather than two a message; that unit of work runs as
   * soon as the send returns, so the record is as prompt as on its own.
   */
  private List<SendResult.Status> sender(Queue<OutboxMessage> queue) {
    List<SendResult.Status> out = new ArrayList<>();
    Sent last = null;
    while (true) {
      OutboxMessage row = queue.poll();
      if (row == null && last == null) {
        return out;
      }
      Sent done = last;
      last = null;
      List<Attachment> attachments = recordAndPrepare(done, row);
      if (done != null) {
        out.add(done.result().status());
        transactions.tell(l -> l.onSend(done.row().step(), done.result().status(), done.took()));
      }
      if (row == null) {
        return out;
      }
      if (attachments == null) {
        out.add(null);
        continue;
      }
      last = send(row, attachments);
    }
  }

  /**
   * Records {@code done} (when not null) and checks {@code next} (when not null), in one unit of
   * work; returns {@code next}'s attachments, or null when it is not to be sent now. A check that
   * throws does not take the record with it: both are then done apart.
   */
  private List<Attachment> recordAndPrepare(Sent done, OutboxMessage next) {
    try {
      return transactions.call(
          u -> {
            if (done != null) {
              record(u, done.row(), done.result());
            }
            return next == null ? null : prepare(u, next);
          });
    } catch (StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      if (done == null || next == null) {
        throw e;
      }
      transactions.run(u -> record(u, done.row(), done.result()));
      return transactions.call(u -> prepare(u, next));
    }
  }

  private Sent send(OutboxMessage row, List<Attachment> attachments) {
    long started = System.nanoTime();
    SendResult result;
    if (row.attempts() > 1 && safeFindSent(row.messageId()) == MailGateway.SentCheck.SENT) {
      result = SendResult.sent("found among sent messages; not sent again");
    } else {
      try {
        result = gateway.send(toOutbound(row, attachments));
        if (result == null) {
          result = SendResult.transientFailure("gateway returned no result");
        }
      } catch (RuntimeException e) {
        result = SendResult.transientFailure("gateway error: " + e);
      }
    }
    return new Sent(row, result, Duration.ofNanos(System.nanoTime() - started));
  }

  private int safeConcurrency() {
    try {
      return gateway.maxConcurrentSends();
    } catch (RuntimeException e) {
      return 1;
    }
  }

  private synchronized ExecutorService senders(int threads) {
    if (senders == null) {
      AtomicInteger n = new AtomicInteger();
      ThreadPoolExecutor p =
          new ThreadPoolExecutor(
              threads,
              threads,
              30,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, "oc-send-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      p.allowCoreThreadTimeOut(true);
      senders = p;
    }
    return senders;
  }

  /**
   * The attachments of a claimed row that is to be sent now, or null when it is not: its booking
   * closed (the row is cancelled), it is outside office hours (the row waits for the next opening),
   * or its claim lapsed and another dispatcher took it (that claim bumped the attempt count).
   */
  private List<Attachment> prepare(UnitOfWork u, OutboxMessage row) {
    Reservation r =
        row.reservationId() == null ? null : u.tx.reservation(row.reservationId()).orElse(null);
    if (r != null && row.step().isChase() && !r.state().isOpen()) {
      u.tx.updateOutbox(
          row.with(
              OutboxStatus.CANCELLED,
              row.attempts(),
              null,
              "booking is " + r.state().label(),
              null));
      return null;
    }
    if (officeHoursOnly(row) && !calendar.isOfficeHours(u.now)) {
      Instant later = calendar.nextOfficeTime(u.now);
      u.tx.updateOutbox(
          row.with(OutboxStatus.PENDING, row.attempts() - 1, later, row.lastError(), null));
      return null;
    }
    OutboxMessage current = u.tx.outbox(row.id()).orElse(null);
    if (current == null
        || current.status() != OutboxStatus.PENDING
        || current.attempts() != row.attempts()) {
      return null;
    }
    List<Attachment> attachments = new ArrayList<>();
    for (String docId : row.attachmentDocumentIds()) {
      u.tx
          .document(docId)
          .ifPresent(
              d -> attachments.add(new Attachment(d.safeName(), d.contentType(), d.content())));
    }
    return attachments;
  }

  private static boolean officeHoursOnly(OutboxMessage row) {
    return row.step().isChase() || row.step() == Step.DIGEST;
  }

  private MailGateway.SentCheck safeFindSent(String messageId) {
    try {
      return gateway.findSent(messageId);
    } catch (RuntimeException e) {
      log.warn("looking for a sent message failed: {}", e.toString());
      return MailGateway.SentCheck.UNKNOWN;
    }
  }

  private OutboundMessage toOutbound(OutboxMessage row, List<Attachment> attachments) {
    return new OutboundMessage(
        row.messageId(),
        config.replyToAddress(),
        row.to(),
        row.cc(),
        Headers.clean(row.subject()),
        row.textBody() == null ? "" : row.textBody(),
        row.htmlBody(),
        row.inReplyTo(),
        row.references(),
        attachments);
  }

  private void record(UnitOfWork u, OutboxMessage row, SendResult result) {
    String detail = Text.reason(result.detail());
    switch (result.status()) {
      case SENT -> sent(u, row);
      case TRANSIENT_FAILURE -> {
        if (row.attempts() >= config.maxSendAttempts()) {
          u.tx.updateOutbox(row.with(OutboxStatus.FAILED, row.attempts(), null, detail, null));
          failedForGood(u, row, "gave up after " + row.attempts() + " attempts: " + detail);
        } else {
          retryLater(u, row, detail);
        }
      }
      case PERMANENT_FAILURE -> {
        u.tx.updateOutbox(row.with(OutboxStatus.FAILED, row.attempts(), null, detail, null));
        failedForGood(u, row, "permanent failure: " + detail);
      }
    }
  }

  private void sent(UnitOfWork u, OutboxMessage row) {
    u.tx.updateOutbox(row.with(OutboxStatus.SENT, row.attempts(), null, null, u.now));
    if (row.reservationId() == null) {
      Story.unboundMessage(row.messageId(), row.step().token() + " sent to " + row.to(), true);
    } else {
      u.event(
          row.reservationId(),
          EventKind.MESSAGE_SENT,
          row.step().token()
              + (row.generation() > 0 ? " (resend " + row.generation() + ")" : "")
              + " sent to "
              + String.join(", ", row.to())
              + " (Message-ID "
              + row.messageId()
              + ")",
          TimelineEvent.SYSTEM);
    }
  }

  private void retryLater(UnitOfWork u, OutboxMessage row, String detail) {
    Instant retryAt = u.now.plus(backoff(config, row.attempts()));
    if (officeHoursOnly(row)) {
      retryAt = calendar.nextOfficeTime(retryAt);
    }
    u.tx.updateOutbox(row.with(OutboxStatus.PENDING, row.attempts(), retryAt, detail, null));
    u.notice(l -> l.onRetry(row.step(), row.attempts()));
    if (row.reservationId() != null) {
      u.event(
          row.reservationId(),
          EventKind.SEND_FAILED,
          row.step().token()
              + " attempt "
              + row.attempts()
              + " failed (will retry at "
              + retryAt
              + "): "
              + detail,
          TimelineEvent.SYSTEM);
    }
  }

  private void failedForGood(UnitOfWork u, OutboxMessage row, String why) {
    String rid = row.reservationId();
    if (rid == null) {
      log.warn("message {} failed for good: {}", row.id(), why);
      return;
    }
    u.event(rid, EventKind.SEND_FAILED, row.step().token() + " " + why, TimelineEvent.SYSTEM);
    u.tx
        .reservation(rid)
        .ifPresent(
            r -> {
              Reservation.Builder b =
                  r.toBuilder()
                      .attention(
                          AttentionReason.SEND_FAILED, Text.reason(row.step().token() + ": " + why))
                      .updatedAt(u.now);
              if (r.state().isOpen()) {
                b.nextActionAt(null);
              }
              Reservation flagged = u.tx.updateReservation(b.build());
              u.event(rid, EventKind.ATTENTION, flagged.attentionReason(), TimelineEvent.SYSTEM);
            });
  }

  /** The delay before retry {@code attempts}: doubling from the initial backoff up to the max. */
  static Duration backoff(OcConfig config, int attempts) {
    Duration d = config.retryInitialBackoff();
    for (int i = 1; i < attempts && d.compareTo(config.retryMaxBackoff()) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(config.retryMaxBackoff()) > 0 ? config.retryMaxBackoff() : d;
  }
}
