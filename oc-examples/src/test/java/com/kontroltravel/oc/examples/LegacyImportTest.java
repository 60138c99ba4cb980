package com.kontroltravel.oc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.OutboxStatus;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.store.jdbc.JdbcStore;
import com.kontroltravel.oc.testkit.RecordingMailGateway;
import com.kontroltravel.oc.testkit.SettableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code import-legacy} on a database built with the old system's schema ({@code database.py} of
 * CuchoLeo/envia2, as SQLAlchemy creates it on SQLite), then the engine running over the result.
 */
class LegacyImportTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  // Thursday 2025-12-04 10:00 in Santiago: the import happens mid-chase.
  static final Instant NOW = ZonedDateTime.of(2025, 12, 4, 10, 0, 0, 0, ZONE).toInstant();

  /** The DDL SQLAlchemy emits for database.py's models on SQLite. */
  static final List<String> SCHEMA =
      List.of(
          """
          CREATE TABLE reservas (
            id INTEGER NOT NULL, id_reserva VARCHAR(50) NOT NULL, loc_interno VARCHAR(50) NOT NULL,
            localizador VARCHAR(50), agencia VARCHAR(200) NOT NULL, nombre_hotel VARCHAR(300),
            direccion_hotel TEXT, telefono_hotel VARCHAR(50), fecha_checkin DATETIME,
            fecha_checkout DATETIME, hora_llegada VARCHAR(20), hora_salida VARCHAR(20),
            numero_noches INTEGER, numero_habitaciones INTEGER, monto_total FLOAT NOT NULL,
            moneda VARCHAR(10), detalles_habitaciones TEXT, fecha_limite_cancelacion DATETIME,
            observaciones_hotel TEXT, notas_asesor TEXT,
            estado_oc VARCHAR(14) NOT NULL, requiere_oc BOOLEAN NOT NULL,
            fecha_creacion DATETIME NOT NULL, fecha_actualizacion DATETIME,
            fecha_emision VARCHAR(50), email_origen_id VARCHAR(200), email_origen_fecha DATETIME,
            pdf_filename VARCHAR(500), PRIMARY KEY (id))""",
          "CREATE UNIQUE INDEX ix_reservas_id_reserva ON reservas (id_reserva)",
          """
          CREATE TABLE correos_enviados (
            id INTEGER NOT NULL, reserva_id INTEGER NOT NULL, tipo_correo VARCHAR(18) NOT NULL,
            destinatario VARCHAR(200) NOT NULL, cc TEXT, asunto VARCHAR(500) NOT NULL,
            cuerpo_html TEXT, cuerpo_texto TEXT, estado VARCHAR(9) NOT NULL,
            fecha_programado DATETIME NOT NULL, fecha_enviado DATETIME, fecha_error DATETIME,
            mensaje_error TEXT, intentos INTEGER, max_intentos INTEGER,
            fecha_creacion DATETIME NOT NULL, PRIMARY KEY (id),
            FOREIGN KEY(reserva_id) REFERENCES reservas (id))""",
          """
          CREATE TABLE ordenes_compra (
            id INTEGER NOT NULL, reserva_id INTEGER NOT NULL, email_remitente VARCHAR(200) NOT NULL,
            email_asunto VARCHAR(500), email_fecha DATETIME NOT NULL, email_id VARCHAR(200),
            archivo_nombre VARCHAR(500), archivo_tamano INTEGER, archivo_ruta VARCHAR(1000),
            numero_oc VARCHAR(100), validada BOOLEAN, fecha_validacion DATETIME,
            validada_por VARCHAR(100), observaciones TEXT, fecha_creacion DATETIME NOT NULL,
            PRIMARY KEY (id), UNIQUE (reserva_id), FOREIGN KEY(reserva_id) REFERENCES reservas (id))""",
          """
          CREATE TABLE configuracion_clientes (
            id INTEGER NOT NULL, nombre_agencia VARCHAR(200) NOT NULL, email_contacto VARCHAR(200),
            telefono_contacto VARCHAR(50), requiere_oc BOOLEAN NOT NULL, activo BOOLEAN NOT NULL,
            dias_recordatorio_1 INTEGER, dias_recordatorio_2 INTEGER, notas TEXT,
            fecha_creacion DATETIME NOT NULL, fecha_actualizacion DATETIME, PRIMARY KEY (id))""",
          """
          CREATE TABLE log_sistema (
            id INTEGER NOT NULL, nivel VARCHAR(20) NOT NULL, modulo VARCHAR(100),
            mensaje TEXT NOT NULL, detalles TEXT, reserva_id INTEGER, usuario VARCHAR(100),
            fecha_creacion DATETIME NOT NULL, PRIMARY KEY (id))""");

  @TempDir Path dir;
  Path legacy;

  @BeforeEach
  void buildLegacyDatabase() throws Exception {
    legacy = dir.resolve("oc_seguimiento.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + legacy);
        Statement s = c.createStatement()) {
      for (String ddl : SCHEMA) {
        s.execute(ddl);
      }
      s.execute(
          "INSERT INTO configuracion_clientes (id, nombre_agencia, email_contacto, requiere_oc,"
              + " activo, dias_recordatorio_1, dias_recordatorio_2, fecha_creacion) VALUES"
              + " (1, 'WALVIS S.A.', 'oc@walvis.cl', 1, 1, 2, 4, '2025-11-01 12:00:00.000000'),"
              + " (2, 'CAJA 18', 'compras@caja18.cl', 1, 1, 2, 4, '2025-11-01 12:00:00'),"
              + " (3, 'ROCHE', NULL, 0, 1, 2, 4, '2025-11-01 12:00:00')");
      // SQLAlchemy stores Enum members by NAME; old rows may hold the values: both appear.
      reserva(c, 1, "1001", "WALVIS S.A.", "PENDIENTE", true, "2025-12-01 13:05:00.123456");
      reserva(c, 2, "1002", "WALVIS S.A.", "PENDIENTE", true, "2025-12-01 13:10:00");
      reserva(c, 3, "1003", "CAJA 18", "pendiente", true, "2025-12-03 15:00:00");
      reserva(c, 4, "1004", "CAJA 18", "RECIBIDA", true, "2025-11-28 14:00:00");
      reserva(c, 5, "1005", "ROCHE", "NO_REQUIERE_OC", false, "2025-12-01 14:00:00");
      reserva(c, 6, "1006", "WALVIS S.A.", "CANCELADA", true, "2025-11-20 14:00:00");
      reserva(c, 7, "1007", "WALVIS S.A.", "EXPIRADA", true, "2025-10-20 14:00:00");
      reserva(c, 8, "1008", "CAJA 18", "PENDIENTE", true, "2025-12-03 16:00:00");
      reserva(c, 9, "1009", "CAJA 18", "EN_LIMBO", true, "2025-12-03 16:00:00");
      // 1001: request sent; 1002: request and day-2 reminder sent; 1008: request failed (not sent).
      correo(c, 1, "SOLICITUD_INICIAL", "ENVIADO", "oc@walvis.cl", "2025-12-01 13:06:00");
      correo(c, 2, "SOLICITUD_INICIAL", "ENVIADO", "oc@walvis.cl", "2025-12-01 13:11:00");
      correo(c, 2, "recordatorio_dia_2", "enviado", "oc@walvis.cl", "2025-12-03 12:00:00");
      correo(c, 4, "SOLICITUD_INICIAL", "ENVIADO", "compras@caja18.cl", "2025-11-28 14:01:00");
      correo(c, 8, "SOLICITUD_INICIAL", "ERROR", "compras@caja18.cl", null);
      s.execute(
          "INSERT INTO ordenes_compra (id, reserva_id, email_remitente, email_fecha, numero_oc,"
              + " archivo_nombre, archivo_ruta, fecha_creacion) VALUES (1, 4, 'compras@caja18.cl',"
              + " '2025-11-29 15:00:00', '4500123456', 'OC 4500123456.pdf',"
              + " 'ordenes_compra/20251129_1004_oc.pdf', '2025-11-29 15:00:01')");
    }
    java.nio.file.Files.createDirectories(dir.resolve("ordenes_compra"));
    java.nio.file.Files.write(
        dir.resolve("ordenes_compra/20251129_1004_oc.pdf"),
        DemoPdfs.purchaseOrder(
            "CAJA 18", "4500123456", "1004", new java.math.BigDecimal("528701.00")));
    {
    }
  }

  private static void reserva(
      Connection c,
      int id,
      String idReserva,
      String agencia,
      String estado,
      boolean requiere,
      String created)
      throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO reservas (id, id_reserva, loc_interno, localizador, agencia, nombre_hotel,"
                + " fecha_checkin, fecha_checkout, numero_noches, numero_habitaciones, monto_total,"
                + " moneda, estado_oc, requiere_oc, fecha_creacion, fecha_emision,"
                + " email_origen_fecha) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      ps.setInt(1, id);
      ps.setString(2, idReserva);
      ps.setString(3, "LOC" + id);
      ps.setString(4, "72311" + id);
      ps.setString(5, agencia);
      ps.setString(6, "Hotel " + id);
      ps.setString(7, "2025-12-27 00:00:00.000000");
      ps.setString(8, "2025-12-29 00:00:00.000000");
      ps.setInt(9, 2);
      ps.setInt(10, 1);
      ps.setDouble(11, 528701.0);
      ps.setString(12, "CLP");
      ps.setString(13, estado);
      ps.setBoolean(14, requiere);
      ps.setString(15, created);
      ps.setString(16, "INMEDIATO");
      ps.setString(17, created);
      ps.executeUpdate();
    }
  }

  private static void correo(
      Connection c, int reserva, String tipo, String estado, String to, String sentAt)
      throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO correos_enviados (reserva_id, tipo_correo, destinatario, asunto, estado,"
                + " fecha_programado, fecha_enviado, intentos, max_intentos, fecha_creacion)"
                + " VALUES (?,?,?,?,?,?,?,1,3,?)")) {
      ps.setInt(1, reserva);
      ps.setString(2, tipo);
      ps.setString(3, to);
      ps.setString(4, "Solicitud de Orden de Compra - Reserva");
      ps.setString(5, estado);
      ps.setString(6, sentAt == null ? "2025-12-03 16:01:00" : sentAt);
      ps.setString(7, sentAt);
      ps.setString(8, sentAt == null ? "2025-12-03 16:01:00" : sentAt);
      ps.executeUpdate();
    }
  }

  @Test
  @DisplayName("import-legacy keeps states and sent mails; the engine then asks nobody twice")
  void importThenRun() throws Exception {
    Map<String, String> env =
        Map.of(
            "DATABASE_URL",
            "jdbc:sqlite:" + dir.resolve("new/oc.db"),
            "OC_MAILBOX_ADDRESS",
            "oc@kontroltravel.com");
    SettableClock clock = SettableClock.at(NOW, ZONE);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Runner.commandLine(new Runner(env, clock));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    assertThat(cl.execute("import-legacy", legacy.toString())).as("one bad row").isEqualTo(1);
    assertThat(out.toString())
        .contains(
            "agencies 3, bookings imported 8, already present 0, sent messages kept 4,"
                + " problems 1");
    assertThat(err.toString()).contains("1009").contains("unknown estado_oc");

    RecordingMailGateway gateway = RecordingMailGateway.create(clock);
    RunnerSettings settings = RunnerSettings.of(env);
    try (JdbcStore store = JdbcStore.create(settings.databaseUrl())) {
      OcEngine engine =
          OcApplication.assemble(settings, settings.ocConfig(null), store, gateway, clock).engine();
      Reservation r1 = engine.operations().reservation("1001").orElseThrow();
      assertThat(r1.state()).isEqualTo(TrackingState.REQUESTED);
      assertThat(r1.lastStep()).isEqualTo(Step.REQUEST);
      assertThat(r1.dayZero()).isEqualTo(LocalDate.of(2025, 12, 1));
      assertThat(engine.operations().reservation("1002").orElseThrow().state())
          .isEqualTo(TrackingState.REMINDER_1);
      assertThat(engine.operations().reservation("1003").orElseThrow().state())
          .isEqualTo(TrackingState.PENDING);
      Reservation r4 = engine.operations().reservation("1004").orElseThrow();
      assertThat(r4.state()).isEqualTo(TrackingState.RECEIVED);
      assertThat(r4.purchaseOrder().ocNumber()).isEqualTo("4500123456");
      assertThat(
              engine.operations().document(r4.purchaseOrder().documentId()).orElseThrow().content())
          .isEqualTo(
              java.nio.file.Files.readAllBytes(dir.resolve("ordenes_compra/20251129_1004_oc.pdf")));
      assertThat(engine.operations().reservation("1005").orElseThrow().state())
          .isEqualTo(TrackingState.NOT_REQUIRED);
      assertThat(engine.operations().reservation("1006").orElseThrow().state())
          .isEqualTo(TrackingState.CANCELLED);
      assertThat(engine.operations().reservation("1007").orElseThrow().state())
          .isEqualTo(TrackingState.EXPIRED);
      assertThat(engine.operations().reservation("1008").orElseThrow().state())
          .as("a failed legacy send is not a sent one")
          .isEqualTo(TrackingState.PENDING);
      List<OutboxMessage> rows = engine.operations().messages("1002");
      assertThat(rows)
          .extracting(OutboxMessage::step)
          .containsExactly(Step.REQUEST, Step.REMINDER_1);
      assertThat(rows).allMatch(m -> m.status() == OutboxStatus.SENT);
      assertThat(rows.get(0).messageId()).isEqualTo("oc.1002.request.0@kontroltravel.com");
      assertThat(engine.operations().agencies()).hasSize(3);

      // Run the engine over two weeks: every step is sent at most once per booking, and no
      // step the old system sent is sent again.
      for (int i = 0; i < 14 * 24; i++) {
        engine.tick();
        clock.advance(Duration.ofHours(1));
      }
      Map<String, List<Step>> legacySent =
          Map.of(
              "1001",
              List.of(Step.REQUEST),
              "1002",
              List.of(Step.REQUEST, Step.REMINDER_1),
              "1004",
              List.of(Step.REQUEST));
      for (OutboundMessage m : gateway.sent()) {
        String id = m.messageId().split("\\.")[1];
        String step = m.messageId().split("\\.")[2];
        assertThat(legacySent.getOrDefault(id, List.of()).stream().map(Step::token))
            .as("%s re-sent %s", id, step)
            .doesNotContain(step);
      }
      assertThat(gateway.sent().stream().map(OutboundMessage::messageId).distinct().count())
          .isEqualTo(gateway.sent().size());
      List<String> ids = gateway.sent().stream().map(OutboundMessage::messageId).toList();
      for (String expected :
          List.of("1003.request", "1008.request", "1001.reminder-1", "1002.reminder-3")) {
        assertThat(ids)
            .as("a step the old system had not sent: %s", expected)
            .anyMatch(
                x ->
                    x.matches(
                        "oc\\."
                            + expected.replace(".", "\\.")
                            + "\\.0\\.[a-z2-7]{16}@kontroltravel\\.com"));
      }
      assertThat(ids)
          .noneMatch(
              x ->
                  x.contains(".1004.")
                      || x.contains(".1005.")
                      || x.contains(".1006.")
                      || x.contains(".1007."));
      // The agencies keep the old cadence: request, reminder on day 2, ultimatum on day 4.
      assertThat(ids).noneMatch(x -> x.contains(".reminder-2."));
    }

    // A second import changes nothing.
    StringWriter again = new StringWriter();
    CommandLine cl2 = Runner.commandLine(new Runner(env, clock));
    cl2.setOut(new PrintWriter(again, true));
    cl2.setErr(new PrintWriter(new StringWriter(), true));
    cl2.execute("import-legacy", legacy.toString());
    assertThat(again.toString()).contains("bookings imported 0, already present 8");
  }

  @Test
  @DisplayName("a file that is not the old database is refused with a clear message")
  void refusesOtherFiles() throws Exception {
    Path other = dir.resolve("other.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE reservas (id INTEGER)");
    }
    StringWriter err = new StringWriter();
    CommandLine cl =
        Runner.commandLine(
            new Runner(
                Map.of("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("n.db")),
                SettableClock.at(NOW)));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));
    assertThat(cl.execute("import-legacy", other.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("table correos_enviados is missing");
    assertThat(cl.execute("import-legacy", dir.resolve("missing.db").toString())).isEqualTo(1);
    assertThat(err.toString()).contains("no such file");
  }
}
