package com.kontroltravel.oc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.store.jdbc.JdbcStore;
import com.kontroltravel.oc.testkit.Await;
import com.kontroltravel.oc.testkit.RecordingMailGateway;
import com.kontroltravel.oc.testkit.SettableClock;
import java.io.File;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin pages in a real browser: headless Chromium (Debian's {@code chromium}) driven over the
 * DevTools protocol with the JDK's WebSocket client. Logs in (HTTP Basic), walks the dashboard (its
 * stylesheet applied, the chart drawn, tables as cards on a phone), a booking, search, the inbound
 * log and one message, the review queue (assign and dismiss through the forms, with their CSRF
 * token), the clients page and the English pages. Screenshots of the dashboard (laptop and phone)
 * and of a booking are saved under {@code target/screenshots/}. Skipped, loudly, when Chromium is
 * not installed.
 */
class BrowserTest {
  static final String USER = "ops";
  static final String PASSWORD = "browser-test-password-42";
  static final ZoneId ZONE = ZoneId.of("America/Santiago");

  @TempDir Path dir;

  static Optional<String> chromium() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String p : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
        File f = new File(p, name);
        if (f.canExecute()) {
          return Optional.of(f.getAbsolutePath());
        }
      }
    }
    return Optional.empty();
  }

  static void track(OcEngine engine, String id, String agency, LocalDate issued, String hotel) {
    engine.track(
        ReservationDetails.builder(id)
            .agencyName(agency)
            .hotelName(hotel)
            .internalLocator("LOC-" + id.substring(4))
            .locator("KT" + id.substring(2))
            .issueDate(issued)
            .totalAmount(new BigDecimal("528701"))
            .currency("CLP")
            .build(),
        null);
  }

  static InboundMessage unmatchedOc(SettableClock clock, String id, String ocNumber) {
    return InboundMessage.builder()
        .messageId(id)
        .from("compras@otra-agencia.test")
        .subject("Adjunto orden de compra " + ocNumber)
        .textBody("Saludos")
        .date(clock.instant())
        .attachment(
            Attachment.pdf(
                "OC.pdf",
                DemoPdfs.purchaseOrder("Alguien", ocNumber, "sin referencia", new BigDecimal("1"))))
        .build();
  }

  @Test
  @DisplayName(
      "in headless Chromium: log in, walk the dashboard, bookings, search, inbound and review pages,"
          + " mark a booking received, assign and dismiss from the review queue; screenshots saved")
  void walkThePagesInTheBrowser() throws Exception {
    Optional<String> browser = chromium();
    if (browser.isEmpty()) {
      System.err.println(
          "\n********************************************************************\n"
              + "* BrowserTest SKIPPED: no chromium on PATH (apt-get install chromium) *\n"
              + "********************************************************************\n");
    }
    Assumptions.assumeTrue(browser.isPresent(), "chromium is not installed: browser test skipped");

    // Monday 24 November 2025: four bookings tracked and requested; a week later three more.
    SettableClock clock =
        SettableClock.at(ZonedDateTime.of(2025, 11, 24, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
    RunnerSettings settings =
        RunnerSettings.of(Map.of("OC_MAILBOX_ADDRESS", "oc@kontroltravel.test"));
    Path shots = Path.of("target", "screenshots");
    Files.createDirectories(shots);
    try (JdbcStore store = JdbcStore.sqlite(dir.resolve("oc.db"))) {
      OcEngine engine =
          OcApplication.assemble(
                  settings,
                  settings.ocConfig(null),
                  store,
                  RecordingMailGateway.create(clock),
                  clock)
              .engine();
      engine.operations().putAgency(Agency.requiringOc("CAJA 18", "oc@caja18.test"), "setup");
      engine
          .operations()
          .putAgency(Agency.requiringOc("Viajes Andes S.A.", "compras@andes.test"), "setup");
      LocalDate first = LocalDate.of(2025, 11, 24);
      track(engine, "45215401", "CAJA 18", first, "Hotel Magnolia");
      track(engine, "45215402", "CAJA 18", first, "Hotel Cumbres Lastarria");
      track(engine, "45215403", "Viajes Andes S.A.", first, "Hotel Plaza San Francisco");
      track(engine, "45215404", "Turismo Sin Configurar", first, "Hotel Antumalal");
      engine.tick();
      clock.advance(Duration.ofDays(7));
      engine.tick();
      LocalDate second = LocalDate.of(2025, 12, 1);
      track(engine, "45215412", "CAJA 18", second, "Hotel Magnolia");
      track(engine, "45215413", "Viajes Andes S.A.", second, "Hotel Noi Vitacura");
      track(engine, "45215414", "Viajes Andes S.A.", second, "Hotel Atton");
      engine.tick();
      engine.operations().markReceived("45215413", "4500100200", null, "setup");
      InboundRecord toAssign = engine.ingest(unmatchedOc(clock, "oc-a@otra.test", "4500777001"));
      InboundRecord toDismiss = engine.ingest(unmatchedOc(clock, "oc-b@otra.test", "4500777002"));
      assertThat(engine.operations().reviewQueue()).hasSize(2);
      engine.ingest(
          InboundMessage.builder()
              .messageId("stranger@evil.test")
              .from("someone@evil.test")
              .subject("Confirmacion de reserva")
              .textBody("No es de un remitente permitido")
              .date(clock.instant())
              .build());
      try (AdminServer server = AdminServer.start(engine, "127.0.0.1", 0, USER, PASSWORD);
          Chrome chrome = Chrome.launch(browser.get(), dir.resolve("profile"))) {
        String base = "http://127.0.0.1:" + server.port();
        chrome.call(
            "Network.setExtraHTTPHeaders",
            Map.of(
                "headers",
                Map.of(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                (USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))));
        chrome.viewport(1280, 900, false);
        chrome.navigate(base + "/");
        assertThat(chrome.eval("document.title")).contains("Panel");
        String dashboard = chrome.eval("document.body.innerText");
        assertThat(dashboard)
            .contains("Reservas por estado")
            .contains("SOLICITADA")
            .contains("Críticas (")
            .contains("Cola de revisión (2)");
        // The stylesheet loaded (allowed by the policy) and applies.
        assertThat(chrome.eval("getComputedStyle(document.querySelector('.badge')).borderRadius"))
            .isNotEqualTo("0px");
        assertThat(chrome.eval("document.querySelectorAll('svg.chart polyline').length"))
            .isEqualTo("3");
        assertThat(chrome.eval("document.querySelectorAll('tr.critical').length"))
            .isNotEqualTo("0");
        chrome.screenshot(shots.resolve("dashboard.png"));
        chrome.viewport(390, 844, true);
        chrome.navigate(base + "/");
        // On a phone the tables become cards.
        assertThat(
                chrome.eval("getComputedStyle(document.querySelector('table.cards td')).display"))
            .isEqualTo("flex");
        chrome.screenshot(shots.resolve("dashboard-phone.png"));
        chrome.viewport(1280, 900, false);
        chrome.navigate(base + "/");

        chrome.clickAndWait("document.querySelector('a[href=\"/reservations?state=REQUESTED\"]')");
        assertThat(chrome.eval("document.body.innerText")).contains("45215412");
        chrome.clickAndWait("document.querySelector('a[href=\"/reservations/45215412\"]')");
        assertThat(chrome.eval("document.getElementById('state').textContent"))
            .isEqualTo("SOLICITADA");
        chrome.screenshot(shots.resolve("booking.png"));

        chrome.eval("document.getElementById('oc-number').value = '4500999888'; 'ok'");
        chrome.clickAndWait("document.querySelector('#mark-received button')");
        assertThat(chrome.eval("location.search"))
            .as("at %s: %s", chrome.eval("location.href"), chrome.eval("document.body.innerText"))
            .contains("done=");
        assertThat(chrome.eval("document.getElementById('state').textContent"))
            .isEqualTo("RECIBIDA");
        assertThat(chrome.eval("document.body.innerText")).contains("4500999888");
        assertThat(engine.operations().reservation("45215412").orElseThrow().state())
            .isEqualTo(TrackingState.RECEIVED);
        assertThat(engine.operations().timeline("45215412")).anyMatch(e -> e.actor().equals(USER));

        // Search by localizador.
        chrome.navigate(base + "/search");
        chrome.eval("document.getElementById('q').value = 'KT215414'; 'ok'");
        chrome.clickAndWait("document.querySelector('form[role=search] button')");
        assertThat(chrome.eval("document.body.innerText")).contains("45215414");

        // Inbound log, filtered, then one message.
        chrome.navigate(base + "/inbound?outcome=REVIEW");
        String inbound = chrome.eval("document.body.innerText");
        assertThat(inbound).contains("4500777001").doesNotContain("someone@evil.test");
        chrome.navigate(base + "/inbound");
        assertThat(chrome.eval("document.body.innerText")).contains("someone@evil.test");
        chrome.screenshot(shots.resolve("inbound.png"));
        chrome.clickAndWait(
            "Array.from(document.querySelectorAll('a')).find(a =>"
                + " a.textContent.includes('Confirmacion de reserva'))");
        assertThat(chrome.eval("document.getElementById('body').textContent"))
            .contains("No es de un remitente permitido");
        assertThat(chrome.eval("document.querySelectorAll('#reprocess button').length"))
            .isEqualTo("1");

        // The review queue: assign the first to a booking, dismiss the other.
        chrome.navigate(base + "/review");
        assertThat(chrome.eval("document.querySelectorAll('.review-item').length")).isEqualTo("2");
        chrome.screenshot(shots.resolve("review.png"));
        String assignForm =
            "Array.from(document.querySelectorAll('.review-item')).find(s =>"
                + " s.textContent.includes('4500777001')).querySelector('form.assign')";
        chrome.eval(
            assignForm + ".querySelector('input[name=reservationId]').value = '45215414'; 'ok'");
        chrome.clickAndWait(assignForm + ".querySelector('button')");
        assertThat(chrome.eval("location.pathname")).isEqualTo("/reservations/45215414");
        assertThat(chrome.eval("document.getElementById('state').textContent"))
            .isEqualTo("RECIBIDA");
        chrome.navigate(base + "/review");
        chrome.clickAndWait("document.querySelector('.review-item form.dismiss button')");
        assertThat(chrome.eval("location.search")).contains("done=dismissed");
        assertThat(chrome.eval("document.body.innerText"))
            .contains("No hay órdenes de compra esperando");
        assertThat(engine.operations().reviewQueue()).isEmpty();
        assertThat(
                engine.operations().inboundMessage(toAssign.key()).orElseThrow().record().outcome())
            .isNotEqualTo(InboundOutcome.REVIEW);
        assertThat(
                engine
                    .operations()
                    .inboundMessage(toDismiss.key())
                    .orElseThrow()
                    .record()
                    .outcome())
            .isNotEqualTo(InboundOutcome.REVIEW);

        // Clients, and the page in English.
        chrome.navigate(base + "/agencies");
        assertThat(chrome.eval("document.body.innerText"))
            .contains("Resumen por agencia")
            .contains("Turismo Sin Configurar");
        chrome.screenshot(shots.resolve("agencies.png"));
        chrome.navigate(base + "/docs");
        assertThat(chrome.eval("document.body.innerText")).contains("/api/review/{key}/assign");
        chrome.screenshot(shots.resolve("docs.png"));
        chrome.navigate(base + "/?lang=en");
        assertThat(chrome.eval("document.querySelector('h1').textContent")).isEqualTo("Dashboard");
        chrome.navigate(base + "/review");
        assertThat(chrome.eval("document.querySelector('h1').textContent"))
            .isEqualTo("Review queue");
      } finally {
        engine.close();
      }
    }
  }

  /** Headless Chromium and one page, spoken to over the DevTools protocol. */
  static final class Chrome implements AutoCloseable {
    private final Process process;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    private Chrome(Process process, WebSocket socket) {
      this.process = process;
      this.socket = socket;
    }

    static Chrome launch(String binary, Path profile) throws Exception {
      Files.createDirectories(profile);
      Process p =
          new ProcessBuilder(
                  binary,
                  "--headless",
                  "--no-sandbox",
                  "--disable-gpu",
                  "--disable-background-networking",
                  "--disable-component-update",
                  "--disable-sync",
                  "--no-first-run",
                  "--user-data-dir=" + profile,
                  "--remote-debugging-address=127.0.0.1",
                  "--remote-debugging-port=0",
                  "about:blank")
              .redirectErrorStream(true)
              .redirectOutput(profile.resolve("chromium.log").toFile())
              .start();
      Path portFile = profile.resolve("DevToolsActivePort");
      HttpClient http = HttpClient.newHttpClient();
      String ws;
      try {
        List<String> portLines =
            Await.await(
                "chromium's DevToolsActivePort",
                () -> {
                  if (!p.isAlive()) {
                    throw new IllegalStateException("chromium exited with " + p.exitValue());
                  }
                  return Files.exists(portFile)
                      ? unchecked(() -> Files.readAllLines(portFile))
                      : null;
                },
                lines -> lines != null && !lines.isEmpty(),
                Duration.ofSeconds(30));
        int port = Integer.parseInt(portLines.get(0).trim());
        ws =
            Await.await(
                "a page target in chromium",
                () -> unchecked(() -> pageTarget(http, port)),
                Objects::nonNull,
                Duration.ofSeconds(5));
      } catch (AssertionError | RuntimeException e) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "chromium did not start: "
                + e.getMessage()
                + "\n"
                + Files.readString(profile.resolve("chromium.log")),
            e);
      }
      Chrome[] self = new Chrome[1];
      StringBuilder buffer = new StringBuilder();
      WebSocket socket =
          http.newWebSocketBuilder()
              .buildAsync(
                  URI.create(ws),
                  new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(
                        WebSocket webSocket, CharSequence data, boolean last) {
                      buffer.append(data);
                      if (last) {
                        String message = buffer.toString();
                        buffer.setLength(0);
                        self[0].receive(message);
                      }
                      webSocket.request(1);
                      return null;
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      Chrome c = new Chrome(p, socket);
      self[0] = c;
      c.call("Page.enable", Map.of());
      c.call("Network.enable", Map.of());
      return c;
    }

    private void receive(String message) {
      try {
        JsonNode n = Views.JSON.readTree(message);
        if (n.has("id")) {
          CompletableFuture<JsonNode> f = pending.remove(n.get("id").asInt());
          if (f != null) {
            f.complete(n);
          }
        }
      } catch (Exception e) {
        // events we cannot read are ignored; calls time out on their own
      }
    }

    JsonNode call(String method, Map<String, Object> params) throws Exception {
      int id = ids.incrementAndGet();
      CompletableFuture<JsonNode> f = new CompletableFuture<>();
      pending.put(id, f);
      ObjectNode msg = Views.JSON.createObjectNode();
      msg.put("id", id);
      msg.put("method", method);
      msg.set("params", Views.JSON.valueToTree(params));
      socket.sendText(Views.JSON.writeValueAsString(msg), true).get(10, TimeUnit.SECONDS);
      JsonNode r = f.get(20, TimeUnit.SECONDS);
      if (r.has("error")) {
        throw new IllegalStateException(method + " failed: " + r.get("error"));
      }
      return r.get("result");
    }

    String eval(String expression) throws Exception {
      JsonNode r =
          call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
      if (r.has("exceptionDetails")) {
        throw new IllegalStateException("script failed: " + r.get("exceptionDetails"));
      }
      return r.path("result").path("value").asText();
    }

    void viewport(int width, int height, boolean mobile) throws Exception {
      call(
          "Emulation.setDeviceMetricsOverride",
          Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
    }

    /** A PNG of the whole page (beyond the viewport). */
    void screenshot(Path file) throws Exception {
      JsonNode size = call("Page.getLayoutMetrics", Map.of()).path("cssContentSize");
      JsonNode shot =
          call(
              "Page.captureScreenshot",
              Map.of(
                  "format",
                  "png",
                  "captureBeyondViewport",
                  true,
                  "clip",
                  Map.of(
                      "x", 0,
                      "y", 0,
                      "width", size.path("width").asDouble(),
                      "height", Math.min(6000, size.path("height").asDouble()),
                      "scale", 1)));
      Files.write(file, Base64.getDecoder().decode(shot.get("data").asText()));
    }

    void navigate(String url) throws Exception {
      String before = eval("String(performance.timeOrigin)");
      call("Page.navigate", Map.of("url", url));
      awaitNewPage(before);
    }

    void clickAndWait(String elementExpression) throws Exception {
      String before = eval("String(performance.timeOrigin)");
      eval(elementExpression + ".click(); 'clicked'");
      awaitNewPage(before);
    }

    /** Where the page is, for waiting on a new one. */
    private record PageState(String href, String timeOrigin, String readyState) {}

    /** Waits (bounded) until a new document has loaded completely. */
    private void awaitNewPage(String previousOrigin) {
      Await.await(
          "a new page loaded completely (the previous one's time origin was "
              + previousOrigin
              + ")",
          () ->
              unchecked(
                  () ->
                      new PageState(
                          eval("location.href"),
                          eval("String(performance.timeOrigin)"),
                          eval("document.readyState"))),
          page -> !page.timeOrigin().equals(previousOrigin) && page.readyState().equals("complete"),
          Duration.ofSeconds(20));
    }

    /** The WebSocket address of chromium's first page target, or null while there is none. */
    private static String pageTarget(HttpClient http, int port) throws Exception {
      HttpResponse<String> list =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      String ws = null;
      for (JsonNode t : Views.JSON.readTree(list.body())) {
        if (t.path("type").asText().equals("page")) {
          ws = t.get("webSocketDebuggerUrl").asText();
        }
      }
      return ws;
    }

    @Override
    public void close() {
      try {
        call("Browser.close", Map.of());
      } catch (Exception e) {
        // the process is ended below anyway
      }
      socket.abort();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A call that may throw a checked exception, for conditions polled by {@link Await}. */
  interface Call<T> {
    T call() throws Exception;
  }

  static <T> T unchecked(Call<T> call) {
    try {
      return call.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
