package com.kontroltravel.oc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.testkit.SettableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The runner's commands, run in process against real files, a SQLite store and GreenMail. */
class CliTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl =
        Runner.commandLine(
            new Runner(env, SettableClock.at(Instant.parse("2025-12-01T13:00:00Z"))));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  Map<String, String> storeEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("oc.db"));
    env.put("OC_MAILBOX_ADDRESS", "oc@kontroltravel.test");
    return env;
  }

  @Test
  @DisplayName("every command answers --help")
  void helpEverywhere() {
    for (String[] cmd :
        new String[][] {
          {"--help"},
          {"demo", "--help"},
          {"run", "--help"},
          {"parse", "--help"},
          {"check-mail", "--help"},
          {"agencies", "import", "--help"},
          {"agencies", "list", "--help"},
          {"status", "--help"},
          {"list", "--help"},
          {"show", "--help"},
          {"mark-received", "--help"},
          {"cancel", "--help"},
          {"resend", "--help"},
          {"process-now", "--help"},
          {"import-legacy", "--help"}
        }) {
      Run r = run(Map.of(), cmd);
      assertThat(r.code()).as(String.join(" ", cmd)).isZero();
      assertThat(r.out()).as(String.join(" ", cmd)).contains("Usage:");
    }
  }

  @Test
  @DisplayName(
      "parse prints the documented JSON for one PDF, an array for several, problems for junk")
  void parse() throws Exception {
    Path a = dir.resolve("a.pdf");
    Files.write(
        a,
        DemoPdfs.confirmation(
            new DemoPdfs.Confirmation(
                "45215412",
                "AAFTTAT",
                "723113",
                "WALVIS S.A.",
                "Reservado",
                null,
                "Hampton by Hilton Santiago Las Condes",
                LocalDate.of(2025, 11, 27),
                2,
                2,
                new BigDecimal("528701.00"))));
    Run one = run(Map.of(), "parse", a.toString());
    assertThat(one.code()).as(one.out()).isZero();
    JsonNode j = Views.JSON.readTree(one.out());
    assertThat(j.get("reservationId").asText()).isEqualTo("45215412");
    assertThat(j.get("internalLocator").asText()).isEqualTo("AAFTTAT");
    assertThat(j.get("agencyName").asText()).isEqualTo("WALVIS S.A.");
    assertThat(j.get("issueDate").isNull()).isTrue();
    assertThat(j.get("checkIn").asText()).isEqualTo("2025-11-27");
    assertThat(j.get("checkOut").asText()).isEqualTo("2025-11-29");
    assertThat(j.get("totalAmount").asText()).isEqualTo("528701.00");
    assertThat(j.get("currency").asText()).isEqualTo("CLP");
    assertThat(j.get("problems").size()).isZero();

    Path junk = dir.resolve("junk.pdf");
    Files.writeString(junk, "not a pdf at all");
    Run two = run(Map.of(), "parse", a.toString(), junk.toString());
    assertThat(two.code()).isEqualTo(1);
    JsonNode arr = Views.JSON.readTree(two.out());
    assertThat(arr.isArray()).isTrue();
    assertThat(arr.size()).isEqualTo(2);
    assertThat(arr.get(0).get("reservationId").asText()).isEqualTo("45215412");
    assertThat(arr.get(1).get("reservationId").isNull()).isTrue();
    assertThat(arr.get(1).get("problems").size()).isPositive();

    Run missing = run(Map.of(), "parse", dir.resolve("nope.pdf").toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.out()).contains("cannot read file");
  }

  @Test
  @DisplayName(
      "agencies import reads the old NAME,email file with its sections, and the rich format")
  void agenciesImport() throws Exception {
    Path legacy = dir.resolve("emails_clientes.csv");
    Files.writeString(
        legacy,
        String.join(
            "\n",
            "# Plantilla para actualizar emails de contacto de clientes",
            "# Formato: NOMBRE_AGENCIA,email@ejemplo.com",
            "# ==================== CLIENTES QUE REQUIEREN OC (2) ====================",
            "WALVIS S.A.,contacto@walvis.com",
            "\"CAJA 18\",contacto@caja18.com",
            "#",
            "# ==================== CLIENTES QUE NO REQUIEREN OC (1) ====================",
            "ROCHE,contacto@roche.com",
            "BROKEN LINE WITHOUT EMAIL",
            "SPARTA,not-an-address",
            ""),
        StandardCharsets.UTF_8);
    Run r = run(storeEnv(), "agencies", "import", legacy.toString());
    assertThat(r.code()).as("two bad lines are reported").isEqualTo(1);
    assertThat(r.out()).contains("imported 3 agencies (legacy format), 2 line(s) skipped");
    assertThat(r.err()).contains("line 9").contains("line 10");

    Path rich = dir.resolve("agencies.csv");
    Files.writeString(
        rich,
        String.join(
            "\n",
            "name,emails,requires_oc,cc,aliases,schedule,locale",
            "Viajes Andes S.A.,oc@andes.cl;compras@andes.cl,yes,gerencia@andes.cl,VIAJES ANDES|ANDES,2/4,es-CL",
            "\"Tours, Inc.\",info@tours.com,no,,,,en",
            "Caja 18,nuevo@caja18.com,si,,,request@0;reminder-1@3;reminder-3@5,",
            ""));
    Run r2 = run(storeEnv(), "agencies", "import", rich.toString());
    assertThat(r2.code()).as(r2.err()).isZero();
    assertThat(r2.out()).contains("imported 3 agencies (rich format)");

    Run list = run(storeEnv(), "agencies", "list", "--json");
    JsonNode all = Views.JSON.readTree(list.out());
    Map<String, JsonNode> byName = new HashMap<>();
    all.forEach(a -> byName.put(a.get("name").asText(), a));
    assertThat(byName).containsKeys("WALVIS S.A.", "ROCHE", "Viajes Andes S.A.", "Tours, Inc.");
    assertThat(byName.get("WALVIS S.A.").get("requiresOc").asBoolean()).isTrue();
    assertThat(byName.get("ROCHE").get("requiresOc").asBoolean()).isFalse();
    assertThat(byName.get("Tours, Inc.").get("requiresOc").asBoolean()).isFalse();
    JsonNode andes = byName.get("Viajes Andes S.A.");
    assertThat(andes.get("contacts").toString()).contains("oc@andes.cl", "compras@andes.cl");
    assertThat(andes.get("aliases").toString()).contains("VIAJES ANDES");
    assertThat(andes.get("schedule").toString()).contains("reminder-1@2", "reminder-3@4");
    // "Caja 18" replaced "CAJA 18" (same agency after normalisation), keeping one row.
    JsonNode caja = byName.containsKey("Caja 18") ? byName.get("Caja 18") : byName.get("CAJA 18");
    assertThat(caja.get("contacts").toString()).contains("nuevo@caja18.com");
    assertThat(caja.get("schedule").toString()).contains("reminder-1@3");
    assertThat(all.size()).isEqualTo(5);
  }

  @Test
  @DisplayName(
      "the legacy CSV keeps an existing agency's OC setting when no section says otherwise")
  void legacyCsvKeepsExistingSettings() {
    Agency known = Agency.notRequiringOc("WALVIS S.A.");
    AgencyCsv.Result r =
        AgencyCsv.parse(
            "Walvis SA,nuevo@walvis.com\nNEW ONE,a@b.com\n",
            name ->
                known.matches(name) ? java.util.Optional.of(known) : java.util.Optional.empty());
    assertThat(r.problems()).isEmpty();
    assertThat(r.agencies()).hasSize(2);
    assertThat(r.agencies().get(0).name()).isEqualTo("WALVIS S.A.");
    assertThat(r.agencies().get(0).requiresOc()).isFalse();
    assertThat(r.agencies().get(0).contacts()).containsExactly("nuevo@walvis.com");
    assertThat(r.agencies().get(1).requiresOc()).isTrue();
  }

  @Test
  @DisplayName("check-mail says what works against GreenMail, and fails plainly on a closed port")
  void checkMail() {
    try (LoopbackMailServer mail = LoopbackMailServer.start("oc@kontroltravel.test")) {
      Run ok = run(mail.settings(), "check-mail", "--timeout", "5");
      assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
      assertThat(ok.out())
          .contains("[ok]   DNS")
          .contains("[ok]   TCP")
          .contains("[ok]   authentication: logged in as oc@kontroltravel.test")
          .contains("[ok]   folder: INBOX opened read-only")
          .contains("IDLE")
          .contains("RESULT: mail settings work")
          .doesNotContain("processed folder")
          .doesNotContain(mail.password());

      Map<String, String> moving = new HashMap<>(mail.settings());
      moving.put("IMAP_PROCESSED_FOLDER", "Procesados");
      Run move = run(moving, "check-mail", "--timeout", "5");
      assertThat(move.code()).as(move.out() + move.err()).isZero();
      assertThat(move.out())
          .contains(
              "[ok]   processed folder: Procesados does not exist yet (created at the first move);"
                  + " recorded mail is moved there (IMAP MOVE)");

      Map<String, String> wrong = new HashMap<>(mail.settings());
      wrong.put("IMAP_PASSWORD", "not-the-password");
      wrong.put("SMTP_PASSWORD", "not-the-password");
      Run bad = run(wrong, "check-mail", "--timeout", "5");
      assertThat(bad.code()).isEqualTo(1);
      assertThat(bad.out()).contains("[FAIL] authentication").doesNotContain("not-the-password");
    }
    int closed = LoopbackMailServer.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("IMAP_HOST", "127.0.0.1");
    env.put("IMAP_PORT", Integer.toString(closed));
    env.put("IMAP_USERNAME", "oc@kontroltravel.test");
    env.put("IMAP_PASSWORD", "x-password");
    env.put("SMTP_HOST", "127.0.0.1");
    env.put("SMTP_PORT", Integer.toString(closed));
    env.put("SMTP_FROM_EMAIL", "oc@kontroltravel.test");
    Run down = run(env, "check-mail", "--timeout", "3");
    assertThat(down.code()).isEqualTo(1);
    assertThat(down.out())
        .contains("[ok]   DNS")
        .contains("[FAIL] TCP: cannot connect to 127.0.0.1:" + closed)
        .contains("[skip] authentication")
        .contains("RESULT: some checks FAILED");

    Run unresolvable = run(Map.of("IMAP_HOST", "no-such-host.invalid"), "check-mail");
    assertThat(unresolvable.code()).as("invalid settings").isEqualTo(2);
    assertThat(unresolvable.err()).contains("IMAP_USERNAME is missing");
  }

  @Test
  @DisplayName("process-now reads the mailbox and sends what is due, once")
  void processNow() {
    try (LoopbackMailServer mail = LoopbackMailServer.start("oc@kontroltravel.test")) {
      Map<String, String> env = new HashMap<>(mail.settings());
      env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("p.db"));
      env.put("ALLOWED_CONFIRMATION_SENDERS", "reservas@booking.test");
      mail.send(
          "reservas@booking.test",
          "oc@kontroltravel.test",
          "Confirmación de reserva 45215412",
          "Adjunto",
          Instant.parse("2025-12-01T13:00:00Z"),
          null,
          "Resumen.pdf",
          DemoPdfs.confirmation(
              new DemoPdfs.Confirmation(
                  "45215412",
                  "AAFTTAT",
                  "723113",
                  "Agencia Nueva",
                  "Reservado",
                  null,
                  "Hotel",
                  LocalDate.of(2025, 12, 20),
                  1,
                  1,
                  new BigDecimal("1.00"))));
      Run r = run(env, "process-now", "--by", "ana");
      assertThat(r.code()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("received 1,");
      Run again = run(env, "process-now");
      assertThat(again.out()).contains("received 0,");
      assertThat(run(env, "list", "--attention").out()).contains("45215412");
    }
  }

  @Test
  @DisplayName("admin commands work on the configured store: status, list, show, cancel, resend")
  void adminCommands() throws Exception {
    Map<String, String> env = storeEnv();
    Path csv = dir.resolve("a.csv");
    Files.writeString(csv, "CAJA 18,oc@caja18.test\n");
    assertThat(run(env, "agencies", "import", csv.toString()).code()).isZero();
    try (OcApplication app =
        withoutMail(env, SettableClock.at(Instant.parse("2025-12-01T13:00:00Z")))) {
      app.engine()
          .track(
              com.kontroltravel.oc.model.ReservationDetails.builder("777")
                  .agencyName("Caja 18")
                  .hotelName("Hotel")
                  .build(),
              null);
    }
    Run status = run(env, "status");
    assertThat(status.out()).containsPattern("PENDIENTE\\s+1").containsPattern("TOTAL\\s+1");
    Run list = run(env, "list", "--state", "PENDIENTE");
    assertThat(list.out()).contains("777").contains("1 of 1 bookings");
    assertThat(run(env, "list", "--state", "RECIBIDA").out()).contains("0 of 0 bookings");
    Run show = run(env, "show", "777");
    assertThat(show.out()).contains("TRACKED").contains("Caja 18");
    assertThat(run(env, "show", "nope").code()).isEqualTo(1);
    Run resend = run(env, "resend", "777", "--step", "request", "--by", "ana");
    assertThat(resend.code()).as(resend.err()).isZero();
    assertThat(resend.out()).contains("oc.777.request.").contains("@kontroltravel.test");
    Run cancel = run(env, "cancel", "777", "--by", "ana", "--reason", "duplicate");
    assertThat(cancel.out()).contains("CANCELADA");
    assertThat(run(env, "show", "777", "--json").out()).contains("\"actor\" : \"ana\"");
    Run noMailbox =
        run(Map.of("DATABASE_URL", env.get("DATABASE_URL")), "cancel", "777", "--by", "x");
    assertThat(noMailbox.code()).isEqualTo(2);
    assertThat(noMailbox.err()).contains("mailbox address is missing");
    assertThat(run(env, "mark-received", "777", "--by", "ana").code()).isEqualTo(2);
    try (OcApplication app =
        withoutMail(env, SettableClock.at(Instant.parse("2025-12-01T13:00:00Z")))) {
      app.engine()
          .track(
              com.kontroltravel.oc.model.ReservationDetails.builder("778")
                  .agencyName("Caja 18")
                  .build(),
              null);
    }
    Path oc = dir.resolve("oc.pdf");
    byte[] ocPdf = DemoPdfs.purchaseOrder("CAJA 18", "4500123456", "778", new BigDecimal("10.00"));
    Files.write(oc, ocPdf);
    Run marked =
        run(
            env,
            "mark-received",
            "778",
            "--oc",
            "4500123456",
            "--file",
            oc.toString(),
            "--by",
            "ana");
    assertThat(marked.code()).as(marked.err()).isZero();
    assertThat(marked.out()).contains("RECIBIDA");
    JsonNode shown = Views.JSON.readTree(run(env, "show", "778", "--json").out());
    assertThat(shown.get("ocNumber").asText()).isEqualTo("4500123456");
    try (AdminSession admin =
        AdminSession.open(RunnerSettings.of(env), SettableClock.at(Instant.EPOCH), false)) {
      assertThat(
              admin
                  .operations()
                  .document(shown.get("ocDocumentId").asText())
                  .orElseThrow()
                  .content())
          .isEqualTo(ocPdf);
    }
    assertThat(List.of(run(env, "list", "--state", "BOGUS").code())).containsExactly(1);
  }

  /** The runner's wiring over the configured store, with a recording gateway (nothing sent). */
  private static OcApplication withoutMail(Map<String, String> env, java.time.Clock clock) {
    RunnerSettings settings = RunnerSettings.of(env);
    return OcApplication.assemble(
        settings,
        settings.ocConfig("oc@localhost.invalid"),
        settings.openStore(),
        com.kontroltravel.oc.testkit.RecordingMailGateway.create(clock),
        clock);
  }
}
