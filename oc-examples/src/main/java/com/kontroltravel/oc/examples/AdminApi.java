package com.kontroltravel.oc.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kontroltravel.oc.AgencySummary;
import com.kontroltravel.oc.Chase;
import com.kontroltravel.oc.DailyCount;
import com.kontroltravel.oc.InboundDetail;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.OcOperations;
import com.kontroltravel.oc.TickReport;
import com.kontroltravel.oc.exception.ReservationNotFoundException;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.Page;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationQuery;
import com.kontroltravel.oc.model.TrackingState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The admin JSON API's handlers. The routes are in {@link AdminServer#routes}; the description is
 * {@code admin/openapi.yaml}, served at {@code /api/openapi.yaml}.
 */
final class AdminApi {
  static final String OPENAPI = AdminTemplates.BASE + "openapi.yaml";

  private final OcEngine engine;
  private final OcOperations ops;
  private final AdminPages pages;

  AdminApi(OcEngine engine, AdminPages pages) {
    this.engine = engine;
    this.ops = engine.operations();
    this.pages = pages;
  }

  // ------------------------------------------------------------------ bookings

  void stats(AdminRequest r) throws IOException {
    r.json(200, Views.statistics(ops.statistics()));
  }

  /** The counts of {@code /api/stats} plus critical bookings, agencies and the daily series. */
  void statistics(AdminRequest r) throws IOException {
    ObjectNode o = Views.statistics(ops.statistics());
    int after = pages.criticalAfter();
    List<Chase> critical = ops.critical(after);
    o.put("criticalAfterBusinessDays", after);
    o.put("critical", critical.size());
    ArrayNode c = o.putArray("criticalBookings");
    for (Chase x : critical) {
      c.add(chase(Views.reservation(x.reservation()), x));
    }
    ops.nextFollowUp().ifPresent(t -> o.put("nextFollowUp", t.toString()));
    ops.lastMailboxCheck().ifPresent(t -> o.put("lastMailboxCheck", t.toString()));
    ArrayNode a = o.putArray("agencies");
    for (AgencySummary s : pages.agencySummary()) {
      ObjectNode n = a.addObject();
      n.put("agency", s.agency());
      n.put("configured", s.configured());
      n.put("total", s.total());
      n.put("received", s.received());
      n.put("chasing", s.chasing());
      n.put("attention", s.attention());
    }
    ArrayNode d = o.putArray("daily");
    for (DailyCount x : pages.daily()) {
      ObjectNode n = d.addObject();
      n.put("day", x.day().toString());
      n.put("tracked", x.tracked());
      n.put("requested", x.requested());
      n.put("received", x.received());
    }
    r.json(200, o);
  }

  private static ObjectNode chase(ObjectNode reservation, Chase c) {
    if (c != null) {
      reservation.put("requestedAt", c.requestedAt().toString());
      reservation.put("daysSinceRequest", c.days());
      reservation.put("businessDaysSinceRequest", c.businessDays());
    }
    return reservation;
  }

  private ArrayNode reservations(List<Reservation> rows) {
    Map<String, Chase> chases = ops.chases(rows);
    ArrayNode items = Views.JSON.createArrayNode();
    rows.forEach(x -> items.add(chase(Views.reservation(x), chases.get(x.id()))));
    return items;
  }

  void list(AdminRequest r) throws IOException {
    Page<Reservation> p = ops.list(query(r.query));
    ObjectNode o = Views.JSON.createObjectNode();
    o.put("total", p.total());
    o.put("offset", p.offset());
    o.set("items", reservations(p.items()));
    r.json(200, o);
  }

  void search(AdminRequest r) throws IOException {
    String q = r.q("q");
    if (q == null) {
      throw new IllegalArgumentException("q is required");
    }
    r.json(200, reservations(ops.find(q)));
  }

  void reservation(AdminRequest r) throws IOException {
    String id = r.param("id");
    Reservation res =
        ops.reservation(id).orElseThrow(() -> new ReservationNotFoundException("no booking " + id));
    ObjectNode o = Views.detail(res, ops.timeline(id), ops.messages(id));
    r.json(200, chase(o, ops.chases(List.of(res)).get(id)));
  }

  void action(AdminRequest r, String action) throws IOException {
    String id = r.param("id");
    JsonNode body = r.json();
    String actor = r.actor();
    switch (action) {
      case "mark-received" -> {
        String oc = text(body, "ocNumber", text(body, "oc", null));
        r.json(200, Views.reservation(ops.markReceived(id, oc, null, actor)));
      }
      case "resend" -> {
        String step = text(body, "step", null);
        if (step == null) {
          throw new IllegalArgumentException("step is required");
        }
        r.json(200, Views.message(ops.resend(id, Runner.parseStep(step), actor)));
      }
      case "cancel" ->
          r.json(200, Views.reservation(ops.cancel(id, text(body, "reason", null), actor)));
      case "pause" -> r.json(200, Views.reservation(ops.pause(id, actor)));
      case "resume" -> r.json(200, Views.reservation(ops.resume(id, actor)));
      default -> throw new NoSuchElementException("no such action: " + action);
    }
  }

  void processNow(AdminRequest r) throws IOException {
    TickReport t = engine.processNow(r.actor());
    ObjectNode o = Views.JSON.createObjectNode();
    o.put("received", t.received());
    o.put("followedUp", t.followedUp());
    o.put("sent", t.sent());
    o.put("failed", t.failed());
    r.json(200, o);
  }

  // ------------------------------------------------------------------ inbound and review

  static ObjectNode inbound(InboundRecord x) {
    ObjectNode o = Views.inbound(x);
    o.put("messageId", x.messageId());
    o.put("outcomeLabel", x.outcome().label());
    o.put("attempts", x.attempts());
    o.put("nextAttemptAt", Views.str(x.nextAttemptAt()));
    ArrayNode docs = o.putArray("documentIds");
    x.documentIds().forEach(docs::add);
    return o;
  }

  private static ArrayNode inbound(List<InboundRecord> rows) {
    ArrayNode a = Views.JSON.createArrayNode();
    rows.forEach(x -> a.add(inbound(x)));
    return a;
  }

  void inboundLog(AdminRequest r) throws IOException {
    r.json(
        200,
        inbound(
            ops.inbound(
                AdminViews.outcome(r.q("outcome")),
                AdminInboundPages.since(r.q("since")),
                AdminInboundPages.limit(r.q("limit")))));
  }

  void inboundMessage(AdminRequest r) throws IOException {
    String key = r.param("key");
    InboundDetail d =
        ops.inboundMessage(key)
            .orElseThrow(() -> new NoSuchElementException("no inbound message " + key));
    ObjectNode o = Views.JSON.createObjectNode();
    o.set("record", inbound(d.record()));
    o.put("canReprocess", d.canReprocess());
    ArrayNode leftOut = o.putArray("leftOut");
    d.leftOut().forEach(leftOut::add);
    if (d.message().isPresent()) {
      InboundMessage m = d.message().get();
      ObjectNode n = o.putObject("message");
      n.put("messageId", m.messageId());
      n.put("from", m.from());
      n.put("fromName", m.fromName());
      n.put("subject", m.subject());
      n.put("date", Views.str(m.date()));
      n.put("textBody", m.textBody());
      ArrayNode files = n.putArray("attachments");
      for (Attachment a : m.attachments()) {
        ObjectNode f = files.addObject();
        f.put("fileName", a.fileName());
        f.put("contentType", a.contentType());
        f.put("size", a.content().length);
      }
      ArrayNode problems = n.putArray("problems");
      m.problems().forEach(problems::add);
    } else {
      o.putNull("message");
    }
    r.json(200, o);
  }

  void reprocess(AdminRequest r) throws IOException {
    r.json(200, inbound(ops.reprocess(r.param("key"), r.actor())));
  }

  void review(AdminRequest r) throws IOException {
    r.json(200, inbound(ops.reviewQueue()));
  }

  void assign(AdminRequest r) throws IOException {
    JsonNode body = r.json();
    String booking = text(body, "booking", text(body, "reservationId", null));
    if (booking == null) {
      throw new IllegalArgumentException("booking is required");
    }
    r.json(200, Views.reservation(ops.assignPurchaseOrder(r.param("key"), booking, r.actor())));
  }

  void dismiss(AdminRequest r) throws IOException {
    String reason = text(r.json(), "reason", "dismissed through the admin API");
    r.json(200, inbound(ops.dismissReview(r.param("key"), reason, r.actor())));
  }

  // ------------------------------------------------------------------ agencies and docs

  void agencies(AdminRequest r) throws IOException {
    ArrayNode a = Views.JSON.createArrayNode();
    ops.agencies().forEach(g -> a.add(Views.agency(g)));
    r.json(200, a);
  }

  void saveAgency(AdminRequest r) throws IOException {
    Agency a = agencyFromJson(r.json());
    ops.putAgency(a, r.actor());
    r.json(201, Views.agency(a));
  }

  void openapi(AdminRequest r) throws IOException {
    r.send(200, "application/yaml; charset=utf-8", openapiText());
  }

  static String openapiText() throws IOException {
    try (InputStream in = AdminApi.class.getClassLoader().getResourceAsStream(OPENAPI)) {
      if (in == null) {
        throw new IllegalStateException("missing " + OPENAPI);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  // ------------------------------------------------------------------ parsing

  static ReservationQuery query(Map<String, String> q) {
    Set<TrackingState> states = EnumSet.noneOf(TrackingState.class);
    String s = q.get("state");
    if (s != null && !s.isBlank()) {
      for (String part : s.split(",")) {
        if (!part.isBlank()) {
          states.add(TrackingState.parse(part));
        }
      }
    }
    String agency = q.get("agency");
    String attention = q.get("attention");
    int offset = q.get("offset") == null ? 0 : Integer.parseInt(q.get("offset"));
    int limit = q.get("limit") == null ? 50 : Integer.parseInt(q.get("limit"));
    return ReservationQuery.all()
        .withStates(states)
        .withAgency(agency == null || agency.isBlank() ? null : agency)
        .withNeedsAttention(
            attention == null || attention.isBlank() ? null : Boolean.valueOf(attention))
        .withPage(offset, limit);
  }

  private static Agency agencyFromJson(JsonNode b) {
    String name = text(b, "name", null);
    if (name == null) {
      throw new IllegalArgumentException("name is required");
    }
    return new Agency(
        name,
        strings(b.get("aliases")),
        strings(b.get("emailDomains")),
        !b.has("requiresOc") || b.get("requiresOc").asBoolean(),
        AgencyCsv.addresses(strings(b.get("contacts"))),
        AgencyCsv.addresses(strings(b.get("cc"))),
        AgencyCsv.schedule(text(b, "schedule", null)),
        b.hasNonNull("locale") ? Locale.forLanguageTag(b.get("locale").asText()) : null,
        !b.has("active") || b.get("active").asBoolean());
  }

  private static List<String> strings(JsonNode n) {
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (n.isTextual()) {
      return AgencyCsv.items(n.asText().replace(',', ';'));
    }
    List<String> out = new ArrayList<>();
    n.forEach(i -> out.add(i.asText()));
    return out;
  }

  static String text(JsonNode b, String field, String dflt) {
    JsonNode n = b.get(field);
    return n == null || n.isNull() || n.asText().isBlank() ? dflt : n.asText();
  }
}
