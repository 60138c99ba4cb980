package com.kontroltravel.oc;

import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.ParseResult;
import com.kontroltravel.oc.model.PurchaseOrderInfo;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.spi.ReservationParser;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what an inbound message is: a confirmation (allowed sender, confirmation subject, a PDF
 * the parser reads), a purchase order (a reply to our mail, or OC wording naming one booking), or
 * something for the review queue, ignored or quarantined, with the reason. Reads the store, writes
 * nothing.
 */
final class Classifier {
  /** Most reference tokens taken from a subject. */
  static final int SUBJECT_TOKENS = 20;

  /** Most reference tokens taken from a body or a document's text. */
  static final int TEXT_TOKENS = 30;

  /** Most references one message may make the engine look up. */
  static final int MAX_REFERENCE_LOOKUPS = 60;

  private final OcConfig config;
  private final ReservationParser parser;
  private final Documents documents;

  Classifier(OcConfig config, ReservationParser parser, Documents documents) {
    this.config = config;
    this.parser = parser;
    this.documents = documents;
  }

  /** What {@code m} is, reading the store through {@code reads}. */
  Decision classify(InboundMessage m, StoreReads reads) {
    if (!m.problems().isEmpty()) {
      return Decision.of(InboundOutcome.QUARANTINED, String.join("; ", m.problems()));
    }
    List<Attachment> pdfs = m.attachments().stream().filter(Attachment::isPdf).toList();
    String replyTo = findThread(m, reads);
    boolean allowed = config.isAllowedSender(m.from());
    String subject = Text.fold(m.subject());
    boolean confirmationSubject =
        config.confirmationKeywords().stream().map(Text::fold).anyMatch(subject::contains);
    if (allowed && replyTo == null && confirmationSubject) {
      boolean unverified =
          !m.authenticated() && config.senderAuthentication() != OcConfig.SenderAuthentication.OFF;
      if (unverified && config.senderAuthentication() == OcConfig.SenderAuthentication.ENFORCE) {
        return Decision.of(
            InboundOutcome.QUARANTINED,
            "refused: sender " + m.from() + " is allowed but was not authenticated");
      }
      if (pdfs.isEmpty()) {
        return Decision.of(InboundOutcome.QUARANTINED, "confirmation without a PDF attachment");
      }
      Decision d = confirmation(pdfs);
      return unverified ? holdIfItChangesABooking(m, d, reads) : d;
    }
    return purchaseOrder(m, pdfs, replyTo, allowed, reads);
  }

  private Decision confirmation(List<Attachment> pdfs) {
    List<String> problems = new ArrayList<>();
    boolean forNow = false;
    for (Attachment pdf : pdfs) {
      ParseResult result;
      try {
        result = parser.parse(pdf.content());
      } catch (RuntimeException e) {
        // A parser that throws is broken, not the document: try again (bounded) after a fix.
        problems.add(name(pdf) + ": parser failed: " + e);
        forNow = true;
        continue;
      }
      if (result != null && result.isTransientFailure()) {
        problems.add(name(pdf) + ": " + joinProblems(result.problems()));
        forNow = true;
        continue;
      }
      if (result == null || result.details() == null) {
        problems.add(
            name(pdf) + ": " + (result == null ? "no result" : joinProblems(result.problems())));
        continue;
      }
      ReservationDetails det = result.details();
      if (det.agencyName() == null || det.agencyName().isBlank()) {
        problems.add(name(pdf) + ": missing required fields: agencyName");
        continue;
      }
      Decision d =
          Decision.of(
              InboundOutcome.CONFIRMATION, "confirmation for booking " + det.reservationId());
      d.details = det;
      d.pdf = pdf;
      d.parseProblems = List.copyOf(result.problems());
      return d;
    }
    return Decision.of(
        forNow ? InboundOutcome.RETRYING : InboundOutcome.QUARANTINED,
        (forNow
                ? "confirmation PDF could not be read now, will try again: "
                : "confirmation PDF could not be read: ")
            + String.join("; ", problems));
  }

  /**
   * An unauthenticated confirmation (under {@code WARN}) may start tracking a new booking, but not
   * cancel or amend one already tracked: that is held for a person, with the document kept.
   */
  private static Decision holdIfItChangesABooking(InboundMessage m, Decision d, StoreReads reads) {
    if (d.outcome != InboundOutcome.CONFIRMATION) {
      return d;
    }
    ReservationDetails det = d.details;
    Optional<Reservation> tracked = reads.call(u -> u.tx.reservation(det.reservationId()));
    if (tracked.isEmpty()) {
      return d;
    }
    List<String> changes = Tracker.changes(tracked.get(), det);
    if (changes.isEmpty()) {
      return d;
    }
    Decision held =
        Decision.of(
                InboundOutcome.REVIEW,
                "held for a person: a confirmation from "
                    + m.from()
                    + ", whom no trusted server authenticated, would change booking "
                    + det.reservationId()
                    + " ("
                    + String.join("; ", changes)
                    + ")")
            .about(det.reservationId());
    held.details = det;
    held.pdf = d.pdf;
    return held;
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

  /** The booking whose message this one replies to, by In-Reply-To and References, or null. */
  private static String findThread(InboundMessage m, StoreReads reads) {
    List<String> ids = new ArrayList<>(m.inReplyTo());
    ids.addAll(m.references());
    if (ids.isEmpty()) {
      return null;
    }
    List<String> lookups = ids.stream().limit(MAX_REFERENCE_LOOKUPS).toList();
    return reads.call(
        u -> {
          for (String id : lookups) {
            Optional<OutboxMessage> o = u.tx.outboxByMessageId(id);
            if (o.isPresent() && o.get().reservationId() != null) {
              return o.get().reservationId();
            }
          }
          return null;
        });
  }

  private Decision purchaseOrder(
      InboundMessage m,
      List<Attachment> pdfs,
      String replyTo,
      boolean allowedSender,
      StoreReads reads) {
    Attachment pdf = pdfs.isEmpty() ? null : pdfs.get(0);
    PurchaseOrderInfo info = documents.readPurchaseOrder(pdf);
    if (info != null && info.isTransientFailure()) {
      return Decision.of(
          InboundOutcome.RETRYING,
          "the attached PDF could not be read now, will try again: "
              + joinProblems(info.problems()));
    }
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
    Set<String> named = namedBookings(m, info, docText, reads);
    Decision d;
    if (replyTo != null && !knownSender(replyTo, m.from(), reads)) {
      // Threading proves nothing about the sender: a stranger who guessed or saw an ID must not
      // close, or change anything about, the chase.
      d =
          Decision.of(
              InboundOutcome.REVIEW,
              "reply to booking "
                  + replyTo
                  + " from "
                  + m.from()
                  + ", who is not a contact of its agency");
    } else {
      d = replyTo != null ? reply(m, pdf, info, replyTo, named) : byReference(m, pdf, named, reads);
    }
    d.pdf = pdf;
    d.ocInfo = info;
    return d;
  }

  /** The bookings the message names by id, LOC interno or localizador. */
  private static Set<String> namedBookings(
      InboundMessage m, PurchaseOrderInfo info, String docText, StoreReads reads) {
    Set<String> tokens = new LinkedHashSet<>(Text.referenceTokens(m.subject(), SUBJECT_TOKENS));
    tokens.addAll(Text.referenceTokens(m.textBody(), TEXT_TOKENS));
    if (info != null) {
      tokens.addAll(info.references());
      tokens.addAll(Text.referenceTokens(docText, TEXT_TOKENS));
    }
    List<String> lookups = tokens.stream().limit(MAX_REFERENCE_LOOKUPS).toList();
    return reads.call(
        u -> {
          Set<String> named = new LinkedHashSet<>();
          for (String t : lookups) {
            for (Reservation r : u.tx.findByReference(t)) {
              named.add(r.id());
            }
          }
          return named;
        });
  }

  private static Decision reply(
      InboundMessage m, Attachment pdf, PurchaseOrderInfo info, String replyTo, Set<String> named) {
    Set<String> others = new LinkedHashSet<>(named);
    others.remove(replyTo);
    if (!others.isEmpty()) {
      return Decision.of(
          InboundOutcome.REVIEW,
          "reply to booking " + replyTo + " also names booking(s) " + String.join(", ", others));
    }
    if (pdf == null) {
      Decision d =
          Decision.of(
                  InboundOutcome.IGNORED,
                  "reply about booking " + replyTo + " without a PDF document")
              .about(replyTo);
      d.note =
          "The agency replied without attaching an OC document: " + Text.truncate(m.subject(), 120);
      return d;
    }
    if (!showsPurchaseOrder(info)) {
      // Any PDF is not an OC: a reply carrying an invoice, a voucher or our own confirmation back
      // must not close the chase. A person looks at it.
      return Decision.of(
              InboundOutcome.REVIEW,
              "reply to booking "
                  + replyTo
                  + " carries a PDF that shows no OC number and no purchase-order wording")
          .about(replyTo);
    }
    return Decision.of(
            InboundOutcome.PURCHASE_ORDER, "purchase order (reply) for booking " + replyTo)
        .about(replyTo);
  }

  /** Whether an attached document reads as a purchase order: an OC number or OC wording. */
  private static boolean showsPurchaseOrder(PurchaseOrderInfo info) {
    return info != null
        && ((info.ocNumber() != null && !info.ocNumber().isBlank())
            || Text.hasOcWording(info.text()));
  }

  private static Decision byReference(
      InboundMessage m, Attachment pdf, Set<String> named, StoreReads reads) {
    if (named.isEmpty()) {
      return Decision.of(InboundOutcome.REVIEW, "purchase order that matches no tracked booking");
    }
    if (named.size() > 1) {
      return Decision.of(
          InboundOutcome.REVIEW,
          "purchase order naming " + named.size() + " bookings: " + String.join(", ", named));
    }
    String id = named.iterator().next();
    if (pdf == null) {
      return Decision.of(
          InboundOutcome.REVIEW,
          "purchase-order wording naming booking " + id + " but no PDF attached");
    }
    if (!knownSender(id, m.from(), reads)) {
      // Not a reply to our request and not from the agency: filing it would let anyone close a
      // chase and receive the booking's details in the acknowledgement. A person decides.
      return Decision.of(
          InboundOutcome.REVIEW,
          "purchase order naming booking "
              + id
              + " from "
              + m.from()
              + ", who is not a known address of its agency");
    }
    return Decision.of(InboundOutcome.PURCHASE_ORDER, "purchase order naming booking " + id)
        .about(id);
  }

  /**
   * Whether {@code from} may act for the agency of booking {@code reservationId}: one of its
   * contact or cc addresses, or at one of the domains configured for it. Nothing is inferred from
   * the contacts' domains (a webmail domain would let every user of it in).
   */
  private static boolean knownSender(String reservationId, String from, StoreReads reads) {
    if (from == null || !from.contains("@")) {
      return false;
    }
    String address = from.trim().toLowerCase(Locale.ROOT);
    String domain = address.substring(address.lastIndexOf('@') + 1);
    return reads.call(
        u -> {
          Optional<Agency> a = u.tx.reservation(reservationId).flatMap(u::agencyOf);
          if (a.isEmpty()) {
            return false;
          }
          Agency agency = a.get();
          return agency.contacts().stream().anyMatch(address::equalsIgnoreCase)
              || agency.cc().stream().anyMatch(address::equalsIgnoreCase)
              || agency.emailDomains().stream().anyMatch(domain::equalsIgnoreCase);
        });
  }
}
