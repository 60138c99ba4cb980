package com.kontroltravel.oc.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.examples.ItRunnerAccess;
import com.kontroltravel.oc.examples.Runner;
import com.kontroltravel.oc.testkit.SettableClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Issue 11: the runner's admin surface under attack, on loopback, against {@code run} started
 * in-process the way {@link SecretsTest} does. Each test is an attack that worked on the previous
 * code: half-open connections that took the admin web and the health check down, unlimited and
 * silent password guessing, health details for anyone, plain HTTP on any address, unknown {@code
 * OC_*} variables and passwords leaking through the startup log.
 */
class AdminUnderAttackTest {
  static {
    // The startup configuration line and the login lines are what is checked (own JVM per class).
    System.setProperty("org.slf4j.simpleLogger.log.com.kontroltravel.oc.examples", "info");
  }

  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  static final String MAILBOX = "oc@kontroltravel.test";
  static final String USER = "ops";
  static final String PASSWORD = "attack-test-Pw-7f3c9a";

  @TempDir Path dir;

  /** Everything SLF4J simple logs (System.err) while a test runs. */
  static final class Capture extends OutputStream {
    final PrintStream original;
    final ByteArrayOutputStream b = new ByteArrayOutputStream();

    Capture(PrintStream original) {
      this.original = original;
    }

    @Override
    public synchronized void write(int x) {
      b.write(x);
      original.write(x);
    }

    @Override
    public synchronized void write(byte[] x, int off, int len) {
      b.write(x, off, len);
      original.write(x, off, len);
    }

    synchronized String text() {
      return b.toString(StandardCharsets.UTF_8);
    }
  }

  final List<AutoCloseable> cleanup = new ArrayList<>();
  final PrintStream stderr = System.err;
  Capture log;

  @AfterEach
  void tearDown() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
    System.setErr(stderr);
  }

  void captureLog() {
    log = new Capture(stderr);
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  record Started(Runner runner, int port, StringWriter out, StringWriter err) {}

  Map<String, String> env(ItMail mail) {
    Map<String, String> env = new HashMap<>(mail.env());
    env.put("OC_MAILBOX_ADDRESS", MAILBOX);
    env.put("ALLOWED_CONFIRMATION_SENDERS", "reservas@booking.test");
    env.put("ADMIN_USERNAME", USER);
    env.put("ADMIN_PASSWORD", PASSWORD);
    env.put("WEB_PORT", "0");
    env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("data/oc.db"));
    return env;
  }

  static SettableClock clock() {
    return SettableClock.at(ZonedDateTime.of(2025, 12, 1, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
  }

  /** {@code run --manual-ticks} in a thread; stopped after the test. */
  Started run(Map<String, String> env) throws Exception {
    Runner runner = ItRunnerAccess.runner(env, clock());
    CommandLine cl = ItRunnerAccess.commandLine(runner);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    Thread t = new Thread(() -> cl.execute("run", "--manual-ticks"), "run");
    t.setDaemon(true);
    t.start();
    cleanup.add(
        () -> {
          ItRunnerAccess.stop(runner);
          t.join(30_000);
        });
    assertThat(ItRunnerAccess.awaitStarted(runner, 30)).as("run started: " + err).isTrue();
    return new Started(runner, ItRunnerAccess.adminPort(runner), out, err);
  }

  record Done(int rc, String out, String err) {}

  /** A command that must end by itself within 30 s. */
  static Done command(Map<String, String> env, String... args) throws Exception {
    Runner runner = ItRunnerAccess.runner(env, clock());
    CommandLine cl = ItRunnerAccess.commandLine(runner);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    ExecutorService ex = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> rc = ex.submit(() -> cl.execute(args));
      try {
        return new Done(rc.get(30, TimeUnit.SECONDS), out.toString(), err.toString());
      } catch (java.util.concurrent.TimeoutException e) {
        ItRunnerAccess.stop(runner);
        throw new AssertionError("the command did not end: " + String.join(" ", args) + "\n" + err);
      }
    } finally {
      ex.shutdownNow();
    }
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** One request on a fresh connection from {@code local}; the status code (or -1). */
  static int rawStatus(InetAddress local, int port, String path, String authorization)
      throws IOException {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(local, 0));
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(10_000);
      String req =
          "GET "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
              + "Connection: close\r\n\r\n";
      s.getOutputStream().write(req.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c >= 0 && c != '\n' && line.length() < 200; c = in.read()) {
        line.append((char) c);
      }
      String[] parts = line.toString().split(" ");
      return parts.length >= 2 ? Integer.parseInt(parts[1]) : -1;
    }
  }

  static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** GET with a hard 2 s budget; the status, or -1 when it did not answer in time. */
  static HttpResponse<String> within2s(int port, String path, String authorization)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(2));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    long t0 = System.nanoTime();
    try {
      HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
      return r;
    } catch (java.net.http.HttpTimeoutException e) {
      throw new AssertionError(path + " did not answer within 2 s", e);
    }
  }

  // ------------------------------------------------------------------ slow clients

  @ParameterizedTest(name = "{0} half-open connections")
  @ValueSource(ints = {4, 40})
  @DisplayName("half-open connections neither take the admin web nor its health check down")
  void halfOpenConnections(int n) throws Exception {
    ItMail mail = ItMail.start(MAILBOX);
    cleanup.add(mail);
    int port = run(env(mail)).port();
    List<Socket> attackers = new ArrayList<>();
    cleanup.add(
        () -> {
          for (Socket s : attackers) {
            s.close();
          }
        });
    for (int i = 0; i < n; i++) {
      Socket s = new Socket();
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoTimeout(30_000);
      OutputStream o = s.getOutputStream();
      switch (i % 3) {
          // headers that never end
        case 0 -> o.write("GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes());
          // a body that never comes, from an authenticated client
        case 1 ->
            o.write(
                ("POST /api/agencies HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                        + basic(USER, PASSWORD)
                        + "\r\nX-Requested-With: x\r\nContent-Length: 5000\r\n\r\n{\"na")
                    .getBytes());
          // one byte of a request line
        default -> o.write('G');
      }
      o.flush();
      attackers.add(s);
    }
    Thread.sleep(500); // let the server hand them to its threads
    for (int round = 0; round < 3; round++) {
      HttpResponse<String> health = within2s(port, "/health", null);
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\":\"UP\"");
      assertThat(within2s(port, "/api/health", null).statusCode()).isEqualTo(200);
      assertThat(within2s(port, "/api/stats", basic(USER, PASSWORD)).statusCode()).isEqualTo(200);
    }
    // The server cuts them off itself (request deadline), not only when the client gives up.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
    for (Socket s : attackers) {
      s.setSoTimeout(
          (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      InputStream in = s.getInputStream();
      int read;
      try {
        do {
          read = in.read();
        } while (read >= 0);
      } catch (java.net.SocketException e) {
        read = -1; // reset by the server: cut off as well
      }
      assertThat(read).as("connection closed by the server").isEqualTo(-1);
    }
  }

  // ------------------------------------------------------------------ password guessing

  @Test
  @DisplayName(
      "10,000 wrong passwords: each checked failure logged, the client slowed down, another client"
          + " still gets in")
  void passwordGuessing() throws Exception {
    ItMail mail = ItMail.start(MAILBOX);
    cleanup.add(mail);
    captureLog();
    int port = run(env(mail)).port();
    InetAddress attacker = InetAddress.getByName("127.0.0.2");
    InetAddress operator = InetAddress.getByName("127.0.0.3");
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    long t0 = System.nanoTime();
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        fs.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < 10_000; i = next.getAndIncrement()) {
                    int st = rawStatus(attacker, port, "/api/stats", basic(USER, "guess-" + i));
                    statuses.computeIfAbsent(st, k -> new AtomicInteger()).incrementAndGet();
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get(240, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    int checked = statuses.getOrDefault(401, new AtomicInteger()).get();
    int refused = statuses.getOrDefault(429, new AtomicInteger()).get();
    System.out.printf(
        "10,000 guesses in %d ms: %d checked (401), %d refused (429), statuses %s%n",
        took.toMillis(), checked, refused, statuses);
    assertThat(checked + refused).isEqualTo(10_000);
    // 5 free failures, then waits of 1, 2, 4, 8, ... s: a handful of passwords were ever checked.
    long maxChecked = 5 + 2 + (long) (Math.log(Math.max(1, took.toSeconds())) / Math.log(2)) + 1;
    assertThat((long) checked).isBetween(5L, maxChecked);

    // The operator, from another address, is not locked out; the attacker is, even with the
    // right password.
    assertThat(within2s(port, "/api/stats", basic(USER, PASSWORD)).statusCode())
        .as("from 127.0.0.1")
        .isEqualTo(200);
    assertThat(rawStatus(operator, port, "/api/stats", basic(USER, PASSWORD))).isEqualTo(200);
    assertThat(rawStatus(attacker, port, "/api/stats", basic(USER, PASSWORD))).isEqualTo(429);

    String logs = log.text();
    long failedLines =
        logs.lines()
            .filter(l -> l.contains("admin login failed for user 'ops' from 127.0.0.2"))
            .count();
    assertThat(failedLines).as("one line per checked failure").isEqualTo(checked);
    assertThat(logs).contains("admin login attempts from 127.0.0.2 refused");
    assertThat(logs).doesNotContain("guess-").doesNotContain(PASSWORD);
  }

  // ------------------------------------------------------------------ health

  @Test
  @DisplayName("health without credentials names components and UP/DOWN only; details need auth")
  void healthShowsNoDetailsAnonymously() throws Exception {
    ItMail mail = ItMail.start(MAILBOX);
    cleanup.add(mail);
    Map<String, String> env = env(mail);
    int closed = ItMail.freePort();
    env.put("IMAP_PORT", Integer.toString(closed));
    Started s = run(env);
    String auth = basic(USER, PASSWORD);
    assertThat(send(s.port(), "POST", "/api/process-now", auth).statusCode())
        .isEqualTo(200); // the mailbox cannot be reached
    for (String path : List.of("/health", "/api/health")) {
      HttpResponse<String> h = send(s.port(), "GET", path, null);
      assertThat(h.statusCode()).as(path).isEqualTo(503);
      assertThat(h.body())
          .as(path)
          .contains("\"mailbox\":\"DOWN\"")
          .contains("\"store\":\"UP\"")
          .doesNotContain(MAILBOX)
          .doesNotContain("127.0.0.1")
          .doesNotContain(Integer.toString(closed))
          .doesNotContain("problems");
    }
    HttpResponse<String> detailed = send(s.port(), "GET", "/api/health", auth);
    assertThat(detailed.statusCode()).isEqualTo(503);
    assertThat(detailed.body()).contains("\"problems\"").contains("\"mailbox\":\"DOWN\"");
    // Wrong credentials do not unlock the details.
    HttpResponse<String> wrong =
        send(s.port(), "GET", "/api/health", basic(USER, "wrong-password-123"));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).doesNotContain("problems");
  }

  static HttpResponse<String> send(int port, String method, String path, String authorization)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header("X-Requested-With", "oc-it")
            .method(
                method,
                method.equals("POST")
                    ? HttpRequest.BodyPublishers.ofString("{}")
                    : HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @DisplayName("the agencies API accepts only addresses as contacts and cc, as the importer does")
  void agenciesApiChecksAddresses() throws Exception {
    ItMail mail = ItMail.start(MAILBOX);
    cleanup.add(mail);
    Started s = run(env(mail));
    String auth = basic(USER, PASSWORD);
    for (String bad :
        List.of(
            "[\"not-an-address\"]",
            "[\"a@b.cl>, <evil@x.cl\"]",
            "[\"ok@a.cl\\r\\nBcc: z@z.cl\"]",
            "\"x@y\"")) {
      HttpResponse<String> r =
          post(s.port(), "/api/agencies", "{\"name\":\"Bad Co\",\"contacts\":" + bad + "}", auth);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(r.body()).contains("not an email address");
    }
    HttpResponse<String> badCc =
        post(
            s.port(),
            "/api/agencies",
            "{\"name\":\"Bad Co\",\"contacts\":[\"oc@bad.cl\"],\"cc\":[\"nope\"]}",
            auth);
    assertThat(badCc.statusCode()).isEqualTo(400);
    assertThat(send(s.port(), "GET", "/api/agencies", auth).body()).doesNotContain("Bad Co");
    HttpResponse<String> good =
        post(
            s.port(),
            "/api/agencies",
            "{\"name\":\"Good Co\",\"contacts\":[\"OC@Good.cl\"],\"cc\":[\"fin@good.cl\"]}",
            auth);
    assertThat(good.statusCode()).as(good.body()).isEqualTo(201);
    assertThat(good.body()).contains("oc@good.cl");
  }

  static HttpResponse<String> post(int port, String path, String json, String authorization)
      throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header("X-Requested-With", "oc-it")
            .header("Content-Type", "application/json")
            .header("Authorization", authorization)
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  // ------------------------------------------------------------------ exposure and TLS

  @Test
  @DisplayName("plain HTTP on an address that is not loopback is refused (exit 2)")
  void refusesPlainHttpBeyondLoopback() throws Exception {
    ItMail mail = ItMail.start(MAILBOX);
    cleanup.add(mail);
    Map<String, String> env = env(mail);
    env.put("WEB_HOST", "0.0.0.0");
    Done d = command(env, "run", "--manual-ticks");
    assertThat(d.rc()).as(d.err()).isEqualTo(2);
    assertThat(d.err()).contains("WEB_HOST 0.0.0.0 is not a loopback address");
  }

  @Test
  @DisplayName(
      "HTTPS from a PKCS12 keystore (made by keytool); the keystore password is not logged")
  void servesHttpsFromAKeystore() throws Exception {
    Path ks = dir.resolve("admin.p12");
    String ksPassword = "ks-" + Long.toHexString(System.nanoTime()) + "-pw";
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "admin",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.toString(),
                "-storepass",
                ksPassword)
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();

    ItMail mail = ItMail.start(MAILBOX);
    cleanup.add(mail);
    captureLog();
    Map<String, String> env = env(mail);
    env.put("ADMIN_TLS_KEYSTORE", ks.toString());
    env.put("ADMIN_TLS_KEYSTORE_PASSWORD", ksPassword);
    Started s = run(env);
    // The banner is printed just after the start signal: wait for it, bounded.
    for (int i = 0; i < 50 && !s.out().toString().contains("oc-runner is running"); i++) {
      Thread.sleep(100);
    }
    assertThat(s.out().toString()).contains("https://127.0.0.1:");

    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      trust.load(in, ksPassword.toCharArray());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    HttpClient tls =
        HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> r =
        tls.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + s.port() + "/api/stats"))
                .header("Authorization", basic(USER, PASSWORD))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    HttpResponse<String> page =
        tls.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + s.port() + "/"))
                .header("Authorization", basic(USER, PASSWORD))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(page.headers().allValues("Set-Cookie"))
        .anySatisfy(c -> assertThat(c).contains("Secure"));
    // Plain HTTP to the TLS port gets no page.
    int plain;
    try {
      plain = rawStatus(InetAddress.getByName("127.0.0.1"), s.port(), "/health", null);
    } catch (IOException | NumberFormatException e) {
      plain = -1;
    }
    assertThat(plain).isNotEqualTo(200);
    assertThat(log.text()).contains("ADMIN_TLS_KEYSTORE_PASSWORD=****").doesNotContain(ksPassword);
  }

  // ------------------------------------------------------------------ settings and log

  @Test
  @DisplayName("an unknown OC_* variable stops the runner with exit 2, naming it, value unshown")
  void unknownOcVariableStopsTheRunner() throws Exception {
    ItMail mail = ItMail.start(MAILBOX);
    cleanup.add(mail);
    captureLog();
    Map<String, String> env = env(mail);
    String token = "tok-" + Long.toHexString(System.nanoTime());
    env.put("OC_WEBHOOK_TOKEN", token);
    env.put("OC_MAILBOX_ADRESS", "typo@x.test");
    Done d = command(env, "run", "--manual-ticks");
    assertThat(d.rc()).isEqualTo(2);
    assertThat(d.err()).contains("OC_WEBHOOK_TOKEN").contains("OC_MAILBOX_ADRESS");
    assertThat(d.out() + d.err() + log.text()).doesNotContain(token);
    // The same for an admin command.
    assertThat(command(env, "status").rc()).isEqualTo(2);
  }

  @Test
  @DisplayName("the startup log masks every form of database password")
  void startupLogMasksEveryForm() throws Exception {
    ItMail mail = ItMail.start(MAILBOX);
    cleanup.add(mail);
    captureLog();
    int closed = ItMail.freePort();
    // Each password in parts: no part may show (the old masking hid only up to the first '@' or
    // ';', leaving "ssW/rd9" or "cdZ" in the log).
    Map<String, List<String>> forms = new HashMap<>();
    forms.put("postgresql://u:pA@ssW/rd9@127.0.0.1:" + closed + "/oc", List.of("pA@", "ssW/rd9"));
    forms.put(
        "jdbc:postgresql://127.0.0.1:" + closed + "/oc?user=u&password=abQ;cdZ",
        List.of("abQ", "cdZ"));
    forms.put(
        "jdbc:postgresql://127.0.0.1:" + closed + "/oc?user=u&password=q9s3cr&ssl=false",
        List.of("q9s3cr"));
    forms.put(
        "jdbc:postgresql://127.0.0.1:" + closed + "/oc?password=\"xQ yZ\"&user=u",
        List.of("xQ", "yZ"));
    for (Map.Entry<String, List<String>> f : forms.entrySet()) {
      Map<String, String> env = env(mail);
      env.put("DATABASE_URL", f.getKey());
      Done d = command(env, "run", "--manual-ticks");
      assertThat(d.rc()).as(f.getKey() + ": " + d.err()).isNotZero();
      String all = d.out() + d.err() + log.text();
      assertThat(all).as(f.getKey()).contains("DATABASE_URL=");
      for (String part : f.getValue()) {
        assertThat(all.replace(f.getKey(), "<the url>"))
            .as(f.getKey())
            .doesNotContain(part)
            .doesNotContain("<the url>");
      }
    }
  }
}
