package com.kontroltravel.oc;

import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.exception.InvalidOperationException;
import com.kontroltravel.oc.exception.MailAccessException;
import com.kontroltravel.oc.exception.ReservationNotFoundException;
import com.kontroltravel.oc.exception.StoreException;
import com.kontroltravel.oc.internal.EngineLoop;
import com.kontroltravel.oc.internal.Workflow;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.Page;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.ReservationQuery;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.StoredDocument;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.spi.AgencyPolicy;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.spi.MessageTemplates;
import com.kontroltravel.oc.spi.OcListener;
import com.kontroltravel.oc.spi.ReminderPolicy;
import com.kontroltravel.oc.spi.ReservationParser;
import com.kontroltravel.oc.spi.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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

  private final Workflow workflow;
  private final OcConfig config;
  private final Clock clock;
  private final MailGateway gateway;
  private final Map<String, String> problems = new ConcurrentHashMap<>();
  private final Object lifecycle = new Object();
  private List<EngineLoop> loops = List.of();
  private AutoCloseable push;
  private boolean started;
  private boolean closed;

  private OcEngine(Builder b) {
    this.config = b.config;
    this.clock = b.clock;
    this.gateway = b.mailGateway;
    this.workflow =
        new Workflow(
            b.store,
            b.mailGateway,
            b.reservationParser,
            b.agencyPolicy,
            b.reminderPolicy,
            b.templates,
            b.config,
            b.clock,
            b.listeners);
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The configuration. */
  public OcConfig config() {
    return config;
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Starts the inbound, follow-up and dispatch loops. Uses IMAP IDLE (or any push the gateway
   * offers) to wake the inbound loop, with a poll every {@link OcConfig#pollInterval()} as a safety
   * net.
   *
   * @throws IllegalStateException when already started or closed
   */
  public void start() {
    synchronized (lifecycle) {
      if (started || closed) {
        throw new IllegalStateException(closed ? "engine is closed" : "engine already started");
      }
      started = true;
      EngineLoop[] chain = new EngineLoop[3];
      EngineLoop inbound =
          new EngineLoop(
              "oc-inbound",
              () -> {
                if (workflow.intake() > 0) {
                  // New mail may have queued work (an acknowledgement) as well as made bookings
                  // due.
                  chain[1].wake();
                  chain[2].wake();
                }
                return config.pollInterval();
              },
              ok("mailbox"),
              failed("mailbox"),
              config.pollInterval());
      EngineLoop followUp =
          new EngineLoop(
              "oc-follow-up",
              () -> {
                if (workflow.followUp(config.nodeId()) > 0) {
                  chain[2].wake();
                }
                return untilNext(workflow.earliestNextAction());
              },
              ok("follow-up"),
              failed("follow-up"),
              config.pollInterval());
      EngineLoop dispatch =
          new EngineLoop(
              "oc-dispatch",
              () -> {
                Workflow.Dispatched d = workflow.dispatch(config.nodeId());
                if (d.failed() > 0 && d.sent() == 0) {
                  problems.put("sending", d.failed() + " message(s) failed in the last round");
                } else if (d.sent() > 0) {
                  problems.remove("sending");
                }
                return untilNext(workflow.earliestPendingOutbox());
              },
              ok("dispatch"),
              failed("dispatch"),
              config.pollInterval());
      chain[0] = inbound;
      chain[1] = followUp;
      chain[2] = dispatch;
      loops = List.of(inbound, followUp, dispatch);
      if (gateway != null) {
        try {
          push = gateway.subscribe(inbound::wake).orElse(null);
        } catch (RuntimeException e) {
          log.warn("push subscription failed; polling only: {}", e.toString());
        }
      }
      loops.forEach(EngineLoop::start);
      log.info("engine {} started (push: {})", config.nodeId(), push != null);
    }
  }

  private java.util.function.Consumer<Throwable> failed(String component) {
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
    Duration max = Duration.ofMinutes(1);
    if (next.isEmpty()) {
      return max;
    }
    Duration d = Duration.between(clock.instant(), next.get());
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      return Duration.ofSeconds(1);
    }
    return d.compareTo(max) > 0 ? max : d;
  }

  /**
   * Runs one round of every loop in this thread: reads new mail, follows up due bookings, sends due
   * messages. Safe to call while the loops run, and from several engines at once.
   */
  public TickReport tick() {
    int received = 0;
    try {
      received = workflow.intake();
      problems.remove("mailbox");
    } catch (MailAccessException e) {
      problems.put("mailbox", e.getMessage());
      log.warn("mailbox unavailable: {}", e.getMessage());
    }
    int followed = workflow.followUp(config.nodeId());
    Workflow.Dispatched d = workflow.dispatch(config.nodeId());
    return new TickReport(received, followed, d.sent(), d.failed());
  }

  /** Like {@link #tick()}, on an operator's request (recorded in the log). */
  public TickReport processNow(String actor) {
    log.info("process-now requested by {}", safeActor(actor));
    return tick();
  }

  /** Wakes the loops so they look at new work now (after a manual operation, say). */
  private void wake() {
    for (EngineLoop l : loops) {
      l.wake();
    }
  }

  /**
   * Stops the loops, waits for in-flight sends, and releases this engine's claims so another engine
   * can take the work at once. Does not close the store or the gateway, which belong to the caller.
   * Idempotent.
   */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      if (push != null) {
        try {
          push.close();
        } catch (Exception e) {
          log.debug("closing push subscription: {}", e.toString());
        }
      }
      for (EngineLoop l : loops) {
        l.stop();
      }
      for (EngineLoop l : loops) {
        l.await(DEFAULT_SHUTDOWN_TIMEOUT);
      }
      try {
        workflow.releaseClaims(config.nodeId());
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
    InboundRecord r = workflow.ingest(message, null).record();
    wake();
    return r;
  }

  /**
   * Tracks a booking from details a host already has, with the confirmation PDF to attach (may be
   * null).
   */
  public Reservation track(ReservationDetails details, byte[] confirmationPdf) {
    Reservation r = workflow.track(details, confirmationPdf, TimelineEvent.SYSTEM);
    wake();
    return r;
  }

  // ------------------------------------------------------------------ manual operations

  /**
   * Marks the booking's OC received.
   *
   * @param ocNumber the OC number, or null
   * @param document the OC document, or null
   * @param actor the operator
   * @throws ReservationNotFoundException when there is no such booking
   * @throws InvalidOperationException when it is already received
   */
  public Reservation markReceived(
      String reservationId, String ocNumber, Attachment document, String actor) {
    Reservation r = workflow.markReceived(id(reservationId), ocNumber, document, safeActor(actor));
    wake();
    return r;
  }

  /** Cancels the chase of a booking; pending messages are cancelled. */
  public Reservation cancel(String reservationId, String reason, String actor) {
    return workflow.cancel(id(reservationId), reason, safeActor(actor));
  }

  /** Sends a step again, under a new Message-ID (generation), now. */
  public OutboxMessage resend(String reservationId, Step step, String actor) {
    OutboxMessage m =
        workflow.resend(
            id(reservationId), Objects.requireNonNull(step, "step == null"), safeActor(actor));
    wake();
    return m;
  }

  /** Pauses the chase of a booking. */
  public Reservation pause(String reservationId, String actor) {
    return workflow.pause(id(reservationId), safeActor(actor));
  }

  /** Resumes the chase, clears its attention flag and re-plans it now. */
  public Reservation resume(String reservationId, String actor) {
    Reservation r = workflow.resume(id(reservationId), safeActor(actor));
    wake();
    return r;
  }

  /** Files a purchase order from the review queue against a booking. */
  public Reservation assignPurchaseOrder(String inboundKey, String reservationId, String actor) {
    Reservation r =
        workflow.assignPurchaseOrder(
            Objects.requireNonNull(inboundKey, "inboundKey == null"),
            id(reservationId),
            safeActor(actor));
    wake();
    return r;
  }

  /** Adds or replaces an agency in the store (used when the agency policy is the store's). */
  public void putAgency(Agency agency, String actor) {
    workflow.putAgency(Objects.requireNonNull(agency, "agency == null"));
    log.info("agency {} saved by {}", agency.name(), safeActor(actor));
    wake();
  }

  // ------------------------------------------------------------------ queries

  /** The booking with this id. */
  public Optional<Reservation> reservation(String reservationId) {
    return workflow.reservation(id(reservationId));
  }

  /** Bookings whose id, LOC interno or localizador is {@code reference}. */
  public List<Reservation> find(String reference) {
    return workflow.find(Objects.requireNonNull(reference, "reference == null"));
  }

  /** A page of bookings. */
  public Page<Reservation> list(ReservationQuery query) {
    return workflow.list(Objects.requireNonNull(query, "query == null"));
  }

  /** A booking's timeline, oldest first. */
  public List<TimelineEvent> timeline(String reservationId) {
    return workflow.timeline(id(reservationId));
  }

  /** The messages queued for a booking, oldest first. */
  public List<OutboxMessage> messages(String reservationId) {
    return workflow.messages(id(reservationId));
  }

  /** Purchase orders waiting for a person (unmatched or ambiguous), newest first. */
  public List<InboundRecord> reviewQueue() {
    return workflow.inbound(InboundOutcome.REVIEW, 500);
  }

  /** Recorded inbound messages with this outcome, newest first. */
  public List<InboundRecord> inbound(InboundOutcome outcome, int limit) {
    return workflow.inbound(Objects.requireNonNull(outcome, "outcome == null"), limit);
  }

  /** A stored document. */
  public Optional<StoredDocument> document(String documentId) {
    return workflow.document(Objects.requireNonNull(documentId, "documentId == null"));
  }

  /** The agencies in the store. */
  public List<Agency> agencies() {
    return workflow.agencies();
  }

  /** Counts for dashboards. */
  public Statistics statistics() {
    return workflow.statistics();
  }

  private static String id(String reservationId) {
    Objects.requireNonNull(reservationId, "reservationId == null");
    if (reservationId.isBlank()) {
      throw new IllegalArgumentException("reservationId is blank");
    }
    return reservationId.trim();
  }

  private static String safeActor(String actor) {
    Objects.requireNonNull(actor, "actor == null");
    String a = com.kontroltravel.oc.internal.Headers.clean(actor);
    if (a.isEmpty()) {
      throw new IllegalArgumentException("actor is blank");
    }
    return a.length() > 100 ? a.substring(0, 100) : a;
  }

  /** Builds an {@link OcEngine}. Not thread safe. */
  public static final class Builder {
    private OcConfig config;
    private Store store;
    private MailGateway mailGateway;
    private ReservationParser reservationParser;
    private AgencyPolicy agencyPolicy;
    private ReminderPolicy reminderPolicy = ReminderPolicy.DEFAULT;
    private MessageTemplates templates = MessageTemplates.defaults();
    private Clock clock = Clock.systemUTC();
    private final List<OcListener> listeners = new ArrayList<>();

    private Builder() {}

    /** The configuration (required). */
    public Builder config(OcConfig v) {
      config = v;
      return this;
    }

    /** Where state lives (required). */
    public Builder store(Store v) {
      store = v;
      return this;
    }

    /** The mailbox and the mail server (required). */
    public Builder mailGateway(MailGateway v) {
      mailGateway = v;
      return this;
    }

    /** Reads confirmation and OC documents (required). */
    public Builder reservationParser(ReservationParser v) {
      reservationParser = v;
      return this;
    }

    /** Agency lookup; defaults to the agencies kept in the store. */
    public Builder agencyPolicy(AgencyPolicy v) {
      agencyPolicy = v;
      return this;
    }

    /** Chase schedule; defaults to {@link ReminderPolicy#DEFAULT}. */
    public Builder reminderPolicy(ReminderPolicy v) {
      reminderPolicy = v;
      return this;
    }

    /** Email templates; defaults to {@link MessageTemplates#defaults()}. */
    public Builder templates(MessageTemplates v) {
      templates = v;
      return this;
    }

    /** The clock all time comes from; defaults to the system clock (UTC). */
    public Builder clock(Clock v) {
      clock = v;
      return this;
    }

    /** Adds a listener. */
    public Builder listener(OcListener v) {
      listeners.add(Objects.requireNonNull(v, "listener == null"));
      return this;
    }

    /**
     * Builds the engine.
     *
     * @throws ConfigurationException listing every missing or invalid part
     */
    public OcEngine build() {
      List<String> problems = new ArrayList<>();
      if (config == null) {
        problems.add("config is required");
      }
      if (store == null) {
        problems.add("store is required");
      }
      if (mailGateway == null) {
        problems.add("mailGateway is required");
      }
      if (reservationParser == null) {
        problems.add("reservationParser is required");
      }
      if (reminderPolicy == null) {
        problems.add("reminderPolicy must not be null");
      }
      if (templates == null) {
        problems.add("templates must not be null");
      }
      if (clock == null) {
        problems.add("clock must not be null");
      }
      if (!problems.isEmpty()) {
        throw new ConfigurationException(problems);
      }
      return new OcEngine(this);
    }
  }
}
