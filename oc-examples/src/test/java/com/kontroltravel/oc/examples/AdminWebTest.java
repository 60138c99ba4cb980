package com.kontroltravel.oc.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.store.jdbc.JdbcStore;
import com.kontroltravel.oc.testkit.RecordingMailGateway;
import com.kontroltravel.oc.testkit.SettableClock;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin web page and JSON API over real HTTP on loopback, with a SQLite store. */
class AdminWebTest {
  static final String USER = "ops";
  static final String PASSWORD = "correct-horse-battery-staple";
  static final ZoneId ZONE = ZoneId.of("America/Santiago");

  @TempDir Path dir;
  SettableClock clock;
  RecordingMailGateway gateway;
  JdbcStore store;
  OcEngine engine;
  AdminServer server;
  Http http;

  @BeforeEach
  void start() throws Exception {
    clock = SettableClock.at(ZonedDateTime.of(2025, 12, 1, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
    gateway = RecordingMailGateway.create(clock);
    store = JdbcStore.sqlite(dir.resolve("oc.db"));
    RunnerSettings settings =
        RunnerSettings.of(Map.of("OC_MAILBOX_ADDRESS", "oc@kontroltravel.test"));
    engine =
        OcApplication.assemble(settings, settings.ocConfig(null), store, gateway, clock).engine();
    engine
        .operations()
        .putAgency(Agency.requiringOc("Viajes Andes S.A.", "compras@andes.test"), "setup");
    engine
        .operations()
        .putAgency(
            Agency.requiringOc("<script>alert('x')</script> Tours", "oc@evil.test"), "setup");
    track("45215412", "Viajes Andes S.A.");
    track("45215449", "Viajes Andes S.A.");
    track("45215486", "<script>alert('x')</script> Tours");
    engine.tick();
    server = AdminServer.start(engine, "127.0.0.1", 0, USER, PASSWORD);
    http = new Http(server.port(), USER, PASSWORD);
  }

  private void track(String id, String agency) {
    engine.track(
        ReservationDetails.builder(id)
            .agencyName(agency)
            .status("Reservado")
            .hotelName("Hotel <b>Magnolia</b>")
            .issueDate(LocalDate.of(2025, 12, 1))
            .totalAmount(new BigDecimal("528701.00"))
            .currency("CLP")
            .build(),
        null);
  }

  @AfterEach
  void stop() {
    server.close();
    engine.close();
    store.close();
  }

  private JsonNode json(HttpResponse<String> r) throws Exception {
    return Views.JSON.readTree(r.body());
  }

  @Test
  @DisplayName("pages and API calls need the right Basic credentials")
  void authIsRequired() {
    HttpResponse<String> anonymous = http.as(null, null).get("/api/stats");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
    assertThat(http.as(USER, "wrong-password").get("/").statusCode()).isEqualTo(401);
    assertThat(http.as("admin", PASSWORD).get("/api/reservations").statusCode()).isEqualTo(401);
    assertThat(http.get("/").statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("the server refuses to start with an empty or default password")
  void refusesWeakPasswords() {
    for (String weak : new String[] {"", "admin", "password", "changeme", "ChangeMe", "short"}) {
      assertThatThrownBy(() -> AdminServer.start(engine, "127.0.0.1", 0, USER, weak))
          .as("password '%s'", weak)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("ADMIN_PASSWORD");
    }
    assertThatThrownBy(() -> AdminServer.start(engine, "127.0.0.1", 0, USER, null))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  @DisplayName("/api/health reflects the engine: 200 UP, 503 DEGRADED while the mailbox fails")
  void healthFollowsTheEngine() throws Exception {
    HttpResponse<String> up = http.as(null, null).get("/api/health");
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(json(up).get("status").asText()).isEqualTo("UP");
    gateway.failFetches(true);
    engine.tick();
    HttpResponse<String> down = http.get("/api/health");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(json(down).get("status").asText()).isEqualTo("DEGRADED");
    assertThat(json(down).get("problems").get("mailbox").asText()).contains("unavailable");
    gateway.failFetches(false);
    engine.tick();
    assertThat(http.get("/api/health").statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("stats, list with a state filter and detail come from the engine")
  void readApi() throws Exception {
    JsonNode stats = json(http.get("/api/stats"));
    assertThat(stats.get("total").asLong()).isEqualTo(3);
    assertThat(stats.get("byState").get("REQUESTED").asLong()).isEqualTo(3);
    JsonNode list = json(http.get("/api/reservations?state=REQUESTED"));
    assertThat(list.get("total").asLong()).isEqualTo(3);
    assertThat(json(http.get("/api/reservations?state=RECEIVED")).get("total").asLong()).isZero();
    JsonNode one = json(http.get("/api/reservations/45215412"));
    assertThat(one.get("state").asText()).isEqualTo("REQUESTED");
    assertThat(one.get("timeline").size()).isGreaterThan(1);
    assertThat(one.get("messages").get(0).get("step").asText()).isEqualTo("request");
    assertThat(http.get("/api/reservations/999").statusCode()).isEqualTo(404);
    assertThat(http.get("/api/reservations?state=BOGUS").statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName(
      "API POSTs need X-Requested-With from this origin; then they act as the logged-in user")
  void apiWrites() throws Exception {
    HttpResponse<String> noHeader =
        http.post(
            "/api/reservations/45215412/mark-received", "{\"ocNumber\":\"4500123456\"}", Map.of());
    assertThat(noHeader.statusCode()).isEqualTo(403);
    HttpResponse<String> crossSite =
        http.post(
            "/api/reservations/45215412/mark-received",
            "{\"ocNumber\":\"4500123456\"}",
            Map.of("X-Requested-With", "x", "Origin", "http://evil.example"));
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(engine.operations().reservation("45215412").orElseThrow().state())
        .isEqualTo(TrackingState.REQUESTED);

    HttpResponse<String> ok =
        http.api("/api/reservations/45215412/mark-received", "{\"ocNumber\":\"4500123456\"}");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(json(ok).get("state").asText()).isEqualTo("RECEIVED");
    assertThat(engine.operations().reservation("45215412").orElseThrow().purchaseOrder().ocNumber())
        .isEqualTo("4500123456");
    assertThat(engine.operations().timeline("45215412")).anyMatch(e -> e.actor().equals(USER));
    HttpResponse<String> again =
        http.api("/api/reservations/45215412/mark-received", "{\"ocNumber\":\"1\"}");
    assertThat(again.statusCode()).isEqualTo(409);

    HttpResponse<String> resend =
        http.api("/api/reservations/45215449/resend", "{\"step\":\"request\"}");
    assertThat(resend.statusCode()).as(resend.body()).isEqualTo(200);
    assertThat(json(resend).get("generation").asInt()).isEqualTo(1);
    assertThat(http.api("/api/reservations/45215449/resend", "{\"step\":\"nope\"}").statusCode())
        .isEqualTo(400);

    HttpResponse<String> cancel =
        http.api("/api/reservations/45215449/cancel", "{\"reason\":\"booking voided\"}");
    assertThat(json(cancel).get("state").asText()).isEqualTo("CANCELLED");

    HttpResponse<String> agency =
        http.api(
            "/api/agencies",
            "{\"name\":\"CAJA 18\",\"contacts\":[\"oc@caja18.test\"],\"requiresOc\":true}");
    assertThat(agency.statusCode()).isEqualTo(201);
    assertThat(json(http.get("/api/agencies")).findValuesAsText("name")).contains("CAJA 18");

    int before = gateway.sent().size();
    assertThat(http.api("/api/reservations/45215486/resend", "{\"step\":\"request\"}").statusCode())
        .isEqualTo(200);
    HttpResponse<String> process = http.api("/api/process-now", "");
    assertThat(process.statusCode()).isEqualTo(200);
    assertThat(json(process).get("sent").asInt()).isEqualTo(1);
    assertThat(gateway.sent()).hasSize(before + 1);
    assertThat(gateway.sent().get(before).messageId()).contains("45215486.request.1");
  }

  private static String token(String html) {
    Matcher m = Pattern.compile("name=csrf value=\"([0-9a-f]{64})\"").matcher(html);
    assertThat(m.find()).as("a CSRF field in the page").isTrue();
    return m.group(1);
  }

  @Test
  @DisplayName(
      "forms change state only with the session's CSRF token, then redirect to the booking")
  void formsNeedTheCsrfToken() {
    HttpResponse<String> page = http.get("/reservations/45215449");
    assertThat(page.statusCode()).isEqualTo(200);
    String cookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    String token = token(page.body());
    assertThat(cookie).isEqualTo("oc_csrf=" + token);

    Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded");
    HttpResponse<String> noToken =
        http.post("/reservations/45215449/mark-received", "oc=77", Map.of("Cookie", cookie));
    assertThat(noToken.statusCode()).isEqualTo(403);
    HttpResponse<String> noCookie =
        http.post("/reservations/45215449/mark-received", "oc=77&csrf=" + token, form);
    assertThat(noCookie.statusCode()).isEqualTo(403);
    String other = "0".repeat(64);
    HttpResponse<String> wrong =
        http.post(
            "/reservations/45215449/mark-received",
            "oc=77&csrf=" + other,
            Map.of("Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded"));
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(engine.operations().reservation("45215449").orElseThrow().state())
        .isEqualTo(TrackingState.REQUESTED);

    HttpResponse<String> ok =
        http.post(
            "/reservations/45215449/mark-received",
            "oc=4500777&csrf=" + token,
            Map.of("Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded"));
    assertThat(ok.statusCode()).isEqualTo(303);
    assertThat(ok.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).startsWith("/reservations/45215449"));
    assertThat(engine.operations().reservation("45215449").orElseThrow().state())
        .isEqualTo(TrackingState.RECEIVED);
    HttpResponse<String> after =
        http.get(ok.headers().firstValue("Location").orElseThrow(), Map.of("Cookie", cookie));
    assertThat(after.body())
        .containsPattern("<b id=state class=\"badge b-ok\">RECIBIDA</b>")
        .contains("4500777")
        .contains("OC marcada como recibida");
  }

  @Test
  @DisplayName("an unmatched OC is counted on the dashboard and filed from the review page")
  void reviewQueueAssign() {
    InboundRecord rec =
        engine.ingest(
            InboundMessage.builder()
                .messageId("unmatched-1@gmail.test")
                .from("otra.persona@gmail.test")
                .subject("Adjunto orden de compra")
                .textBody("Saludos")
                .date(clock.instant())
                .attachment(
                    Attachment.pdf(
                        "OC.pdf",
                        DemoPdfs.purchaseOrder(
                            "Alguien", "4500111222", "sin referencia", new BigDecimal("1.00"))))
                .build());
    assertThat(rec.outcome()).isEqualTo(InboundOutcome.REVIEW);
    assertThat(http.get("/").body()).contains("Cola de revisión (1)");
    HttpResponse<String> dash = http.get("/review");
    assertThat(dash.body()).contains("otra.persona@gmail.test").contains("Adjunto orden de compra");
    String cookie = dash.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    HttpResponse<String> ok =
        http.post(
            "/review/assign",
            "key="
                + java.net.URLEncoder.encode(rec.key(), java.nio.charset.StandardCharsets.UTF_8)
                + "&reservationId=45215412&csrf="
                + token(dash.body()),
            Map.of("Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded"));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(303);
    assertThat(engine.operations().reservation("45215412").orElseThrow().state())
        .isEqualTo(TrackingState.RECEIVED);
    assertThat(engine.operations().reviewQueue()).isEmpty();
    HttpResponse<String> page = http.get("/reservations/45215412");
    Matcher link =
        Pattern.compile("id=oc-document href=\"(/documents/[^\"]+)\"").matcher(page.body());
    assertThat(link.find()).as(page.body()).isTrue();
    HttpResponse<String> doc = http.get(link.group(1));
    assertThat(doc.statusCode()).isEqualTo(200);
    assertThat(doc.headers().firstValue("Content-Disposition"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("attachment"));
    assertThat(doc.body()).startsWith("%PDF-");
    assertThat(http.get("/documents/nope").statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("everything rendered is HTML-escaped, and pages forbid scripts and framing")
  void pagesEscapeEverything() {
    HttpResponse<String> detail = http.get("/reservations/45215486");
    assertThat(detail.body())
        .doesNotContain("<script>")
        .doesNotContain("<b>Magnolia</b>")
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Tours")
        .contains("Hotel &lt;b&gt;Magnolia&lt;/b&gt;");
    assertThat(detail.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(v -> assertThat(v).contains("default-src 'none'"));
    assertThat(detail.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(http.get("/").body()).doesNotContain("<script>").contains("SOLICITADA");
    assertThat(http.get("/agencies").body()).doesNotContain("<script>");
    assertThat(http.get("/reservations?agency=%3Cscript%3E").body())
        .doesNotContain("<script>")
        .contains("&lt;script&gt;");
  }

  private InboundRecord unmatchedOc(String messageId) {
    InboundRecord rec =
        engine.ingest(
            InboundMessage.builder()
                .messageId(messageId)
                .from("otra.persona@gmail.test")
                .subject("Adjunto orden de compra")
                .textBody("Saludos")
                .date(clock.instant())
                .attachment(
                    Attachment.pdf(
                        "OC.pdf",
                        DemoPdfs.purchaseOrder(
                            "Alguien", "4500111222", "sin referencia", new BigDecimal("1.00"))))
                .build());
    assertThat(rec.outcome()).isEqualTo(InboundOutcome.REVIEW);
    return rec;
  }

  /** A message from a stranger: ignored, its copy kept. */
  private InboundRecord strangerMail() {
    InboundRecord rec =
        engine.ingest(
            InboundMessage.builder()
                .messageId("stranger-1@evil.test")
                .from("someone@evil.test")
                .subject("Confirmacion <script>x</script>")
                .textBody("Hola <b>mundo</b>\nsegunda línea")
                .date(clock.instant())
                .build());
    assertThat(rec.outcome()).isIn(InboundOutcome.IGNORED, InboundOutcome.QUARANTINED);
    return rec;
  }

  private static String enc(String s) {
    return AdminRequest.enc(s);
  }

  @Test
  @DisplayName(
      "search, pause and resume through the API; /api/statistics adds critical, agencies, 30 days")
  void bookingApi() throws Exception {
    JsonNode found = json(http.get("/api/search?q=45215412"));
    assertThat(found).hasSize(1);
    assertThat(found.get(0).get("id").asText()).isEqualTo("45215412");
    assertThat(found.get(0).get("daysSinceRequest").asLong()).isZero();
    assertThat(json(http.get("/api/search?q=nope"))).isEmpty();
    assertThat(http.get("/api/search").statusCode()).isEqualTo(400);

    HttpResponse<String> paused = http.api("/api/reservations/45215412/pause", "");
    assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
    assertThat(json(paused).get("paused").asBoolean()).isTrue();
    assertThat(engine.operations().reservation("45215412").orElseThrow().paused()).isTrue();
    HttpResponse<String> resumed = http.api("/api/reservations/45215412/resume", "");
    assertThat(json(resumed).get("paused").asBoolean()).isFalse();
    assertThat(http.post("/api/reservations/45215412/pause", "", Map.of()).statusCode())
        .isEqualTo(403);

    JsonNode before = json(http.get("/api/statistics"));
    assertThat(before.get("total").asLong()).isEqualTo(3);
    assertThat(before.get("critical").asLong()).isZero();
    assertThat(before.get("daily")).hasSize(30);
    JsonNode today = before.get("daily").get(29);
    assertThat(today.get("day").asText()).isEqualTo("2025-12-01");
    assertThat(today.get("tracked").asLong()).isEqualTo(3);
    assertThat(today.get("requested").asLong()).isEqualTo(3);
    assertThat(before.get("agencies").findValuesAsText("agency"))
        .containsExactly("<script>alert('x')</script> Tours", "Viajes Andes S.A.");
    assertThat(before.get("agencies").get(1).get("chasing").asLong()).isEqualTo(2);

    // Monday 1 Dec + 5 days = Saturday 6 Dec: Tue..Fri are 4 business days.
    clock.advance(java.time.Duration.ofDays(5));
    JsonNode after = json(http.get("/api/statistics"));
    assertThat(after.get("critical").asLong()).isEqualTo(3);
    assertThat(after.get("criticalBookings").get(0).get("businessDaysSinceRequest").asLong())
        .isEqualTo(4);
    assertThat(http.get("/").body()).contains("Críticas (3)").contains("class=\"critical\"");
  }

  @Test
  @DisplayName("the review queue through the API: list, assign to a booking, dismiss")
  void reviewApi() throws Exception {
    InboundRecord one = unmatchedOc("unmatched-1@gmail.test");
    InboundRecord two = unmatchedOc("unmatched-2@gmail.test");
    assertThat(json(http.get("/api/review")).findValuesAsText("key"))
        .containsExactlyInAnyOrder(one.key(), two.key());
    assertThat(http.api("/api/review/" + enc(one.key()) + "/assign", "{}").statusCode())
        .isEqualTo(400);
    HttpResponse<String> assigned =
        http.api("/api/review/" + enc(one.key()) + "/assign", "{\"booking\":\"45215412\"}");
    assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(200);
    assertThat(json(assigned).get("state").asText()).isEqualTo("RECEIVED");
    HttpResponse<String> dismissed =
        http.api("/api/review/" + enc(two.key()) + "/dismiss", "{\"reason\":\"spam\"}");
    assertThat(dismissed.statusCode()).as(dismissed.body()).isEqualTo(200);
    assertThat(json(dismissed).get("outcome").asText()).isNotEqualTo("REVIEW");
    assertThat(json(http.get("/api/review"))).isEmpty();
    assertThat(
            http.api("/api/review/" + enc(two.key()) + "/dismiss", "{\"reason\":\"again\"}")
                .statusCode())
        .isEqualTo(409);
    assertThat(engine.operations().timeline("45215412")).anyMatch(e -> e.actor().equals(USER));
  }

  @Test
  @DisplayName("the inbound log through the API: filter by outcome and date, inspect, reprocess")
  void inboundApi() throws Exception {
    InboundRecord stranger = strangerMail();
    unmatchedOc("unmatched-1@gmail.test");
    JsonNode all = json(http.get("/api/inbound"));
    assertThat(all.findValuesAsText("key")).contains(stranger.key(), "unmatched-1@gmail.test");
    JsonNode review = json(http.get("/api/inbound?outcome=REVIEW"));
    assertThat(review.findValuesAsText("key")).containsExactly("unmatched-1@gmail.test");
    assertThat(review.get(0).get("outcomeLabel").asText()).isEqualTo("En revisión");
    assertThat(review.get(0).get("attempts").asInt()).isEqualTo(1);
    assertThat(json(http.get("/api/inbound?since=2025-12-02"))).isEmpty();
    assertThat(json(http.get("/api/inbound?since=2025-12-01&limit=1"))).hasSize(1);
    assertThat(http.get("/api/inbound?outcome=NOPE").statusCode()).isEqualTo(400);
    assertThat(http.get("/api/inbound?since=yesterday").statusCode()).isEqualTo(400);

    JsonNode detail = json(http.get("/api/inbound/" + enc(stranger.key())));
    assertThat(detail.get("record").get("reason").asText()).isNotBlank();
    assertThat(detail.get("message").get("textBody").asText()).contains("Hola <b>mundo</b>");
    assertThat(detail.get("canReprocess").asBoolean()).isTrue();
    assertThat(http.get("/api/inbound/nope@x").statusCode()).isEqualTo(404);

    HttpResponse<String> again = http.api("/api/inbound/" + enc(stranger.key()) + "/reprocess", "");
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(json(again).get("key").asText()).isEqualTo(stranger.key());
    assertThat(json(again).get("reason").asText()).isNotBlank();
    assertThat(
            http.post("/api/inbound/" + enc(stranger.key()) + "/reprocess", "", Map.of())
                .statusCode())
        .isEqualTo(403);
  }

  @Test
  @DisplayName(
      "the inbound pages show each message's reason and kept copy, escaped; Reprocesar works")
  void inboundPages() {
    InboundRecord stranger = strangerMail();
    HttpResponse<String> list = http.get("/inbound");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body())
        .contains("Correo recibido")
        .contains("someone@evil.test")
        .contains("Confirmacion &lt;script&gt;x&lt;/script&gt;")
        .doesNotContain("<script>");
    assertThat(http.get("/inbound?outcome=REVIEW").body()).doesNotContain("someone@evil.test");
    HttpResponse<String> page = http.get("/inbound/" + enc(stranger.key()));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("Hola &lt;b&gt;mundo&lt;/b&gt;")
        .contains("id=reprocess")
        .contains("Reprocesar");
    String cookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    HttpResponse<String> done =
        http.post(
            "/inbound/" + enc(stranger.key()) + "/reprocess",
            "csrf=" + token(page.body()),
            Map.of("Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded"));
    assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
    assertThat(done.headers().firstValue("Location").orElseThrow())
        .startsWith("/inbound/")
        .endsWith("?done=reprocessed");
    assertThat(http.get("/inbound/nope").statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("dismiss from the review page needs the CSRF token and empties the queue")
  void reviewDismissPage() {
    InboundRecord rec = unmatchedOc("unmatched-9@gmail.test");
    HttpResponse<String> page = http.get("/review");
    String cookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    String form = "key=" + enc(rec.key()) + "&reason=spam";
    Map<String, String> headers =
        Map.of("Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded");
    assertThat(http.post("/review/dismiss", form, headers).statusCode()).isEqualTo(403);
    assertThat(engine.operations().reviewQueue()).hasSize(1);
    HttpResponse<String> ok =
        http.post("/review/dismiss", form + "&csrf=" + token(page.body()), headers);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(303);
    assertThat(engine.operations().reviewQueue()).isEmpty();
    assertThat(http.get("/review", Map.of("Cookie", cookie)).body())
        .contains("No hay órdenes de compra esperando");
  }

  @Test
  @DisplayName(
      "search, booking pause/resume, clients summary: Spanish by default, English on ?lang=en")
  void pagesAndLanguages() {
    HttpResponse<String> search = http.get("/search?q=45215449");
    assertThat(search.body())
        .contains("<h1>Buscar</h1>")
        .contains("href=\"/reservations/45215449\"");
    assertThat(http.get("/search?q=zzz").body()).contains("id=no-results");

    HttpResponse<String> booking = http.get("/reservations/45215449");
    assertThat(booking.body()).contains("id=pause").contains("Días desde solicitud");
    String cookie = booking.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    HttpResponse<String> paused =
        http.post(
            "/reservations/45215449/pause",
            "csrf=" + token(booking.body()),
            Map.of("Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded"));
    assertThat(paused.statusCode()).isEqualTo(303);
    assertThat(engine.operations().reservation("45215449").orElseThrow().paused()).isTrue();
    assertThat(http.get("/reservations/45215449", Map.of("Cookie", cookie)).body())
        .contains("id=paused")
        .contains("id=resume");

    HttpResponse<String> clients = http.get("/agencies");
    assertThat(clients.body())
        .contains("Resumen por agencia")
        .contains("Viajes Andes S.A.")
        .doesNotContain("<script>");

    HttpResponse<String> english = http.get("/?lang=en");
    assertThat(english.body()).contains("<h1>Dashboard</h1>").contains("lang=\"en\"");
    String lang =
        english.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("oc_lang="))
            .findFirst()
            .orElseThrow();
    assertThat(lang).contains("oc_lang=en").contains("SameSite=Strict");
    assertThat(http.get("/search", Map.of("Cookie", "oc_lang=en")).body())
        .contains("<h1>Search</h1>");
    // Spanish unless asked: an English browser still gets Spanish.
    assertThat(http.get("/", Map.of("Accept-Language", "en-US,en;q=0.8")).body())
        .contains("<h1>Panel</h1>");
    assertThat(http.get("/?lang=es", Map.of("Cookie", "oc_lang=en")).body())
        .contains("<h1>Panel</h1>");
  }

  @Test
  @DisplayName(
      "the stylesheet is served, cached, and pages allow only it: no inline style or script")
  void stylesheetAndPolicy() {
    HttpResponse<String> page = http.get("/");
    java.util.regex.Matcher m =
        Pattern.compile("href=\"(/static/oc\\.css\\?v&#x3D;[0-9a-f]+)\"").matcher(page.body());
    assertThat(m.find()).as(page.body()).isTrue();
    HttpResponse<String> css = http.get(m.group(1).replace("&#x3D;", "="));
    assertThat(css.statusCode()).isEqualTo(200);
    assertThat(css.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
    assertThat(css.headers().firstValue("Cache-Control").orElseThrow()).contains("max-age=");
    assertThat(css.body()).contains("@media (max-width");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("style-src 'self'")
        .doesNotContain("unsafe-inline")
        .doesNotContain("script-src");
    assertThat(page.body()).doesNotContain("<script").doesNotContain("style=").contains("<svg");
    assertThat(page.body()).contains("name=\"viewport\"");
  }

  @Test
  @DisplayName(
      "OpenAPI: every API route the server serves is described, every described path is served")
  void openApiMatchesTheRoutes() throws Exception {
    HttpResponse<String> yaml = http.get("/api/openapi.yaml");
    assertThat(yaml.statusCode()).isEqualTo(200);
    JsonNode doc = AdminDocs.read(yaml.body());
    assertThat(doc.get("openapi").asText()).startsWith("3.");
    java.util.Set<String> described = new java.util.TreeSet<>();
    doc.get("paths")
        .fields()
        .forEachRemaining(
            p -> {
              for (String method : AdminDocs.METHODS) {
                if (p.getValue().has(method)) {
                  described.add(method.toUpperCase(java.util.Locale.ROOT) + " " + p.getKey());
                }
              }
            });
    java.util.Set<String> served = new java.util.TreeSet<>(AdminServer.PUBLIC_ROUTES);
    for (AdminRoutes.Route r : server.routes()) {
      if (r.template().startsWith("/api/")) {
        served.add(r.method() + " " + r.template());
      }
    }
    assertThat(described).isEqualTo(served);
    // Every parameter named in a path is declared.
    doc.get("paths")
        .fields()
        .forEachRemaining(
            p -> {
              Matcher names = Pattern.compile("\\{(\\w+)}").matcher(p.getKey());
              while (names.find()) {
                assertThat(p.getValue().toString())
                    .as(p.getKey())
                    .contains("/parameters/" + names.group(1));
              }
            });
    // And the described operations answer (not 404) on this server.
    for (String op : described) {
      String[] mp = op.split(" ");
      String path = mp[1].replace("{id}", "45215412").replace("{key}", "none%40x");
      int status =
          mp[0].equals("GET") ? http.get(path).statusCode() : http.api(path, "{}").statusCode();
      boolean notFoundIsAnAnswer = path.contains("none%40x");
      assertThat(status == 404 && !notFoundIsAnAnswer).as(op + " answered " + status).isFalse();
      assertThat(status).as(op).isNotEqualTo(405);
    }
    HttpResponse<String> docs = http.get("/docs");
    assertThat(docs.statusCode()).isEqualTo(200);
    assertThat(docs.body()).contains("/api/review/{key}/assign").contains("POST");
    assertThat(http.as(null, null).get("/api/openapi.yaml").statusCode()).isEqualTo(401);
    assertThat(http.as(null, null).get("/docs").statusCode()).isEqualTo(401);
  }
}
