package com.kontroltravel.oc.examples;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.DocumentKind;
import com.kontroltravel.oc.model.EventKind;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.OutboxStatus;
import com.kontroltravel.oc.model.PurchaseOrder;
import com.kontroltravel.oc.model.ReminderSchedule;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.StoredDocument;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.spi.Store;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import org.sqlite.SQLiteConfig;

/**
 * Copies the old system's SQLite database (schema of {@code database.py}: tables {@code reservas},
 * {@code correos_enviados}, {@code ordenes_compra}, {@code configuracion_clientes}) into a {@link
 * Store}, keeping which messages were already sent so nobody is asked twice.
 *
 * <p>For each booking: its state ({@code pendiente} becomes REQUESTED, REMINDER_1 or REMINDER_3
 * after the last mail actually sent, PENDING when none was), {@code lastStep} and {@code
 * lastMessageAt} from the sent mails, one SENT outbox row per sent mail under the engine's own
 * deterministic id and Message-ID (so the engine finds the step already done), the OC when
 * received, and a timeline saying it was imported. Open bookings are due at once: the engine then
 * plans their next step from day 0 (the confirmation email's date) and the steps already sent.
 * Agencies keep their reminder days as a per-agency schedule. The old database is opened read-only;
 * bookings already in the store are left alone, so a second import is harmless.
 */
public final class LegacyImport {
  /** Who the imported events are attributed to. */
  public static final String ACTOR = "import-legacy";

  private final Store store;
  private final OcConfig config;
  private final java.time.Clock clock;

  /**
   * What an import did.
   *
   * @param agencies agencies written
   * @param imported bookings written
   * @param skipped bookings already in the store
   * @param sentMessages sent mails recorded
   * @param problems rows that could not be read, with the reason
   */
  public record Result(
      int agencies, int imported, int skipped, int sentMessages, List<String> problems) {}

  /**
   * An importer into {@code store}, with the engine's configuration (for the Message-ID domain and
   * the business calendar) and clock.
   */
  public LegacyImport(Store store, OcConfig config, java.time.Clock clock) {
    this.store = store;
    this.config = config;
    this.clock = clock;
  }

  private record Mail(Step step, String to, String subject, Instant sentAt) {}

  /** The old OC row and, when its file is still on disk, the document. */
  /**
   * An old OC row: the order, its file's name and content (null when there is none or it was
   * refused) and why a named file was refused (null when it was not).
   */
  private record LegacyOc(
      PurchaseOrder order, String fileName, byte[] content, String refusedFile) {}

  /** The largest OC file read from the old data folder. */
  static final long MAX_OC_FILE = 50L * 1024 * 1024;

  /**
   * Imports {@code legacyDb}.
   *
   * @param progress told (bookings done, booking id) after each booking
   * @param totalOut if not null, its first element receives the number of bookings before the first
   *     progress call
   * @throws IllegalArgumentException when the file is missing or is not the old database
   */
  public Result run(Path legacyDb, BiConsumer<Integer, String> progress, int[] totalOut)
      throws SQLException {
    if (!Files.isRegularFile(legacyDb)) {
      throw new IllegalArgumentException("no such file: " + legacyDb);
    }
    SQLiteConfig ro = new SQLiteConfig();
    ro.setReadOnly(true);
    List<String> problems = new ArrayList<>();
    int agencies = 0;
    int imported = 0;
    int skipped = 0;
    int sent = 0;
    try (Connection c =
        DriverManager.getConnection(
            "jdbc:sqlite:" + legacyDb.toAbsolutePath(), ro.toProperties())) {
      for (String table :
          List.of("reservas", "correos_enviados", "ordenes_compra", "configuracion_clientes")) {
        try (ResultSet rs = c.getMetaData().getTables(null, null, table, null)) {
          if (!rs.next()) {
            throw new IllegalArgumentException(
                legacyDb + " is not the old system's database: table " + table + " is missing");
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM configuracion_clientes");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          try {
            Agency a = agency(rs);
            store.inTransaction(
                tx -> {
                  tx.putAgency(a);
                  return null;
                });
            agencies++;
          } catch (RuntimeException e) {
            problems.add("agency row " + rs.getInt("id") + ": " + e.getMessage());
          }
        }
      }
      int total;
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM reservas");
          ResultSet rs = ps.executeQuery()) {
        total = rs.next() ? rs.getInt(1) : 0;
      }
      if (totalOut != null && totalOut.length > 0) {
        totalOut[0] = total;
      }
      int done = 0;
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM reservas ORDER BY id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int rowId = rs.getInt("id");
          String id = rs.getString("id_reserva");
          try {
            List<Mail> mails = mails(c, rowId);
            LegacyOc po = purchaseOrder(c, rowId, legacyDb.toAbsolutePath().getParent());
            if (po != null && po.refusedFile() != null) {
              problems.add(
                  "booking "
                      + id
                      + " (row "
                      + rowId
                      + "): OC file not imported: "
                      + po.refusedFile()
                      + "; the OC is imported without it");
            }
            Outcome o = importOne(rs, mails, po);
            if (o == Outcome.SKIPPED) {
              skipped++;
            } else {
              imported++;
              sent += mails.size();
            }
          } catch (RuntimeException e) {
            problems.add("booking " + id + " (row " + rowId + "): " + e.getMessage());
          }
          progress.accept(++done, id);
        }
      }
    }
    return new Result(agencies, imported, skipped, sent, problems);
  }

  private enum Outcome {
    IMPORTED,
    SKIPPED
  }

  private Outcome importOne(ResultSet rs, List<Mail> mails, LegacyOc oc) throws SQLException {
    String id = required(rs.getString("id_reserva"), "id_reserva");
    String estado = norm(required(rs.getString("estado_oc"), "estado_oc"));
    boolean requiresOc = rs.getBoolean("requiere_oc");
    Instant created = instant(rs.getString("fecha_creacion"));
    Instant emailDate = instant(rs.getString("email_origen_fecha"));
    Instant trackedAt = created != null ? created : clock.instant();
    Instant dayZeroAt = emailDate != null ? emailDate : trackedAt;
    LocalDate issue = issueDate(rs.getString("fecha_emision"));
    LocalDate dayZero = issue != null ? issue : config.calendar().dateOf(dayZeroAt);
    BigDecimal total =
        rs.getObject("monto_total") == null
            ? null
            : BigDecimal.valueOf(rs.getDouble("monto_total")).setScale(2, RoundingMode.HALF_UP);
    ReservationDetails details =
        ReservationDetails.builder(id)
            .internalLocator(rs.getString("loc_interno"))
            .locator(rs.getString("localizador"))
            .agencyName(rs.getString("agencia"))
            .status(estado.equals("cancelada") ? "Cancelado" : "Reservado")
            .issueDate(issue)
            .hotelName(rs.getString("nombre_hotel"))
            .checkIn(date(rs.getString("fecha_checkin")))
            .checkOut(date(rs.getString("fecha_checkout")))
            .nights(rs.getObject("numero_noches", Integer.class))
            .rooms(rs.getObject("numero_habitaciones", Integer.class))
            .totalAmount(total)
            .currency(rs.getString("moneda"))
            .cancellationDeadline(date(rs.getString("fecha_limite_cancelacion")))
            .build();
    mails.sort(Comparator.comparing(Mail::sentAt));
    Mail last =
        mails.stream().max(Comparator.comparing((Mail m) -> m.step().ordinal())).orElse(null);
    TrackingState state =
        switch (estado) {
          case "no_requiere_oc" -> TrackingState.NOT_REQUIRED;
          case "recibida" -> TrackingState.RECEIVED;
          case "cancelada" -> TrackingState.CANCELLED;
          case "expirada" -> TrackingState.EXPIRED;
          case "pendiente" ->
              !requiresOc
                  ? TrackingState.NOT_REQUIRED
                  : last == null ? TrackingState.PENDING : last.step().stateAfter();
          default -> throw new IllegalArgumentException("unknown estado_oc: " + estado);
        };
    Instant now = clock.instant();
    StoredDocument doc = null;
    PurchaseOrder po = oc == null ? null : oc.order();
    if (oc != null && oc.content() != null) {
      String sha = sha256(oc.content());
      doc =
          new StoredDocument(
              "oc-" + id + "-" + sha.substring(0, 16),
              id,
              DocumentKind.PURCHASE_ORDER,
              oc.fileName(),
              dayZero.format(DateTimeFormatter.BASIC_ISO_DATE) + "_" + safe(id) + "_oc.pdf",
              "application/pdf",
              sha,
              oc.content().length,
              oc.content(),
              po.receivedAt());
      po =
          new PurchaseOrder(
              po.ocNumber(), doc.id(), po.receivedFrom(), po.receivedAt(), po.actor());
    }
    StoredDocument document = doc;
    PurchaseOrder order = po;
    Reservation r =
        Reservation.builder(details, dayZero, trackedAt)
            .state(state)
            .lastStep(last == null ? null : last.step())
            .lastMessageAt(mails.isEmpty() ? null : mails.get(mails.size() - 1).sentAt())
            .nextActionAt(state.isOpen() ? now : null)
            .purchaseOrder(state == TrackingState.RECEIVED ? order : null)
            .updatedAt(now)
            .build();
    return store.inTransaction(
        tx -> {
          if (tx.reservation(id).isPresent()) {
            return Outcome.SKIPPED;
          }
          if (document != null) {
            tx.putDocument(document);
          }
          tx.insertReservation(r);
          tx.appendEvent(
              new TimelineEvent(
                  id,
                  now,
                  EventKind.TRACKED,
                  "imported from the old system (estado_oc="
                      + estado
                      + ", requiere_oc="
                      + requiresOc
                      + ", "
                      + mails.size()
                      + " mail(s) sent); state "
                      + state.label(),
                  ACTOR));
          for (Mail m : mails) {
            String messageId = messageId(id, m.step());
            tx.insertOutbox(
                new OutboxMessage(
                    OutboxMessage.idOf(id, m.step(), 0),
                    id,
                    m.step(),
                    0,
                    messageId,
                    null,
                    List.of(),
                    m.to() == null ? List.of() : RunnerSettings.list(m.to()),
                    List.of(),
                    m.subject() == null ? "(imported)" : m.subject(),
                    "(sent by the old system; body not imported)",
                    null,
                    List.of(),
                    OutboxStatus.SENT,
                    1,
                    null,
                    null,
                    m.sentAt(),
                    m.sentAt()));
            tx.appendEvent(
                new TimelineEvent(
                    id,
                    m.sentAt(),
                    EventKind.MESSAGE_SENT,
                    m.step().token() + " sent by the old system to " + m.to(),
                    ACTOR));
          }
          if (state == TrackingState.RECEIVED && order != null) {
            tx.appendEvent(
                new TimelineEvent(
                    id,
                    order.receivedAt(),
                    EventKind.OC_RECEIVED,
                    "OC "
                        + (order.ocNumber() == null ? "(no number)" : order.ocNumber())
                        + " received by the old system from "
                        + order.receivedFrom(),
                    ACTOR));
          }
          return Outcome.IMPORTED;
        });
  }

  /**
   * The Message-ID recorded for a step the old system sent (its own IDs were not kept): {@code
   * oc.<reservation>.<step>.0@<domain>}. The engine threads its later reminders on it; a reply
   * naming it counts only from the agency's addresses, like any other.
   */
  String messageId(String reservationId, Step step) {
    return "oc."
        + reservationId.replaceAll("[^A-Za-z0-9_-]", "")
        + "."
        + step.token()
        + ".0@"
        + config.messageIdDomain();
  }

  private List<Mail> mails(Connection c, int rowId) throws SQLException {
    List<Mail> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT tipo_correo, estado, destinatario, asunto, fecha_enviado, fecha_programado"
                + " FROM correos_enviados WHERE reserva_id = ? ORDER BY id")) {
      ps.setInt(1, rowId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (!norm(rs.getString("estado")).equals("enviado")) {
            continue;
          }
          Step step =
              switch (norm(rs.getString("tipo_correo"))) {
                case "solicitud_inicial" -> Step.REQUEST;
                case "recordatorio_dia_2" -> Step.REMINDER_1;
                case "ultimatum_dia_4" -> Step.REMINDER_3;
                default ->
                    throw new IllegalArgumentException(
                        "unknown tipo_correo: " + rs.getString("tipo_correo"));
              };
          if (out.stream().anyMatch(m -> m.step() == step)) {
            continue;
          }
          Instant at = instant(rs.getString("fecha_enviado"));
          if (at == null) {
            at = instant(rs.getString("fecha_programado"));
          }
          out.add(
              new Mail(
                  step,
                  rs.getString("destinatario"),
                  rs.getString("asunto"),
                  at == null ? clock.instant() : at));
        }
      }
    }
    return out;
  }

  private LegacyOc purchaseOrder(Connection c, int rowId, Path legacyDir) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT numero_oc, email_remitente, email_fecha, archivo_nombre, archivo_ruta"
                + " FROM ordenes_compra WHERE reserva_id = ?")) {
      ps.setInt(1, rowId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        Instant at = instant(rs.getString("email_fecha"));
        PurchaseOrder po =
            new PurchaseOrder(
                rs.getString("numero_oc"),
                null,
                rs.getString("email_remitente"),
                at == null ? clock.instant() : at,
                ACTOR);
        byte[] content = null;
        String refused = null;
        String path = rs.getString("archivo_ruta");
        if (path != null && !path.isBlank() && !path.startsWith("gs://") && legacyDir != null) {
          try {
            content = ocFile(legacyDir, path);
          } catch (RefusedFile e) {
            refused = e.getMessage();
          }
        }
        return new LegacyOc(po, rs.getString("archivo_nombre"), content, refused);
      }
    }
  }

  /** An OC file the import will not read. */
  static final class RefusedFile extends Exception {
    private static final long serialVersionUID = 1L;

    RefusedFile(String message) {
      super(message);
    }
  }

  /**
   * Reads an old OC row's file. Only a regular file inside the old deployment's data folder (the
   * folder of its database; symbolic links resolved before the check) that is a PDF is read: a path
   * elsewhere ({@code /etc/passwd}, {@code ../../x}) or a file that is not a PDF is refused.
   *
   * @return the content, or null when the file does not exist (any more)
   * @throws RefusedFile when the path leaves the folder, is not a regular file, is too large or is
   *     not a PDF
   */
  static byte[] ocFile(Path legacyDir, String path) throws RefusedFile {
    String shown = Views.terminalSafe(path.length() > 200 ? path.substring(0, 200) + "..." : path);
    Path root;
    Path f;
    try {
      root = legacyDir.toRealPath();
      Path named = Path.of(path);
      f = (named.isAbsolute() ? named : legacyDir.resolve(named)).normalize();
    } catch (java.nio.file.InvalidPathException | java.io.IOException e) {
      throw new RefusedFile("unusable path " + shown);
    }
    if (!f.toAbsolutePath().startsWith(legacyDir.toAbsolutePath().normalize())
        && !f.toAbsolutePath().startsWith(root)) {
      throw new RefusedFile(shown + " is outside the old data folder " + legacyDir);
    }
    if (!Files.exists(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return null; // the OC is imported without its file; the timeline says so
    }
    try {
      Path real = f.toRealPath();
      if (!real.startsWith(root)) {
        throw new RefusedFile(shown + " leads outside the old data folder " + legacyDir);
      }
      if (!Files.isRegularFile(real)) {
        throw new RefusedFile(shown + " is not a regular file");
      }
      if (Files.size(real) > MAX_OC_FILE) {
        throw new RefusedFile(shown + " is larger than " + MAX_OC_FILE / (1024 * 1024) + " MiB");
      }
      byte[] content = Files.readAllBytes(real);
      if (!Attachment.hasPdfMagic(content)) {
        throw new RefusedFile(shown + " is not a PDF");
      }
      return content;
    } catch (java.io.IOException e) {
      return null; // unreadable: imported without its file, as a missing one
    }
  }

  private static String sha256(byte[] b) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String safe(String id) {
    String t = id.replaceAll("[^A-Za-z0-9_-]", "");
    return t.isEmpty() ? "x" : t;
  }

  private static Agency agency(ResultSet rs) throws SQLException {
    String name = required(rs.getString("nombre_agencia"), "nombre_agencia");
    String email = rs.getString("email_contacto");
    Integer d1 = rs.getObject("dias_recordatorio_1", Integer.class);
    Integer d2 = rs.getObject("dias_recordatorio_2", Integer.class);
    ReminderSchedule schedule = ReminderSchedule.legacy(d1 == null ? 2 : d1, d2 == null ? 4 : d2);
    return new Agency(
        name,
        List.of(),
        List.of(),
        rs.getBoolean("requiere_oc"),
        email == null ? List.of() : RunnerSettings.list(email),
        List.of(),
        schedule,
        null,
        rs.getBoolean("activo"));
  }

  private static String required(String v, String column) {
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(column + " is empty");
    }
    return v.trim();
  }

  /** Enum columns hold SQLAlchemy's member names (PENDIENTE) or values (pendiente). */
  private static String norm(String v) {
    return v == null ? "" : v.trim().toLowerCase(Locale.ROOT);
  }

  /** SQLAlchemy writes naive UTC datetimes as {@code 2025-11-20 14:03:07.123456}. */
  static Instant instant(String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    String s = v.trim().replace('T', ' ');
    try {
      return LocalDateTime.parse(
              s, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS][.SSS][.SSSSSSSSS]"))
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(s.substring(0, Math.min(10, s.length())))
            .atStartOfDay()
            .toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException("not a date-time: " + v);
      }
    }
  }

  private static LocalDate date(String v) {
    Instant i = instant(v);
    return i == null ? null : i.atZone(ZoneOffset.UTC).toLocalDate();
  }

  /** {@code INMEDIATO} (no date), {@code 20/11/2025}, {@code 20-11-2025} or {@code 2025-11-20}. */
  static LocalDate issueDate(String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    String s = v.trim();
    for (String p : List.of("dd/MM/yyyy", "dd-MM-yyyy", "yyyy-MM-dd", "d/M/yyyy")) {
      try {
        return LocalDate.parse(s, DateTimeFormatter.ofPattern(p));
      } catch (DateTimeParseException e) {
        // next pattern
      }
    }
    return null;
  }
}
