package com.kontroltravel.oc.internal;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.Statistics;
import com.kontroltravel.oc.exception.InvalidOperationException;
import com.kontroltravel.oc.exception.ReservationNotFoundException;
import com.kontroltravel.oc.exception.StoreConflictException;
import com.kontroltravel.oc.exception.StoreException;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.DocumentKind;
import com.kontroltravel.oc.model.EventKind;
import com.kontroltravel.oc.model.FetchBatch;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.MailboxCursor;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.OutboxStatus;
import com.kontroltravel.oc.model.ParseResult;
import com.kontroltravel.oc.model.PurchaseOrder;
import com.kontroltravel.oc.model.PurchaseOrderInfo;
import com.kontroltravel.oc.model.ReminderSchedule;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.ScheduledStep;
import com.kontroltravel.oc.model.SendResult;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.StoredDocument;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.spi.AgencyPolicy;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.spi.MessageTemplates;
import com.kontroltravel.oc.spi.OcListener;
import com.kontroltravel.oc.spi.ReminderPolicy;
import com.kontroltravel.oc.spi.ReservationParser;
import com.kontroltravel.oc.spi.Store;
import com.kontroltravel.oc.spi.StoreTransaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's workflow: intake and classification, tracking, follow-up, dispatch, receipt and
 * manual operations. Thread safe: all state lives in the store; each operation is one or more
 * retried units of work.
 */
public final class Workflow {
  private static final Logger log = LoggerFactory.getLogger(Workflow.class);
  private static final int MAX_TX_ATTEMPTS = 8;
  private static final int FETCH_BATCH = 50;
  private static final int MAX_FETCH_BATCHES = 1000;
  private static final int MAX_REFERENCE_LOOKUPS = 60;

  private final Store store;
  private final MailGateway gateway;
  private final ReservationParser parser;
  private final AgencyPolicy agencyPolicy;
  private final ReminderPolicy reminderPolicy;
  private final OcConfig config;
  private final Clock clock;
  private final List<OcListener> listeners;
  private final Planner planner;
  private final Composer composer;
  private final MessageTemplates templates;

  public Workflow(
      Store store,
      MailGateway gateway,
      ReservationParser parser,
      AgencyPolicy agencyPolicy,
      ReminderPolicy reminderPolicy,
      MessageTemplates templates,
      OcConfig config,
      Clock clock,
      List<OcListener> listeners) {
    this.store = store;
    this.gateway = gateway;
    this.parser = parser;
    this.agencyPolicy = agencyPolicy;
    this.reminderPolicy = reminderPolicy;
    this.templates = templates;
    this.config = config;
    this.clock = clock;
    this.listeners = List.copyOf(listeners);
    this.planner = new Planner(config.calendar());
    this.composer = new Composer(config, templates);
  }

  public Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  // ------------------------------------------------------------------ transactions

  /** A unit of work plus the events it produced, fired to listeners after commit. */
  final class Ctx {
    final StoreTransaction tx;
    final Instant now;
    final List<TimelineEvent> events = new ArrayList<>();
    final List<InboundRecord> inbound = new ArrayList<>();

    Ctx(StoreTransaction tx, Instant now) {
      this.tx = tx;
      this.now = now;
    }

    void event(String reservationId, EventKind kind, String detail, String actor) {
      TimelineEvent e = new TimelineEvent(reservationId, now, kind, detail, actor);
      tx.appendEvent(e);
      events.add(e);
    }

    Optional<Agency> agency(String name) {
      if (name == null) {
        return Optional.empty();
      }
      return agencyPolicy != null ? agencyPolicy.find(name) : tx.agency(name);
    }
  }

  <T> T tx(Function<Ctx, T> work) {
    StoreConflictException last = null;
    for (int attempt = 1; attempt <= MAX_TX_ATTEMPTS; attempt++) {
      List<Ctx> holder = new ArrayList<>(1);
      try {
        T result =
            store.inTransaction(
                t -> {
                  Ctx c = new Ctx(t, now());
                  holder.clear();
                  holder.add(c);
                  return work.apply(c);
                });
        if (!holder.isEmpty()) {
          fire(holder.get(0));
        }
        return result;
      } catch (StoreConflictException e) {
        last = e;
        log.debug("unit of work conflicted (attempt {}): {}", attempt, e.getMessage());
      }
    }
    throw last;
  }

  void txRun(java.util.function.Consumer<Ctx> work) {
    tx(
        c -> {
          work.accept(c);
          return null;
        });
  }

  private void fire(Ctx c) {
    for (OcListener l : listeners) {
      for (TimelineEvent e : c.events) {
        try {
          l.onEvent(e);
        } catch (RuntimeException ex) {
          log.warn("listener {} failed on an event: {}", l, ex.toString());
        }
      }
      for (InboundRecord r : c.inbound) {
        try {
          l.onInbound(r);
        } catch (RuntimeException ex) {
          log.warn("listener {} failed on an inbound record: {}", l, ex.toString());
        }
      }
    }
  }

  private Reservation require(Ctx c, String reservationId) {
    return c.tx
        .reservation(reservationId)
        .orElseThrow(() -> new ReservationNotFoundException(reservationId));
  }

  // ------------------------------------------------------------------ intake

  /**
   * Reads every new message of the mailbox, records each, and saves the cursor after each one.
   *
   * @return how many new messages were recorded
   */
  public int intake() {
    if (gateway == null) {
      return 0;
    }
    String mailbox = gateway.mailbox();
    MailboxCursor cursor = tx(c -> c.tx.cursor(mailbox).orElse(null));
    int recorded = 0;
    for (int batchNo = 0; batchNo < MAX_FETCH_BATCHES; batchNo++) {
      FetchBatch batch = gateway.fetch(cursor, FETCH_BATCH);
      for (InboundMessage m : batch.messages()) {
        boolean isNew = ingest(m, m.position()).isNew();
        if (isNew) {
          recorded++;
        }
        try {
          gateway.markProcessed(m);
        } catch (RuntimeException e) {
          log.warn("gateway could not mark message {} processed: {}", m.messageId(), e.toString());
        }
      }
      MailboxCursor after = batch.cursor();
      txRun(c -> c.tx.putCursor(after));
      cursor = after;
      if (!batch.hasMore()) {
        break;
      }
    }
    return recorded;
  }

  /** What {@link #ingest} did. */
  public record Ingested(InboundRecord record, boolean isNew) {}

  /** Records one inbound message once and acts on it. Never throws for bad input. */
  public Ingested ingest(InboundMessage m, MailboxCursor position) {
    Objects.requireNonNull(m, "message == null");
    String key = m.dedupKey();
    Optional<InboundRecord> existing = tx(c -> c.tx.inbound(key));
    if (existing.isPresent()) {
      if (position != null) {
        savePosition(position);
      }
      return new Ingested(existing.get(), false);
    }
    Decision d;
    try {
      d = classify(m);
    } catch (StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      log.error("classifying message {} failed", key, e);
      d = Decision.of(InboundOutcome.QUARANTINED, "internal error while classifying: " + e);
    }
    Decision decision = d;
    try {
      return tx(c -> apply(c, m, key, decision, position));
    } catch (StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      log.error("processing message {} failed", key, e);
      Decision q = Decision.of(InboundOutcome.QUARANTINED, "internal error while processing: " + e);
      return tx(c -> apply(c, m, key, q, position));
    }
  }

  private void savePosition(MailboxCursor position) {
    txRun(c -> c.tx.putCursor(position));
  }

  /** The classification of a message, made before its unit of work. */
  static final class Decision {
    InboundOutcome outcome;
    String reason;
    ReservationDetails details;
    Attachment pdf;
    List<String> parseProblems = List.of();
    String reservationId;
    PurchaseOrderInfo ocInfo;
    String note;

    static Decision of(InboundOutcome outcome, String reason) {
      Decision d = new Decision();
      d.outcome = outcome;
      d.reason = reason;
      return d;
    }
  }

  private Decision classify(InboundMessage m) {
    if (!m.problems().isEmpty()) {
      return Decision.of(InboundOutcome.QUARANTINED, String.join("; ", m.problems()));
    }
    List<Attachment> pdfs = m.attachments().stream().filter(Attachment::isPdf).toList();
    String replyTo = findThread(m);
    boolean allowed = config.isAllowedSender(m.from());
    String subject = Text.fold(m.subject());
    boolean confirmationSubject =
        config.confirmationKeywords().stream().map(Text::fold).anyMatch(subject::contains);
    if (allowed && replyTo == null && confirmationSubject) {
      if (config.requireAuthenticatedSenders() && !m.authenticated()) {
        return Decision.of(
            InboundOutcome.QUARANTINED,
            "sender " + m.from() + " is allowed but was not authenticated");
      }
      if (pdfs.isEmpty()) {
        return Decision.of(InboundOutcome.QUARANTINED, "confirmation without a PDF attachment");
      }
      return classifyConfirmation(pdfs);
    }
    return classifyPurchaseOrder(m, pdfs, replyTo, allowed);
  }

  private Decision classifyConfirmation(List<Attachment> pdfs) {
    List<String> problems = new ArrayList<>();
    for (Attachment pdf : pdfs) {
      ParseResult result;
      try {
        result = parser.parse(pdf.content());
      } catch (RuntimeException e) {
        problems.add(name(pdf) + ": parser failed: " + e);
        continue;
      }
      if (result == null || result.details() == null) {
        problems.add(
            name(pdf) + ": " + (result == null ? "no result" : joinProblems(result.problems())));
        continue;
      }
      ReservationDetails det = result.details();
      List<String> missing = new ArrayList<>();
      if (det.agencyName() == null || det.agencyName().isBlank()) {
        missing.add("agencyName");
      }
      if (!missing.isEmpty()) {
        problems.add(name(pdf) + ": missing required fields: " + String.join(", ", missing));
        continue;
      }
      Decision d =
          Decision.of(
              InboundOutcome.CONFIRMATION, "confirmation for booking " + det.reservationId());
      d.details = det;
      d.pdf = pdf;
      d.parseProblems = result.problems().stream().map(Object::toString).toList();
      return d;
    }
    return Decision.of(
        InboundOutcome.QUARANTINED,
        "confirmation PDF could not be read: " + String.join("; ", problems));
  }

  private static String name(Attachment a) {
    return a.fileName() == null ? "(unnamed PDF)" : Headers.clean(a.fileName());
  }

  private static String joinProblems(List<?> problems) {
    List<String> s = new ArrayList<>();
    for (Object p : problems) {
      s.add(p.toString());
    }
    return s.isEmpty() ? "no details" : String.join("; ", s);
  }

  private String findThread(InboundMessage m) {
    List<String> ids = new ArrayList<>(m.inReplyTo());
    ids.addAll(m.references());
    if (ids.isEmpty()) {
      return null;
    }
    return tx(
        c -> {
          for (String id : ids) {
            Optional<OutboxMessage> o = c.tx.outboxByMessageId(id);
            if (o.isPresent() && o.get().reservationId() != null) {
              return o.get().reservationId();
            }
          }
          return null;
        });
  }

  /** A best-effort reading of an OC document; null for no document; never throws. */
  private PurchaseOrderInfo readOc(Attachment pdf) {
    if (pdf == null) {
      return null;
    }
    try {
      return parser.readPurchaseOrder(pdf.content());
    } catch (RuntimeException e) {
      return PurchaseOrderInfo.unreadable("reader failed: " + e);
    }
  }

  private Decision classifyPurchaseOrder(
      InboundMessage m, List<Attachment> pdfs, String replyTo, boolean allowedSender) {
    Attachment pdf = pdfs.isEmpty() ? null : pdfs.get(0);
    PurchaseOrderInfo info = readOc(pdf);
    String docText = info == null ? "" : info.text();
    boolean ocWording =
        Text.hasOcWording(m.subject())
            || Text.hasOcWording(m.textBody())
            || Text.hasOcWording(docText);
    if (replyTo == null && !ocWording) {
      return Decision.of(
          InboundOutcome.IGNORED,
          allowedSender
              ? "subject is not a confirmation and carries no purchase-order wording"
              : "not from an allowed sender, not a reply to our messages, and no purchase-order wording");
    }
    Set<String> tokens = new LinkedHashSet<>(Text.referenceTokens(m.subject(), 20));
    tokens.addAll(Text.referenceTokens(m.textBody(), 30));
    if (info != null) {
      tokens.addAll(info.references());
      tokens.addAll(Text.referenceTokens(docText, 30));
    }
    Set<String> named = new LinkedHashSet<>();
    List<String> lookups = tokens.stream().limit(MAX_REFERENCE_LOOKUPS).toList();
    tx(
        c -> {
          for (String t : lookups) {
            for (Reservation r : c.tx.findByReference(t)) {
              named.add(r.id());
            }
          }
          return null;
        });
    Decision d;
    if (replyTo != null) {
      Set<String> others = new LinkedHashSet<>(named);
      others.remove(replyTo);
      if (!others.isEmpty()) {
        d =
            Decision.of(
                InboundOutcome.REVIEW,
                "reply to booking "
                    + replyTo
                    + " also names booking(s) "
                    + String.join(", ", others));
      } else if (pdf == null) {
        d =
            Decision.of(
                InboundOutcome.IGNORED,
                "reply about booking " + replyTo + " without a PDF document");
        d.reservationId = replyTo;
        d.note =
            "The agency replied without attaching an OC document: "
                + Text.truncate(m.subject(), 120);
        return d;
      } else {
        d =
            Decision.of(
                InboundOutcome.PURCHASE_ORDER, "purchase order (reply) for booking " + replyTo);
        d.reservationId = replyTo;
      }
    } else if (named.size() == 1) {
      String id = named.iterator().next();
      if (pdf == null) {
        d =
            Decision.of(
                InboundOutcome.REVIEW,
                "purchase-order wording naming booking " + id + " but no PDF attached");
      } else if (!knownSender(id, m.from())) {
        // Not a reply to our request and not from the agency: filing it would let anyone close a
        // chase
        // and receive the booking's details in the acknowledgement. A person decides.
        d =
            Decision.of(
                InboundOutcome.REVIEW,
                "purchase order naming booking "
                    + id
                    + " from "
                    + m.from()
                    + ", who is not a known address of its agency");
      } else {
        d = Decision.of(InboundOutcome.PURCHASE_ORDER, "purchase order naming booking " + id);
        d.reservationId = id;
      }
    } else if (named.isEmpty()) {
      d = Decision.of(InboundOutcome.REVIEW, "purchase order that matches no tracked booking");
    } else {
      d =
          Decision.of(
              InboundOutcome.REVIEW,
              "purchase order naming " + named.size() + " bookings: " + String.join(", ", named));
    }
    d.pdf = pdf;
    d.ocInfo = info;
    return d;
  }

  private static final Set<String> PUBLIC_MAIL_DOMAINS =
      Set.of(
          "gmail.com",
          "googlemail.com",
          "hotmail.com",
          "outlook.com",
          "live.com",
          "yahoo.com",
          "yahoo.es",
          "icloud.com",
          "proton.me",
          "protonmail.com",
          "aol.com",
          "gmx.com");

  /**
   * Whether {@code from} belongs to the agency of booking {@code reservationId}: one of its contact
   * or cc addresses, a domain configured for it, or the (non-public) domain of one of its contacts.
   */
  private boolean knownSender(String reservationId, String from) {
    if (from == null || !from.contains("@")) {
      return false;
    }
    String domain = from.substring(from.lastIndexOf('@') + 1);
    return tx(
        c -> {
          Optional<Reservation> r = c.tx.reservation(reservationId);
          Optional<Agency> a = r.flatMap(x -> c.agency(x.details().agencyName()));
          if (a.isEmpty()) {
            return false;
          }
          Agency agency = a.get();
          if (agency.contacts().stream().anyMatch(from::equalsIgnoreCase)
              || agency.cc().stream().anyMatch(from::equalsIgnoreCase)
              || agency.emailDomains().contains(domain)) {
            return true;
          }
          return !PUBLIC_MAIL_DOMAINS.contains(domain)
              && agency.contacts().stream()
                  .anyMatch(x -> x.toLowerCase(java.util.Locale.ROOT).endsWith("@" + domain));
        });
  }

  private Ingested apply(Ctx c, InboundMessage m, String key, Decision d, MailboxCursor position) {
    Instant received = m.date() != null ? m.date() : c.now;
    InboundRecord record =
        new InboundRecord(
            key,
            m.messageId(),
            m.from(),
            Text.truncate(Headers.clean(m.subject()), 500),
            received,
            c.now,
            d.outcome,
            d.reason,
            d.reservationId,
            List.of());
    if (!c.tx.insertInbound(record)) {
      return new Ingested(c.tx.inbound(key).orElseThrow(), false);
    }
    String reason = d.reason;
    String reservationId = d.reservationId;
    List<String> docs = new ArrayList<>();
    switch (d.outcome) {
      case CONFIRMATION -> {
        Tracked t = track(c, d.details, d.pdf, m.date(), TimelineEvent.SYSTEM, d.parseProblems);
        reservationId = t.reservation.id();
        reason = t.summary;
        if (t.documentId != null) {
          docs.add(t.documentId);
        }
      }
      case PURCHASE_ORDER -> {
        Reservation r = require(c, d.reservationId);
        Received rc = receive(c, r, d.pdf, d.ocInfo, null, m.from(), TimelineEvent.SYSTEM, true);
        reason = d.reason + "; " + rc.summary;
        if (rc.documentId != null) {
          docs.add(rc.documentId);
        }
      }
      case REVIEW -> {
        if (d.pdf != null) {
          StoredDocument doc = storeDocument(c, null, DocumentKind.PURCHASE_ORDER, d.pdf, c.now);
          docs.add(doc.id());
        }
      }
      case IGNORED -> {
        if (d.note != null && d.reservationId != null) {
          Optional<Reservation> r = c.tx.reservation(d.reservationId);
          if (r.isPresent()) {
            c.event(d.reservationId, EventKind.NOTE, d.note, TimelineEvent.SYSTEM);
            if (r.get().state().isOpen() && !r.get().needsAttention()) {
              c.tx.updateReservation(
                  r.get().toBuilder()
                      .attentionReason("Respuesta de la agencia sin OC adjunta")
                      .updatedAt(c.now)
                      .build());
              c.event(
                  d.reservationId,
                  EventKind.ATTENTION,
                  "agency replied without an OC document",
                  TimelineEvent.SYSTEM);
            }
          }
        }
      }
      case QUARANTINED -> {}
    }
    InboundRecord done =
        new InboundRecord(
            key,
            m.messageId(),
            m.from(),
            record.subject(),
            received,
            c.now,
            d.outcome,
            reason,
            reservationId,
            docs);
    c.tx.updateInbound(done);
    if (position != null) {
      c.tx.putCursor(position);
    }
    c.inbound.add(done);
    return new Ingested(done, true);
  }

  // ------------------------------------------------------------------ tracking

  record Tracked(Reservation reservation, String documentId, String summary) {}

  /** Tracks a booking fed directly by a host application. */
  public Reservation track(ReservationDetails details, byte[] pdf, String actor) {
    Objects.requireNonNull(details, "details == null");
    Attachment a = pdf == null ? null : Attachment.pdf(null, pdf);
    return tx(c -> track(c, details, a, null, actor, List.of()).reservation);
  }

  private Tracked track(
      Ctx c,
      ReservationDetails details,
      Attachment pdf,
      Instant emailDate,
      String actor,
      List<String> parseProblems) {
    Optional<Reservation> existing = c.tx.reservation(details.reservationId());
    if (existing.isPresent()) {
      return amend(c, existing.get(), details, pdf, actor);
    }
    Instant now = c.now;
    LocalDate dayZero =
        details.issueDate() != null
            ? details.issueDate()
            : planner.calendar().dateOf(emailDate != null ? emailDate : now);
    Reservation.Builder b = Reservation.builder(details, dayZero, now);
    Optional<Agency> agency = c.agency(details.agencyName());
    String attention = null;
    String why;
    TrackingState state = TrackingState.PENDING;
    if (details.isCancelled()) {
      state = TrackingState.CANCELLED;
      why = "the confirmation says the booking is " + details.status();
    } else if (agency.isEmpty()) {
      if (config.unknownAgency() == OcConfig.UnknownAgencyAction.NOT_REQUIRED) {
        state = TrackingState.NOT_REQUIRED;
        why = "agency '" + details.agencyName() + "' is not configured (treated as owing no OC)";
      } else {
        attention = "Agencia no configurada: " + details.agencyName();
        why = "agency '" + details.agencyName() + "' is not configured";
      }
    } else if (!agency.get().active()) {
      state = TrackingState.NOT_REQUIRED;
      why = "agency " + agency.get().name() + " is inactive";
    } else if (!agency.get().requiresOc()) {
      state = TrackingState.NOT_REQUIRED;
      why = "agency " + agency.get().name() + " does not require an OC";
    } else if (Headers.validAddresses(agency.get().contacts()).isEmpty()) {
      attention = "La agencia requiere OC pero no tiene correo de contacto";
      why = "agency " + agency.get().name() + " requires an OC but has no contact address";
    } else {
      why = "agency " + agency.get().name() + " requires an OC";
    }
    Reservation r = b.state(state).attentionReason(attention).build();
    if (state == TrackingState.PENDING && attention == null) {
      ReminderSchedule schedule = reminderPolicy.scheduleFor(agency.orElse(null));
      r = r.toBuilder().nextActionAt(planner.dueTime(r, schedule.steps().get(0), schedule)).build();
    }
    r = c.tx.insertReservation(r);
    String docId = null;
    if (pdf != null) {
      docId = storeDocument(c, r.id(), DocumentKind.CONFIRMATION, pdf, now).id();
      r = c.tx.updateReservation(r.toBuilder().confirmationDocumentId(docId).build());
    }
    c.event(
        r.id(),
        EventKind.TRACKED,
        "tracked as " + state.label() + ": " + why + ", day 0 " + dayZero,
        actor);
    if (!parseProblems.isEmpty()) {
      c.event(
          r.id(), EventKind.NOTE, "parser reported: " + String.join("; ", parseProblems), actor);
    }
    if (attention != null) {
      c.event(r.id(), EventKind.ATTENTION, attention, actor);
    }
    return new Tracked(r, docId, "tracked booking " + r.id() + " as " + state.label());
  }

  private Tracked amend(
      Ctx c, Reservation r, ReservationDetails details, Attachment pdf, String actor) {
    ReservationDetails merged = merge(r.details(), details);
    List<String> changes = diff(r.details(), merged);
    Reservation.Builder b = r.toBuilder().details(merged).updatedAt(c.now);
    String docId = null;
    if (pdf != null) {
      docId = storeDocument(c, r.id(), DocumentKind.CONFIRMATION, pdf, c.now).id();
      b.confirmationDocumentId(docId);
    }
    String summary;
    if (details.isCancelled()
        && r.state() != TrackingState.CANCELLED
        && r.state() != TrackingState.RECEIVED) {
      int cancelled = c.tx.cancelPendingOutbox(r.id(), "booking cancelled");
      b.state(TrackingState.CANCELLED).nextActionAt(null).attentionReason(null);
      c.event(
          r.id(),
          EventKind.CANCELLED,
          "a new confirmation says the booking is "
              + details.status()
              + (cancelled > 0 ? "; " + cancelled + " pending message(s) cancelled" : ""),
          actor);
      c.event(
          r.id(),
          EventKind.STATE_CHANGED,
          r.state().label() + " -> " + TrackingState.CANCELLED.label(),
          actor);
      summary = "booking " + r.id() + " cancelled by a new confirmation";
    } else if (!changes.isEmpty()) {
      c.event(
          r.id(), EventKind.UPDATED, "amended confirmation: " + String.join("; ", changes), actor);
      summary = "booking " + r.id() + " updated (" + changes.size() + " field(s))";
    } else {
      c.event(r.id(), EventKind.NOTE, "the same confirmation arrived again", actor);
      summary = "booking " + r.id() + " already tracked, unchanged";
    }
    Reservation updated = c.tx.updateReservation(b.build());
    return new Tracked(updated, docId, summary);
  }

  private static ReservationDetails merge(ReservationDetails old, ReservationDetails neu) {
    return new ReservationDetails(
        neu.reservationId(),
        pick(neu.internalLocator(), old.internalLocator()),
        pick(neu.locator(), old.locator()),
        pick(neu.agencyName(), old.agencyName()),
        pick(neu.status(), old.status()),
        pick(neu.issueDate(), old.issueDate()),
        pick(neu.hotelName(), old.hotelName()),
        pick(neu.checkIn(), old.checkIn()),
        pick(neu.checkOut(), old.checkOut()),
        pick(neu.nights(), old.nights()),
        pick(neu.rooms(), old.rooms()),
        pick(neu.totalAmount(), old.totalAmount()),
        pick(neu.currency(), old.currency()),
        pick(neu.cancellationDeadline(), old.cancellationDeadline()));
  }

  private static <T> T pick(T a, T b) {
    return a != null ? a : b;
  }

  private static List<String> diff(ReservationDetails a, ReservationDetails b) {
    List<String> out = new ArrayList<>();
    Map<String, Object[]> fields = new java.util.LinkedHashMap<>();
    fields.put("internalLocator", new Object[] {a.internalLocator(), b.internalLocator()});
    fields.put("locator", new Object[] {a.locator(), b.locator()});
    fields.put("agencyName", new Object[] {a.agencyName(), b.agencyName()});
    fields.put("status", new Object[] {a.status(), b.status()});
    fields.put("issueDate", new Object[] {a.issueDate(), b.issueDate()});
    fields.put("hotelName", new Object[] {a.hotelName(), b.hotelName()});
    fields.put("checkIn", new Object[] {a.checkIn(), b.checkIn()});
    fields.put("checkOut", new Object[] {a.checkOut(), b.checkOut()});
    fields.put("nights", new Object[] {a.nights(), b.nights()});
    fields.put("rooms", new Object[] {a.rooms(), b.rooms()});
    fields.put("totalAmount", new Object[] {a.totalAmount(), b.totalAmount()});
    fields.put("currency", new Object[] {a.currency(), b.currency()});
    fields.put(
        "cancellationDeadline", new Object[] {a.cancellationDeadline(), b.cancellationDeadline()});
    for (Map.Entry<String, Object[]> e : fields.entrySet()) {
      Object x = e.getValue()[0];
      Object y = e.getValue()[1];
      boolean same =
          x instanceof java.math.BigDecimal bx && y instanceof java.math.BigDecimal by
              ? bx.compareTo(by) == 0
              : Objects.equals(x, y);
      if (!same) {
        out.add(e.getKey() + " " + x + " -> " + y);
      }
    }
    return out;
  }

  private StoredDocument storeDocument(
      Ctx c, String reservationId, DocumentKind kind, Attachment a, Instant now) {
    String sha = Text.sha256(a.content());
    boolean oc = kind == DocumentKind.PURCHASE_ORDER;
    String id =
        (oc ? "oc-" : "conf-")
            + (reservationId == null ? "review" : Text.safeToken(reservationId))
            + "-"
            + sha.substring(0, 16);
    LocalDate day = planner.calendar().dateOf(now);
    String safeName =
        reservationId == null
            ? day.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE)
                + "_review_"
                + sha.substring(0, 12)
                + ".pdf"
            : Text.documentName(day, reservationId, oc);
    StoredDocument doc =
        new StoredDocument(
            id,
            reservationId,
            kind,
            a.fileName() == null ? null : Text.truncate(Headers.clean(a.fileName()), 255),
            safeName,
            "application/pdf",
            sha,
            a.content().length,
            a.content(),
            now);
    c.tx.putDocument(doc);
    return doc;
  }

  // ------------------------------------------------------------------ receipt

  record Received(Reservation reservation, String documentId, String summary) {}

  private Received receive(
      Ctx c,
      Reservation r,
      Attachment pdf,
      PurchaseOrderInfo info,
      String ocNumberGiven,
      String from,
      String actor,
      boolean viaEmail) {
    String docId =
        pdf == null ? null : storeDocument(c, r.id(), DocumentKind.PURCHASE_ORDER, pdf, c.now).id();
    String ocNumber = ocNumberGiven != null ? ocNumberGiven : info == null ? null : info.ocNumber();
    String ocText = ocNumber == null ? "an OC" : "OC " + ocNumber;
    if (info != null && !info.hasTextLayer() && pdf != null) {
      c.event(
          r.id(),
          EventKind.NOTE,
          "the OC document has no text layer (scanned?); filed as is",
          actor);
    }
    if (r.state() == TrackingState.RECEIVED) {
      c.event(
          r.id(),
          EventKind.OC_DUPLICATE,
          ocText
              + " arrived for a booking already "
              + TrackingState.RECEIVED.label()
              + (docId == null ? "" : "; filed as " + docId),
          actor);
      return new Received(
          r, docId, "duplicate OC: booking already " + TrackingState.RECEIVED.label());
    }
    if (r.state() == TrackingState.CANCELLED) {
      c.event(r.id(), EventKind.NOTE, ocText + " arrived for a cancelled booking; filed", actor);
      Reservation u =
          c.tx.updateReservation(
              r.toBuilder()
                  .attentionReason("OC recibida para una reserva cancelada")
                  .updatedAt(c.now)
                  .build());
      c.event(r.id(), EventKind.ATTENTION, "OC received for a cancelled booking", actor);
      return new Received(u, docId, "OC filed for a cancelled booking (attention)");
    }
    PurchaseOrder po = new PurchaseOrder(ocNumber, docId, from, c.now, actor);
    int cancelled = c.tx.cancelPendingOutbox(r.id(), "OC received");
    Reservation u =
        c.tx.updateReservation(
            r.toBuilder()
                .state(TrackingState.RECEIVED)
                .purchaseOrder(po)
                .nextActionAt(null)
                .attentionReason(null)
                .paused(false)
                .updatedAt(c.now)
                .build());
    c.event(
        r.id(),
        EventKind.OC_RECEIVED,
        ocText
            + " received from "
            + (from == null ? actor : from)
            + (docId == null ? " (no document)" : ", filed as " + docId)
            + (cancelled > 0 ? "; " + cancelled + " pending message(s) cancelled" : ""),
        actor);
    c.event(
        r.id(),
        EventKind.STATE_CHANGED,
        r.state().label() + " -> " + TrackingState.RECEIVED.label(),
        actor);
    if (viaEmail && config.sendAcknowledgement()) {
      Agency agency = c.agency(r.details().agencyName()).orElse(placeholderAgency(r));
      List<String> extraTo = from == null ? List.of() : List.of(from);
      OutboxMessage ack =
          composer.compose(u, agency, Step.ACKNOWLEDGEMENT, 0, c.now, extraTo, Map.of());
      if (ack != null && c.tx.insertOutbox(ack)) {
        c.event(
            r.id(),
            EventKind.MESSAGE_QUEUED,
            "acknowledgement queued to " + String.join(", ", ack.to()),
            actor);
      }
    }
    return new Received(u, docId, "booking " + r.id() + " " + TrackingState.RECEIVED.label());
  }

  private static Agency placeholderAgency(Reservation r) {
    String name = r.details().agencyName() == null ? "Agencia" : r.details().agencyName();
    return new Agency(name, List.of(), List.of(), true, List.of(), List.of(), null, null, true);
  }

  // ------------------------------------------------------------------ follow-up

  /** Claims and handles every booking whose next action is due; returns how many were looked at. */
  public int followUp(String owner) {
    int handled = 0;
    for (int round = 0; round < 10_000; round++) {
      Instant now = now();
      List<String> ids =
          tx(c -> c.tx.claimDue(now, config.batchSize(), owner, now.plus(config.leaseDuration())));
      if (ids.isEmpty()) {
        break;
      }
      for (String id : ids) {
        try {
          tx(c -> followUpOne(c, id, owner));
        } catch (StoreException e) {
          throw e;
        } catch (RuntimeException e) {
          log.error("follow-up of booking {} failed", id, e);
          flagError(id, owner, "follow-up failed: " + e);
        }
        handled++;
      }
      if (ids.size() < config.batchSize()) {
        break;
      }
    }
    maybeQueueDigest();
    return handled;
  }

  private void flagError(String id, String owner, String reason) {
    tx(
        c -> {
          c.tx
              .reservation(id)
              .ifPresent(
                  r -> {
                    c.tx.updateReservation(
                        r.toBuilder()
                            .attentionReason(Text.truncate(reason, 500))
                            .nextActionAt(null)
                            .updatedAt(c.now)
                            .build());
                    c.event(
                        id, EventKind.ATTENTION, Text.truncate(reason, 500), TimelineEvent.SYSTEM);
                  });
          c.tx.releaseClaim(id, owner);
          return null;
        });
  }

  private Void followUpOne(Ctx c, String id, String owner) {
    Optional<Reservation> found = c.tx.reservation(id);
    if (found.isEmpty()) {
      c.tx.releaseClaim(id, owner);
      return null;
    }
    Reservation r = found.get();
    Reservation next = followUp(c, r);
    if (next != r) {
      c.tx.updateReservation(next.toBuilder().updatedAt(c.now).build());
    }
    c.tx.releaseClaim(id, owner);
    return null;
  }

  private Reservation followUp(Ctx c, Reservation r) {
    Instant now = c.now;
    if (r.nextActionAt() == null || r.nextActionAt().isAfter(now)) {
      return r;
    }
    if (r.paused() || !r.state().isOpen()) {
      return r.toBuilder().nextActionAt(null).build();
    }
    Optional<Agency> agency = c.agency(r.details().agencyName());
    if (r.lastStep() == null) {
      if (agency.isEmpty()) {
        if (config.unknownAgency() == OcConfig.UnknownAgencyAction.NOT_REQUIRED) {
          return notRequired(c, r, "agency is not configured");
        }
        return attention(c, r, "Agencia no configurada: " + r.details().agencyName());
      }
      if (!agency.get().active() || !agency.get().requiresOc()) {
        return notRequired(c, r, "agency " + agency.get().name() + " no longer requires an OC");
      }
    }
    ReminderSchedule schedule = reminderPolicy.scheduleFor(agency.orElse(null));
    Instant expireAt = planner.expiryTime(r, schedule);
    if (!now.isBefore(expireAt)) {
      int cancelled = c.tx.cancelPendingOutbox(r.id(), "booking expired");
      c.event(
          r.id(),
          EventKind.EXPIRED,
          "no OC "
              + schedule.expiryDays()
              + " days after day 0 ("
              + r.dayZero()
              + ")"
              + (cancelled > 0 ? "; " + cancelled + " pending message(s) cancelled" : ""),
          TimelineEvent.SYSTEM);
      c.event(
          r.id(),
          EventKind.STATE_CHANGED,
          r.state().label() + " -> " + TrackingState.EXPIRED.label(),
          TimelineEvent.SYSTEM);
      // An expired booking still owes its OC: it stays flagged for a person (the guarantee:
      // progressing or flagged).
      String reason =
          r.needsAttention()
              ? r.attentionReason()
              : "Sin OC al vencer el plazo de " + schedule.expiryDays() + " días";
      return r.toBuilder()
          .state(TrackingState.EXPIRED)
          .nextActionAt(null)
          .attentionReason(reason)
          .build();
    }
    ScheduledStep step = schedule.after(r.lastStep());
    if (step == null) {
      Reservation.Builder b = r.toBuilder().nextActionAt(expireAt);
      if (!r.needsAttention()) {
        String reason = "Sin OC tras el ultimátum; revisar suspensión de la reserva";
        c.event(
            r.id(),
            EventKind.ATTENTION,
            "no OC after the ultimatum: a person must decide",
            TimelineEvent.SYSTEM);
        b.attentionReason(reason);
      }
      return b.build();
    }
    Instant due = planner.dueTime(r, step, schedule);
    if (now.isBefore(due)) {
      return r.toBuilder().nextActionAt(Planner.min(due, expireAt)).build();
    }
    if (!planner.calendar().isOfficeHours(now)) {
      return r.toBuilder().nextActionAt(planner.calendar().nextOfficeTime(now)).build();
    }
    if (agency.isEmpty() || Headers.validAddresses(agency.get().contacts()).isEmpty()) {
      return attention(c, r, "La agencia no tiene correo de contacto para " + step.step().token());
    }
    Map<String, Object> extra = new HashMap<>();
    extra.put(
        "suspensionDate", Composer.formatDate(planner.suspensionDate(now), agency.get().locale()));
    extra.put("senderName", config.senderName());
    OutboxMessage msg = composer.compose(r, agency.get(), step.step(), 0, now, List.of(), extra);
    if (c.tx.insertOutbox(msg)) {
      c.event(
          r.id(),
          EventKind.MESSAGE_QUEUED,
          step.step().token()
              + " queued to "
              + String.join(", ", msg.to())
              + " (Message-ID "
              + msg.messageId()
              + ")",
          TimelineEvent.SYSTEM);
    }
    TrackingState after = step.step().stateAfter();
    c.event(
        r.id(),
        EventKind.STATE_CHANGED,
        r.state().label() + " -> " + after.label(),
        TimelineEvent.SYSTEM);
    Reservation sent = r.toBuilder().state(after).lastStep(step.step()).lastMessageAt(now).build();
    ScheduledStep following = schedule.after(step.step());
    Instant nextAt =
        following == null
            ? planner.calendar().openingOf(planner.suspensionDate(now))
            : planner.dueTime(sent, following, schedule);
    return sent.toBuilder().nextActionAt(Planner.min(nextAt, expireAt)).build();
  }

  private Reservation notRequired(Ctx c, Reservation r, String why) {
    c.event(
        r.id(),
        EventKind.STATE_CHANGED,
        r.state().label() + " -> " + TrackingState.NOT_REQUIRED.label() + ": " + why,
        TimelineEvent.SYSTEM);
    return r.toBuilder()
        .state(TrackingState.NOT_REQUIRED)
        .nextActionAt(null)
        .attentionReason(null)
        .build();
  }

  private Reservation attention(Ctx c, Reservation r, String reason) {
    if (!reason.equals(r.attentionReason())) {
      c.event(r.id(), EventKind.ATTENTION, reason, TimelineEvent.SYSTEM);
    }
    return r.toBuilder().attentionReason(reason).nextActionAt(null).build();
  }

  private void maybeQueueDigest() {
    if (config.digestRecipients().isEmpty()) {
      return;
    }
    Instant now = now();
    if (!planner.calendar().isOfficeHours(now)) {
      return;
    }
    LocalDate today = planner.calendar().dateOf(now);
    int generation =
        Integer.parseInt(today.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE));
    String id = OutboxMessage.idOf(null, Step.DIGEST, generation);
    tx(
        c -> {
          if (c.tx.outbox(id).isPresent()) {
            return null;
          }
          Map<String, Object> model = new HashMap<>();
          model.put("date", today.toString());
          Map<TrackingState, Long> counts = c.tx.countByState();
          List<Map<String, Object>> rows = new ArrayList<>();
          for (TrackingState s : TrackingState.values()) {
            rows.add(Map.of("label", s.label(), "count", counts.getOrDefault(s, 0L)));
          }
          model.put("counts", rows);
          List<Map<String, Object>> attention = new ArrayList<>();
          for (Reservation r :
              c.tx
                  .list(
                      com.kontroltravel.oc.model.ReservationQuery.all()
                          .withNeedsAttention(true)
                          .withPage(0, 100))
                  .items()) {
            Map<String, Object> row = new HashMap<>();
            row.put("id", r.id());
            row.put("agency", r.details().agencyName());
            row.put("reason", r.attentionReason());
            attention.add(row);
          }
          model.put("attention", attention);
          model.put("attentionCount", c.tx.countNeedingAttention());
          model.put("reviewCount", c.tx.inboundByOutcome(InboundOutcome.REVIEW, 1000).size());
          MessageTemplates.Rendered rendered =
              templates.render(
                  "digest", com.kontroltravel.oc.model.Agency.DEFAULT_LOCALE, null, model);
          c.tx.insertOutbox(
              new OutboxMessage(
                  id,
                  null,
                  Step.DIGEST,
                  generation,
                  "oc.digest." + generation + "@" + config.messageIdDomain(),
                  null,
                  List.of(),
                  config.digestRecipients(),
                  List.of(),
                  rendered.subject(),
                  rendered.text(),
                  rendered.html(),
                  List.of(),
                  OutboxStatus.PENDING,
                  0,
                  c.now,
                  null,
                  c.now,
                  null));
          return null;
        });
  }

  // ------------------------------------------------------------------ dispatch

  /** What one dispatch round did. */
  public record Dispatched(int sent, int failed) {}

  /** Claims and sends due outbox rows. */
  public Dispatched dispatch(String owner) {
    int sent = 0;
    int failed = 0;
    if (gateway == null) {
      return new Dispatched(0, 0);
    }
    for (int round = 0; round < 10_000; round++) {
      Instant now = now();
      List<OutboxMessage> rows =
          tx(
              c ->
                  c.tx.claimOutbox(
                      now, config.batchSize(), owner, now.plus(config.leaseDuration())));
      if (rows.isEmpty()) {
        break;
      }
      for (OutboxMessage row : rows) {
        SendResult.Status s = dispatchOne(row);
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

  private SendResult.Status dispatchOne(OutboxMessage row) {
    // One unit of work decides whether the row is still to be sent and reads what it attaches.
    List<Attachment> attachments = tx(c -> prepareSend(c, row));
    if (attachments == null) {
      return null;
    }
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
    SendResult res = result;
    tx(c -> recordSend(c, row, res));
    return res.status();
  }

  /**
   * The attachments of a claimed row that is to be sent now, or null when it is not: its booking
   * closed (the row is cancelled), it is outside office hours (the row waits for the next opening),
   * or its claim lapsed and another dispatcher took it (that claim bumped the attempt count).
   */
  private List<Attachment> prepareSend(Ctx c, OutboxMessage row) {
    Reservation r =
        row.reservationId() == null ? null : c.tx.reservation(row.reservationId()).orElse(null);
    if (r != null && row.step().isChase() && !r.state().isOpen()) {
      c.tx.updateOutbox(
          row.with(
              OutboxStatus.CANCELLED,
              row.attempts(),
              null,
              "booking is " + r.state().label(),
              null));
      return null;
    }
    boolean officeOnly = row.step().isChase() || row.step() == Step.DIGEST;
    if (officeOnly && !planner.calendar().isOfficeHours(c.now)) {
      Instant later = planner.calendar().nextOfficeTime(c.now);
      c.tx.updateOutbox(
          row.with(OutboxStatus.PENDING, row.attempts() - 1, later, row.lastError(), null));
      return null;
    }
    OutboxMessage current = c.tx.outbox(row.id()).orElse(null);
    if (current == null
        || current.status() != OutboxStatus.PENDING
        || current.attempts() != row.attempts()) {
      return null;
    }
    List<Attachment> attachments = new ArrayList<>();
    for (String docId : row.attachmentDocumentIds()) {
      c.tx
          .document(docId)
          .ifPresent(
              d -> attachments.add(new Attachment(d.safeName(), d.contentType(), d.content())));
    }
    return attachments;
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
        config.mailboxAddress(),
        row.to(),
        row.cc(),
        Headers.clean(row.subject()),
        row.textBody() == null ? "" : row.textBody(),
        row.htmlBody(),
        row.inReplyTo(),
        row.references(),
        attachments);
  }

  private Void recordSend(Ctx c, OutboxMessage row, SendResult result) {
    Instant now = c.now;
    String detail = Text.truncate(Headers.clean(result.detail()), 500);
    String rid = row.reservationId();
    switch (result.status()) {
      case SENT -> {
        c.tx.updateOutbox(row.with(OutboxStatus.SENT, row.attempts(), null, null, now));
        if (rid != null) {
          c.event(
              rid,
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
      case TRANSIENT_FAILURE -> {
        if (row.attempts() >= config.maxSendAttempts()) {
          c.tx.updateOutbox(row.with(OutboxStatus.FAILED, row.attempts(), null, detail, null));
          failedForGood(c, row, "gave up after " + row.attempts() + " attempts: " + detail);
        } else {
          Duration backoff = backoff(row.attempts());
          Instant retryAt = now.plus(backoff);
          if (row.step().isChase() || row.step() == Step.DIGEST) {
            retryAt = planner.calendar().nextOfficeTime(retryAt);
          }
          c.tx.updateOutbox(row.with(OutboxStatus.PENDING, row.attempts(), retryAt, detail, null));
          if (rid != null) {
            c.event(
                rid,
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
      }
      case PERMANENT_FAILURE -> {
        c.tx.updateOutbox(row.with(OutboxStatus.FAILED, row.attempts(), null, detail, null));
        failedForGood(c, row, "permanent failure: " + detail);
      }
    }
    return null;
  }

  private void failedForGood(Ctx c, OutboxMessage row, String why) {
    String rid = row.reservationId();
    if (rid == null) {
      log.warn("message {} failed for good: {}", row.id(), why);
      return;
    }
    c.event(rid, EventKind.SEND_FAILED, row.step().token() + " " + why, TimelineEvent.SYSTEM);
    c.tx
        .reservation(rid)
        .ifPresent(
            r -> {
              String reason =
                  Text.truncate("No se pudo enviar " + row.step().token() + ": " + why, 500);
              Reservation.Builder b = r.toBuilder().attentionReason(reason).updatedAt(c.now);
              if (r.state().isOpen()) {
                b.nextActionAt(null);
              }
              c.tx.updateReservation(b.build());
              c.event(rid, EventKind.ATTENTION, reason, TimelineEvent.SYSTEM);
            });
  }

  private Duration backoff(int attempts) {
    Duration d = config.retryInitialBackoff();
    for (int i = 1; i < attempts && d.compareTo(config.retryMaxBackoff()) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(config.retryMaxBackoff()) > 0 ? config.retryMaxBackoff() : d;
  }

  // ------------------------------------------------------------------ manual operations

  /** Marks the OC received, optionally with its document. */
  public Reservation markReceived(String id, String ocNumber, Attachment document, String actor) {
    return tx(
        c -> {
          Reservation r = require(c, id);
          if (r.state() == TrackingState.RECEIVED) {
            throw new InvalidOperationException(
                "booking " + id + " is already " + TrackingState.RECEIVED.label());
          }
          return receive(
                  c,
                  r,
                  document,
                  null,
                  ocNumber == null ? null : Headers.clean(ocNumber),
                  null,
                  actor,
                  false)
              .reservation;
        });
  }

  /** Cancels the chase. */
  public Reservation cancel(String id, String reason, String actor) {
    return tx(
        c -> {
          Reservation r = require(c, id);
          if (r.state() == TrackingState.CANCELLED) {
            return r;
          }
          int n = c.tx.cancelPendingOutbox(id, "cancelled by " + actor);
          c.event(
              id,
              EventKind.CANCELLED,
              (reason == null || reason.isBlank() ? "cancelled" : Text.truncate(reason, 500))
                  + (n > 0 ? "; " + n + " pending message(s) cancelled" : ""),
              actor);
          c.event(
              id,
              EventKind.STATE_CHANGED,
              r.state().label() + " -> " + TrackingState.CANCELLED.label(),
              actor);
          return c.tx.updateReservation(
              r.toBuilder()
                  .state(TrackingState.CANCELLED)
                  .nextActionAt(null)
                  .attentionReason(null)
                  .updatedAt(c.now)
                  .build());
        });
  }

  /** Queues one more copy of a step (a new generation, with its own Message-ID). */
  public OutboxMessage resend(String id, Step step, String actor) {
    if (step == Step.DIGEST) {
      throw new IllegalArgumentException("the digest is not a booking's step");
    }
    return tx(
        c -> {
          Reservation r = require(c, id);
          if (r.state() == TrackingState.CANCELLED) {
            throw new InvalidOperationException("booking " + id + " is cancelled");
          }
          Agency agency =
              c.agency(r.details().agencyName())
                  .orElseThrow(
                      () ->
                          new InvalidOperationException(
                              "agency of booking " + id + " is not configured"));
          int generation =
              c.tx.outboxFor(id).stream()
                  .filter(m -> m.step() == step)
                  .mapToInt(m -> m.generation() + 1)
                  .max()
                  .orElse(0);
          Map<String, Object> extra = new HashMap<>();
          extra.put(
              "suspensionDate",
              Composer.formatDate(planner.suspensionDate(c.now), agency.locale()));
          extra.put("senderName", config.senderName());
          OutboxMessage m = composer.compose(r, agency, step, generation, c.now, List.of(), extra);
          if (m == null) {
            throw new InvalidOperationException(
                "agency of booking " + id + " has no valid contact address");
          }
          c.tx.insertOutbox(m);
          c.event(
              id,
              EventKind.RESENT,
              step.token()
                  + " queued again (generation "
                  + generation
                  + ", Message-ID "
                  + m.messageId()
                  + ")",
              actor);
          if (r.needsAttention() && r.attentionReason().startsWith("No se pudo enviar")) {
            c.tx.updateReservation(r.toBuilder().attentionReason(null).updatedAt(c.now).build());
            c.event(id, EventKind.ATTENTION_CLEARED, "resent by an operator", actor);
          }
          return m;
        });
  }

  /** Pauses the chase. */
  public Reservation pause(String id, String actor) {
    return tx(
        c -> {
          Reservation r = require(c, id);
          if (r.paused()) {
            return r;
          }
          c.event(id, EventKind.PAUSED, "chase paused", actor);
          return c.tx.updateReservation(
              r.toBuilder().paused(true).nextActionAt(null).updatedAt(c.now).build());
        });
  }

  /** Resumes the chase and clears the attention flag; the next follow-up re-plans it. */
  public Reservation resume(String id, String actor) {
    return tx(
        c -> {
          Reservation r = require(c, id);
          Reservation.Builder b =
              r.toBuilder().paused(false).attentionReason(null).updatedAt(c.now);
          if (r.state().isOpen()) {
            b.nextActionAt(c.now);
          }
          c.event(
              id,
              EventKind.RESUMED,
              "chase resumed" + (r.needsAttention() ? "; attention cleared" : ""),
              actor);
          return c.tx.updateReservation(b.build());
        });
  }

  /** Files an OC from the review queue against a booking. */
  public Reservation assignPurchaseOrder(String inboundKey, String reservationId, String actor) {
    return tx(
        c -> {
          InboundRecord rec =
              c.tx
                  .inbound(inboundKey)
                  .orElseThrow(
                      () -> new InvalidOperationException("no inbound message " + inboundKey));
          if (rec.outcome() != InboundOutcome.REVIEW) {
            throw new InvalidOperationException(
                "message " + inboundKey + " is not in the review queue");
          }
          Reservation r = require(c, reservationId);
          Attachment pdf = null;
          for (String docId : rec.documentIds()) {
            Optional<StoredDocument> d = c.tx.document(docId);
            if (d.isPresent()) {
              pdf =
                  new Attachment(d.get().originalName(), d.get().contentType(), d.get().content());
              break;
            }
          }
          PurchaseOrderInfo info = readOc(pdf);
          Received rc = receive(c, r, pdf, info, null, rec.from(), actor, true);
          c.tx.updateInbound(
              rec.withOutcome(
                  InboundOutcome.PURCHASE_ORDER,
                  "assigned by " + actor + " to booking " + reservationId,
                  reservationId));
          return rc.reservation;
        });
  }

  // ------------------------------------------------------------------ queries

  public Optional<Reservation> reservation(String id) {
    return tx(c -> c.tx.reservation(id));
  }

  public List<Reservation> find(String reference) {
    return tx(c -> c.tx.findByReference(reference));
  }

  public com.kontroltravel.oc.model.Page<Reservation> list(
      com.kontroltravel.oc.model.ReservationQuery q) {
    return tx(c -> c.tx.list(q));
  }

  public List<TimelineEvent> timeline(String id) {
    return tx(c -> c.tx.timeline(id));
  }

  public List<OutboxMessage> messages(String id) {
    return tx(c -> c.tx.outboxFor(id));
  }

  public List<InboundRecord> inbound(InboundOutcome outcome, int limit) {
    return tx(c -> c.tx.inboundByOutcome(outcome, limit));
  }

  public Optional<StoredDocument> document(String id) {
    return tx(c -> c.tx.document(id));
  }

  public List<Agency> agencies() {
    return tx(c -> c.tx.agencies());
  }

  public void putAgency(Agency agency) {
    txRun(c -> c.tx.putAgency(agency));
  }

  public Statistics statistics() {
    return tx(
        c -> {
          Map<TrackingState, Long> byState = new EnumMap<>(TrackingState.class);
          Map<TrackingState, Long> counts = c.tx.countByState();
          long total = 0;
          for (TrackingState s : TrackingState.values()) {
            long n = counts.getOrDefault(s, 0L);
            byState.put(s, n);
            total += n;
          }
          Map<OutboxStatus, Long> outbox = new EnumMap<>(OutboxStatus.class);
          Map<OutboxStatus, Long> oc = c.tx.countOutboxByStatus();
          for (OutboxStatus s : OutboxStatus.values()) {
            outbox.put(s, oc.getOrDefault(s, 0L));
          }
          return new Statistics(
              byState,
              total,
              c.tx.countNeedingAttention(),
              c.tx.inboundByOutcome(InboundOutcome.REVIEW, 10_000).size(),
              outbox);
        });
  }

  public Optional<Instant> earliestNextAction() {
    return tx(c -> c.tx.earliestNextAction());
  }

  public Optional<Instant> earliestPendingOutbox() {
    return tx(c -> c.tx.earliestPendingOutbox());
  }

  public void releaseClaims(String owner) {
    txRun(c -> c.tx.releaseClaims(owner));
  }
}
