package com.kontroltravel.oc.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kontroltravel.oc.Health;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.OcOperations;
import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.exception.InvalidOperationException;
import com.kontroltravel.oc.exception.ReservationNotFoundException;
import com.kontroltravel.oc.model.StoredDocument;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin web page and JSON API, on the JDK's HTTP server.
 *
 * <p>Every page and API call needs HTTP Basic authentication, except {@code GET /health} and {@code
 * GET /api/health} (for load balancers and probes: the status and each component UP or DOWN; the
 * errors behind a DOWN only with valid credentials). Failed logins are logged and, after a few, a
 * client must wait (doubling) before its next attempt is checked ({@link LoginGuard}). Slow clients
 * are cut off: the request (headers and body) must arrive within {@link #REQUEST_TIMEOUT}, and
 * {@link #THREADS} threads serve requests. Plain HTTP only on loopback unless explicitly allowed;
 * HTTPS from a PKCS12 keystore. State-changing HTML forms carry a per-session CSRF token that must
 * match the {@code oc_csrf} cookie (double submit, cookie {@code SameSite=Strict}); JSON POSTs must
 * carry {@code X-Requested-With} or {@code X-CSRF-Token}, which a cross-site form cannot set.
 * Everything rendered is HTML-escaped; responses forbid framing and scripts.
 *
 * <p>This class holds the server, its security and the route table ({@link #routes}); the pages are
 * Mustache templates under {@code admin/} filled by {@link AdminPages} and {@link
 * AdminInboundPages}, the JSON API is {@link AdminApi}, described in {@code admin/openapi.yaml}
 * (served at {@code /api/openapi.yaml}, readable at {@code /docs}). Pages are in Spanish; {@code
 * ?lang=en} switches to English (remembered in the {@code oc_lang} cookie, {@code ?lang=es}
 * switches back), and without either a browser whose first language is English gets English.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  private final OcEngine engine;
  private final OcOperations ops;
  private final HttpServer server;
  private final ExecutorService executor;
  private final boolean tls;
  private final LoginGuard guard;
  private AdminAuthenticator auth;
  private final SecureRandom random = new SecureRandom();
  private final AdminTemplates templates = new AdminTemplates();
  private final AdminRoutes routes;
  private final AdminPages pages;

  private AdminServer(
      OcEngine engine, HttpServer server, ExecutorService executor, boolean tls, LoginGuard guard) {
    this.engine = engine;
    this.ops = engine.operations();
    this.server = server;
    this.executor = executor;
    this.tls = tls;
    this.guard = guard;
    this.pages = new AdminPages(engine, templates);
    this.routes =
        routes(pages, new AdminInboundPages(ops, templates, pages), new AdminApi(engine, pages));
  }

  /**
   * The admin web's own variables (besides {@code ADMIN_USERNAME}, {@code ADMIN_PASSWORD}, {@code
   * WEB_HOST}, {@code WEB_PORT}): a PKCS12 keystore for HTTPS and its password, and {@code
   * WEB_ALLOW_INSECURE=true} to serve plain HTTP on an address that is not loopback (behind a TLS
   * proxy).
   */
  public static final List<String> VARIABLES =
      List.of("ADMIN_TLS_KEYSTORE", "ADMIN_TLS_KEYSTORE_PASSWORD", "WEB_ALLOW_INSECURE");

  /** Threads serving requests: each slow client holds one for at most {@link #REQUEST_TIMEOUT}. */
  static final int THREADS = 128;

  /** The longest a client may take to send its request line, headers and body. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** The longest a response may take, from the end of the request. */
  static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(120);

  static {
    // The JDK server reads these once, when its first server is made: the request (headers and
    // body) and response deadlines, enforced by closing the connection. Without them a client that
    // sends half a request holds a thread for ever.
    System.setProperty(
        "sun.net.httpserver.maxReqTime",
        System.getProperty(
            "sun.net.httpserver.maxReqTime", Long.toString(REQUEST_TIMEOUT.toSeconds())));
    System.setProperty(
        "sun.net.httpserver.maxRspTime",
        System.getProperty(
            "sun.net.httpserver.maxRspTime", Long.toString(RESPONSE_TIMEOUT.toSeconds())));
    System.setProperty(
        "sun.net.httpserver.timerMillis",
        System.getProperty("sun.net.httpserver.timerMillis", "250"));
  }

  /** HTTPS and exposure options of the admin web. */
  public record Options(Path tlsKeystore, char[] tlsKeystorePassword, boolean allowInsecure) {
    /** Plain HTTP, loopback only. */
    public static final Options LOOPBACK = new Options(null, null, false);

    /**
     * From {@code ADMIN_TLS_KEYSTORE}, {@code ADMIN_TLS_KEYSTORE_PASSWORD}, {@code
     * WEB_ALLOW_INSECURE}.
     */
    public static Options of(RunnerSettings settings) {
      List<String> problems = new ArrayList<>();
      Boolean insecure = settings.bool("WEB_ALLOW_INSECURE", problems);
      String ks = settings.get("ADMIN_TLS_KEYSTORE");
      String pw = settings.get("ADMIN_TLS_KEYSTORE_PASSWORD");
      if (ks == null && pw != null) {
        problems.add("ADMIN_TLS_KEYSTORE_PASSWORD is set but ADMIN_TLS_KEYSTORE is not");
      }
      if (!problems.isEmpty()) {
        throw new ConfigurationException(problems);
      }
      return new Options(
          ks == null ? null : Path.of(ks),
          pw == null ? null : pw.toCharArray(),
          Boolean.TRUE.equals(insecure));
    }
  }

  /**
   * Starts the server on plain HTTP (the host must be loopback).
   *
   * @param port the port (0 for any free one)
   * @throws ConfigurationException when the password is empty, common or shorter than 12
   *     characters, or the host is not loopback
   */
  public static AdminServer start(
      OcEngine engine, String host, int port, String username, String password) throws IOException {
    return start(engine, host, port, username, password, Options.LOOPBACK);
  }

  /**
   * Starts the server: HTTPS when a keystore is given, else plain HTTP, which is refused on an
   * address that is not loopback unless {@code allowInsecure}.
   *
   * @param port the port (0 for any free one)
   * @throws ConfigurationException when the password is empty, common or shorter than 12
   *     characters, the keystore cannot be used, or plain HTTP would be exposed
   */
  public static AdminServer start(
      OcEngine engine, String host, int port, String username, String password, Options options)
      throws IOException {
    List<String> problems = new ArrayList<>();
    if (username == null || username.isBlank()) {
      problems.add("ADMIN_USERNAME is empty");
    }
    problems.addAll(PasswordPolicy.problems(username, password));
    InetAddress address = null;
    try {
      address = InetAddress.getByName(host);
    } catch (java.net.UnknownHostException e) {
      problems.add("WEB_HOST cannot be resolved: " + host);
    }
    SSLContext ssl = null;
    if (options.tlsKeystore() != null) {
      try {
        ssl = sslContext(options.tlsKeystore(), options.tlsKeystorePassword());
      } catch (GeneralSecurityException | IOException e) {
        problems.add(
            "ADMIN_TLS_KEYSTORE cannot be used ("
                + options.tlsKeystore()
                + "): "
                + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + Secrets.maskUrl(e.getMessage())));
      }
    } else if (address != null && !address.isLoopbackAddress() && !options.allowInsecure()) {
      problems.add(
          "WEB_HOST "
              + host
              + " is not a loopback address: serve HTTPS (ADMIN_TLS_KEYSTORE, a PKCS12 file, and"
              + " ADMIN_TLS_KEYSTORE_PASSWORD) or, behind a TLS proxy, set WEB_ALLOW_INSECURE=true");
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    InetSocketAddress bind = new InetSocketAddress(address, port);
    HttpServer server;
    if (ssl != null) {
      HttpsServer https = HttpsServer.create(bind, 256);
      SSLContext ctx = ssl;
      https.setHttpsConfigurator(
          new HttpsConfigurator(ctx) {
            @Override
            public void configure(HttpsParameters params) {
              SSLParameters p = ctx.getDefaultSSLParameters();
              p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
              params.setSSLParameters(p);
            }
          });
      server = https;
    } else {
      server = HttpServer.create(bind, 256);
    }
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(4096),
            r -> {
              Thread t = new Thread(r, "oc-admin-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            // Beyond the queue: dropped; the server's request deadline closes the connection.
            new ThreadPoolExecutor.DiscardPolicy());
    executor.allowCoreThreadTimeOut(true);
    LoginGuard guard = new LoginGuard();
    AdminServer admin = new AdminServer(engine, server, executor, ssl != null, guard);
    admin.auth = new AdminAuthenticator(username, password, guard);
    server.createContext("/health", admin::publicHealth);
    server.createContext("/api/health", admin::health);
    server.createContext("/", admin::handle).setAuthenticator(admin.auth);
    server.setExecutor(executor);
    server.start();
    log.info(
        "admin web listening on {}://{}:{}/", ssl != null ? "https" : "http", host, admin.port());
    return admin;
  }

  private static SSLContext sslContext(Path keystore, char[] password)
      throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = java.nio.file.Files.newInputStream(keystore)) {
      ks.load(in, password);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, password);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Whether it serves HTTPS. */
  public boolean tls() {
    return tls;
  }

  /** Stops accepting requests, waits up to two seconds for running ones. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdown();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------ dispatch

  /** {@code GET /health}: no auth; the overall status and each component UP or DOWN, no detail. */
  private void publicHealth(HttpExchange x) throws IOException {
    try (x) {
      if (!x.getRequestMethod().equals("GET") && !x.getRequestMethod().equals("HEAD")) {
        sendJson(x, 405, "{\"error\":\"method not allowed\"}");
        return;
      }
      Health h = engine.health();
      sendJson(
          x,
          h.status() == Health.Status.UP ? 200 : 503,
          Views.write(Views.health(h, false), false));
    }
  }

  /**
   * {@code GET /api/health}: like {@code /health} without credentials (for probes); with valid
   * credentials it adds each failing component's last error.
   */
  private void health(HttpExchange x) throws IOException {
    try (x) {
      if (!x.getRequestMethod().equals("GET")) {
        sendJson(x, 405, "{\"error\":\"method not allowed\"}");
        return;
      }
      boolean details = false;
      if (x.getRequestHeaders().getFirst("Authorization") != null) {
        com.sun.net.httpserver.Authenticator.Result r = auth.authenticate(x);
        if (r instanceof com.sun.net.httpserver.Authenticator.Failure f) {
          x.sendResponseHeaders(f.getResponseCode(), -1);
          return;
        }
        details = r instanceof com.sun.net.httpserver.Authenticator.Success;
      }
      Health h = engine.health();
      sendJson(
          x,
          h.status() == Health.Status.UP ? 200 : 503,
          Views.write(Views.health(h, details), false));
    }
  }

  private static void sendJson(HttpExchange x, int status, String json) throws IOException {
    AdminRequest.send(
        x, status, "application/json", json.getBytes(StandardCharsets.UTF_8), "no-store");
  }

  // ------------------------------------------------------------------ routes

  /** Every route but the two health checks (registered apart: they need no credentials). */
  private AdminRoutes routes(AdminPages p, AdminInboundPages in, AdminApi api) {
    return new AdminRoutes()
        // pages
        .add("GET", "/", p::dashboard)
        .add("GET", "/reservations", p::bookings)
        .add("GET", "/reservations/{id}", p::booking)
        .add("POST", "/reservations/{id}/{action}", p::bookingAction)
        .add("GET", "/search", p::search)
        .add("GET", "/inbound", in::inbound)
        .add("GET", "/inbound/{key}", in::message)
        .add("POST", "/inbound/{key}/reprocess", in::reprocess)
        .add("GET", "/review", in::review)
        .add("POST", "/review/assign", in::assign)
        .add("POST", "/review/dismiss", in::dismiss)
        .add("GET", "/agencies", in::agencies)
        .add("POST", "/agencies", in::saveAgency)
        .add("POST", "/process-now", p::processNow)
        .add("GET", "/documents/{id}", this::document)
        .add("GET", "/static/oc.css", AdminServer::stylesheet)
        .add("GET", "/docs", this::docs)
        // JSON API
        .add("GET", "/api/stats", api::stats)
        .add("GET", "/api/statistics", api::statistics)
        .add("GET", "/api/reservations", api::list)
        .add("GET", "/api/reservations/{id}", api::reservation)
        .add("POST", "/api/reservations/{id}/mark-received", r -> api.action(r, "mark-received"))
        .add("POST", "/api/reservations/{id}/resend", r -> api.action(r, "resend"))
        .add("POST", "/api/reservations/{id}/cancel", r -> api.action(r, "cancel"))
        .add("POST", "/api/reservations/{id}/pause", r -> api.action(r, "pause"))
        .add("POST", "/api/reservations/{id}/resume", r -> api.action(r, "resume"))
        .add("GET", "/api/search", api::search)
        .add("POST", "/api/process-now", api::processNow)
        .add("GET", "/api/inbound", api::inboundLog)
        .add("GET", "/api/inbound/{key}", api::inboundMessage)
        .add("POST", "/api/inbound/{key}/reprocess", api::reprocess)
        .add("GET", "/api/review", api::review)
        .add("POST", "/api/review/{key}/assign", api::assign)
        .add("POST", "/api/review/{key}/dismiss", api::dismiss)
        .add("GET", "/api/agencies", api::agencies)
        .add("POST", "/api/agencies", api::saveAgency)
        .add("GET", "/api/openapi.yaml", api::openapi);
  }

  /** The routes served behind Basic authentication, for the OpenAPI test. */
  List<AdminRoutes.Route> routes() {
    return routes.all();
  }

  /** The routes served without credentials (registered as contexts of their own). */
  static final List<String> PUBLIC_ROUTES = List.of("GET /health", "GET /api/health");

  // ------------------------------------------------------------------ dispatch

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getRawPath();
      String method = x.getRequestMethod();
      boolean api = path.startsWith("/api/");
      List<String> segments = AdminRoutes.segments(path);
      AdminRoutes.Route route = routes.find(method, segments);
      AdminRequest r =
          new AdminRequest(x, route == null ? Map.of() : route.match(segments), tls, random);
      try {
        if (route == null) {
          if (routes.hasPath(segments)) {
            error(r, api, 405, "method not allowed");
          } else {
            error(r, api, 404, api ? "no such endpoint: " + method + " " + path : "no such page");
          }
        } else if (method.equals("POST") && api && !apiCsrfOk(r)) {
          error(r, true, 403, "POST needs an X-Requested-With or a valid X-CSRF-Token header");
        } else if (method.equals("POST") && !api && !formCsrfOk(r)) {
          error(
              r,
              false,
              403,
              "The form has expired or did not come from this page. Reload and retry.");
        } else {
          if (method.equals("POST")) {
            pages.invalidate();
          }
          route.handler().handle(r);
        }
      } catch (ReservationNotFoundException | NoSuchElementException e) {
        error(r, api, 404, e.getMessage());
      } catch (InvalidOperationException e) {
        error(r, api, 409, e.getMessage());
      } catch (IllegalArgumentException | NullPointerException e) {
        error(r, api, 400, e.getMessage());
      } catch (RuntimeException e) {
        log.warn("admin request {} {} failed", method, path, e);
        error(r, api, 500, "internal error: " + e.getClass().getSimpleName());
      }
    }
  }

  private void error(AdminRequest r, boolean api, int status, String message) throws IOException {
    if (api) {
      ObjectNode o = Views.JSON.createObjectNode();
      o.put("error", message);
      r.json(status, o);
    } else {
      Map<String, Object> m = new HashMap<>();
      m.put("csrf", r.csrf());
      m.put("status", status);
      m.put("message", message);
      r.html(
          status,
          templates.page(
              "error", r.lang(), templates.label(r.lang(), "title.error") + " " + status, m));
    }
  }

  private static boolean formCsrfOk(AdminRequest r) throws IOException {
    String field = r.form().get("csrf");
    String cookie = r.cookie(AdminRequest.CSRF_COOKIE);
    return sameOrigin(r.exchange)
        && field != null
        && cookie != null
        && AdminRequest.equal(field, cookie);
  }

  private static boolean apiCsrfOk(AdminRequest r) {
    String token = r.exchange.getRequestHeaders().getFirst("X-CSRF-Token");
    if (token != null) {
      String cookie = r.cookie(AdminRequest.CSRF_COOKIE);
      return cookie != null && AdminRequest.equal(cookie, token);
    }
    String xrw = r.exchange.getRequestHeaders().getFirst("X-Requested-With");
    return xrw != null && !xrw.isBlank() && sameOrigin(r.exchange);
  }

  /** When a browser says where a request comes from, it must be this server. */
  private static boolean sameOrigin(HttpExchange x) {
    String origin = x.getRequestHeaders().getFirst("Origin");
    if (origin == null || origin.equals("null")) {
      return origin == null;
    }
    String host = x.getRequestHeaders().getFirst("Host");
    try {
      URI o = URI.create(origin);
      String authority = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
      return host != null && host.equalsIgnoreCase(authority);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  // ------------------------------------------------------------------ files

  /** Serves a stored document as a download (never rendered inline). */
  private void document(AdminRequest r) throws IOException {
    StoredDocument d = ops.document(r.param("id")).orElse(null);
    if (d == null) {
      throw new NoSuchElementException("no such document");
    }
    HttpExchange x = r.exchange;
    String type =
        d.contentType() != null && d.contentType().toLowerCase(Locale.ROOT).contains("pdf")
            ? "application/pdf"
            : "application/octet-stream";
    x.getResponseHeaders()
        .set(
            "Content-Disposition",
            "attachment; filename=\"" + d.safeName().replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
    // A document is never a page: no styles either, and sandboxed.
    AdminRequest.send(x, 200, type, d.content(), "no-store", "default-src 'none'; sandbox");
  }

  /** The stylesheet, cached by browsers (its address carries a hash of its content). */
  private static void stylesheet(AdminRequest r) throws IOException {
    AdminRequest.send(
        r.exchange, 200, "text/css; charset=utf-8", AdminTemplates.css(), "private, max-age=86400");
  }

  /** A human page of the JSON API, from its OpenAPI description. */
  private void docs(AdminRequest r) throws IOException {
    Map<String, Object> m = new HashMap<>();
    m.put("csrf", r.csrf());
    m.put("operations", AdminDocs.operations(AdminApi.openapiText()));
    r.html(200, templates.page("docs", r.lang(), templates.label(r.lang(), "title.docs"), m));
  }
}
