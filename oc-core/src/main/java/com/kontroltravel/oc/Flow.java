package com.kontroltravel.oc;

import com.kontroltravel.oc.spi.AgencyPolicy;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.spi.MessageTemplates;
import com.kontroltravel.oc.spi.OcListener;
import com.kontroltravel.oc.spi.ReminderPolicy;
import com.kontroltravel.oc.spi.ReservationParser;
import com.kontroltravel.oc.spi.Store;
import java.time.Clock;
import java.util.List;

/**
 * The stages of the flow, wired once from the engine's parts: intake (with classification),
 * tracking, receipt, follow-up, digest, dispatch and manual actions, all over one {@link
 * Transactions}. {@link OcEngine} and {@link OcOperations} share it.
 */
final class Flow {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Flow.class);

  final OcConfig config;
  final Transactions transactions;
  final Intake intake;
  final Tracker tracker;
  final FollowUp followUp;
  final Digest digest;
  final Dispatcher dispatcher;
  final ManualActions actions;

  /** Whether a parser was given (reading documents, reprocessing messages). */
  final boolean canRead;

  private final ReservationParser parser;

  /** When every inbox was last read without an error (null before the first such read). */
  volatile java.time.Instant lastMailboxCheck;

  /** The parts a flow is made of; the gateway and the parser may be null for operations only. */
  record Parts(
      OcConfig config,
      Store store,
      MailGateway gateway,
      ReservationParser parser,
      AgencyPolicy agencyPolicy,
      ReminderPolicy reminderPolicy,
      MessageTemplates templates,
      Clock clock,
      List<OcListener> listeners) {}

  Flow(Parts p) {
    this.config = p.config();
    this.canRead = p.parser() != null;
    this.transactions =
        new Transactions(
            p.store(), p.clock(), p.agencyPolicy(), p.listeners(), config.messageIdDomain());
    Planner planner = new Planner(config.calendar());
    this.parser = ListenedParser.of(p.parser(), transactions);
    PrefetchingParser prefetching = parser == null ? null : new PrefetchingParser(parser);
    ReservationParser reading = prefetching == null ? parser : prefetching;
    Documents documents = new Documents(reading, config.calendar());
    Composer composer = new Composer(config, p.templates(), planner);
    Receiver receiver = new Receiver(config, documents, composer);
    this.tracker = new Tracker(config, p.reminderPolicy(), planner, documents);
    Classifier classifier = new Classifier(config, reading, documents);
    this.intake =
        new Intake(config, classifier, tracker, receiver, documents, transactions, prefetching);
    this.followUp = new FollowUp(config, p.reminderPolicy(), planner, composer, transactions);
    this.digest = new Digest(config, planner, composer, transactions);
    this.dispatcher = new Dispatcher(config, p.gateway(), config.calendar(), transactions);
    this.actions = new ManualActions(receiver, composer, documents, transactions);
  }

  /**
   * Warms the parser up in a background thread, so a first document read under load does not run
   * into the parser's time limit while classes load.
   */
  void warmUpParser() {
    if (parser == null) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              long started = System.nanoTime();
              try {
                parser.warmUp();
                LOG.debug("parser warmed up in {} ms", (System.nanoTime() - started) / 1_000_000);
              } catch (RuntimeException | LinkageError e) {
                LOG.warn("warming the parser up failed (ignored): {}", e.toString());
              }
            },
            "oc-parser-warm-up");
    t.setDaemon(true);
    t.start();
  }

  /** Reads every inbox once; returns how many new messages were recorded. */
  int readInboxes(List<MailGateway> inboxes) {
    return readInboxes(inboxes, () -> {});
  }

  /**
   * Reads every inbox once, calling {@code onNewMail} after each batch that recorded something (so
   * follow-up and sending overlap a long read); returns how many new messages were recorded.
   */
  int readInboxes(List<MailGateway> inboxes, Runnable onNewMail) {
    int recorded = 0;
    for (MailGateway g : inboxes) {
      recorded += intake.read(g, onNewMail);
    }
    lastMailboxCheck = transactions.now();
    intake.retryDue();
    return recorded;
  }

  /** Follows up due bookings, then queues the day's digest when it is due. */
  int followUpAndDigest() {
    int n = followUp.run(config.nodeId());
    digest.queueIfDue();
    transactions.run(u -> u.tx.purgeInboundContent(u.now.minus(config.inboundRetention())));
    return n;
  }
}
