package com.kontroltravel.oc.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.OcOperations;
import com.kontroltravel.oc.examples.AdminSession;
import com.kontroltravel.oc.examples.DemoPdfs;
import com.kontroltravel.oc.examples.Http;
import com.kontroltravel.oc.examples.ItRunnerAccess;
import com.kontroltravel.oc.examples.RunnerSettings;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.testkit.Await;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real runner ({@code run}) in a child JVM on a {@link FileClock}, against GreenMail in
 * this JVM and PostgreSQL (then a SQLite file), feeds bookings through their whole lifecycle
 * (agencies answer with OC PDFs after the request or a reminder, or never), and kills the child
 * with SIGKILL at seeded random moments, restarting it each time. Counted at the SMTP side at the
 * end: every step of every booking went out under exactly one Message-ID (a crash between sending
 * and recording may deliver that same Message-ID twice, which is reported, never a second
 * Message-ID), every OC is filed, every inbound message is recorded once.
 *
 * <p>Default size: 40 bookings and 5 kills per database; {@code -Doc.it.full=true}: 200 and 20.
 */
class KillTest {
  static final boolean FULL = Boolean.getBoolean("oc.it.full");
  static final int BOOKINGS = Integer.getInteger("oc.it.kill.bookings", FULL ? 200 : 40);
  static final int KILLS = Integer.getInteger("oc.it.kill.kills", FULL ? 20 : 5);
  static final long SEED = Long.getLong("oc.it.seed", 20251201L);

  /**
   * With {@code -Doc.it.kill.loops=true} the child also runs the engine's own loops besides the
   * driver's process-now calls. The default drives the engine only through process-now ({@code run
   * --manual-ticks}): the driver moves the clock an hour at a time, and a loop caught mid-batch by
   * such a jump sees its 5-minute claims expire, which lets another round resend the same rows
   * (same Message-IDs) with no crash at all; that would mix clock artefacts into the crash figures.
   */
  static final boolean LOOPS = Boolean.getBoolean("oc.it.kill.loops");

  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  static final String MAILBOX = "oc@kontroltravel.test";
  static final String BOOKING_SYSTEM = "reservas@booking.test";
  static final String[] STEPS = {"request", "reminder-1", "reminder-2", "reminder-3"};
  static final Pattern PORT = Pattern.compile("admin web on http://[^:/]+:(\\d+)/");

  @TempDir Path work;

  @Test
  @DisplayName("PostgreSQL: SIGKILL at random moments loses nothing and never sends a step twice")
  void killAndRestartOnPostgres() throws Exception {
    if (ItPostgres.adminUrl() == null) {
      System.err.println(
          "KillTest: OC_TEST_PG_URL is not set; SKIPPING the PostgreSQL kill test"
              + " (start one with: eval \"$(bash .ci/start-postgres.sh)\")");
    }
    Assumptions.assumeTrue(
        ItPostgres.adminUrl() != null, "OC_TEST_PG_URL is not set: PostgreSQL kill test skipped");
    String db = ItPostgres.createDatabase("oc_kill", null);
    try {
      new Driver("postgresql", ItPostgres.urlOf(db), work).run();
    } finally {
      ItPostgres.dropDatabase(db);
    }
  }

  @Test
  @DisplayName("SQLite: SIGKILL at random moments loses nothing and never sends a step twice")
  void killAndRestartOnSqlite() throws Exception {
    new Driver("sqlite", "jdbc:sqlite:" + work.resolve("data/oc_seguimiento.db"), work).run();
  }

  /** One booking's plan: when its confirmation is mailed, after which step its agency replies. */
  record Booking(
      String id, String agency, String agencyMail, int replyAfter, int releaseIteration) {
    String confirmationId() {
      return "conf-" + id + "@booking.test";
    }

    String replyId() {
      return "oc-reply-" + id + "@agencias.test";
    }

    String ocNumber() {
      return "45" + id;
    }

    /** The steps the engine must send: the chase up to the reply, and the acknowledgement. */
    Set<String> expectedSteps() {
      Set<String> s = new TreeSet<>();
      int last = replyAfter < 0 ? STEPS.length - 1 : replyAfter;
      for (int i = 0; i <= last; i++) {
        s.add(STEPS[i]);
      }
      if (replyAfter >= 0) {
        s.add("acknowledgement");
      }
      return s;
    }
  }

  static final class Driver {
    final String label;
    final String databaseUrl;
    final Path work;
    final Path clockFile;
    final Random rnd = new Random(SEED);
    final List<Booking> bookings = new ArrayList<>();
    final Map<String, Booking> byId = new HashMap<>();
    final Set<String> replied = new HashSet<>();
    final Set<String> delivered = new HashSet<>();
    final String adminPassword;
    Map<String, String> env;
    ItMail mail;
    Process child;
    Http http;
    int starts;
    int kills;
    int failedCalls;
    Instant now;

    Driver(String label, String databaseUrl, Path work) {
      this.label = label;
      this.databaseUrl = databaseUrl;
      this.work = work;
      this.clockFile = work.resolve("clock.txt");
      this.adminPassword = "kill-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
    }

    void run() throws Exception {
      long started = System.nanoTime();
      String[][] agencies = {
        {"Viajes Andes S.A.", "oc@andes.test"},
        {"Turismo Nandu Ltda.", "compras@nandu.test"},
        {"CAJA 18", "oc@caja18.test"},
        {"Agencia Pacifico SpA", "oc@pacifico.test"},
        {"Walvis Corporate", "oc@walvis.test"}
      };
      // Confirmations are released over the first three business days (iterations 0..35).
      for (int i = 0; i < BOOKINGS; i++) {
        String[] a = agencies[i % agencies.length];
        int replyAfter = (i % 5) - 1; // -1 never, 0 after the request, 1..3 after a reminder
        Booking b =
            new Booking(
                String.valueOf(47_000_000 + i * 3), a[0], a[1], replyAfter, i * 36 / BOOKINGS);
        bookings.add(b);
        byId.put(b.id(), b);
      }
      now = ZonedDateTime.of(2025, 12, 1, 8, 0, 0, 0, ZONE).toInstant();
      FileClock.write(clockFile, now);
      mail = ItMail.start(MAILBOX);
      try {
        env = new HashMap<>(mail.env());
        env.put("DATABASE_URL", databaseUrl);
        env.put("ALLOWED_CONFIRMATION_SENDERS", BOOKING_SYSTEM);
        env.put("ADMIN_USERNAME", "ops");
        env.put("ADMIN_PASSWORD", adminPassword);
        env.put("WEB_PORT", "0");
        env.put("IMAP_CHECK_INTERVAL", "10");
        Files.createDirectories(work.resolve("data"));
        importAgencies(agencies);

        // ~14 calendar days of office hours, one iteration per hour from 08:00 to 19:00.
        int iterations = 14 * 12;
        Set<Integer> killAt = new TreeSet<>();
        // Half the kills while confirmations and replies pour in (iterations 0..35), half anywhere
        // in the first three quarters; each lands 0-400 ms into a round of work.
        while (killAt.size() < KILLS) {
          killAt.add(rnd.nextInt(killAt.size() % 2 == 0 ? 36 : iterations * 3 / 4));
        }
        startChild();
        for (int it = 0; it < iterations; it++) {
          FileClock.write(clockFile, now);
          for (Booking b : bookings) {
            if (b.releaseIteration() == it) {
              deliverConfirmation(b);
            }
          }
          if (killAt.contains(it)) {
            killDuringWork();
          } else {
            processNow();
          }
          reply();
          now = next(now);
        }
        // Settle: a few more rounds so the last replies are filed and acknowledged.
        for (int i = 0; i < 3; i++) {
          FileClock.write(clockFile, now);
          processNow();
          reply();
          now = now.plus(Duration.ofMinutes(30));
        }
        FileClock.write(clockFile, now);
        processNow();
        stopChild();
        verify(Duration.ofNanos(System.nanoTime() - started));
      } finally {
        if (child != null && child.isAlive()) {
          child.destroyForcibly();
          child.waitFor(30, TimeUnit.SECONDS);
        }
        mail.close();
      }
    }

    static Instant next(Instant t) {
      ZonedDateTime z = t.atZone(ZONE).plusHours(1);
      if (z.getHour() > 19) {
        z = z.plusDays(1).withHour(8);
      }
      return z.toInstant();
    }

    void importAgencies(String[][] agencies) throws IOException {
      StringBuilder csv = new StringBuilder("# kill test agencies\n");
      for (String[] a : agencies) {
        csv.append(a[0]).append(',').append(a[1]).append('\n');
      }
      Path file = work.resolve("agencies.csv");
      Files.writeString(file, csv.toString(), StandardCharsets.UTF_8);
      var cl = ItRunnerAccess.commandLine(ItRunnerAccess.runner(env, Clock.fixed(now, ZONE)));
      StringWriter err = new StringWriter();
      cl.setOut(new PrintWriter(new StringWriter()));
      cl.setErr(new PrintWriter(err));
      assertThat(cl.execute("agencies", "import", file.toString())).as(err.toString()).isZero();
    }

    void deliverConfirmation(Booking b) {
      byte[] pdf =
          DemoPdfs.confirmation(
              new DemoPdfs.Confirmation(
                  b.id(),
                  "K" + b.id().substring(2),
                  "8" + b.id().substring(3),
                  b.agency(),
                  "Reservado",
                  null,
                  "Hampton by Hilton Santiago Las Condes",
                  LocalDate.of(2026, 2, 10),
                  2,
                  1,
                  new BigDecimal("528701.00")));
      mail.deliverRaw(
          BOOKING_SYSTEM,
          mail.message(
              b.confirmationId(),
              BOOKING_SYSTEM,
              "Confirmación de reserva " + b.id(),
              "Adjunto el resumen de servicios.",
              now,
              null,
              Map.of(),
              List.of(ItMail.Attachment.pdf("Resumen_" + b.id() + ".pdf", pdf))));
      delivered.add(b.confirmationId());
    }

    /** Agencies answer with their OC right after the step their plan names. */
    void reply() {
      for (Booking b : bookings) {
        if (b.replyAfter() < 0 || replied.contains(b.id())) {
          continue;
        }
        String prefix = "oc." + b.id() + "." + STEPS[b.replyAfter()] + ".";
        String step =
            mail.inboxOf(b.agencyMail()).stream()
                .map(ItMail::messageId)
                .filter(id -> id != null && id.startsWith(prefix))
                .findFirst()
                .orElse(null);
        if (step == null) {
          continue;
        }
        mail.deliverRaw(
            b.agencyMail(),
            mail.message(
                b.replyId(),
                b.agencyMail(),
                "RE: Solicitud de Orden de Compra - Reserva #" + b.id(),
                "Adjuntamos la orden de compra.",
                now,
                step,
                Map.of(),
                List.of(
                    ItMail.Attachment.pdf(
                        "OC_" + b.ocNumber() + ".pdf",
                        DemoPdfs.purchaseOrder(
                            b.agency(), b.ocNumber(), b.id(), new BigDecimal("528701.00"))))));
        replied.add(b.id());
        delivered.add(b.replyId());
      }
    }

    void startChild() throws Exception {
      starts++;
      Path log = work.resolve("runner-" + starts + ".log");
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
      if (!LOOPS) {
        cmd.add("--manual-ticks");
      }
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.directory(work.toFile());
      pb.environment()
          .keySet()
          .removeIf(k -> RunnerSettings.KNOWN.contains(k) || k.startsWith("OC_"));
      pb.environment().putAll(env);
      pb.redirectErrorStream(true);
      pb.redirectOutput(log.toFile());
      child = pb.start();
      String started =
          Await.await(
              "the runner's admin port in its log",
              () -> {
                String text = read(log);
                if (!PORT.matcher(text).find() && !child.isAlive()) {
                  throw new AssertionError(
                      "runner exited with " + child.exitValue() + ":\n" + text);
                }
                return text;
              },
              text -> PORT.matcher(text).find(),
              Duration.ofSeconds(60));
      Matcher m = PORT.matcher(started);
      assertThat(m.find()).isTrue();
      http = new Http(Integer.parseInt(m.group(1)), "ops", adminPassword);
    }

    static String read(Path log) {
      try {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * Asks the runner to work now. Not a wait: up to three tries, 200 ms apart, because a call may
     * meet the runner while it restarts; a call that still fails is counted and reported (the end
     * state is verified either way).
     */
    void processNow() {
      for (int attempt = 0; attempt < 3; attempt++) {
        try {
          HttpResponse<String> r = http.api("/api/process-now", "{}");
          if (r.statusCode() == 200) {
            return;
          }
        } catch (RuntimeException e) {
          // a connection refused right after a restart: try again
        }
        failedCalls++;
        sleep(200);
      }
    }

    /** Starts a round of work, SIGKILLs the runner at a random moment in it, restarts. */
    void killDuringWork() throws Exception {
      CompletableFuture<Void> call =
          CompletableFuture.runAsync(
              () -> {
                try {
                  http.api("/api/process-now", "{}");
                } catch (RuntimeException e) {
                  // killed under it
                }
              });
      sleep(rnd.nextInt(400)); // on purpose: the kill lands at a random moment of the round
      child.destroyForcibly(); // SIGKILL on Linux
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      kills++;
      call.get(40, TimeUnit.SECONDS);
      startChild();
      processNow();
    }

    void stopChild() throws Exception {
      child.destroy(); // SIGTERM: the graceful shutdown
      if (!child.waitFor(40, TimeUnit.SECONDS)) {
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
      }
    }

    void verify(Duration took) {
      // Counted at the SMTP side: copies per Message-ID, Message-IDs per (booking, step).
      Map<String, Map<String, Map<String, Integer>>> sent = new LinkedHashMap<>();
      int copies = 0;
      Set<String> agencyMails = new HashSet<>();
      bookings.forEach(b -> agencyMails.add(b.agencyMail()));
      for (String a : agencyMails) {
        for (MimeMessage m : mail.inboxOf(a)) {
          String id = ItMail.messageId(m);
          copies++;
          String[] p = id.substring(0, id.indexOf('@')).split("\\.");
          sent.computeIfAbsent(p[1], k -> new LinkedHashMap<>())
              .computeIfAbsent(p[2], k -> new LinkedHashMap<>())
              .merge(id, 1, Integer::sum);
        }
      }
      int distinct = 0;
      int sameIdDuplicates = 0;
      int twoIdsForOneStep = 0;
      int lostSteps = 0;
      List<String> problems = new ArrayList<>();
      for (Booking b : bookings) {
        Map<String, Map<String, Integer>> steps = sent.getOrDefault(b.id(), Map.of());
        for (Map.Entry<String, Map<String, Integer>> s : steps.entrySet()) {
          distinct += s.getValue().size();
          for (int n : s.getValue().values()) {
            sameIdDuplicates += n - 1;
          }
          if (s.getValue().size() > 1) {
            twoIdsForOneStep++;
            problems.add(b.id() + " " + s.getKey() + " under " + s.getValue().keySet());
          }
        }
        for (String step : b.expectedSteps()) {
          if (!steps.containsKey(step)) {
            lostSteps++;
            problems.add(
                b.id() + " (" + b.agency() + ", plan " + b.replyAfter() + ") never sent " + step);
          }
        }
        for (String step : steps.keySet()) {
          if (!b.expectedSteps().contains(step)) {
            problems.add(b.id() + " sent an unexpected " + step + " (plan " + b.replyAfter() + ")");
          }
        }
      }
      assertThat(sent.keySet()).as("mail only about our bookings").isSubsetOf(byId.keySet());

      // The store, read with the runner's own wiring after the service stopped.
      int filed = 0;
      int lostInbound = 0;
      int lostOcs = 0;
      try (AdminSession admin =
          AdminSession.open(RunnerSettings.of(env), Clock.fixed(now, ZoneOffset.UTC), false)) {
        OcOperations ops = admin.operations();
        Map<String, InboundRecord> records = new HashMap<>();
        for (InboundOutcome o : InboundOutcome.values()) {
          for (InboundRecord r : ops.inbound(o, 10_000)) {
            assertThat(records.put(r.key(), r)).as("recorded once: %s", r.key()).isNull();
          }
        }
        for (String key : delivered) {
          if (!records.containsKey(key)) {
            lostInbound++;
            problems.add("inbound " + key + " not recorded");
          }
        }
        assertThat(records.keySet())
            .as("nothing recorded that was not delivered")
            .isSubsetOf(delivered);
        for (Booking b : bookings) {
          Reservation r = ops.reservation(b.id()).orElse(null);
          if (r == null) {
            problems.add(b.id() + " not tracked");
            lostOcs++;
            continue;
          }
          if (b.replyAfter() >= 0) {
            if (r.state() == TrackingState.RECEIVED
                && r.purchaseOrder() != null
                && b.ocNumber().equals(r.purchaseOrder().ocNumber())) {
              filed++;
            } else {
              lostOcs++;
              problems.add(b.id() + " OC not filed: " + r.state());
            }
          } else if (r.state() != TrackingState.REMINDER_3 && r.state() != TrackingState.EXPIRED) {
            problems.add(
                b.id()
                    + " never answered but "
                    + r.state()
                    + " (next action "
                    + r.nextActionAt()
                    + ", attention "
                    + r.attentionReason()
                    + ", last step "
                    + r.lastStep()
                    + ", outbox "
                    + ops.messages(b.id()).stream()
                        .map(x -> x.step() + ":" + x.status() + ":" + x.attempts())
                        .toList()
                    + ", timeline "
                    + ops.timeline(b.id()).stream()
                        .map(e -> e.at() + " " + e.kind() + " " + e.detail())
                        .toList()
                    + ")");
          }
        }
      }
      int lost = lostSteps + lostInbound + lostOcs;
      System.out.printf(
          "kill test [%s%s]: bookings %d, kills survived %d (starts %d), messages at SMTP %d"
              + " (distinct Message-IDs %d), same-Message-ID duplicates %d,"
              + " two Message-IDs for one step %d, lost %d (steps %d, inbound %d, OCs %d),"
              + " inbound recorded %d, OCs filed %d, failed admin calls %d, %d s%n",
          label,
          LOOPS ? ", with loops" : "",
          bookings.size(),
          kills,
          starts,
          copies,
          distinct,
          sameIdDuplicates,
          twoIdsForOneStep,
          lost,
          lostSteps,
          lostInbound,
          lostOcs,
          delivered.size() - lostInbound,
          filed,
          failedCalls,
          took.toSeconds());
      problems.stream().limit(30).forEach(p -> System.out.println("  problem: " + p));
      assertThat(kills).isEqualTo(KILLS);
      assertThat(problems).as("problems").isEmpty();
      assertThat(twoIdsForOneStep).isZero();
      assertThat(lost).isZero();
      assertThat(filed).isEqualTo((int) bookings.stream().filter(b -> b.replyAfter() >= 0).count());
    }

    static void sleep(long ms) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
