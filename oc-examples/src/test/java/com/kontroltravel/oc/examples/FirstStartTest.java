package com.kontroltravel.oc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.model.InboundOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A first start on a mailbox with history (issue 14): 5,000 confirmations older than the runner's
 * default first-start window (30 days) and 10 new ones, in a real IMAP mailbox (GreenMail), read by
 * the runner's own wiring: the 10 are tracked, the 5,000 are skipped in one summary line.
 */
class FirstStartTest {
  static final String MAILBOX = "oc@kontroltravel.test";
  static final String BOOKING_SYSTEM = "reservas@booking.test";
  static final int OLD = 5_000;
  static final int NEW = 10;

  @TempDir Path dir;

  @Test
  @DisplayName(
      "a first start on 5,000 old confirmations and 10 new tracks the 10 and logs one skip summary")
  void firstStartOnAFullMailbox() throws Exception {
    Logger intake = (Logger) LoggerFactory.getLogger("com.kontroltravel.oc.Intake");
    Level before = intake.getLevel();
    intake.setLevel(Level.INFO);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    intake.addAppender(lines);
    try (LoopbackMailServer mail = LoopbackMailServer.start(MAILBOX)) {
      Instant now = Instant.now();
      byte[] oldPdf =
          DemoPdfs.confirmation(RunEndToEndTest.booking("41000000", LocalDate.of(2024, 3, 1)));
      for (int i = 0; i < OLD; i++) {
        mail.preload(
            BOOKING_SYSTEM,
            "Confirmación de reserva " + (41_000_000 + i),
            now.minus(Duration.ofDays(40 + i % 700)),
            "Resumen.pdf",
            oldPdf);
      }
      for (int i = 0; i < NEW; i++) {
        String id = Integer.toString(45_300_000 + i);
        mail.preload(
            BOOKING_SYSTEM,
            "Confirmación de reserva " + id,
            now.minus(Duration.ofHours(1 + i)),
            "Resumen_" + id + ".pdf",
            DemoPdfs.confirmation(RunEndToEndTest.booking(id, LocalDate.now())));
      }
      Map<String, String> env = new HashMap<>(mail.settings());
      env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("oc.db"));
      env.put("ALLOWED_CONFIRMATION_SENDERS", BOOKING_SYSTEM);
      Path csv = dir.resolve("agencies.csv");
      Files.writeString(csv, "VIAJES ANDES S.A.,compras@andes.test\n");
      RunnerSettings settings = RunnerSettings.load(null, env);
      picocli.CommandLine cli = Runner.commandLine(new Runner(env, Clock.systemUTC()));
      cli.setOut(new java.io.PrintWriter(new java.io.StringWriter()));
      assertThat(cli.execute("agencies", "import", csv.toString())).isZero();
      try (OcApplication app = OcApplication.open(settings, Clock.systemUTC())) {
        OcEngine engine = app.engine();
        long started = System.nanoTime();
        engine.tick();
        long took = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("first start over %d messages took %d ms%n", OLD + NEW, took);
        assertThat(engine.operations().statistics().total()).isEqualTo(NEW);
        assertThat(engine.operations().inbound(InboundOutcome.CONFIRMATION, null, 100))
            .hasSize(NEW);
        assertThat(engine.operations().inbound(null, null, 1000)).hasSize(NEW);
        for (int i = 0; i < NEW; i++) {
          assertThat(engine.operations().reservation(Integer.toString(45_300_000 + i))).isPresent();
        }
        engine.tick();
        assertThat(engine.operations().statistics().total()).isEqualTo(NEW);
      }
    } finally {
      intake.detachAppender(lines);
      intake.setLevel(before);
    }
    assertThat(lines.list)
        .filteredOn(e -> e.getFormattedMessage().contains("first read of mailbox"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getFormattedMessage())
                    .contains("skipped " + OLD + " message(s)")
                    .contains("processed " + NEW + " newer one(s)")
                    .contains("last 30 days"));
  }
}
