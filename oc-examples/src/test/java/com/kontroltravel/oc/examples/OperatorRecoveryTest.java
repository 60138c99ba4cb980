package com.kontroltravel.oc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.mail.jakarta.JakartaMailGateway;
import com.kontroltravel.oc.model.ParseResult;
import com.kontroltravel.oc.model.PurchaseOrderInfo;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.pdf.pdfbox.PdfBoxReservationParser;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.spi.ReservationParser;
import com.kontroltravel.oc.spi.Store;
import com.kontroltravel.oc.testkit.SettableClock;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 13's acceptance against a real IMAP/SMTP server (GreenMail on loopback), the real PDFBox
 * parser, a SQLite file and the runner's CLI on the same file: a confirmation whose first reading
 * times out is tracked on the retry with exactly one request and its redelivery changes nothing;
 * quarantined and ignored messages are listed, inspected and reprocessed from the CLI; review
 * assign and dismiss work from the CLI.
 */
class OperatorRecoveryTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  static final String MAILBOX = "oc@kontroltravel.test";
  static final String BOOKING_SYSTEM = "reservas@booking.test";
  static final String NEW_SYSTEM = "reservas@nuevo-sistema.test";
  static final String AGENCY = "compras@andes.test";
  static final String STRANGER = "someone@elsewhere.test";

  @TempDir Path dir;

  /**
   * The real parser whose first reading genuinely runs out of time (a one-nanosecond limit, the
   * path a CPU-starved machine takes), and reads normally after that.
   */
  static final class FirstReadingTimesOut implements ReservationParser {
    final ReservationParser real = PdfBoxReservationParser.create();
    final ReservationParser starved =
        PdfBoxReservationParser.builder().timeout(Duration.ofNanos(1)).build();
    final AtomicInteger timeOuts = new AtomicInteger(1);

    @Override
    public ParseResult parse(byte[] document) {
      return timeOuts.getAndDecrement() > 0 ? starved.parse(document) : real.parse(document);
    }

    @Override
    public PurchaseOrderInfo readPurchaseOrder(byte[] document) {
      return real.readPurchaseOrder(document);
    }
  }

  final class Cli {
    final Map<String, String> env;
    final SettableClock clock;

    Cli(Map<String, String> env, SettableClock clock) {
      this.env = env;
      this.clock = clock;
    }

    String run(int expectedRc, String... args) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cl = Runner.commandLine(new Runner(env, clock));
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      int rc = cl.execute(args);
      assertThat(rc).as("%s: %s%s", String.join(" ", args), out, err).isEqualTo(expectedRc);
      return out.toString();
    }

    JsonNode json(String... args) throws Exception {
      return Views.JSON.readTree(run(0, args));
    }
  }

  static String key(JsonNode list, String outcome) {
    for (JsonNode n : list) {
      if (n.path("outcome").asText().equals(outcome)) {
        return n.path("key").asText();
      }
    }
    throw new AssertionError("no " + outcome + " in " + list);
  }

  @Test
  @DisplayName(
      "time-out retried to exactly one request, redelivery ignored; quarantined listed, inspected"
          + " and reprocessed; review assigned and dismissed, all from the CLI over real mail")
  void operatorsRecoverEverything() throws Exception {
    Instant monday = ZonedDateTime.of(2025, 12, 1, 10, 0, 0, 0, ZONE).toInstant();
    SettableClock clock = SettableClock.at(monday, ZONE);
    try (LoopbackMailServer mail = LoopbackMailServer.start(MAILBOX)) {
      Map<String, String> env = new HashMap<>(mail.settings());
      env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("oc.db"));
      env.put("ALLOWED_CONFIRMATION_SENDERS", BOOKING_SYSTEM);
      env.put("IMAP_START_FROM", "all");
      Path csv = dir.resolve("agencies.csv");
      Files.writeString(csv, "VIAJES ANDES S.A.," + AGENCY + "\n");
      Cli cli = new Cli(env, clock);
      cli.run(0, "agencies", "import", csv.toString());

      RunnerSettings settings = RunnerSettings.load(null, env);
      FirstReadingTimesOut parser = new FirstReadingTimesOut();
      try (Store store = settings.openStore();
          MailGateway gateway = JakartaMailGateway.create(settings.mailSettings());
          OcEngine engine =
              OcEngine.builder()
                  .config(settings.ocConfig(MAILBOX))
                  .store(store)
                  .mailGateway(gateway)
                  .reservationParser(parser)
                  .clock(clock)
                  .build()) {
        // 1. The first reading times out: RETRYING, nothing tracked, nothing sent.
        byte[] pdf =
            DemoPdfs.confirmation(RunEndToEndTest.booking("45215412", LocalDate.of(2025, 12, 1)));
        String firstId = "confirmation-45215412@booking.test";
        mail.send(
            BOOKING_SYSTEM,
            MAILBOX,
            "Confirmación de reserva 45215412",
            "Adjunto",
            clock.instant(),
            null,
            "Resumen_45215412.pdf",
            pdf,
            firstId);
        engine.tick();
        JsonNode retrying = cli.json("inbound", "--outcome", "RETRYING", "--json");
        assertThat(retrying).hasSize(1);
        assertThat(retrying.get(0).path("attempts").asInt()).isEqualTo(1);
        assertThat(retrying.get(0).path("reason").asText()).contains("longer than the limit");
        assertThat(engine.operations().reservation("45215412")).isEmpty();

        // 2. On the retry (after the backoff) it is tracked, with exactly one request.
        clock.advance(Duration.ofMinutes(2));
        engine.tick();
        engine.tick();
        assertThat(engine.operations().reservation("45215412").orElseThrow().state())
            .isEqualTo(TrackingState.REQUESTED);
        List<MimeMessage> requests = requestsFor(mail, "45215412");
        assertThat(requests).hasSize(1);
        JsonNode log = cli.json("inbound", "--json");
        assertThat(log).hasSize(1);
        assertThat(log.get(0).path("outcome").asText()).isEqualTo("CONFIRMATION");
        assertThat(log.get(0).path("attempts").asInt()).isEqualTo(2);

        // 3. The booking system delivers the same message again: no second booking, no request.
        mail.send(
            BOOKING_SYSTEM,
            MAILBOX,
            "Confirmación de reserva 45215412",
            "Adjunto",
            clock.instant(),
            null,
            "Resumen_45215412.pdf",
            pdf,
            firstId);
        engine.tick();
        clock.advance(Duration.ofMinutes(10));
        engine.tick();
        assertThat(requestsFor(mail, "45215412")).hasSize(1);
        assertThat(engine.operations().statistics().total()).isEqualTo(1);

        // 4. A damaged PDF is quarantined at once; listed, inspected and reprocessed from the CLI.
        mail.send(
            BOOKING_SYSTEM,
            MAILBOX,
            "Confirmación de reserva 45215499",
            "Adjunto",
            clock.instant(),
            null,
            "Resumen_45215499.pdf",
            "%PDF-1.4 truncated".getBytes(StandardCharsets.US_ASCII));
        // 5. A confirmation from a booking system not yet allowed is ignored.
        byte[] pdf2 =
            DemoPdfs.confirmation(RunEndToEndTest.booking("45215449", LocalDate.of(2025, 12, 1)));
        mail.send(
            NEW_SYSTEM,
            MAILBOX,
            "Confirmación de reserva 45215449",
            "Adjunto",
            clock.instant(),
            null,
            "Resumen_45215449.pdf",
            pdf2);
        engine.tick();
        JsonNode quarantined = cli.json("inbound", "--outcome", "QUARANTINED", "--json");
        assertThat(quarantined).hasSize(1);
        String qKey = quarantined.get(0).path("key").asText();
        String shown = cli.run(0, "inbound-show", qKey);
        assertThat(shown)
            .contains("QUARANTINED")
            .contains("Confirmación de reserva 45215499")
            .contains("Resumen_45215499.pdf")
            .contains("canReprocess     true");
        String again = cli.run(0, "reprocess", qKey, "--by", "ana");
        assertThat(again)
            .startsWith("QUARANTINED")
            .contains("reprocessed by ana")
            .contains("before: QUARANTINED");

        String ignoredKey = key(cli.json("inbound", "--outcome", "IGNORED", "--json"), "IGNORED");
        // The operator allows the new system and reprocesses its message: now a confirmation.
        env.put("ALLOWED_CONFIRMATION_SENDERS", BOOKING_SYSTEM + "," + NEW_SYSTEM);
        String reprocessed = cli.run(0, "reprocess", ignoredKey, "--by", "ana");
        assertThat(reprocessed).startsWith("CONFIRMATION").contains("before: IGNORED");
        engine.tick();
        assertThat(engine.operations().reservation("45215449").orElseThrow().state())
            .isEqualTo(TrackingState.REQUESTED);
        assertThat(requestsFor(mail, "45215449")).hasSize(1);

        // 6. Review: a stranger's OCs; one dismissed, one assigned, from the CLI.
        byte[] oc =
            DemoPdfs.purchaseOrder(
                "VIAJES ANDES S.A.",
                "4500123456",
                "45215412",
                new java.math.BigDecimal("528701.00"));
        mail.send(
            STRANGER,
            MAILBOX,
            "Orden de compra reserva 45215412",
            "Adjunto OC",
            clock.instant(),
            null,
            "OC.pdf",
            oc);
        mail.send(
            STRANGER,
            MAILBOX,
            "OC reserva 45215412 (copia)",
            "Adjunto OC",
            clock.instant(),
            null,
            "OC2.pdf",
            oc);
        engine.tick();
        JsonNode review = cli.json("review", "list", "--json");
        assertThat(review).hasSize(2);
        String dismissKey = review.get(0).path("key").asText();
        String assignKey = review.get(1).path("key").asText();
        assertThat(
                cli.run(0, "review", "dismiss", dismissKey, "--by", "ana", "--reason", "duplicate"))
            .startsWith("IGNORED")
            .contains("dismissed from review by ana: duplicate");
        assertThat(
                cli.run(0, "review", "assign", assignKey, "--booking", "45215412", "--by", "ana"))
            .contains("booking 45215412 is now");
        assertThat(cli.json("review", "list", "--json")).isEmpty();
        assertThat(engine.operations().reservation("45215412").orElseThrow().state())
            .isEqualTo(TrackingState.RECEIVED);
        assertThat(cli.run(1, "review", "dismiss", dismissKey, "--by", "ana")).isEmpty();

        // Pause, resume and search from the CLI.
        assertThat(cli.run(0, "pause", "45215449", "--by", "ana")).contains("paused");
        assertThat(engine.operations().reservation("45215449").orElseThrow().paused()).isTrue();
        assertThat(cli.run(0, "resume", "45215449", "--by", "ana")).contains("resumed");
        assertThat(cli.run(0, "search", "AAFT449")).contains("45215449");
        assertThat(cli.run(1, "search", "nothing-like-it")).contains("0 booking(s)");
      }
    }
  }

  static List<MimeMessage> requestsFor(LoopbackMailServer mail, String id) {
    return mail.outbound().stream()
        .filter(m -> LoopbackMailServer.messageId(m).startsWith("oc." + id + ".request."))
        .toList();
  }
}
