package com.kontroltravel.oc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.testkit.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} as a real process with its own loops and the system clock: it picks up a confirmation
 * from GreenMail by itself, serves the admin API, and on SIGTERM shuts down cleanly without logging
 * a secret.
 */
class RunProcessTest {
  @TempDir Path dir;

  @Test
  @DisplayName("run reads the mailbox by itself, serves the API and stops cleanly on SIGTERM")
  void runAsAProcess() throws Exception {
    String password = "process-admin-password-77";
    try (LoopbackMailServer mail = LoopbackMailServer.start("oc@kontroltravel.test")) {
      int webPort = LoopbackMailServer.freePort();
      Path log = dir.resolve("run.log");
      ProcessBuilder pb =
          new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp",
              System.getProperty("java.class.path"),
              Runner.class.getName(),
              "run");
      Map<String, String> env = pb.environment();
      // Only this test's settings: the runner refuses unknown OC_ variables, and the build's own
      // (OC_TEST_PG_URL, OC_TEST_TIMEOUT_FACTOR) would otherwise be inherited.
      env.keySet().removeIf(k -> RunnerSettings.KNOWN.contains(k) || k.startsWith("OC_"));
      env.putAll(mail.settings());
      env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("oc.db"));
      env.put("ALLOWED_CONFIRMATION_SENDERS", "reservas@booking.test");
      env.put("ADMIN_USERNAME", "ops");
      env.put("ADMIN_PASSWORD", password);
      env.put("WEB_PORT", Integer.toString(webPort));
      env.put("IMAP_CHECK_INTERVAL", "10");
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      Process p = pb.start();
      try {
        Await.await(
            "the runner started",
            () -> {
              String text = read(log);
              if (!text.contains("oc-runner is running")) {
                assertThat(p.isAlive()).as(text).isTrue(); // a runner that died fails at once
              }
              return text;
            },
            text -> text.contains("oc-runner is running"),
            Duration.ofSeconds(60));
        Http http = new Http(webPort, "ops", password);
        assertThat(http.get("/api/stats").statusCode()).isEqualTo(200);

        mail.send(
            "reservas@booking.test",
            "oc@kontroltravel.test",
            "Confirmación de reserva 45215412",
            "Adjunto",
            Instant.now(),
            null,
            "Resumen.pdf",
            DemoPdfs.confirmation(
                new DemoPdfs.Confirmation(
                    "45215412",
                    "AAFTTAT",
                    "723113",
                    "Agencia Nueva",
                    "Reservado",
                    LocalDate.now(),
                    "Hotel Magnolia",
                    LocalDate.now().plusDays(30),
                    2,
                    1,
                    new BigDecimal("100000.00"))));
        HttpResponse<String> r =
            Await.await(
                "booking 45215412 known to the API",
                () -> http.get("/api/reservations/45215412"),
                x -> x.statusCode() != 404,
                Duration.ofSeconds(40));
        assertThat(r.statusCode()).as("tracked by the running loops").isEqualTo(200);
        assertThat(Views.JSON.readTree(r.body()).get("agency").asText()).isEqualTo("Agencia Nueva");
      } finally {
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(40, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(output).isIn(0, 143);
      assertThat(output)
          .contains("shutting down")
          .contains("IMAP_PASSWORD=****")
          .doesNotContain(password)
          .doesNotContain(mail.password());
      List<String> lines = new ArrayList<>();
      try (BufferedReader in = Files.newBufferedReader(log)) {
        in.lines().filter(l -> l.contains("stopped")).forEach(lines::add);
      }
      assertThat(lines).isNotEmpty();
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
