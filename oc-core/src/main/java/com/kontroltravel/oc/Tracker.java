package com.kontroltravel.oc;

import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.AttentionReason;
import com.kontroltravel.oc.model.DocumentKind;
import com.kontroltravel.oc.model.EventKind;
import com.kontroltravel.oc.model.ParseProblem;
import com.kontroltravel.oc.model.ReminderSchedule;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.spi.ReminderPolicy;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Tracks a booking from its confirmation: decides whether its agency owes an OC, stores it with day
 * 0 and its first action time, files the confirmation PDF; a later confirmation of the same booking
 * amends or cancels it.
 */
final class Tracker {
  private final OcConfig config;
  private final ReminderPolicy reminderPolicy;
  private final Planner planner;
  private final Documents documents;

  Tracker(OcConfig config, ReminderPolicy reminderPolicy, Planner planner, Documents documents) {
    this.config = config;
    this.reminderPolicy = reminderPolicy;
    this.planner = planner;
    this.documents = documents;
  }

  /** What tracking did: the booking, the stored confirmation (or null) and a summary. */
  record Tracked(Reservation reservation, String documentId, String summary) {}

  /** Where a new booking starts, and why. */
  private record Start(TrackingState state, AttentionReason attention, String detail, String why) {}

  Tracked track(
      UnitOfWork u,
      ReservationDetails details,
      Attachment pdf,
      Instant emailDate,
      String actor,
      List<ParseProblem> parseProblems) {
    Optional<Reservation> existing = u.tx.reservation(details.reservationId());
    if (existing.isPresent()) {
      return amend(u, existing.get(), details, pdf, actor);
    }
    LocalDate dayZero =
        details.issueDate() != null
            ? details.issueDate()
            : planner.calendar().dateOf(emailDate != null ? emailDate : u.now);
    Optional<Agency> agency = u.agency(details.agencyName());
    Start start = uncertain(start(details, agency), parseProblems);
    Reservation.Builder b = Reservation.builder(details, dayZero, u.now).state(start.state());
    if (start.attention() != null) {
      b.attention(start.attention(), start.detail());
    }
    Reservation r = b.build();
    if (start.state() == TrackingState.PENDING && start.attention() == null) {
      ReminderSchedule schedule = reminderPolicy.scheduleFor(agency.orElse(null));
      r = r.toBuilder().nextActionAt(planner.dueTime(r, schedule.steps().get(0), schedule)).build();
    }
    r = u.tx.insertReservation(r);
    String docId = null;
    if (pdf != null) {
      docId = documents.store(u, r.id(), DocumentKind.CONFIRMATION, pdf).id();
      r = u.tx.updateReservation(r.toBuilder().confirmationDocumentId(docId).build());
    }
    u.event(
        r.id(),
        EventKind.TRACKED,
        "tracked as " + start.state().label() + ": " + start.why() + ", day 0 " + dayZero,
        actor);
    if (!parseProblems.isEmpty()) {
      u.event(
          r.id(),
          EventKind.NOTE,
          "parser reported: "
              + String.join("; ", parseProblems.stream().map(ParseProblem::toString).toList()),
          actor);
    }
    if (r.needsAttention()) {
      u.event(r.id(), EventKind.ATTENTION, r.attentionReason(), actor);
    }
    return new Tracked(r, docId, "tracked booking " + r.id() + " as " + start.state().label());
  }

  /**
   * A booking that would be chased but whose PDF was read with doubt waits for a person: better no
   * request than one naming a wrong hotel. Resuming it (after checking) starts the chase.
   */
  private static Start uncertain(Start start, List<ParseProblem> problems) {
    List<String> fields =
        problems.stream()
            .filter(ParseProblem::isLowConfidence)
            .map(p -> p.field() == null ? "document" : p.field())
            .distinct()
            .toList();
    if (fields.isEmpty() || start.state() != TrackingState.PENDING || start.attention() != null) {
      return start;
    }
    return new Start(
        TrackingState.PENDING,
        AttentionReason.UNCERTAIN_READING,
        String.join(", ", fields),
        start.why() + "; the PDF was read with doubt (" + String.join(", ", fields) + ")");
  }

  private Start start(ReservationDetails details, Optional<Agency> agency) {
    if (details.isCancelled()) {
      return new Start(
          TrackingState.CANCELLED,
          null,
          null,
          "the confirmation says the booking is " + details.status());
    }
    if (agency.isEmpty()) {
      String name = details.agencyName();
      if (config.unknownAgency() == OcConfig.UnknownAgencyAction.NOT_REQUIRED) {
        return new Start(
            TrackingState.NOT_REQUIRED,
            null,
            null,
            "agency '" + name + "' is not configured (treated as owing no OC)");
      }
      return new Start(
          TrackingState.PENDING,
          AttentionReason.AGENCY_NOT_CONFIGURED,
          name,
          "agency '" + name + "' is not configured");
    }
    Agency a = agency.get();
    if (!a.active()) {
      return new Start(
          TrackingState.NOT_REQUIRED, null, null, "agency " + a.name() + " is inactive");
    }
    if (!a.requiresOc()) {
      return new Start(
          TrackingState.NOT_REQUIRED, null, null, "agency " + a.name() + " does not require an OC");
    }
    if (Headers.validAddresses(a.contacts()).isEmpty()) {
      return new Start(
          TrackingState.PENDING,
          AttentionReason.NO_CONTACT_ADDRESS,
          "requiere OC",
          "agency " + a.name() + " requires an OC but has no contact address");
    }
    return new Start(TrackingState.PENDING, null, null, "agency " + a.name() + " requires an OC");
  }

  private Tracked amend(
      UnitOfWork u, Reservation r, ReservationDetails details, Attachment pdf, String actor) {
    ReservationDetails merged = merge(r.details(), details);
    List<String> changes = diff(r.details(), merged);
    Reservation.Builder b = r.toBuilder().details(merged).updatedAt(u.now);
    String docId = null;
    if (pdf != null) {
      docId = documents.store(u, r.id(), DocumentKind.CONFIRMATION, pdf).id();
      b.confirmationDocumentId(docId);
    }
    String summary;
    if (wouldCancel(r, details)) {
      int cancelled = u.tx.cancelPendingOutbox(r.id(), "booking cancelled");
      b.state(TrackingState.CANCELLED).nextActionAt(null).clearAttention();
      u.event(
          r.id(),
          EventKind.CANCELLED,
          "a new confirmation says the booking is "
              + details.status()
              + (cancelled > 0 ? "; " + cancelled + " pending message(s) cancelled" : ""),
          actor);
      u.event(
          r.id(),
          EventKind.STATE_CHANGED,
          r.state().label() + " -> " + TrackingState.CANCELLED.label(),
          actor);
      summary = "booking " + r.id() + " cancelled by a new confirmation";
    } else if (!changes.isEmpty()) {
      u.event(
          r.id(), EventKind.UPDATED, "amended confirmation: " + String.join("; ", changes), actor);
      summary = "booking " + r.id() + " updated (" + changes.size() + " field(s))";
    } else {
      u.event(r.id(), EventKind.NOTE, "the same confirmation arrived again", actor);
      summary = "booking " + r.id() + " already tracked, unchanged";
    }
    return new Tracked(u.tx.updateReservation(b.build()), docId, summary);
  }

  /**
   * What applying {@code details} to the tracked booking {@code r} would do: "cancel it" or the
   * fields it would change; empty when nothing.
   */
  static List<String> changes(Reservation r, ReservationDetails details) {
    if (wouldCancel(r, details)) {
      return List.of("cancel it");
    }
    return diff(r.details(), merge(r.details(), details));
  }

  /**
   * Whether {@code details} cancel a booking that is still open to it (not received or cancelled).
   */
  private static boolean wouldCancel(Reservation r, ReservationDetails details) {
    return details.isCancelled()
        && r.state() != TrackingState.CANCELLED
        && r.state() != TrackingState.RECEIVED;
  }

  /** The fields of a booking, by name, in the order they are reported. */
  private static final Map<String, Function<ReservationDetails, Object>> FIELDS = fields();

  private static Map<String, Function<ReservationDetails, Object>> fields() {
    Map<String, Function<ReservationDetails, Object>> f = new LinkedHashMap<>();
    f.put("internalLocator", ReservationDetails::internalLocator);
    f.put("locator", ReservationDetails::locator);
    f.put("agencyName", ReservationDetails::agencyName);
    f.put("status", ReservationDetails::status);
    f.put("issueDate", ReservationDetails::issueDate);
    f.put("hotelName", ReservationDetails::hotelName);
    f.put("checkIn", ReservationDetails::checkIn);
    f.put("checkOut", ReservationDetails::checkOut);
    f.put("nights", ReservationDetails::nights);
    f.put("rooms", ReservationDetails::rooms);
    f.put("totalAmount", ReservationDetails::totalAmount);
    f.put("currency", ReservationDetails::currency);
    f.put("cancellationDeadline", ReservationDetails::cancellationDeadline);
    return f;
  }

  /** The new confirmation's values, keeping old ones where the new one has none. */
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
    FIELDS.forEach(
        (name, get) -> {
          Object x = get.apply(a);
          Object y = get.apply(b);
          boolean same =
              x instanceof BigDecimal bx && y instanceof BigDecimal by
                  ? bx.compareTo(by) == 0
                  : Objects.equals(x, y);
          if (!same) {
            out.add(name + " " + x + " -> " + y);
          }
        });
    return out;
  }
}
