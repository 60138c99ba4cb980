package com.kontroltravel.oc.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.examples.DemoPdfs;
import com.kontroltravel.oc.examples.ItRunnerAccess;
import com.kontroltravel.oc.examples.RunnerSettings;
import com.kontroltravel.oc.testkit.Await;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restart figures of issue 14: the real runner ({@code run} with the engine's own loops) in a
 * child JVM sends the requests of a dozen fresh bookings through an SMTP relay that stalls the
 * fourth message at its very end, so the runner holds claims on requests it has not sent. It is
 * killed with SIGKILL there and started again with the same settings (so the same default node id).
 * Counted at GreenMail: every request delivered once (no Message-ID twice, one Message-ID per
 * booking), and every request the killed runner had claimed delivered within 30 s of the restart,
 * which the clock (a file the test never moves) proves was the start-time take-back: the 5-minute
 * lease never runs out. Prints the figure. On SQLite a second runner on the same file then exits 2
 * with a clear message.
 */
class RestartFiguresTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  static final String MAILBOX = "oc@kontroltravel.test";
  static final String BOOKING_SYSTEM = "reservas@booking.test";
  static final String AGENCY = "CAJA 18";
  static final String AGENCY_MAIL = "oc@caja18.test";
  static final int BOOKINGS = 12;
  static final int PASS_BEFORE_HOLD = 3;
  static final Duration LIMIT = Duration.ofSeconds(30);
  static final Pattern PORT = Pattern.compile("admin web on http://[^:/]+:(\\d+)/");

  @TempDir Path work;

  @Test
  @DisplayName("SQLite: a runner SIGKILLed holding claims resends nothing twice and sends them all")
  void sqlite() throws Exception {
    Path db = work.resolve("data/oc_seguimiento.db");
    new Scenario("sqlite", "jdbc:sqlite:" + db, work).run();
  }

  @Test
  @DisplayName(
      "PostgreSQL: a runner SIGKILLed holding claims resends nothing twice, sends them all")
  void postgres() throws Exception {
    if (ItPostgres.adminUrl() == null) {
      System.err.println(
          "RestartFiguresTest: OC_TEST_PG_URL is not set; SKIPPING the PostgreSQL restart figures"
              + " (start one with: eval \"$(bash .ci/start-postgres.sh)\")");
    }
    Assumptions.assumeTrue(
        ItPostgres.adminUrl() != null, "OC_TEST_PG_URL is not set: PostgreSQL restart skipped");
    String db = ItPostgres.createDatabase("oc_restart", null);
    try {
      new Scenario("postgresql", ItPostgres.urlOf(db), work).run();
    } finally {
      ItPostgres.dropDatabase(db);
    }
  }

  static final class Scenario {
    final String label;
    final String databaseUrl;
    final Path work;
    final Path clockFile;
    final Instant now = ZonedDateTime.of(2025, 12, 1, 10, 0, 0, 0, ZONE).toInstant();
    Map<String, String> env;
    int starts;

    Scenario(String label, String databaseUrl, Path work) {
      this.label = label;
      this.databaseUrl = databaseUrl;
      this.work = work;
      this.clockFile = work.resolve("clock.txt");
    }

    void run() throws Exception {
      FileClock.write(clockFile, now);
      Files.createDirectories(work.resolve("data"));
      try (ItMail mail = ItMail.start(MAILBOX);
          StallingSmtpProxy proxy = new StallingSmtpProxy(mail.smtpPort)) {
        env = new HashMap<>(mail.env(mail.imapPort, proxy.port()));
        env.put("DATABASE_URL", databaseUrl);
        env.put("ALLOWED_CONFIRMATION_SENDERS", BOOKING_SYSTEM);
        env.put("ADMIN_USERNAME", "ops");
        env.put("ADMIN_PASSWORD", "restart-" + Long.toHexString(System.nanoTime()) + "-pw");
        env.put("WEB_PORT", "0");
        env.put("IMAP_CHECK_INTERVAL", "10");
        // One SMTP session, so one send at a time: the kill lands while exactly one message is
        // held mid-DATA by the proxy and the rest are claimed but not yet attempted. With several
        // sessions a second send can complete at the server in the instant before the kill and be
        // sent again after it (the crash window the Sent-folder check closes where there is one).
        env.put("OC_SMTP_SESSIONS", "1");
        importAgency();
        for (int i = 0; i < BOOKINGS; i++) {
          deliverConfirmation(mail, String.valueOf(48_000_000 + i * 7));
        }
        proxy.holdAfter(PASS_BEFORE_HOLD);
        Process first = start();
        Process restarted = null;
        try {
          Await.await(
              "the runner stalled at the end of a message after " + PASS_BEFORE_HOLD + " sent",
              () -> {
                assertThat(first.isAlive()).as("the first runner is alive").isTrue();
                return proxy.held() == 1;
              },
              Duration.ofSeconds(120));
          first.destroyForcibly(); // SIGKILL on Linux
          assertThat(
                  first.waitFor(Await.scaled(Duration.ofSeconds(30)).toSeconds(), TimeUnit.SECONDS))
              .isTrue();
          Await.await(
              "the relay dropping the held message of the dead runner",
              () -> proxy.discarded() == 1,
              Duration.ofSeconds(10));
          Map<String, String> claimed = claimedRequests();
          Set<String> before = requestIds(mail).keySet();
          assertThat(claimed).as("requests claimed by the killed runner").isNotEmpty();
          assertThat(before).as("requests sent before the kill").hasSize(PASS_BEFORE_HOLD);
          assertThat(claimed.keySet()).doesNotContainAnyElementsOf(before);
          String nodeId = Set.copyOf(claimed.values()).iterator().next();
          proxy.release();

          long restartAt = System.nanoTime();
          restarted = start();
          long readyAt = System.nanoTime();
          Await.await(
              "every request the killed runner had claimed delivered",
              () -> requestIds(mail).keySet().containsAll(claimed.keySet()),
              Duration.ofSeconds(60));
          long lastClaimedAt = System.nanoTime();
          Await.await(
              "every request delivered",
              () -> requestIds(mail).size() == BOOKINGS,
              Duration.ofSeconds(60));
          String secondRunner = label.equals("sqlite") ? secondRunner() : "n/a (PostgreSQL)";

          Map<String, Integer> copies = requestIds(mail);
          Map<String, Integer> idsPerBooking = new TreeMap<>();
          copies.keySet().forEach(id -> idsPerBooking.merge(id.split("\\.")[1], 1, Integer::sum));
          long duplicates = copies.values().stream().filter(n -> n > 1).count();
          double toLast = (lastClaimedAt - restartAt) / 1e9;
          System.out.printf(
              "restart figures [%s]: %d requests; sent before SIGKILL %d; claimed by the killed"
                  + " runner (node %s) %d, one of them stalled at the end of DATA; restart to"
                  + " admin port %.1f s; restart to last claimed request delivered %.1f s (ready"
                  + " to last %.1f s); Message-IDs at SMTP %d, delivered twice %d; second runner"
                  + " on the file: %s%n",
              label,
              BOOKINGS,
              before.size(),
              nodeId,
              claimed.size(),
              (readyAt - restartAt) / 1e9,
              toLast,
              (lastClaimedAt - readyAt) / 1e9,
              copies.size(),
              duplicates,
              secondRunner);
          assertThat(duplicates).as("a Message-ID delivered twice").isZero();
          assertThat(idsPerBooking).as("one request Message-ID per booking").hasSize(BOOKINGS);
          assertThat(idsPerBooking.values()).allMatch(n -> n == 1);
          assertThat(Duration.ofNanos(lastClaimedAt - restartAt))
              .as("restart to the last claimed request delivered")
              .isLessThanOrEqualTo(LIMIT);
        } finally {
          stop(first);
          stop(restarted);
        }
      }
    }

    void importAgency() throws IOException {
      Path file = work.resolve("agencies.csv");
      Files.writeString(file, AGENCY + "," + AGENCY_MAIL + "\n", StandardCharsets.UTF_8);
      var cl = ItRunnerAccess.commandLine(ItRunnerAccess.runner(env, Clock.fixed(now, ZONE)));
      StringWriter err = new StringWriter();
      cl.setOut(new PrintWriter(new StringWriter()));
      cl.setErr(new PrintWriter(err));
      assertThat(cl.execute("agencies", "import", file.toString())).as(err.toString()).isZero();
    }

    void deliverConfirmation(ItMail mail, String id) {
      byte[] pdf =
          DemoPdfs.confirmation(
              new DemoPdfs.Confirmation(
                  id,
                  "K" + id.substring(2),
                  "8" + id.substring(3),
                  AGENCY,
                  "Reservado",
                  null,
                  "Hotel Magnolia",
                  LocalDate.of(2026, 2, 10),
                  2,
                  1,
                  new BigDecimal("528701.00")));
      mail.deliverRaw(
          BOOKING_SYSTEM,
          mail.message(
              "conf-" + id + "@booking.test",
              BOOKING_SYSTEM,
              "Confirmación de reserva " + id,
              "Adjunto el resumen de servicios.",
              now,
              null,
              Map.of(),
              List.of(ItMail.Attachment.pdf("Resumen_" + id + ".pdf", pdf))));
    }

    /** Request Message-IDs at the agency's mailbox in GreenMail, with their copies. */
    static Map<String, Integer> requestIds(ItMail mail) {
      Map<String, Integer> out = new LinkedHashMap<>();
      for (MimeMessage m : mail.inboxOf(AGENCY_MAIL)) {
        String id = bare(ItMail.messageId(m));
        if (id != null && id.contains(".request.")) {
          out.merge(id, 1, Integer::sum);
        }
      }
      return out;
    }

    static String bare(String id) {
      return id == null ? null : id.replace("<", "").replace(">", "").trim();
    }

    /**
     * Unsent messages (all requests here) under a claim, read from the database the killed runner
     * left: id, owner.
     */
    Map<String, String> claimedRequests() throws SQLException {
      Map<String, String> out = new TreeMap<>();
      try (Connection c = DriverManager.getConnection(RunnerSettings.of(env).databaseUrl());
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT message_id, claim_owner FROM oc_outbox WHERE status = 'PENDING'"
                      + " AND claim_owner IS NOT NULL");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(bare(rs.getString(1)), rs.getString(2));
        }
      }
      return out;
    }

    Process start() throws Exception {
      starts++;
      Path log = work.resolve("runner-" + label + "-" + starts + ".log");
      Process p = launch(log);
      Await.await(
          "the runner's admin port in its log",
          () -> {
            String text = read(log);
            if (!PORT.matcher(text).find() && !p.isAlive()) {
              throw new AssertionError("runner exited with " + p.exitValue() + ":\n" + text);
            }
            return text;
          },
          text -> PORT.matcher(text).find(),
          Duration.ofSeconds(60));
      return p;
    }

    Process launch(Path log) throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  java,
                  "-Xmx384m",
                  "-XX:TieredStopAtLevel=1",
                  "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                  "-cp",
                  System.getProperty("java.class.path"),
                  KillableRunnerMain.class.getName(),
                  clockFile.toString(),
                  "run"));
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.directory(work.toFile());
      pb.environment()
          .keySet()
          .removeIf(k -> RunnerSettings.KNOWN.contains(k) || k.startsWith("OC_"));
      pb.environment().putAll(env);
      pb.redirectErrorStream(true);
      pb.redirectOutput(log.toFile());
      return pb.start();
    }

    /** A second {@code run} on the same SQLite file: its exit code and message. */
    String secondRunner() throws Exception {
      Path log = work.resolve("runner-second.log");
      Process p = launch(log);
      assertThat(p.waitFor(Await.scaled(Duration.ofSeconds(60)).toSeconds(), TimeUnit.SECONDS))
          .as("the second runner exits by itself")
          .isTrue();
      String text = read(log);
      assertThat(p.exitValue()).as(text).isEqualTo(2);
      String line =
          text.lines()
              .filter(l -> l.contains("another oc-runner is running on"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no clear message:\n" + text));
      assertThat(line).contains("oc_seguimiento.db").contains("stop it first");
      return "exit 2, \"" + line.trim() + "\"";
    }

    static String read(Path log) {
      try {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    static void stop(Process p) throws InterruptedException {
      if (p == null || !p.isAlive()) {
        return;
      }
      p.destroy();
      if (!p.waitFor(40, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
