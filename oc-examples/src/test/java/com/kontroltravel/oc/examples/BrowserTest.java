package com.kontroltravel.oc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.store.jdbc.JdbcStore;
import com.kontroltravel.oc.testkit.Await;
import com.kontroltravel.oc.testkit.RecordingMailGateway;
import com.kontroltravel.oc.testkit.SettableClock;
import java.io.File;
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
 * The admin page in a real browser: headless Chromium (Debian's {@code chromium}) driven over the
 * DevTools protocol with the JDK's WebSocket client. Logs in (HTTP Basic), sees the dashboard,
 * opens a booking, marks it received through the form (with its CSRF token) and sees the new state.
 * Skipped, loudly, when Chromium is not installed.
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

  @Test
  @DisplayName(
      "in headless Chromium: log in, see the dashboard, mark a booking received, see RECIBIDA")
  void markReceivedInTheBrowser() throws Exception {
    Optional<String> browser = chromium();
    if (browser.isEmpty()) {
      System.err.println(
          "\n********************************************************************\n"
              + "* BrowserTest SKIPPED: no chromium on PATH (apt-get install chromium) *\n"
              + "********************************************************************\n");
    }
    Assumptions.assumeTrue(browser.isPresent(), "chromium is not installed: browser test skipped");

    SettableClock clock =
        SettableClock.at(ZonedDateTime.of(2025, 12, 1, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
    RunnerSettings settings =
        RunnerSettings.of(Map.of("OC_MAILBOX_ADDRESS", "oc@kontroltravel.test"));
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
      engine.track(
          ReservationDetails.builder("45215412")
              .agencyName("CAJA 18")
              .hotelName("Hotel Magnolia")
              .issueDate(LocalDate.of(2025, 12, 1))
              .build(),
          null);
      engine.tick();
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
        chrome.navigate(base + "/");
        assertThat(chrome.eval("document.title")).contains("Dashboard");
        String dashboard = chrome.eval("document.body.innerText");
        assertThat(dashboard).contains("Bookings by state").contains("SOLICITADA");

        chrome.clickAndWait("document.querySelector('a[href=\"/reservations?state=REQUESTED\"]')");
        assertThat(chrome.eval("document.body.innerText")).contains("45215412");
        chrome.clickAndWait("document.querySelector('a[href=\"/reservations/45215412\"]')");
        assertThat(chrome.eval("document.getElementById('state').textContent"))
            .isEqualTo("SOLICITADA");

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
