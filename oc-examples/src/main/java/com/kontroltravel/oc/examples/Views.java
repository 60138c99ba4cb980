package com.kontroltravel.oc.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kontroltravel.oc.Health;
import com.kontroltravel.oc.Statistics;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.OutboxStatus;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.ScheduledStep;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.model.TrackingState;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** JSON shapes shared by the admin API and the CLI. */
final class Views {
  static final ObjectMapper JSON = new ObjectMapper();

  private Views() {}

  static String write(Object node, boolean pretty) {
    try {
      return pretty
          ? JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node)
          : JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }

  static ObjectNode reservation(Reservation r) {
    ReservationDetails d = r.details();
    ObjectNode o = JSON.createObjectNode();
    o.put("id", r.id());
    o.put("state", r.state().name());
    o.put("stateLabel", r.state().label());
    o.put("agency", d.agencyName());
    o.put("internalLocator", d.internalLocator());
    o.put("locator", d.locator());
    o.put("hotel", d.hotelName());
    o.put("status", d.status());
    o.put("checkIn", str(d.checkIn()));
    o.put("checkOut", str(d.checkOut()));
    o.put("totalAmount", d.totalAmount() == null ? null : d.totalAmount().toPlainString());
    o.put("currency", d.currency());
    o.put("dayZero", str(r.dayZero()));
    o.put("trackedAt", str(r.trackedAt()));
    o.put("lastStep", r.lastStep() == null ? null : r.lastStep().token());
    o.put("lastMessageAt", str(r.lastMessageAt()));
    o.put("nextActionAt", str(r.nextActionAt()));
    o.put("paused", r.paused());
    o.put("needsAttention", r.needsAttention());
    o.put("attentionReason", r.attentionReason());
    o.put("ocNumber", r.purchaseOrder() == null ? null : r.purchaseOrder().ocNumber());
    o.put("ocReceivedAt", r.purchaseOrder() == null ? null : str(r.purchaseOrder().receivedAt()));
    o.put("ocDocumentId", r.purchaseOrder() == null ? null : r.purchaseOrder().documentId());
    o.put("confirmationDocumentId", r.confirmationDocumentId());
    o.put("version", r.version());
    return o;
  }

  static ObjectNode detail(
      Reservation r, List<TimelineEvent> timeline, List<OutboxMessage> messages) {
    ObjectNode o = reservation(r);
    ArrayNode t = o.putArray("timeline");
    for (TimelineEvent e : timeline) {
      ObjectNode n = t.addObject();
      n.put("at", e.at().toString());
      n.put("kind", e.kind().name());
      n.put("detail", e.detail());
      n.put("actor", e.actor());
    }
    ArrayNode m = o.putArray("messages");
    for (OutboxMessage x : messages) {
      m.add(message(x));
    }
    return o;
  }

  static ObjectNode message(OutboxMessage x) {
    ObjectNode n = JSON.createObjectNode();
    n.put("step", x.step().token());
    n.put("generation", x.generation());
    n.put("messageId", x.messageId());
    n.put("status", x.status().name());
    n.put("to", String.join(", ", x.to()));
    n.put("subject", x.subject());
    n.put("attempts", x.attempts());
    n.put("createdAt", str(x.createdAt()));
    n.put("sentAt", str(x.sentAt()));
    n.put("lastError", x.lastError());
    return n;
  }

  static ObjectNode statistics(Statistics s) {
    ObjectNode o = JSON.createObjectNode();
    ObjectNode by = o.putObject("byState");
    for (TrackingState st : TrackingState.values()) {
      by.put(st.name(), s.byState().getOrDefault(st, 0L));
    }
    o.put("total", s.total());
    o.put("needingAttention", s.needingAttention());
    o.put("inReview", s.inReview());
    ObjectNode out = o.putObject("outbox");
    for (OutboxStatus st : OutboxStatus.values()) {
      out.put(st.name(), s.outbox().getOrDefault(st, 0L));
    }
    return o;
  }

  /** The components {@link Health} reports on, always listed (UP unless failing). */
  static final List<String> HEALTH_COMPONENTS = List.of("mailbox", "store", "sending");

  /**
   * The engine's health: the status and each component UP or DOWN; with {@code details}, also the
   * failing components' last errors (which may name hosts and users: only for the authenticated).
   */
  static ObjectNode health(Health h, boolean details) {
    ObjectNode o = JSON.createObjectNode();
    o.put("status", h.status().name());
    ObjectNode c = o.putObject("components");
    Set<String> names = new TreeSet<>(HEALTH_COMPONENTS);
    names.addAll(h.problems().keySet());
    for (String n : names) {
      c.put(n, h.problems().containsKey(n) ? "DOWN" : "UP");
    }
    if (details) {
      ObjectNode p = o.putObject("problems");
      h.problems().forEach(p::put);
    }
    o.put("checkedAt", h.checkedAt().toString());
    return o;
  }

  static ObjectNode agency(Agency a) {
    ObjectNode o = JSON.createObjectNode();
    o.put("name", a.name());
    o.put("requiresOc", a.requiresOc());
    o.put("active", a.active());
    a.contacts().forEach(o.putArray("contacts")::add);
    a.cc().forEach(o.putArray("cc")::add);
    a.aliases().forEach(o.putArray("aliases")::add);
    a.emailDomains().forEach(o.putArray("emailDomains")::add);
    o.put("locale", a.locale().toLanguageTag());
    if (a.schedule() == null) {
      o.putNull("schedule");
    } else {
      ArrayNode s = o.putArray("schedule");
      for (ScheduledStep st : a.schedule().steps()) {
        s.add(st.step().token() + "@" + st.businessDay());
      }
    }
    return o;
  }

  static ObjectNode inbound(InboundRecord r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("key", r.key());
    o.put("from", r.from());
    o.put("subject", r.subject());
    o.put("receivedAt", str(r.receivedAt()));
    o.put("recordedAt", str(r.recordedAt()));
    o.put("outcome", r.outcome().name());
    o.put("reason", r.reason());
    o.put("reservationId", r.reservationId());
    o.put("messageId", r.messageId());
    o.put("attempts", r.attempts());
    o.put("nextAttemptAt", str(r.nextAttemptAt()));
    ArrayNode docs = o.putArray("documentIds");
    r.documentIds().forEach(docs::add);
    return o;
  }

  /**
   * Text safe to print on a terminal: C0 and C1 control characters (ESC and the CSI/OSC sequences
   * they start, BEL, backspace, carriage return, ...), DEL, line and paragraph separators and
   * bidirectional overrides become a space, so stored text cannot move the cursor, retitle the
   * window, forge a line or hide part of itself.
   */
  static String terminalSafe(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      boolean bad =
          ch < 0x20
              || (ch >= 0x7f && ch <= 0x9f)
              || ch == '\u2028'
              || ch == '\u2029'
              || (ch >= '\u202a' && ch <= '\u202e')
              || (ch >= '\u2066' && ch <= '\u2069');
      if (bad && b == null) {
        b = new StringBuilder(s.length());
        b.append(s, 0, i);
      }
      if (b != null) {
        b.append(bad ? ' ' : ch);
      }
    }
    return b == null ? s : b.toString();
  }

  /** {@link #terminalSafe} over every text value of a JSON tree (for text output of views). */
  static ObjectNode terminalSafe(ObjectNode o) {
    ObjectNode out = o.deepCopy();
    out.fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isTextual()) {
                e.setValue(JSON.getNodeFactory().textNode(terminalSafe(e.getValue().asText())));
              }
            });
    return out;
  }

  static String str(Object o) {
    return o == null ? null : Objects.toString(o);
  }
}
