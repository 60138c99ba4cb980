package com.kontroltravel.oc.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.examples.AdminServer;
import com.kontroltravel.oc.examples.DemoPdfs;
import com.kontroltravel.oc.examples.Http;
import com.kontroltravel.oc.examples.OcApplication;
import com.kontroltravel.oc.examples.RunnerSettings;
import com.kontroltravel.oc.mail.jakarta.JakartaMailGateway;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.spi.Store;
import com.kontroltravel.oc.testkit.Await;
import com.kontroltravel.oc.testkit.SettableClock;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's wiring (JDBC store, Jakarta Mail gateway, PDFBox parser, engine loops, admin server)
 * runs on its own while the mail server becomes unreachable and the database drops its connections
 * (PostgreSQL: connections terminated and refused for the outage). The admin health endpoint
 * reports DEGRADED (503) during the outage, the loops back off, recover by themselves, and the end
 * state equals that of the same run without the outage.
 */
class OutageTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  static final String MAILBOX = "oc@kontroltravel.test";
  static final String BOOKING_SYSTEM = "reservas@booking.test";
  static final String AGENCY = "Viajes Andes S.A.";
  static final String AGENCY_MAIL = "oc@andes.test";
  static final List<String> IDS =
      List.of("46100001", "46100002", "46100003", "46100004", "46100005", "46100006", "46100007");
  static final String LATE = "46100007";
  static final Pattern BACKOFF =
      Pattern.compile("loop (oc-[a-z-]+) failed, retrying in (PT[0-9.]+S): (\\S+)");

  @TempDir Path dir;

  /** What a run leaves: per booking its state, OC and the steps sent (one Message-ID each). */
  record EndState(Map<String, String> bookings) {}

  @Test
  @DisplayName(
      "mail and database outage: degraded, backs off, recovers by itself, same end state as without")
  void outage() throws Exception {
    EndState without = run("jdbc:sqlite:" + dir.resolve("base/oc.db"), null, false);
    EndState sqlite = run("jdbc:sqlite:" + dir.resolve("hit/oc.db"), null, true);
    assertThat(sqlite).as("SQLite, mail outage").isEqualTo(without);
    System.out.println("outage [sqlite]: end state equals the run without outage: " + sqlite);
    if (ItPostgres.adminUrl() == null) {
      System.err.println(
          "OutageTest: OC_TEST_PG_URL is not set; SKIPPING the PostgreSQL database outage");
      return;
    }
    String hit = ItPostgres.createDatabase("oc_outage", null);
    try {
      EndState pg = run(ItPostgres.urlOf(hit), hit, true);
      assertThat(pg).as("PostgreSQL, mail and database outage").isEqualTo(without);
      System.out.println("outage [postgresql]: end state equals the run without outage: " + pg);
    } finally {
      ItPostgres.dropDatabase(hit);
    }
  }

  EndState run(String databaseUrl, String pgDatabase, boolean outage) throws Exception {
    SettableClock clock =
        SettableClock.at(ZonedDateTime.of(2025, 12, 1, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
    PrintStream oldErr = System.err;
    SecretsTest.Tee errTee = new SecretsTest.Tee(oldErr);
    System.setErr(new PrintStream(errTee, true, StandardCharsets.UTF_8));
    String adminPassword = "outage-admin-" + System.nanoTime();
    try (ItMail mail = ItMail.start(MAILBOX);
        LinkProxy imap = new LinkProxy(mail.imapPort);
        LinkProxy smtp = new LinkProxy(mail.smtpPort)) {
      Map<String, String> env = new HashMap<>(mail.env(imap.port(), smtp.port()));
      env.put("DATABASE_URL", databaseUrl);
      env.put("ALLOWED_CONFIRMATION_SENDERS", BOOKING_SYSTEM);
      RunnerSettings settings = RunnerSettings.of(env);
      OcConfig config =
          settings.ocConfig(null).toBuilder()
              .pollInterval(Duration.ofSeconds(4))
              .leaseDuration(Duration.ofMinutes(2))
              .nodeId(outage ? "outage" : "baseline")
              .build();
      Store store = settings.openStore();
      JakartaMailGateway gateway =
          JakartaMailGateway.create(
              settings.mailSettings().toBuilder()
                  .timeouts(Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofSeconds(10))
                  .build());
      OcApplication app = OcApplication.assemble(settings, config, store, gateway, clock);
      OcEngine engine = app.engine();
      engine.operations().putAgency(Agency.requiringOc(AGENCY, AGENCY_MAIL), "setup");
      AdminServer admin = AdminServer.start(engine, "127.0.0.1", 0, "ops", adminPassword);
      Http anonymous = new Http(admin.port(), null, null);
      // Time passes by itself: one simulated minute every 250 ms (the sleep is the clock's pace,
      // not a wait for something).
      Thread ticker =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  try {
                    Thread.sleep(250);
                  } catch (InterruptedException e) {
                    return;
                  }
                  clock.advance(Duration.ofMinutes(1));
                }
              },
              "ticker");
      ticker.setDaemon(true);
      try {
        engine.start();
        ticker.start();
        for (String id : IDS.subList(0, 6)) {
          mail.deliverRaw(BOOKING_SYSTEM, confirmation(mail, clock, id));
        }
        await("the six requests", 60, () -> count(mail, ".request.") == 6);
        // The agency answers two bookings at once (before any outage: the end state must not
        // depend on whether a reply or a reminder wins a race).
        for (String id : IDS.subList(0, 2)) {
          mail.deliverRaw(AGENCY_MAIL, reply(mail, clock, id));
        }
        // Set-up, not recovery: have the service take them in and acknowledge them now.
        new Http(admin.port(), "ops", adminPassword).api("/api/process-now", "{}");
        await("two acknowledgements", 90, () -> count(mail, ".acknowledgement.") == 2);
        assertThat(anonymous.get("/api/health").statusCode()).isEqualTo(200);

        List<String> degradedBodies = new ArrayList<>();
        if (outage) {
          imap.cut();
          smtp.cut();
          if (pgDatabase != null) {
            refuseConnections(pgDatabase, true);
            assertThat(ItPostgres.terminateConnectionsFromAdmin(pgDatabase))
                .as("engine connections dropped")
                .isPositive();
          }
        }
        // A new confirmation arrives and business day 2 comes (reminder 1 due for four bookings).
        mail.deliverRaw(BOOKING_SYSTEM, confirmation(mail, clock, LATE));
        clock.set(ZonedDateTime.of(2025, 12, 3, 10, 0, 0, 0, ZONE).toInstant());
        if (outage) {
          await(
              "health DEGRADED during the outage",
              30,
              () -> {
                HttpResponse<String> h = anonymous.get("/api/health");
                if (h.statusCode() == 503) {
                  degradedBodies.add(h.body());
                  return true;
                }
                return false;
              });
          // On purpose, not a wait for a condition: the outage lasts this long while the test then
          // checks that health stays DEGRADED and nothing is sent. PostgreSQL: long enough for the
          // pool's 30 s connection timeout to turn the refused connections into store failures the
          // loops see.
          Thread.sleep(pgDatabase == null ? 8_000 : 40_000);
          HttpResponse<String> still = anonymous.get("/api/health");
          assertThat(still.statusCode()).as("still degraded: " + still.body()).isEqualTo(503);
          degradedBodies.add(still.body());
          assertThat(count(mail, ".reminder-1.") + count(mail, "." + LATE + ".request."))
              .as("nothing can be sent during the outage")
              .isZero();
          if (pgDatabase != null) {
            refuseConnections(pgDatabase, false);
          }
          imap.restore();
          smtp.restore();
        }
        try {
          await(
              "reminders and acknowledgements after recovery",
              120,
              () -> count(mail, ".reminder-1.") == 4 && count(mail, "." + LATE + ".request.") == 1);
        } catch (AssertionError e) {
          System.out.println("clock " + clock.instant() + ", health " + engine.health());
          for (String id : IDS) {
            Reservation r = engine.operations().reservation(id).orElseThrow();
            System.out.println(
                "  "
                    + id
                    + " "
                    + r.state()
                    + " next "
                    + r.nextActionAt()
                    + " "
                    + r.attentionReason()
                    + " messages "
                    + engine.operations().messages(id).stream()
                        .map(
                            x ->
                                x.step()
                                    + ":"
                                    + x.status()
                                    + ":"
                                    + x.nextAttemptAt()
                                    + ":"
                                    + x.lastError())
                        .toList());
          }
          mail.inboxOf(AGENCY_MAIL)
              .forEach(m -> System.out.println("  sent " + ItMail.messageId(m)));
          throw e;
        }
        await("health UP again", 60, () -> anonymous.get("/api/health").statusCode() == 200);
        if (outage) {
          String log = errTee.text();
          Matcher m = BACKOFF.matcher(log);
          Set<String> inboundBackoffs = new TreeSet<>();
          Set<String> failures = new TreeSet<>();
          int inboundFailures = 0;
          while (m.find()) {
            failures.add(m.group(1) + " " + m.group(3));
            if (m.group(1).equals("oc-inbound")) {
              inboundBackoffs.add(m.group(2));
              inboundFailures++;
            }
          }
          System.out.printf(
              "outage [%s]: health during outage %s; inbound loop failed %d times, backoffs %s;"
                  + " loop failures %s%n",
              pgDatabase == null ? "sqlite" : "postgresql",
              degradedBodies,
              inboundFailures,
              inboundBackoffs,
              failures);
          assertThat(degradedBodies.get(0)).contains("mailbox");
          assertThat(inboundBackoffs)
              .as("the inbound loop backs off")
              .hasSizeGreaterThanOrEqualTo(2);
          assertThat(inboundFailures).as("bounded retries during the outage").isBetween(2, 40);
          if (pgDatabase != null) {
            assertThat(failures.toString())
                .as("a loop saw the database fail")
                .containsIgnoringCase("store");
          }
        }
        return endState(engine, mail);
      } finally {
        ticker.interrupt();
        admin.close();
        app.close();
      }
    } finally {
      System.setErr(oldErr);
    }
  }

  static byte[] confirmation(ItMail mail, SettableClock clock, String id) {
    byte[] pdf = HostilePdfs.confirmation(id, AGENCY);
    return mail.message(
        "conf-" + id + "@booking.test",
        BOOKING_SYSTEM,
        "Confirmación de reserva " + id,
        "Adjunto",
        clock.instant(),
        null,
        Map.of(),
        List.of(ItMail.Attachment.pdf("Resumen_" + id + ".pdf", pdf)));
  }

  static byte[] reply(ItMail mail, SettableClock clock, String id) {
    return mail.message(
        "oc-" + id + "@andes.test",
        AGENCY_MAIL,
        "RE: Solicitud de Orden de Compra - Reserva #" + id,
        "Adjuntamos la OC",
        clock.instant(),
        "oc." + id + ".request.0@kontroltravel.test",
        Map.of(),
        List.of(
            ItMail.Attachment.pdf(
                "OC.pdf",
                DemoPdfs.purchaseOrder(AGENCY, "45" + id, id, new BigDecimal("528701.00")))));
  }

  static long count(ItMail mail, String stepPart) {
    return mail.inboxOf(AGENCY_MAIL).stream()
        .map(ItMail::messageId)
        .filter(id -> id.contains(stepPart))
        .distinct()
        .count();
  }

  static EndState endState(OcEngine engine, ItMail mail) {
    Map<String, TreeMap<String, Integer>> steps = new TreeMap<>();
    for (MimeMessage m : mail.inboxOf(AGENCY_MAIL)) {
      String id = ItMail.messageId(m);
      String[] p = id.substring(0, id.indexOf('@')).split("\\.");
      steps.computeIfAbsent(p[1], k -> new TreeMap<>()).merge(p[2], 0, Integer::sum);
    }
    // Distinct Message-IDs per step: more than one would be a step sent twice.
    Map<String, Set<String>> idsPerStep = new HashMap<>();
    for (MimeMessage m : mail.inboxOf(AGENCY_MAIL)) {
      String id = ItMail.messageId(m);
      String key = id.substring(0, id.lastIndexOf('.'));
      idsPerStep.computeIfAbsent(key, k -> new TreeSet<>()).add(id);
    }
    idsPerStep.forEach((k, v) -> assertThat(v).as("Message-IDs of %s", k).hasSize(1));
    Map<String, String> out = new TreeMap<>();
    for (String id : IDS) {
      Reservation r = engine.operations().reservation(id).orElseThrow();
      out.put(
          id,
          r.state()
              + " oc="
              + (r.purchaseOrder() == null ? "-" : r.purchaseOrder().ocNumber())
              + " steps="
              + steps.getOrDefault(id, new TreeMap<>()).keySet());
    }
    return new EndState(out);
  }

  /**
   * {@link Await#await} for {@code seconds}, reading a condition that throws as "not yet" (a call
   * may fail while the service recovers); the last failure is shown if the time runs out.
   */
  static void await(String what, int seconds, BooleanSupplier condition) {
    Await.await(
        what,
        () -> {
          try {
            return condition.getAsBoolean() ? "met" : "not yet";
          } catch (RuntimeException e) {
            return "not yet: " + e;
          }
        },
        "met"::equals,
        Duration.ofSeconds(seconds));
  }

  /** PostgreSQL: refuse (or allow again) new connections to the database. */
  static void refuseConnections(String database, boolean refuse) throws Exception {
    try (Connection c = DriverManager.getConnection(ItPostgres.adminUrl());
        Statement s = c.createStatement()) {
      s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS " + !refuse);
    }
  }
}
