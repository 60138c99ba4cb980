package com.kontroltravel.oc.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kontroltravel.oc.Health;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.OcOperations;
import com.kontroltravel.oc.Statistics;
import com.kontroltravel.oc.TickReport;
import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.exception.InvalidOperationException;
import com.kontroltravel.oc.exception.ReservationNotFoundException;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.Page;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationQuery;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.StoredDocument;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.model.TrackingState;
import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  private static final int MAX_BODY = 64 * 1024;
  private static final String CSRF_COOKIE = "oc_csrf";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of("America/Santiago"));

  /** Rows of each list on the dashboard (the totals come from count queries). */
  static final int DASHBOARD_ROWS = 50;

  private final OcEngine engine;
  private final OcOperations ops;
  private final HttpServer server;
  private final ExecutorService executor;
  private final boolean tls;
  private final LoginGuard guard;
  private GuardedAuthenticator auth;
  private final SecureRandom random = new SecureRandom();

  private AdminServer(
      OcEngine engine, HttpServer server, ExecutorService executor, boolean tls, LoginGuard guard) {
    this.engine = engine;
    this.ops = engine.operations();
    this.server = server;
    this.executor = executor;
    this.tls = tls;
    this.guard = guard;
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
    admin.auth = new GuardedAuthenticator(username, password, guard);
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

  /**
   * Basic authentication that asks the {@link LoginGuard} first: a client waiting after failed
   * logins gets 429 without its password being checked; every checked failure is recorded.
   */
  static final class GuardedAuthenticator extends BasicAuthenticator {
    private final byte[] user;
    private final byte[] pass;
    private final LoginGuard guard;

    GuardedAuthenticator(String username, String password, LoginGuard guard) {
      super("oc-admin", StandardCharsets.UTF_8);
      this.user = username.getBytes(StandardCharsets.UTF_8);
      this.pass = password.getBytes(StandardCharsets.UTF_8);
      this.guard = guard;
    }

    @Override
    public Result authenticate(HttpExchange x) {
      String client = x.getRemoteAddress().getAddress().getHostAddress();
      Duration wait = guard.waitFor(client);
      if (!wait.isZero()) {
        x.getResponseHeaders()
            .set("Retry-After", Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
        return new Failure(429);
      }
      Result r = super.authenticate(x);
      if (r instanceof Success) {
        guard.succeeded(client);
      } else if (r instanceof Failure) {
        guard.failed(client, userOf(x));
      }
      return r;
    }

    @Override
    public boolean checkCredentials(String u, String p) {
      // Both compared in constant time, whatever the first result.
      boolean a = MessageDigest.isEqual(user, u.getBytes(StandardCharsets.UTF_8));
      boolean b = MessageDigest.isEqual(pass, p.getBytes(StandardCharsets.UTF_8));
      return a & b;
    }

    private static String userOf(HttpExchange x) {
      String h = x.getRequestHeaders().getFirst("Authorization");
      if (h == null || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
        return "?";
      }
      try {
        String s =
            new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = s.indexOf(':');
        return colon < 0 ? "?" : s.substring(0, colon);
      } catch (IllegalArgumentException e) {
        return "?";
      }
    }
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
        send(x, 405, "application/json", "{\"error\":\"method not allowed\"}");
        return;
      }
      Health h = engine.health();
      send(
          x,
          h.status() == Health.Status.UP ? 200 : 503,
          "application/json",
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
        send(x, 405, "application/json", "{\"error\":\"method not allowed\"}");
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
      send(
          x,
          h.status() == Health.Status.UP ? 200 : 503,
          "application/json",
          Views.write(Views.health(h, details), false));
    }
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      String method = x.getRequestMethod();
      try {
        if (path.startsWith("/api/")) {
          api(x, method, path.substring(4));
        } else {
          page(x, method, path);
        }
      } catch (ReservationNotFoundException e) {
        error(x, path, 404, e.getMessage());
      } catch (InvalidOperationException e) {
        error(x, path, 409, e.getMessage());
      } catch (IllegalArgumentException | NullPointerException e) {
        error(x, path, 400, e.getMessage());
      } catch (RuntimeException e) {
        log.warn("admin request {} {} failed", method, path, e);
        error(x, path, 500, "internal error: " + e.getClass().getSimpleName());
      }
    }
  }

  private void error(HttpExchange x, String path, int status, String message) throws IOException {
    if (path.startsWith("/api/")) {
      ObjectNode o = Views.JSON.createObjectNode();
      o.put("error", message);
      send(x, status, "application/json", Views.write(o, false));
    } else {
      send(
          x,
          status,
          "text/html; charset=utf-8",
          layout("Error " + status, "<p class=err>" + esc(message) + "</p>", csrf(x)));
    }
  }

  private String actor(HttpExchange x) {
    return x.getPrincipal() == null ? "web" : x.getPrincipal().getUsername();
  }

  // ------------------------------------------------------------------ JSON API

  private void api(HttpExchange x, String method, String path) throws IOException {
    List<String> seg = segments(path);
    Map<String, String> q = query(x.getRequestURI());
    if (method.equals("POST") && !apiCsrfOk(x)) {
      error(x, "/api/", 403, "POST needs an X-Requested-With or a valid X-CSRF-Token header");
      return;
    }
    if (method.equals("GET") && seg.equals(List.of("stats"))) {
      json(x, 200, Views.statistics(ops.statistics()));
    } else if (method.equals("GET") && seg.equals(List.of("reservations"))) {
      Page<Reservation> p = ops.list(query(q));
      ObjectNode o = Views.JSON.createObjectNode();
      o.put("total", p.total());
      o.put("offset", p.offset());
      ArrayNode items = o.putArray("items");
      p.items().forEach(r -> items.add(Views.reservation(r)));
      json(x, 200, o);
    } else if (method.equals("GET") && seg.size() == 2 && seg.get(0).equals("reservations")) {
      String id = seg.get(1);
      Reservation r =
          engine
              .operations()
              .reservation(id)
              .orElseThrow(() -> new ReservationNotFoundException("no booking " + id));
      json(x, 200, Views.detail(r, ops.timeline(id), ops.messages(id)));
    } else if (method.equals("POST") && seg.size() == 3 && seg.get(0).equals("reservations")) {
      String id = seg.get(1);
      JsonNode body = jsonBody(x);
      switch (seg.get(2)) {
        case "mark-received" -> {
          String oc = text(body, "ocNumber", text(body, "oc", null));
          json(x, 200, Views.reservation(ops.markReceived(id, oc, null, actor(x))));
        }
        case "resend" -> {
          String step = text(body, "step", null);
          if (step == null) {
            throw new IllegalArgumentException("step is required");
          }
          json(x, 200, Views.message(ops.resend(id, Runner.parseStep(step), actor(x))));
        }
        case "cancel" ->
            json(x, 200, Views.reservation(ops.cancel(id, text(body, "reason", null), actor(x))));
        default -> error(x, "/api/", 404, "no such action: " + seg.get(2));
      }
    } else if (method.equals("POST") && seg.equals(List.of("process-now"))) {
      TickReport r = engine.processNow(actor(x));
      ObjectNode o = Views.JSON.createObjectNode();
      o.put("received", r.received());
      o.put("followedUp", r.followedUp());
      o.put("sent", r.sent());
      o.put("failed", r.failed());
      json(x, 200, o);
    } else if (method.equals("GET") && seg.equals(List.of("agencies"))) {
      ArrayNode a = Views.JSON.createArrayNode();
      ops.agencies().forEach(g -> a.add(Views.agency(g)));
      json(x, 200, a);
    } else if (method.equals("POST") && seg.equals(List.of("agencies"))) {
      Agency a = agencyFromJson(jsonBody(x));
      ops.putAgency(a, actor(x));
      json(x, 201, Views.agency(a));
    } else {
      error(x, "/api/", 404, "no such endpoint: " + method + " /api" + path);
    }
  }

  private static ReservationQuery query(Map<String, String> q) {
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

  private static String text(JsonNode b, String field, String dflt) {
    JsonNode n = b.get(field);
    return n == null || n.isNull() || n.asText().isBlank() ? dflt : n.asText();
  }

  private JsonNode jsonBody(HttpExchange x) throws IOException {
    String s = body(x);
    if (s.isBlank()) {
      return Views.JSON.createObjectNode();
    }
    try {
      JsonNode n = Views.JSON.readTree(s);
      if (!n.isObject()) {
        throw new IllegalArgumentException("the body must be a JSON object");
      }
      return n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("the body is not valid JSON");
    }
  }

  private boolean apiCsrfOk(HttpExchange x) {
    String token = x.getRequestHeaders().getFirst("X-CSRF-Token");
    if (token != null) {
      String cookie = cookie(x, CSRF_COOKIE);
      return cookie != null && equal(cookie, token);
    }
    String xrw = x.getRequestHeaders().getFirst("X-Requested-With");
    return xrw != null && !xrw.isBlank() && sameOrigin(x);
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

  private void json(HttpExchange x, int status, Object node) throws IOException {
    send(x, status, "application/json", Views.write(node, false));
  }

  // ------------------------------------------------------------------ HTML pages

  private void page(HttpExchange x, String method, String path) throws IOException {
    List<String> seg = segments(path);
    String token = csrf(x);
    if (method.equals("POST")) {
      Map<String, String> form = parseForm(body(x));
      if (!sameOrigin(x)
          || form.get("csrf") == null
          || cookie(x, CSRF_COOKIE) == null
          || !equal(form.get("csrf"), cookie(x, CSRF_COOKIE))) {
        error(
            x, path, 403, "The form has expired or did not come from this page. Reload and retry.");
        return;
      }
      post(x, seg, form);
      return;
    }
    if (!method.equals("GET")) {
      error(x, path, 405, "method not allowed");
      return;
    }
    Map<String, String> q = query(x.getRequestURI());
    String html;
    if (seg.isEmpty()) {
      html = layout("Dashboard", dashboard(token), token);
    } else if (seg.equals(List.of("reservations"))) {
      html = layout("Bookings", bookings(q), token);
    } else if (seg.size() == 2 && seg.get(0).equals("reservations")) {
      html = layout("Booking " + seg.get(1), booking(seg.get(1), q.get("done"), token), token);
    } else if (seg.equals(List.of("agencies"))) {
      html = layout("Agencies", agencies(token), token);
    } else if (seg.size() == 2 && seg.get(0).equals("documents")) {
      document(x, seg.get(1));
      return;
    } else {
      error(x, path, 404, "no such page");
      return;
    }
    send(x, 200, "text/html; charset=utf-8", html);
  }

  private void post(HttpExchange x, List<String> seg, Map<String, String> form) throws IOException {
    String actor = actor(x);
    String back;
    String done;
    if (seg.size() == 3 && seg.get(0).equals("reservations")) {
      String id = seg.get(1);
      switch (seg.get(2)) {
        case "mark-received" -> {
          ops.markReceived(id, blankToNull(form.get("oc")), null, actor);
          done = "OC marked received";
        }
        case "resend" -> {
          Step step = Runner.parseStep(form.getOrDefault("step", ""));
          ops.resend(id, step, actor);
          done = step.token() + " queued again";
        }
        case "cancel" -> {
          ops.cancel(id, blankToNull(form.get("reason")), actor);
          done = "booking cancelled";
        }
        default -> throw new IllegalArgumentException("no such action: " + seg.get(2));
      }
      back = "/reservations/" + enc(id) + "?done=" + enc(done);
    } else if (seg.equals(List.of("review", "assign"))) {
      String key = blankToNull(form.get("key"));
      String id = blankToNull(form.get("reservationId"));
      if (key == null || id == null) {
        throw new IllegalArgumentException("the message and the booking id are required");
      }
      ops.assignPurchaseOrder(key, id, actor);
      back = "/reservations/" + enc(id) + "?done=" + enc("purchase order filed");
    } else if (seg.equals(List.of("process-now"))) {
      TickReport r = engine.processNow(actor);
      back = "/?done=" + enc("processed: " + r.received() + " in, " + r.sent() + " sent");
    } else if (seg.equals(List.of("agencies"))) {
      String name = blankToNull(form.get("name"));
      if (name == null) {
        throw new IllegalArgumentException("the agency name is required");
      }
      engine
          .operations()
          .putAgency(
              new Agency(
                  name,
                  AgencyCsv.items(form.get("aliases")),
                  List.of(),
                  form.containsKey("requiresOc"),
                  AgencyCsv.addresses(
                      AgencyCsv.items(form.getOrDefault("contacts", "").replace(',', ';'))),
                  AgencyCsv.addresses(
                      AgencyCsv.items(form.getOrDefault("cc", "").replace(',', ';'))),
                  null,
                  null,
                  true),
              actor);
      back = "/agencies";
    } else {
      throw new IllegalArgumentException("no such action");
    }
    x.getResponseHeaders().add("Location", back);
    send(x, 303, "text/plain", "");
  }

  private String dashboard(String token) {
    Statistics s = ops.statistics();
    Health h = engine.health();
    StringBuilder b = new StringBuilder();
    b.append("<p>Engine: <b class=")
        .append(h.status() == Health.Status.UP ? "ok" : "err")
        .append(">")
        .append(esc(h.status().name()))
        .append("</b>");
    h.problems().forEach((k, v) -> b.append(" · ").append(esc(k)).append(": ").append(esc(v)));
    b.append("</p>");
    b.append("<h2>Bookings by state</h2><table id=counts><tr>");
    for (TrackingState st : TrackingState.values()) {
      b.append("<th>").append(esc(st.label())).append("</th>");
    }
    b.append("<th>TOTAL</th></tr><tr>");
    for (TrackingState st : TrackingState.values()) {
      b.append("<td><a href=\"/reservations?state=")
          .append(st.name())
          .append("\">")
          .append(s.byState().getOrDefault(st, 0L))
          .append("</a></td>");
    }
    b.append("<td>").append(s.total()).append("</td></tr></table>");
    b.append("<form method=post action=\"/process-now\">")
        .append(hidden(token))
        .append("<button>Process now</button></form>");
    Page<Reservation> attention =
        ops.list(ReservationQuery.all().withNeedsAttention(true).withPage(0, DASHBOARD_ROWS));
    b.append("<h2>Needing attention (").append(s.needingAttention()).append(")</h2>");
    b.append(reservationTable(attention.items(), true));
    List<InboundRecord> review = ops.inbound(InboundOutcome.REVIEW, DASHBOARD_ROWS);
    b.append("<h2>Review queue (").append(s.inReview()).append(")</h2>");
    if (review.isEmpty()) {
      b.append("<p>No purchase orders waiting.</p>");
    } else {
      b.append(
          "<table id=review><tr><th>Received</th><th>From</th><th>Subject</th><th>Why</th>"
              + "<th>File against booking</th></tr>");
      for (InboundRecord r : review) {
        b.append("<tr><td>")
            .append(esc(time(r.receivedAt() == null ? r.recordedAt() : r.receivedAt())))
            .append("</td><td>")
            .append(esc(r.from()))
            .append("</td><td>")
            .append(esc(r.subject()))
            .append("</td><td>")
            .append(esc(r.reason()))
            .append("</td><td><form method=post action=\"/review/assign\">")
            .append(hidden(token))
            .append("<input type=hidden name=key value=\"")
            .append(esc(r.key()))
            .append("\"><input name=reservationId size=10 placeholder=ID> <button>Assign</button>")
            .append("</form></td></tr>");
      }
      b.append("</table>");
    }
    List<Reservation> recent =
        new ArrayList<>(
            engine
                .operations()
                .list(
                    ReservationQuery.all()
                        .withStates(Set.of(TrackingState.RECEIVED))
                        .withPage(0, 200))
                .items());
    recent.sort(
        Comparator.comparing(
                (Reservation r) ->
                    r.purchaseOrder() == null ? r.updatedAt() : r.purchaseOrder().receivedAt())
            .reversed());
    b.append("<h2>Recent OCs</h2>");
    b.append(reservationTable(recent.subList(0, Math.min(10, recent.size())), false));
    return b.toString();
  }

  private String bookings(Map<String, String> q) {
    ReservationQuery query = query(q);
    Page<Reservation> p = ops.list(query);
    StringBuilder b = new StringBuilder();
    b.append(
        "<form method=get action=\"/reservations\">State <select name=state><option value=\"\">any</option>");
    for (TrackingState st : TrackingState.values()) {
      b.append("<option value=\"")
          .append(st.name())
          .append("\"")
          .append(query.states().contains(st) ? " selected" : "")
          .append(">")
          .append(esc(st.label()))
          .append("</option>");
    }
    b.append("</select> Agency <input name=agency value=\"")
        .append(esc(q.getOrDefault("agency", "")))
        .append("\"> <label><input type=checkbox name=attention value=true")
        .append("true".equals(q.get("attention")) ? " checked" : "")
        .append("> needing attention</label> <button>Filter</button></form>");
    b.append("<p>")
        .append(p.items().size())
        .append(" of ")
        .append(p.total())
        .append(" bookings</p>");
    b.append(reservationTable(p.items(), true));
    if (p.offset() + p.items().size() < p.total()) {
      Map<String, String> next = new LinkedHashMap<>(q);
      next.put("offset", Integer.toString(p.offset() + p.items().size()));
      StringBuilder qs = new StringBuilder();
      next.forEach(
          (k, v) ->
              qs.append(qs.length() == 0 ? "?" : "&").append(enc(k)).append('=').append(enc(v)));
      b.append("<p><a href=\"/reservations")
          .append(esc(qs.toString()))
          .append("\">next page</a></p>");
    }
    return b.toString();
  }

  private String reservationTable(List<Reservation> rows, boolean withReason) {
    if (rows.isEmpty()) {
      return "<p>None.</p>";
    }
    StringBuilder b = new StringBuilder();
    b.append(
        "<table class=res><tr><th>ID</th><th>State</th><th>Agency</th><th>Hotel</th><th>Day 0</th>"
            + "<th>OC</th>");
    if (withReason) {
      b.append("<th>Attention</th>");
    }
    b.append("</tr>");
    for (Reservation r : rows) {
      b.append("<tr><td><a href=\"/reservations/")
          .append(esc(enc(r.id())))
          .append("\">")
          .append(esc(r.id()))
          .append("</a></td><td class=state>")
          .append(esc(r.state().label()))
          .append("</td><td>")
          .append(esc(r.details().agencyName()))
          .append("</td><td>")
          .append(esc(r.details().hotelName()))
          .append("</td><td>")
          .append(esc(String.valueOf(r.dayZero())))
          .append("</td><td>")
          .append(r.purchaseOrder() == null ? "" : esc(r.purchaseOrder().ocNumber()))
          .append("</td>");
      if (withReason) {
        b.append("<td>").append(esc(r.attentionReason())).append("</td>");
      }
      b.append("</tr>");
    }
    return b.append("</table>").toString();
  }

  private String booking(String id, String done, String token) {
    Reservation r =
        engine
            .operations()
            .reservation(id)
            .orElseThrow(() -> new ReservationNotFoundException("no booking " + id));
    StringBuilder b = new StringBuilder();
    if (done != null) {
      b.append("<p class=ok id=done>").append(esc(done)).append("</p>");
    }
    b.append("<table class=kv>");
    kv(b, "State", "<b id=state>" + esc(r.state().label()) + "</b>");
    kv(b, "Agency", esc(r.details().agencyName()));
    kv(b, "LOC interno", esc(r.details().internalLocator()));
    kv(b, "Localizador", esc(r.details().locator()));
    kv(b, "Hotel", esc(r.details().hotelName()));
    kv(b, "Check in / out", esc(r.details().checkIn() + " / " + r.details().checkOut()));
    kv(
        b,
        "Total",
        esc(
            r.details().totalAmount() == null
                ? ""
                : r.details().currency() + " " + r.details().totalAmount().toPlainString()));
    kv(b, "Day 0", esc(String.valueOf(r.dayZero())));
    kv(b, "Next action", esc(r.nextActionAt() == null ? "-" : time(r.nextActionAt())));
    kv(b, "Attention", esc(r.attentionReason() == null ? "-" : r.attentionReason()));
    kv(
        b,
        "OC",
        r.purchaseOrder() == null
            ? "-"
            : esc(
                Views.str(r.purchaseOrder().ocNumber())
                    + " (received "
                    + time(r.purchaseOrder().receivedAt())
                    + " from "
                    + Views.str(r.purchaseOrder().receivedFrom())
                    + ")"));
    StringBuilder docs = new StringBuilder();
    if (r.confirmationDocumentId() != null) {
      docs.append("<a href=\"/documents/")
          .append(esc(enc(r.confirmationDocumentId())))
          .append("\">confirmation</a> ");
    }
    if (r.purchaseOrder() != null && r.purchaseOrder().documentId() != null) {
      docs.append("<a id=oc-document href=\"/documents/")
          .append(esc(enc(r.purchaseOrder().documentId())))
          .append("\">purchase order</a>");
    }
    kv(b, "Documents", docs.length() == 0 ? "-" : docs.toString());
    b.append("</table>");
    String action = "/reservations/" + esc(enc(r.id()));
    b.append("<h2>Actions</h2><div class=actions>");
    if (r.state() != TrackingState.RECEIVED) {
      b.append("<form method=post id=mark-received action=\"")
          .append(action)
          .append("/mark-received\">")
          .append(hidden(token))
          .append("OC number <input name=oc id=oc-number> <button>Mark received</button></form>");
    }
    b.append("<form method=post id=resend action=\"")
        .append(action)
        .append("/resend\">")
        .append(hidden(token))
        .append("<select name=step>");
    for (Step s : Step.values()) {
      if (s != Step.DIGEST) {
        b.append("<option value=\"")
            .append(s.token())
            .append("\">")
            .append(s.token())
            .append("</option>");
      }
    }
    b.append("</select> <button>Resend</button></form>");
    if (r.state() != TrackingState.CANCELLED) {
      b.append("<form method=post id=cancel action=\"")
          .append(action)
          .append("/cancel\">")
          .append(hidden(token))
          .append("Reason <input name=reason> <button>Cancel chase</button></form>");
    }
    b.append("</div>");
    b.append("<h2>Messages</h2><table><tr><th>Step</th><th>Status</th><th>To</th><th>Sent</th>")
        .append("<th>Message-ID</th></tr>");
    for (OutboxMessage m : ops.messages(id)) {
      b.append("<tr><td>")
          .append(esc(m.step().token() + (m.generation() > 0 ? " #" + m.generation() : "")))
          .append("</td><td>")
          .append(esc(m.status().name()))
          .append("</td><td>")
          .append(esc(String.join(", ", m.to())))
          .append("</td><td>")
          .append(esc(m.sentAt() == null ? "-" : time(m.sentAt())))
          .append("</td><td>")
          .append(esc(m.messageId()))
          .append("</td></tr>");
    }
    b.append(
        "</table><h2>Timeline</h2><table id=timeline><tr><th>When</th><th>What</th><th>Detail</th><th>Who</th></tr>");
    for (TimelineEvent e : ops.timeline(id)) {
      b.append("<tr><td>")
          .append(esc(time(e.at())))
          .append("</td><td>")
          .append(esc(e.kind().name()))
          .append("</td><td>")
          .append(esc(e.detail()))
          .append("</td><td>")
          .append(esc(e.actor()))
          .append("</td></tr>");
    }
    return b.append("</table>").toString();
  }

  private String agencies(String token) {
    StringBuilder b = new StringBuilder();
    b.append(
        "<table><tr><th>Name</th><th>OC</th><th>Active</th><th>Contacts</th><th>CC</th><th>Aliases</th></tr>");
    for (Agency a : ops.agencies()) {
      b.append("<tr><td>")
          .append(esc(a.name()))
          .append("</td><td>")
          .append(a.requiresOc() ? "required" : "no")
          .append("</td><td>")
          .append(a.active() ? "yes" : "no")
          .append("</td><td>")
          .append(esc(String.join(", ", a.contacts())))
          .append("</td><td>")
          .append(esc(String.join(", ", a.cc())))
          .append("</td><td>")
          .append(esc(String.join(", ", a.aliases())))
          .append("</td></tr>");
    }
    b.append("</table><h2>Add or replace an agency</h2><form method=post action=\"/agencies\">")
        .append(hidden(token))
        .append("Name <input name=name required> Contacts <input name=contacts> CC <input name=cc>")
        .append(
            " Aliases (;) <input name=aliases> <label><input type=checkbox name=requiresOc checked>")
        .append(" requires OC</label> <button>Save</button></form>");
    return b.toString();
  }

  /** Serves a stored document as a download (never rendered inline). */
  private void document(HttpExchange x, String id) throws IOException {
    StoredDocument d = ops.document(id).orElse(null);
    if (d == null) {
      error(x, "/documents/", 404, "no such document");
      return;
    }
    String type =
        d.contentType() != null && d.contentType().toLowerCase(Locale.ROOT).contains("pdf")
            ? "application/pdf"
            : "application/octet-stream";
    x.getResponseHeaders()
        .set(
            "Content-Disposition",
            "attachment; filename=\"" + d.safeName().replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
    x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    x.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; sandbox");
    x.getResponseHeaders().set("Cache-Control", "no-store");
    x.getResponseHeaders().set("Content-Type", type);
    x.sendResponseHeaders(200, d.content().length == 0 ? -1 : d.content().length);
    if (d.content().length > 0) {
      try (OutputStream o = x.getResponseBody()) {
        o.write(d.content());
      }
    }
  }

  private static void kv(StringBuilder b, String k, String htmlValue) {
    b.append("<tr><th>").append(esc(k)).append("</th><td>").append(htmlValue).append("</td></tr>");
  }

  private static String hidden(String token) {
    return "<input type=hidden name=csrf value=\"" + esc(token) + "\">";
  }

  private static String layout(String title, String body, String token) {
    return "<!doctype html><html lang=en><head><meta charset=utf-8><title>"
        + esc(title)
        + " · OC tracking</title><style>"
        + "body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}"
        + "nav a{margin-right:1em}table{border-collapse:collapse;margin:.5em 0}"
        + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}"
        + ".ok{color:#070}.err{color:#b00}form{margin:.4em 0}"
        + "</style></head><body><nav><a href=\"/\">Dashboard</a><a href=\"/reservations\">Bookings</a>"
        + "<a href=\"/agencies\">Agencies</a></nav><h1>"
        + esc(title)
        + "</h1>"
        + body
        + "</body></html>";
  }

  // ------------------------------------------------------------------ plumbing

  /** The session's CSRF token, set as a cookie when missing. */
  private String csrf(HttpExchange x) {
    String t = cookie(x, CSRF_COOKIE);
    if (t == null || !t.matches("[0-9a-f]{64}")) {
      byte[] b = new byte[32];
      random.nextBytes(b);
      t = HexFormat.of().formatHex(b);
      x.getResponseHeaders()
          .add(
              "Set-Cookie",
              CSRF_COOKIE
                  + "="
                  + t
                  + "; Path=/; HttpOnly; SameSite=Strict"
                  + (tls ? "; Secure" : ""));
    }
    return t;
  }

  private static String cookie(HttpExchange x, String name) {
    List<String> headers = x.getRequestHeaders().get("Cookie");
    if (headers == null) {
      return null;
    }
    for (String h : headers) {
      for (String part : h.split(";")) {
        String p = part.trim();
        if (p.startsWith(name + "=")) {
          return p.substring(name.length() + 1);
        }
      }
    }
    return null;
  }

  private static boolean equal(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static String body(HttpExchange x) throws IOException {
    try (InputStream in = x.getRequestBody()) {
      byte[] b = in.readNBytes(MAX_BODY + 1);
      if (b.length > MAX_BODY) {
        throw new IllegalArgumentException("request body too large");
      }
      return new String(b, StandardCharsets.UTF_8);
    }
  }

  static Map<String, String> parseForm(String s) {
    Map<String, String> m = new LinkedHashMap<>();
    if (s == null || s.isEmpty()) {
      return m;
    }
    for (String pair : s.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      m.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return m;
  }

  private static Map<String, String> query(URI uri) {
    return parseForm(uri.getRawQuery());
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static void send(HttpExchange x, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    var h = x.getResponseHeaders();
    h.set("Content-Type", type);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "same-origin");
    h.set("Cache-Control", "no-store");
    h.set(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
    if (bytes.length == 0) {
      x.sendResponseHeaders(status, -1);
      return;
    }
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(bytes);
    }
  }

  /** Escapes text for HTML element content and quoted attributes. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static String time(java.time.Instant i) {
    return i == null ? "" : TIME.format(i);
  }
}
