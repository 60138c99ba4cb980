package com.kontroltravel.oc;

import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.exception.MailAccessException;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.spi.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OC tracking engine: reads confirmations, asks agencies for purchase orders, reminds them on a
 * business-day schedule, files the OCs they send, and lets operators act on every booking.
 *
 * <p>Build it once with {@link #builder()}; it is immutable and thread safe afterwards. {@link
 * #start()} runs the inbound, follow-up and dispatch loops on three engine threads; a host with its
 * own scheduler calls {@link #tick()} instead. All state lives in the {@link Store}, so an engine
 * can be killed at any point and restarted, and several engines may share one database.
 *
 * <pre>{@code
 * OcEngine engine = OcEngine.builder()
 *     .config(OcConfig.builder().mailboxAddress("oc@kontroltravel.com").build())
 *     .store(JdbcStore.sqlite(Path.of("data/oc_seguimiento.db")))
 *     .mailGateway(JakartaMailGateway.create(mailSettings))
 *     .reservationParser(PdfBoxReservationParser.create())
 *     .build();
 * engine.start();
 * }</pre>
 */
public final class OcEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OcEngine.class);

  /** How long {@link #close()} waits for in-flight work. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

  private final Flow flow;
  private final OcConfig config;
  private final Clock clock;
  private final List<MailGateway> inboxes;
  private final OcOperations operations;
  private final Map<String, String> problems = new ConcurrentHashMap<>();
  private final Object lifecycle = new Object();
  private volatile EngineLoops loops;
  private boolean started;
  private boolean closed;

  private OcEngine(Builder b) {
    this.config = b.config;
    this.clock = b.clock;
    List<MailGateway> all = new ArrayList<>();
    all.add(b.mailGateway);
    all.addAll(b.additionalInboxes);
    this.inboxes = List.copyOf(all);
    this.flow = b.flow(b.mailGateway);
    this.operations = new OcOperations(flow, this::wake);
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The configuration. */
  public OcConfig config() {
    return config;
  }

  /**
   * Queries and operator actions on this engine's store; an action wakes this engine's loops so its
   * consequences (an acknowledgement, a resent step) go out at once.
   */
  public OcOperations operations() {
    return operations;
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Starts the inbound, follow-up and dispatch loops, after taking back the claims this node id
   * still holds from a previous run (a restart after a crash resumes at once; node ids must be
   * unique among running engines). Uses IMAP IDLE (or any push the gateway offers) to wake the
   * inbound loop, with a poll every {@link OcConfig#pollInterval()} as a safety net.
   *
   * @throws IllegalStateException when already started or closed
   */
  public void start() {
    synchronized (lifecycle) {
      if (started || closed) {
        throw new IllegalStateException(closed ? "engine is closed" : "engine already started");
      }
      started = true;
      if (config.senderAuthentication() == OcConfig.SenderAuthentication.OFF) {
        log.warn(
            "SENDER AUTHENTICATION IS OFF: a forged From header of an allowed sender will be obeyed"
                + " (new bookings, cancellations and amendments alike)");
      }
      // A restarted engine comes back under the same node id: what its previous run had claimed
      // (and could not release, killed) is taken back now, not after the lease runs out.
      flow.transactions.run(u -> u.tx.releaseClaims(config.nodeId()));
      flow.warmUpParser();
      loops = new EngineLoops(flow, inboxes, clock, problems);
      loops.start();
    }
  }

  /**
   * Runs one round of every loop in this thread: reads new mail, follows up due bookings, sends due
   * messages. Safe to call while the loops run, and from several engines at once.
   */
  public TickReport tick() {
    long started = System.nanoTime();
    int received = 0;
    try {
      received = flow.readInboxes(inboxes);
      problems.remove("mailbox");
    } catch (MailAccessException e) {
      problems.put("mailbox", e.getMessage());
      log.warn("mailbox unavailable: {}", e.getMessage());
    }
    int followed = flow.followUpAndDigest();
    Dispatcher.Dispatched d = flow.dispatcher.run(config.nodeId());
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    flow.transactions.tell(l -> l.onTick("tick", took));
    return new TickReport(received, followed, d.sent(), d.failed());
  }

  /** Like {@link #tick()}, on an operator's request (recorded in the log). */
  public TickReport processNow(String actor) {
    log.info("process-now requested by {}", OcOperations.actor(actor));
    return tick();
  }

  /** Wakes the loops so they look at new work now (after a manual operation, say). */
  private void wake() {
    EngineLoops l = loops;
    if (l != null) {
      l.wake();
    }
  }

  /**
   * Closes what {@link #start()} opened: ends the mailboxes' push subscriptions (IMAP IDLE), stops
   * the inbound, follow-up and dispatch loops and waits up to {@link #DEFAULT_SHUTDOWN_TIMEOUT} for
   * each (a send in progress finishes and is recorded), then releases this engine's claims so
   * another engine can take the work at once. It does not close the store or the mail gateways:
   * they belong to the caller, who closes them after the engine. Idempotent; an engine that was
   * never started only releases its claims.
   */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      if (loops != null) {
        loops.stop(DEFAULT_SHUTDOWN_TIMEOUT);
      }
      try {
        flow.transactions.run(u -> u.tx.releaseClaims(config.nodeId()));
      } catch (RuntimeException e) {
        log.warn("could not release claims on close: {}", e.toString());
      }
      log.info("engine {} closed", config.nodeId());
    }
  }

  /** Whether the engine can work now; DEGRADED while the mailbox, the store or sending fails. */
  public Health health() {
    Map<String, String> p = new LinkedHashMap<>(problems);
    return new Health(p.isEmpty() ? Health.Status.UP : Health.Status.DEGRADED, p, clock.instant());
  }

  // ------------------------------------------------------------------ feeding

  /**
   * Records one message as if read from the mailbox, and acts on it. Idempotent by Message-ID (or
   * content hash). Never throws for bad input: the record says what became of it.
   */
  public InboundRecord ingest(InboundMessage message) {
    InboundRecord r = flow.intake.ingest(message, null).record();
    wake();
    return r;
  }

  /**
   * Tracks a booking from details a host already has, with the confirmation PDF to attach (may be
   * null).
   */
  public Reservation track(ReservationDetails details, byte[] confirmationPdf) {
    Objects.requireNonNull(details, "details == null");
    Attachment pdf = confirmationPdf == null ? null : Attachment.pdf(null, confirmationPdf);
    Reservation r =
        flow.transactions
            .call(u -> flow.tracker.track(u, details, pdf, null, TimelineEvent.SYSTEM, List.of()))
            .reservation();
    wake();
    return r;
  }

  /** Builds an {@link OcEngine}. Not thread safe. */
  public static final class Builder extends PartsBuilder<Builder> {
    private MailGateway mailGateway;
    private final List<MailGateway> additionalInboxes = new ArrayList<>();

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** The mailbox and the mail server (required): read for mail, and every message sent. */
    public Builder mailGateway(MailGateway v) {
      mailGateway = v;
      return this;
    }

    /**
     * Another mailbox to read (an OC-replies mailbox beside the confirmations one, say), with its
     * own gateway and cursor. Mail is sent through {@link #mailGateway} only.
     */
    public Builder additionalInbox(MailGateway v) {
      additionalInboxes.add(Objects.requireNonNull(v, "inbox == null"));
      return this;
    }

    /**
     * Builds the engine.
     *
     * @throws ConfigurationException listing every missing or invalid part
     */
    public OcEngine build() {
      List<String> problems = problems();
      if (mailGateway == null) {
        problems.add("mailGateway is required");
      }
      if (reservationParser == null) {
        problems.add("reservationParser is required");
      }
      if (!problems.isEmpty()) {
        throw new ConfigurationException(problems);
      }
      return new OcEngine(this);
    }
  }
}
