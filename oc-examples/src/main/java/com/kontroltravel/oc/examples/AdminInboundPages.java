package com.kontroltravel.oc.examples;

import com.kontroltravel.oc.AgencySummary;
import com.kontroltravel.oc.InboundDetail;
import com.kontroltravel.oc.OcOperations;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The admin's inbound pages (Correo recibido, one message, Revisión) and Clientes/agencias, with
 * their actions.
 */
final class AdminInboundPages {
  /** Default and largest number of inbound rows listed. */
  static final int INBOUND_ROWS = 100;

  static final int MAX_INBOUND_ROWS = 1000;

  private final OcOperations ops;
  private final AdminTemplates templates;
  private final AdminPages pages;

  AdminInboundPages(OcOperations ops, AdminTemplates templates, AdminPages pages) {
    this.ops = ops;
    this.templates = templates;
    this.pages = pages;
  }

  /** {@code since} as a date (the start of that day in Santiago) or an instant; null when blank. */
  static Instant since(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    try {
      return v.length() == 10
          ? LocalDate.parse(v).atStartOfDay(AdminViews.ZONE).toInstant()
          : Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("since must be a date (2025-12-01) or an instant: " + v);
    }
  }

  static int limit(String value) {
    if (value == null || value.isBlank()) {
      return INBOUND_ROWS;
    }
    int n;
    try {
      n = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("limit must be a number: " + value);
    }
    if (n < 1 || n > MAX_INBOUND_ROWS) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_INBOUND_ROWS + ": " + n);
    }
    return n;
  }

  void inbound(AdminRequest r) throws IOException {
    Map<String, Object> m = pages.model(r);
    InboundOutcome outcome = AdminViews.outcome(r.q("outcome"));
    String since = r.q("since");
    List<InboundRecord> rows = ops.inbound(outcome, since(since), limit(r.q("limit")));
    m.put("outcomes", AdminViews.outcomeOptions(templates, r.lang(), outcome));
    m.put("since", since == null ? "" : since);
    m.put("rows", AdminViews.inbound(templates, r.lang(), rows));
    m.put("count", rows.size());
    pages.page(r, "inbound", "title.inbound", m);
  }

  void message(AdminRequest r) throws IOException {
    String key = r.param("key");
    InboundDetail d =
        ops.inboundMessage(key)
            .orElseThrow(() -> new NoSuchElementException("no inbound message " + key));
    Map<String, Object> m = pages.model(r);
    m.put("m", AdminViews.inbound(templates, r.lang(), d.record()));
    m.put("action", "/inbound/" + AdminRequest.enc(key));
    m.put("canReprocess", d.canReprocess());
    m.put("leftOut", d.leftOut());
    if (d.message().isPresent()) {
      InboundMessage msg = d.message().get();
      m.put("kept", true);
      m.put("fromName", AdminPages.nz(msg.fromName()));
      m.put("fromAddress", AdminPages.nz(msg.from()));
      m.put("subject", msg.subject());
      m.put("date", AdminViews.time(msg.date()));
      m.put("messageId", AdminPages.nz(msg.messageId()));
      m.put("textBody", msg.textBody());
      List<Map<String, Object>> files = new ArrayList<>();
      for (Attachment a : msg.attachments()) {
        files.add(
            Map.of(
                "name", AdminPages.nz(a.fileName()),
                "type", AdminPages.nz(a.contentType()),
                "size", a.content().length));
      }
      m.put("attachments", files);
      m.put("hasAttachments", !files.isEmpty());
      m.put("problems", msg.problems());
      m.put("hasProblems", !msg.problems().isEmpty());
    }
    r.html(200, templates.page("message", r.lang(), templates.label(r.lang(), "title.message"), m));
  }

  void review(AdminRequest r) throws IOException {
    Map<String, Object> m = pages.model(r);
    m.put("rows", AdminViews.inbound(templates, r.lang(), ops.reviewQueue()));
    pages.page(r, "review", "title.review", m);
  }

  void agencies(AdminRequest r) throws IOException {
    Map<String, Object> m = pages.model(r);
    List<Map<String, Object>> summary = new ArrayList<>();
    long withOc = 0;
    for (AgencySummary s : pages.agencySummary()) {
      summary.add(
          Map.of(
              "agency", s.agency(),
              "configured", s.configured(),
              "total", s.total(),
              "received", s.received(),
              "chasing", s.chasing(),
              "attention", s.attention()));
      withOc += s.received() > 0 ? 1 : 0;
    }
    m.put("summary", summary);
    m.put("agenciesWithOc", withOc);
    m.put("agenciesWithoutOc", summary.size() - withOc);
    List<Map<String, Object>> agencies = new ArrayList<>();
    for (Agency a : ops.agencies()) {
      agencies.add(
          Map.of(
              "name", a.name(),
              "requiresOc", a.requiresOc(),
              "active", a.active(),
              "contacts", String.join(", ", a.contacts()),
              "cc", String.join(", ", a.cc()),
              "aliases", String.join(", ", a.aliases())));
    }
    m.put("agencies", agencies);
    pages.page(r, "agencies", "title.agencies", m);
  }

  // ------------------------------------------------------------------ actions

  void reprocess(AdminRequest r) throws IOException {
    InboundRecord rec = ops.reprocess(r.param("key"), r.actor());
    r.redirect("/inbound/" + AdminRequest.enc(rec.key()) + "?done=reprocessed");
  }

  void assign(AdminRequest r) throws IOException {
    String key = r.field("key");
    String id = r.field("reservationId");
    if (key == null || id == null) {
      throw new IllegalArgumentException("the message and the booking id are required");
    }
    ops.assignPurchaseOrder(key, id, r.actor());
    r.redirect("/reservations/" + AdminRequest.enc(id) + "?done=assigned");
  }

  void dismiss(AdminRequest r) throws IOException {
    String key = r.field("key");
    if (key == null) {
      throw new IllegalArgumentException("the message is required");
    }
    String reason = r.field("reason");
    ops.dismissReview(key, reason == null ? "dismissed on the admin page" : reason, r.actor());
    r.redirect("/review?done=dismissed");
  }

  void saveAgency(AdminRequest r) throws IOException {
    String name = r.field("name");
    if (name == null) {
      throw new IllegalArgumentException("the agency name is required");
    }
    Map<String, String> form = r.form();
    ops.putAgency(
        new Agency(
            name,
            AgencyCsv.items(form.get("aliases")),
            List.of(),
            form.containsKey("requiresOc"),
            AgencyCsv.addresses(
                AgencyCsv.items(form.getOrDefault("contacts", "").replace(',', ';'))),
            AgencyCsv.addresses(AgencyCsv.items(form.getOrDefault("cc", "").replace(',', ';'))),
            null,
            null,
            true),
        r.actor());
    r.redirect("/agencies?done=saved");
  }
}
