package com.kontroltravel.oc.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.examples.Http;
import com.kontroltravel.oc.examples.ItRunnerAccess;
import com.kontroltravel.oc.examples.Runner;
import com.kontroltravel.oc.testkit.Await;
import com.kontroltravel.oc.testkit.SettableClock;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs the runner with known, unique passwords and tokens, captures every log line (SLF4J simple
 * logs to System.err, which this test tees), every command's output and every admin response (all
 * API endpoints, the HTML pages, a failed login), plus a failing mail connection and a failing
 * database login, and searches all of it for the secrets.
 */
class SecretsTest {
  static {
    // Log everything of ours and of the pool at DEBUG (this class runs in its own JVM).
    System.setProperty("org.slf4j.simpleLogger.log.com.kontroltravel", "debug");
    System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer", "debug");
    System.setProperty("org.slf4j.simpleLogger.log.com.icegreen", "info");
  }

  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  static final String MAILBOX = "oc@kontroltravel.test";
  static final String SMTP_USER = "smtp-sender@kontroltravel.test";
  static final String BOOKING = "reservas@booking.test";
  static final String AGENCY_MAIL = "compras@andes.test";

  @TempDir Path dir;

  static String secret(String kind) {
    byte[] b = new byte[9];
    new SecureRandom().nextBytes(b);
    return kind + "Zq" + HexFormat.of().formatHex(b);
  }

  /** Tees a stream into a buffer. */
  static final class Tee extends OutputStream {
    final OutputStream a;
    final ByteArrayOutputStream b = new ByteArrayOutputStream();

    Tee(OutputStream a) {
      this.a = a;
    }

    @Override
    public synchronized void write(int x) {
      b.write(x);
      try {
        a.write(x);
      } catch (java.io.IOException e) {
        // the console is best effort
      }
    }

    @Override
    public synchronized void write(byte[] x, int off, int len) {
      b.write(x, off, len);
      try {
        a.write(x, off, len);
      } catch (java.io.IOException e) {
        // the console is best effort
      }
    }

    synchronized String text() {
      return b.toString(StandardCharsets.UTF_8);
    }
  }

  record Run(int rc, String out, String err) {}

  /** Shortens a line for the report. */
  static final class ItHttpCut {
    static String cut(String s, int n) {
      return s.length() <= n ? s : s.substring(0, n) + "...";
    }
  }

  static Run command(Map<String, String> env, SettableClock clock, String... args) {
    Runner r = ItRunnerAccess.runner(env, clock);
    CommandLine cl = ItRunnerAccess.commandLine(r);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int rc = cl.execute(args);
    return new Run(rc, out.toString(), err.toString());
  }

  @Test
  @DisplayName("no password or token reaches a log line, a command's output or an API response")
  void secretsNeverLeak() throws Exception {
    String imapPassword = secret("imap");
    String smtpPassword = secret("smtp");
    String adminPassword = secret("admin");
    String dbPassword = secret("db");
    String token = secret("token");
    String wrongImap = secret("wrongimap");
    String wrongDb = secret("wrongdb");
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("IMAP_PASSWORD", imapPassword);
    secrets.put("SMTP_PASSWORD", smtpPassword);
    secrets.put("ADMIN_PASSWORD", adminPassword);
    secrets.put("database password", dbPassword);
    secrets.put("OC_WEBHOOK_SECRET", token);
    secrets.put("wrong IMAP password", wrongImap);
    secrets.put("wrong database password", wrongDb);

    PrintStream oldErr = System.err;
    PrintStream oldOut = System.out;
    Tee errTee = new Tee(oldErr);
    Tee outTee = new Tee(oldOut);
    System.setErr(new PrintStream(errTee, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(outTee, true, StandardCharsets.UTF_8));
    List<String> captured = new ArrayList<>();
    String pgDatabase = null;
    String pgRole = null;
    SettableClock clock =
        SettableClock.at(ZonedDateTime.of(2025, 12, 1, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
    try (ItMail mail = ItMail.start(MAILBOX, imapPassword)) {
      mail.greenMail.setUser(SMTP_USER, SMTP_USER, smtpPassword);
      Map<String, String> env = new HashMap<>(mail.env());
      env.put("SMTP_USERNAME", SMTP_USER);
      env.put("SMTP_PASSWORD", smtpPassword);
      env.put("OC_MAILBOX_ADDRESS", MAILBOX);
      env.put("ALLOWED_CONFIRMATION_SENDERS", BOOKING);
      env.put("ADMIN_USERNAME", "ops");
      env.put("ADMIN_PASSWORD", adminPassword);
      env.put("WEB_PORT", "0");
      // An unknown OC_* variable now stops the runner (AdminUnderAttackTest); the token stays in
      // the searched secrets.
      String badDbUrl;
      if (ItPostgres.adminUrl() != null) {
        String role = "oc_secret_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        ItPostgres.createRole(role, dbPassword);
        pgRole = role;
        pgDatabase = ItPostgres.createDatabase("oc_secrets", role);
        String base = ItPostgres.server() + "/" + pgDatabase;
        env.put("DATABASE_URL", base + "?user=" + role + "&password=" + dbPassword);
        // The test server trusts loopback logins, so a wrong password alone would pass: use a
        // role that does not exist, with a wrong password, to make the login fail.
        badDbUrl = base + "?user=" + role + "_nobody&password=" + wrongDb;
      } else {
        System.err.println(
            "SecretsTest: OC_TEST_PG_URL is not set; the database password is checked with SQLite"
                + " and DATABASE_USER/DATABASE_PASSWORD only");
        env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("oc.db"));
        env.put("DATABASE_USER", "oc");
        env.put("DATABASE_PASSWORD", dbPassword);
        badDbUrl = null;
      }
      Path csv = dir.resolve("agencies.csv");
      Files.writeString(csv, "VIAJES ANDES S.A.," + AGENCY_MAIL + "\n");
      Run imported = command(env, clock, "agencies", "import", csv.toString());
      assertThat(imported.rc()).as(imported.err()).isZero();
      captured.add(imported.out() + imported.err());

      // The service, with a booking to look at.
      Runner runner = ItRunnerAccess.runner(env, clock);
      CommandLine cl = ItRunnerAccess.commandLine(runner);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      AtomicInteger rc = new AtomicInteger(-1);
      Thread service = new Thread(() -> rc.set(cl.execute("run", "--manual-ticks")), "run");
      service.start();
      assertThat(ItRunnerAccess.awaitStarted(runner, 30)).as("run started: " + err).isTrue();
      int port = ItRunnerAccess.adminPort(runner);
      Http http = new Http(port, "ops", adminPassword);
      List<HttpResponse<String>> responses = new ArrayList<>();
      try {
        for (String id : List.of("45300001", "45300002", "45300003")) {
          mail.deliverRaw(
              BOOKING,
              mail.message(
                  "conf-" + id + "@booking.test",
                  BOOKING,
                  "Confirmación de reserva " + id,
                  "Adjunto",
                  clock.instant(),
                  null,
                  Map.of(),
                  List.of(
                      ItMail.Attachment.pdf(
                          "r.pdf", HostilePdfs.confirmation(id, "VIAJES ANDES S.A.")))));
        }
        // Rounds of work until the three requests are out.
        Await.await(
            "three requests sent after process-now",
            () -> {
              if (mail.inboxOf(AGENCY_MAIL).size() >= 3) {
                return true;
              }
              HttpResponse<String> processed = http.api("/api/process-now", "{}");
              responses.add(processed);
              System.out.println("process-now: " + processed.statusCode() + " " + processed.body());
              assertThat(processed.statusCode()).as(processed.body()).isEqualTo(200);
              return mail.inboxOf(AGENCY_MAIL).size() >= 3;
            },
            Duration.ofSeconds(30));
        assertThat(mail.inboxOf(AGENCY_MAIL))
            .as("the engine sent over authenticated SMTP")
            .hasSize(3);
        for (String path :
            List.of(
                "/api/health",
                "/api/stats",
                "/api/reservations",
                "/api/reservations?state=REQUESTED",
                "/api/reservations/45300001",
                "/api/reservations/99999999",
                "/api/agencies",
                "/api/nothing-here",
                "/",
                "/reservations",
                "/reservations?state=REQUESTED",
                "/reservations/45300001",
                "/agencies",
                "/no-such-page")) {
          responses.add(http.get(path));
        }
        responses.add(
            http.api("/api/reservations/45300001/mark-received", "{\"ocNumber\":\"4500000001\"}"));
        responses.add(http.api("/api/reservations/45300002/resend", "{\"step\":\"request\"}"));
        responses.add(http.api("/api/reservations/45300003/cancel", "{\"reason\":\"test\"}"));
        responses.add(
            http.api(
                "/api/agencies",
                "{\"name\":\"Turismo Sur\",\"contacts\":[\"oc@sur.test\"],\"requiresOc\":true}"));
        responses.add(http.api("/api/process-now", "{}"));
        // Failed logins: a wrong password, no credentials, the IMAP password as admin password.
        responses.add(new Http(port, "ops", "not-the-password").get("/api/stats"));
        responses.add(new Http(port, null, null).get("/"));
        responses.add(new Http(port, "ops", imapPassword).get("/api/stats"));
        responses.add(new Http(port, "ops", adminPassword).api("/api/nope", "{"));
        assertThat(responses.get(responses.size() - 4).statusCode()).isEqualTo(401);
      } finally {
        ItRunnerAccess.stop(runner);
        service.join(30_000);
      }
      captured.add(out.toString() + err.toString());
      for (HttpResponse<String> r : responses) {
        captured.add(r.uri() + " -> " + Http.dump(r));
      }

      // A failing mail connection: a wrong IMAP password, through check-mail and process-now.
      Map<String, String> wrongMail = new HashMap<>(env);
      wrongMail.put("IMAP_PASSWORD", wrongImap);
      Run check = command(wrongMail, clock, "check-mail");
      assertThat(check.rc()).as("check-mail fails with a wrong password").isNotZero();
      captured.add(check.out() + check.err());
      Run tick = command(wrongMail, clock, "process-now");
      captured.add(tick.out() + tick.err());

      // A failing database login.
      if (badDbUrl != null) {
        Map<String, String> wrongDbEnv = new HashMap<>(env);
        wrongDbEnv.put("DATABASE_URL", badDbUrl);
        Run status = command(wrongDbEnv, clock, "status");
        assertThat(status.rc()).as("status fails with a wrong database password").isNotZero();
        captured.add(status.out() + status.err());
      }
    } finally {
      System.setErr(oldErr);
      System.setOut(oldOut);
      if (pgDatabase != null) {
        ItPostgres.dropDatabase(pgDatabase);
      }
      if (pgRole != null) {
        ItPostgres.dropRole(pgRole);
      }
    }
    String logs = errTee.text() + outTee.text();
    captured.add(logs);
    // The capture worked: the service's own log lines are in it.
    assertThat(logs).contains("admin web listening").contains("configuration (secrets masked)");
    assertThat(logs).contains("IMAP_PASSWORD=****");
    int lines = 0;
    List<String> leaks = new ArrayList<>();
    for (String c : captured) {
      for (String line : (Iterable<String>) c.lines()::iterator) {
        lines++;
        for (Map.Entry<String, String> s : secrets.entrySet()) {
          if (line.contains(s.getValue())) {
            leaks.add(
                s.getKey()
                    + " in: "
                    + ItHttpCut.cut(line.replace(s.getValue(), "<" + s.getKey() + ">"), 220));
          }
        }
      }
    }
    System.out.printf(
        "secrets check: %d secrets, %d captured texts, %d lines searched, %d leaking lines%n",
        secrets.size(), captured.size(), lines, leaks.size());
    leaks.stream().distinct().forEach(l -> System.out.println("  LEAK " + l));
    assertThat(leaks).as("lines carrying a secret").isEmpty();
  }
}
