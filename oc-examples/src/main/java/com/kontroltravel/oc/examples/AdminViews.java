package com.kontroltravel.oc.examples;

import com.kontroltravel.oc.Chase;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.TrackingState;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The small view models the admin templates render: rows of bookings and inbound messages, already
 * formatted (times in Santiago, labels in the page's language). Templates escape every value.
 */
final class AdminViews {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZONE);

  private AdminViews() {}

  static String time(Instant i) {
    return i == null ? "" : TIME.format(i);
  }

  /** A booking row. */
  record BookingRow(
      String id,
      String href,
      String state,
      String stateLabel,
      String badge,
      String agency,
      String hotel,
      String dayZero,
      String daysSinceRequest,
      boolean critical,
      String oc,
      String attention,
      boolean paused) {}

  static List<BookingRow> bookings(
      List<Reservation> rows, Map<String, Chase> chases, int criticalAfter) {
    List<BookingRow> out = new ArrayList<>();
    for (Reservation r : rows) {
      Chase c = chases.get(r.id());
      boolean open = r.state().isOpen() && r.state() != TrackingState.PENDING;
      out.add(
          new BookingRow(
              r.id(),
              "/reservations/" + AdminRequest.enc(r.id()),
              r.state().name(),
              r.state().label(),
              badge(r.state()),
              r.details().agencyName(),
              r.details().hotelName(),
              String.valueOf(r.dayZero()),
              c == null || !open ? "" : Long.toString(c.days()),
              c != null && open && c.businessDays() >= criticalAfter,
              r.purchaseOrder() == null ? "" : r.purchaseOrder().ocNumber(),
              r.attentionReason(),
              r.paused()));
    }
    return out;
  }

  /** The CSS class of a state's badge. */
  static String badge(TrackingState s) {
    return switch (s) {
      case RECEIVED -> "b-ok";
      case REQUESTED, PENDING -> "b-info";
      case REMINDER_1, REMINDER_2 -> "b-warn";
      case REMINDER_3, EXPIRED -> "b-bad";
      case NOT_REQUIRED, CANCELLED -> "b-muted";
    };
  }

  /** The CSS class of an outcome's badge. */
  static String badge(InboundOutcome o) {
    return switch (o.name()) {
      case "CONFIRMATION", "PURCHASE_ORDER" -> "b-ok";
      case "REVIEW", "RETRYING" -> "b-warn";
      case "QUARANTINED" -> "b-bad";
      default -> "b-muted";
    };
  }

  /** An outcome's label in the page's language. */
  static String outcomeLabel(AdminTemplates t, String lang, InboundOutcome o) {
    return lang.equals("es") ? o.label() : t.label(lang, "outcome." + o.name());
  }

  /** An inbound row. */
  record InboundRow(
      String key,
      String href,
      String outcome,
      String outcomeLabel,
      String badge,
      String from,
      String subject,
      String received,
      String recorded,
      String reason,
      String reservationId,
      String reservationHref,
      int attempts,
      String nextAttempt,
      boolean review) {}

  static InboundRow inbound(AdminTemplates t, String lang, InboundRecord r) {
    return new InboundRow(
        r.key(),
        "/inbound/" + AdminRequest.enc(r.key()),
        r.outcome().name(),
        outcomeLabel(t, lang, r.outcome()),
        badge(r.outcome()),
        r.from(),
        r.subject(),
        time(r.receivedAt() == null ? r.recordedAt() : r.receivedAt()),
        time(r.recordedAt()),
        r.reason(),
        r.reservationId(),
        r.reservationId() == null ? null : "/reservations/" + AdminRequest.enc(r.reservationId()),
        r.attempts(),
        time(r.nextAttemptAt()),
        r.outcome() == InboundOutcome.REVIEW);
  }

  static List<InboundRow> inbound(AdminTemplates t, String lang, List<InboundRecord> rows) {
    return rows.stream().map(r -> inbound(t, lang, r)).toList();
  }

  /** A choice in a select. */
  record Option(String value, String label, boolean selected) {}

  static List<Option> outcomeOptions(AdminTemplates t, String lang, InboundOutcome selected) {
    List<Option> out = new ArrayList<>();
    for (InboundOutcome o : InboundOutcome.values()) {
      out.add(new Option(o.name(), outcomeLabel(t, lang, o), o == selected));
    }
    return out;
  }

  static InboundOutcome outcome(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return InboundOutcome.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown outcome: " + value);
    }
  }
}
