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
    HttpResponse<String> after = http.get("/reservations/45215449", Map.of("Cookie", cookie));
    assertThat(after.body()).contains("<b id=state>RECIBIDA</b>").contains("4500777");
  }

  @Test
  @DisplayName("an unmatched OC waits in the dashboard's review queue and is filed from there")
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
    HttpResponse<String> dash = http.get("/");
    assertThat(dash.body()).contains("Review queue (1)").contains("otra.persona@gmail.test");
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
}
