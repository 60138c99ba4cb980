package com.kontroltravel.oc.examples;

import com.kontroltravel.oc.AgencySummary;
import com.kontroltravel.oc.Chase;
import com.kontroltravel.oc.DailyCount;
import com.kontroltravel.oc.Health;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.OcOperations;
import com.kontroltravel.oc.Statistics;
import com.kontroltravel.oc.exception.ReservationNotFoundException;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.Page;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationQuery;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.model.TrackingState;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The admin's booking pages: dashboard, bookings, one booking, search, and their actions. */
final class AdminPages {
  /** Rows of each list on the dashboard (the totals come from count queries). */
  static final int DASHBOARD_ROWS = 50;

  /** Rows of the dashboard's recent OCs. */
  static final int RECENT_ROWS = 10;

  private final OcEngine engine;
  private final OcOperations ops;
  private final AdminTemplates templates;

  AdminPages(OcEngine engine, AdminTemplates templates) {
    this.engine = engine;
    this.ops = engine.operations();
    this.templates = templates;
  }

  /**
   * How long the reports that read every booking (the daily series, the per-agency summary) are
   * reused: measured on SQLite, each took 0.7 to 0.8 s with 20,000 bookings and 3 to 6 s with
   * 100,000.
   */
  static final Duration REPORT_CACHE = Duration.ofSeconds(30);

  private record Cached(long until, Object value) {}

  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  /** A report, computed at most once per {@link #REPORT_CACHE}. */
  @SuppressWarnings("unchecked")
  <T> T cached(String name, Supplier<T> compute) {
    long now = System.nanoTime();
    Cached c = cache.get(name);
    if (c == null || now - c.until() > 0) {
      c = new Cached(now + REPORT_CACHE.toNanos(), compute.get());
      cache.put(name, c);
    }
    return (T) c.value();
  }

  /** Forgets the cached reports (after an action changed something). */
  void invalidate() {
    cache.clear();
  }

  List<DailyCount> daily() {
    return cached("daily", () -> ops.dailySeries(OcOperations.SERIES_DAYS));
  }

  List<AgencySummary> agencySummary() {
    return cached("agencies", ops::agencySummary);
  }

  /** Business days after which a chase is critical (the engine's setting). */
  int criticalAfter() {
    return engine.config().criticalAfterBusinessDays();
  }

  /** The common model: CSRF token and the "done" notice of a redirect. */
  Map<String, Object> model(AdminRequest r) {
    Map<String, Object> m = new HashMap<>();
    m.put("csrf", r.csrf());
    String done = r.q("done");
    // Only known notices: a link cannot put text of its own on the page.
    if (done != null && templates.labels(r.lang()).containsKey("done." + done)) {
      m.put("done", templates.label(r.lang(), "done." + done));
    }
    return m;
  }

  void page(AdminRequest r, String name, String titleKey, Map<String, Object> m)
      throws IOException {
    r.html(200, templates.page(name, r.lang(), templates.label(r.lang(), titleKey), m));
  }

  /** A table of bookings for the {@code rows} partial. */
  record Table(List<AdminViews.BookingRow> rows, boolean empty) {}

  Table rows(List<Reservation> rows) {
    return new Table(AdminViews.bookings(rows, ops.chases(rows), criticalAfter()), rows.isEmpty());
  }

  // ------------------------------------------------------------------ pages

  void dashboard(AdminRequest r) throws IOException {
    Map<String, Object> m = model(r);
    Statistics s = ops.statistics();
    Health h = engine.health();
    m.put("up", h.status() == Health.Status.UP);
    m.put("status", h.status().name());
    m.put(
        "problems",
        h.problems().entrySet().stream()
            .map(e -> Map.of("name", e.getKey(), "error", e.getValue()))
            .toList());
    ops.nextFollowUp().ifPresent(t -> m.put("nextFollowUp", AdminViews.time(t)));
    ops.lastMailboxCheck().ifPresent(t -> m.put("lastCheck", AdminViews.time(t)));
    List<Map<String, Object>> states = new ArrayList<>();
    for (TrackingState st : TrackingState.values()) {
      states.add(
          Map.of(
              "name", st.name(),
              "label", st.label(),
              "badge", AdminViews.badge(st),
              "count", s.byState().getOrDefault(st, 0L)));
    }
    m.put("states", states);
    m.put("total", s.total());
    List<Chase> critical = ops.critical(criticalAfter());
    m.put("criticalCount", critical.size());
    m.put("criticalAfter", criticalAfter());
    m.put(
        "critical",
        rows(
            critical.stream()
                .limit(DASHBOARD_ROWS)
                .map(Chase::reservation)
                .collect(Collectors.toList())));
    m.put("attentionCount", s.needingAttention());
    m.put(
        "attention",
        rows(
            ops.list(ReservationQuery.all().withNeedsAttention(true).withPage(0, DASHBOARD_ROWS))
                .items()));
    m.put("inReview", s.inReview());
    m.put("chart", AdminChart.of(daily()));
    List<Reservation> recent =
        new ArrayList<>(
            ops.list(
                    ReservationQuery.all()
                        .withStates(Set.of(TrackingState.RECEIVED))
                        .withPage(0, 200))
                .items());
    recent.sort(
        Comparator.comparing(
                (Reservation x) ->
                    x.purchaseOrder() == null ? x.updatedAt() : x.purchaseOrder().receivedAt())
            .reversed());
    m.put("recent", rows(recent.subList(0, Math.min(RECENT_ROWS, recent.size()))));
    page(r, "dashboard", "title.dashboard", m);
  }

  void bookings(AdminRequest r) throws IOException {
    Map<String, Object> m = model(r);
    ReservationQuery query = AdminApi.query(r.query);
    Page<Reservation> p = ops.list(query);
    List<AdminViews.Option> states = new ArrayList<>();
    for (TrackingState st : TrackingState.values()) {
      states.add(new AdminViews.Option(st.name(), st.label(), query.states().contains(st)));
    }
    m.put("states", states);
    m.put("agency", r.query.getOrDefault("agency", ""));
    m.put("attentionChecked", "true".equals(r.query.get("attention")));
    m.put("shown", p.items().size());
    m.put("total", p.total());
    m.put("rows", rows(p.items()));
    if (p.offset() + p.items().size() < p.total()) {
      Map<String, String> next = new LinkedHashMap<>(r.query);
      next.put("offset", Integer.toString(p.offset() + p.items().size()));
      m.put(
          "next",
          "/reservations?"
              + next.entrySet().stream()
                  .map(e -> AdminRequest.enc(e.getKey()) + "=" + AdminRequest.enc(e.getValue()))
                  .collect(Collectors.joining("&")));
    }
    page(r, "bookings", "title.bookings", m);
  }

  void booking(AdminRequest r) throws IOException {
    String id = r.param("id");
    Reservation res =
        ops.reservation(id).orElseThrow(() -> new ReservationNotFoundException("no booking " + id));
    Map<String, Object> m = model(r);
    m.put("id", res.id());
    m.put("action", "/reservations/" + AdminRequest.enc(res.id()));
    m.put("r", AdminViews.bookings(List.of(res), ops.chases(List.of(res)), criticalAfter()).get(0));
    var d = res.details();
    m.put("internalLocator", d.internalLocator());
    m.put("locator", d.locator());
    m.put("checkIn", d.checkIn() == null ? "" : d.checkIn().toString());
    m.put("checkOut", d.checkOut() == null ? "" : d.checkOut().toString());
    m.put(
        "totalAmount",
        d.totalAmount() == null ? "" : d.currency() + " " + d.totalAmount().toPlainString());
    m.put("nextAction", AdminViews.time(res.nextActionAt()));
    m.put("trackedAt", AdminViews.time(res.trackedAt()));
    if (res.purchaseOrder() != null) {
      m.put(
          "po",
          Map.of(
              "number", nz(res.purchaseOrder().ocNumber()),
              "received", AdminViews.time(res.purchaseOrder().receivedAt()),
              "from", nz(res.purchaseOrder().receivedFrom())));
      if (res.purchaseOrder().documentId() != null) {
        m.put("ocDocument", "/documents/" + AdminRequest.enc(res.purchaseOrder().documentId()));
      }
    }
    if (res.confirmationDocumentId() != null) {
      m.put("confirmationDocument", "/documents/" + AdminRequest.enc(res.confirmationDocumentId()));
    }
    m.put("canMarkReceived", res.state() != TrackingState.RECEIVED);
    m.put("canCancel", res.state() != TrackingState.CANCELLED);
    m.put("canPause", res.state().isOpen() && !res.paused());
    m.put("canResume", res.paused() || res.needsAttention());
    List<Map<String, String>> steps = new ArrayList<>();
    for (Step s : Step.values()) {
      if (s != Step.DIGEST) {
        steps.add(Map.of("token", s.token()));
      }
    }
    m.put("steps", steps);
    List<Map<String, String>> messages = new ArrayList<>();
    for (OutboxMessage x : ops.messages(id)) {
      messages.add(
          Map.of(
              "step", x.step().token() + (x.generation() > 0 ? " #" + x.generation() : ""),
              "status", x.status().name(),
              "to", String.join(", ", x.to()),
              "sent", AdminViews.time(x.sentAt()),
              "messageId", x.messageId(),
              "error", x.lastError() == null ? "" : x.lastError()));
    }
    m.put("messages", messages);
    List<Map<String, String>> timeline = new ArrayList<>();
    for (TimelineEvent e : ops.timeline(id)) {
      timeline.add(
          Map.of(
              "at", AdminViews.time(e.at()),
              "kind", templates.label(r.lang(), "event." + e.kind().name()),
              "detail", e.detail(),
              "actor", e.actor()));
    }
    m.put("timeline", timeline);
    r.html(
        200,
        templates.page(
            "booking", r.lang(), templates.label(r.lang(), "title.booking") + " " + res.id(), m));
  }

  void search(AdminRequest r) throws IOException {
    Map<String, Object> m = model(r);
    String q = r.q("q");
    m.put("q", q == null ? "" : q);
    if (q != null) {
      m.put("searched", true);
      m.put("rows", rows(ops.find(q)));
    }
    page(r, "search", "title.search", m);
  }

  static String nz(String s) {
    return s == null ? "" : s;
  }

  // ------------------------------------------------------------------ actions

  /** A booking's form actions; back to the booking with a notice. */
  void bookingAction(AdminRequest r) throws IOException {
    String id = r.param("id");
    String actor = r.actor();
    String done =
        switch (r.param("action")) {
          case "mark-received" -> {
            ops.markReceived(id, r.field("oc"), null, actor);
            yield "received";
          }
          case "resend" -> {
            ops.resend(id, Runner.parseStep(r.form().getOrDefault("step", "")), actor);
            yield "resent";
          }
          case "cancel" -> {
            ops.cancel(id, r.field("reason"), actor);
            yield "cancelled";
          }
          case "pause" -> {
            ops.pause(id, actor);
            yield "paused";
          }
          case "resume" -> {
            ops.resume(id, actor);
            yield "resumed";
          }
          default -> throw new IllegalArgumentException("no such action: " + r.param("action"));
        };
    r.redirect("/reservations/" + AdminRequest.enc(id) + "?done=" + done);
  }

  void processNow(AdminRequest r) throws IOException {
    engine.processNow(r.actor());
    r.redirect("/?done=processed");
  }
}
