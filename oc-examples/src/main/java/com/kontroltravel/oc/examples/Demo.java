package com.kontroltravel.oc.examples;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.Statistics;
import com.kontroltravel.oc.TickReport;
import com.kontroltravel.oc.mail.jakarta.JakartaMailGateway;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.OutboxStatus;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationQuery;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.store.jdbc.JdbcStore;
import com.kontroltravel.oc.testkit.SettableClock;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code demo} command's scenario: a booking system mails a dozen confirmation PDFs, agencies
 * answer (or not), and the real engine (PDFBox parser, Jakarta Mail gateway on a loopback
 * GreenMail, SQLite store) runs on a settable clock across two weeks of business days, driven by
 * {@link OcEngine#tick()}.
 */
public final class Demo {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  static final String MAILBOX = "oc@kontroltravel.demo";
  static final String BOOKING_SYSTEM = "reservas@booking.demo";
  static final String FINANCE = "finanzas@kontroltravel.demo";
  static final int DAYS = 14;

  /** How an agency behaves for one booking. */
  enum Scenario {
    AFTER_REQUEST("replies to the request", TrackingState.RECEIVED),
    AFTER_REMINDER_1("replies after reminder 1", TrackingState.RECEIVED),
    AFTER_REMINDER_2("replies after reminder 2", TrackingState.RECEIVED),
    NEVER("never replies", TrackingState.REMINDER_3),
    CANCELLED("booking cancelled", TrackingState.CANCELLED),
    NOT_REQUIRED("agency owes no OC", TrackingState.NOT_REQUIRED),
    UNKNOWN_AGENCY("agency not configured", TrackingState.PENDING);

    final String text;
    final TrackingState expected;

    Scenario(String text, TrackingState expected) {
      this.text = text;
      this.expected = expected;
    }
  }

  record Booking(
      String id, String agency, String contact, Scenario scenario, Instant mailAt, boolean dated) {}

  record Pending(Instant at, Runnable action) {}

  /** One row of the final table. */
  record Row(
      String id,
      String agency,
      Scenario scenario,
      TrackingState state,
      List<String> sent,
      String oc,
      boolean attention) {
    boolean asExpected() {
      return state == scenario.expected;
    }
  }

  private final PrintWriter out;
  private final boolean terminal;
  private final Path workDir;
  private final List<Booking> bookings = new ArrayList<>();
  private final List<Pending> pending = new ArrayList<>();
  private final Set<String> handled = new HashSet<>();
  private SettableClock clock;
  private LoopbackMailServer mail;
  private OcEngine engine;

  Demo(PrintWriter out, boolean terminal, Path workDir) {
    this.out = out;
    this.terminal = terminal;
    this.workDir = workDir;
  }

  static List<Agency> agencies() {
    return List.of(
        new Agency(
            "Viajes Andes S.A.",
            List.of("VIAJES ANDES"),
            List.of("andes.demo"),
            true,
            List.of("compras@andes.demo"),
            List.of(),
            null,
            null,
            true),
        Agency.requiringOc("Turismo Ñandú Ltda.", "oc@nandu.demo"),
        Agency.requiringOc("CAJA 18", "adquisiciones@caja18.demo"),
        Agency.requiringOc("Minera Norte SpA", "abastecimiento@mineranorte.demo"),
        Agency.notRequiringOc("WALVIS S.A."));
  }

  /** Runs the scenario and prints it; returns the rows of the final table. */
  List<Row> run() throws Exception {
    long started = System.nanoTime();
    Instant start = ZonedDateTime.of(2025, 12, 1, 8, 0, 0, 0, ZONE).toInstant();
    clock = SettableClock.at(start, ZONE);
    Path db = workDir.resolve("oc_seguimiento.db");
    out.println("oc-tracking demo");
    out.println("  mail server : GreenMail on " + LoopbackMailServer.HOST + " (loopback)");
    out.println("  store       : SQLite " + db);
    out.println(
        "  parser      : PDFBox; gateway: Jakarta Mail; clock: settable, hourly ticks in office hours");
    out.println();
    mail = LoopbackMailServer.start(MAILBOX);
    RunnerSettings settings =
        RunnerSettings.of(mail.settings())
            .with(
                Map.of(
                    "SMTP_FROM_NAME",
                    "Kontrol Travel - Administración",
                    "ALLOWED_CONFIRMATION_SENDERS",
                    BOOKING_SYSTEM,
                    "EMAIL_CC_RECIPIENTS",
                    FINANCE,
                    "OC_NODE_ID",
                    "demo"));
    try (JdbcStore store = JdbcStore.sqlite(db);
        JakartaMailGateway gateway = JakartaMailGateway.create(settings.mailSettings())) {
      OcConfig config = settings.ocConfig(null);
      OcApplication app = OcApplication.assemble(settings, config, store, gateway, clock);
      engine = app.engine();
      try {
        for (Agency a : agencies()) {
          engine.operations().putAgency(a, "demo");
        }
        plan(start);
        simulate(start);
      } finally {
        engine.close();
      }
      List<Row> rows = table();
      timeline(rows);
      long ms = (System.nanoTime() - started) / 1_000_000;
      long ok = rows.stream().filter(Row::asExpected).count();
      out.println();
      out.printf(
          "%d of %d bookings ended as expected; %d messages sent through SMTP; %.1f s.%n",
          ok, rows.size(), mail.outbound().size(), ms / 1000.0);
      out.println(
          "The SQLite file stays at "
              + db
              + " (try: DATABASE_URL=jdbc:sqlite:"
              + db
              + " java -jar oc-examples/target/oc-runner.jar status)");
      out.flush();
      return rows;
    } finally {
      mail.close();
    }
  }

  /** Twelve bookings mailed over the first three business days. */
  private void plan(Instant start) {
    Object[][] spec = {
      {"Viajes Andes S.A.", "compras@andes.demo", Scenario.AFTER_REQUEST},
      {"VIAJES ANDES", "compras@andes.demo", Scenario.AFTER_REMINDER_1},
      {"Turismo Ñandú Ltda.", "oc@nandu.demo", Scenario.AFTER_REMINDER_1},
      {"CAJA 18", "adquisiciones@caja18.demo", Scenario.NEVER},
      {"Minera Norte SpA", "abastecimiento@mineranorte.demo", Scenario.CANCELLED},
      {"Agencia Fantasma", null, Scenario.UNKNOWN_AGENCY},
      {"WALVIS S.A.", null, Scenario.NOT_REQUIRED},
      {"Turismo Nandu", "oc@nandu.demo", Scenario.AFTER_REQUEST},
      {"Caja 18", "adquisiciones@caja18.demo", Scenario.AFTER_REMINDER_2},
      {"Minera Norte SpA", "abastecimiento@mineranorte.demo", Scenario.AFTER_REQUEST},
      {"Viajes Andes S.A.", "compras@andes.demo", Scenario.NEVER},
      {"Walvis SA", null, Scenario.NOT_REQUIRED},
    };
    String[] hotels = {
      "Hampton by Hilton Santiago Las Condes",
      "Cumbres Lastarria",
      "NH Collection Plaza Santiago",
      "Hotel Magnolia",
      "Noi Puma Lodge",
      "Ibis Budget Providencia",
      "Sheraton Miramar Viña del Mar",
      "Explora Atacama",
      "Casa Bosque Puerto Varas",
      "Hotel Antumalal",
      "Dreams Punta Arenas",
      "Tierra Patagonia"
    };
    for (int i = 0; i < spec.length; i++) {
      String id = String.valueOf(45_215_412 + i * 37);
      // Monday to Wednesday, from 10:00, every 40 minutes.
      Instant at = start.plus(Duration.ofDays(i / 4)).plus(Duration.ofMinutes(120 + 40L * (i % 4)));
      Booking b =
          new Booking(
              id, (String) spec[i][0], (String) spec[i][1], (Scenario) spec[i][2], at, i % 3 != 0);
      bookings.add(b);
      String hotel = hotels[i];
      LocalDate mailDay = at.atZone(ZONE).toLocalDate();
      DemoPdfs.Confirmation c =
          new DemoPdfs.Confirmation(
              id,
              "L" + (char) ('A' + i) + "K" + String.format("%04d", 3000 + i * 7),
              String.valueOf(723_113 + i * 11),
              b.agency(),
              "Reservado",
              b.dated() ? mailDay : null,
              hotel,
              mailDay.plusDays(20 + i),
              1 + i % 3,
              1 + i % 2,
              new BigDecimal(180_000 + i * 52_350).setScale(2));
      at(at, () -> confirm(b, c));
      totals.put(id, c.total());
      if (b.scenario() == Scenario.CANCELLED) {
        bookingsCancelled.put(id, c);
      }
    }
  }

  private final Map<String, DemoPdfs.Confirmation> bookingsCancelled = new LinkedHashMap<>();

  /** Each booking's total: the agencies' OCs state the same (the engine compares them). */
  private final Map<String, BigDecimal> totals = new LinkedHashMap<>();

  private void confirm(Booking b, DemoPdfs.Confirmation c) {
    boolean cancelled = !"Reservado".equals(c.status());
    mail.send(
        BOOKING_SYSTEM,
        MAILBOX,
        "Confirmación de reserva " + b.id() + (cancelled ? " - Cancelada" : ""),
        "Adjuntamos el resumen de servicios de la reserva " + b.id() + ".",
        clock.instant(),
        null,
        "Resumen_" + b.id() + ".pdf",
        DemoPdfs.confirmation(c));
  }

  private void at(Instant when, Runnable action) {
    pending.add(new Pending(when, action));
  }

  /**
   * The instants the engine ticks at: hourly from 08:00 to 19:00 on business days, once a day on
   * weekends and holidays (nothing is due at night, and each tick reads the mailbox over IMAP).
   */
  static List<Instant> schedule(Instant start, int days) {
    List<Instant> out = new ArrayList<>();
    LocalDate first = start.atZone(ZONE).toLocalDate();
    for (int d = 0; d < days; d++) {
      LocalDate day = first.plusDays(d);
      boolean business = com.kontroltravel.oc.BusinessCalendar.CHILE.isBusinessDay(day);
      for (int h = 8; h <= (business ? 19 : 8); h++) {
        Instant at = day.atTime(h, 0).atZone(ZONE).toInstant();
        if (!at.isBefore(start)) {
          out.add(at);
        }
      }
    }
    return out;
  }

  private void simulate(Instant start) {
    List<Instant> ticks = schedule(start, DAYS);
    Progress progress = new Progress(out, terminal, "simulating", ticks.size());
    TickReport day = new TickReport(0, 0, 0, 0);
    LocalDate current = start.atZone(ZONE).toLocalDate();
    for (int i = 0; i < ticks.size(); i++) {
      clock.set(ticks.get(i));
      LocalDate now = clock.instant().atZone(ZONE).toLocalDate();
      if (!now.equals(current)) {
        progress.line(dayLine(current, day));
        current = now;
        day = new TickReport(0, 0, 0, 0);
      }
      List<Pending> due = pending.stream().filter(p -> !p.at().isAfter(clock.instant())).toList();
      pending.removeAll(due);
      due.forEach(p -> p.action().run());
      // Like the engine's own loops, tick only when mail arrived or some work is due: each tick
      // reads the mailbox over IMAP, which is what takes time here.
      if (!due.isEmpty() || workDue()) {
        day = day.plus(engine.tick());
        react();
      }
      if (terminal) {
        // Plain output already has one line per day; the bar is for terminals.
        progress.update(
            i + 1, now.format(DateTimeFormatter.ofPattern("EEE dd MMM", Locale.ENGLISH)));
      }
    }
    progress.line(dayLine(current, day));
    progress.finish();
  }

  private boolean workDue() {
    Instant now = clock.instant();
    Statistics stats = engine.operations().statistics();
    if (stats.outbox().getOrDefault(OutboxStatus.PENDING, 0L) > 0) {
      return true;
    }
    Set<TrackingState> open = EnumSet.noneOf(TrackingState.class);
    for (TrackingState s : TrackingState.values()) {
      if (s.isOpen()) {
        open.add(s);
      }
    }
    return engine
        .operations()
        .list(ReservationQuery.all().withStates(open).withPage(0, 1000))
        .items()
        .stream()
        .anyMatch(r -> r.nextActionAt() != null && !r.nextActionAt().isAfter(now));
  }

  private String dayLine(LocalDate d, TickReport r) {
    Map<TrackingState, Long> by = engine.operations().statistics().byState();
    String kind =
        d.getDayOfWeek().getValue() >= 6 ? " (weekend)" : Demo.holiday(d) ? " (holiday)" : "";
    return String.format(
        "%s%-10s mail in %2d, sent %2d | received %2d, chasing %2d, attention %d",
        d.format(DateTimeFormatter.ofPattern("EEE dd MMM", Locale.ENGLISH)),
        kind,
        r.received(),
        r.sent(),
        by.getOrDefault(TrackingState.RECEIVED, 0L),
        by.entrySet().stream()
            .filter(e -> e.getKey().isOpen())
            .mapToLong(Map.Entry::getValue)
            .sum(),
        engine.operations().statistics().needingAttention());
  }

  static boolean holiday(LocalDate d) {
    return com.kontroltravel.oc.BusinessCalendar.CHILE.isHoliday(d);
  }

  /** Plays the agencies and the booking system reacting to what the engine mailed. */
  private void react() {
    for (MimeMessage m : mail.outbound()) {
      String messageId = LoopbackMailServer.messageId(m);
      if (messageId == null || !handled.add(messageId) || !messageId.startsWith("oc.")) {
        continue;
      }
      String[] parts = messageId.split("\\.");
      String id = parts[1];
      String step = parts[2];
      Booking b = bookings.stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
      if (b == null) {
        continue;
      }
      String subject;
      try {
        subject = m.getSubject();
      } catch (MessagingException e) {
        subject = "OC";
      }
      Instant later = clock.instant().plus(Duration.ofHours(2));
      String replySubject = "RE: " + subject;
      Runnable reply =
          () ->
              mail.send(
                  b.contact(),
                  MAILBOX,
                  replySubject,
                  "Estimados, adjuntamos la orden de compra. Saludos.",
                  clock.instant(),
                  messageId,
                  "OC_" + b.id() + ".pdf",
                  DemoPdfs.purchaseOrder(b.agency(), ocNumber(b), b.id(), totals.get(b.id())));
      switch (b.scenario()) {
        case AFTER_REQUEST -> {
          if (step.equals("request")) {
            at(later, reply);
          }
        }
        case AFTER_REMINDER_1 -> {
          if (step.equals("reminder-1")) {
            at(later, reply);
          }
        }
        case AFTER_REMINDER_2 -> {
          if (step.equals("reminder-2")) {
            at(later, reply);
          }
        }
        case CANCELLED -> {
          if (step.equals("request")) {
            DemoPdfs.Confirmation c = bookingsCancelled.get(b.id()).withStatus("Cancelado");
            at(later, () -> confirm(b, c));
          }
        }
        default -> {}
      }
    }
  }

  static String ocNumber(Booking b) {
    return "45" + b.id().substring(b.id().length() - 8);
  }

  private List<Row> table() {
    List<Row> rows = new ArrayList<>();
    for (Booking b : bookings) {
      Reservation r = engine.operations().reservation(b.id()).orElse(null);
      List<String> sent =
          r == null
              ? List.of()
              : engine.operations().messages(b.id()).stream()
                  .filter(m -> m.status() == OutboxStatus.SENT)
                  .sorted(Comparator.comparing(OutboxMessage::createdAt))
                  .map(m -> m.step().token())
                  .toList();
      rows.add(
          new Row(
              b.id(),
              b.agency(),
              b.scenario(),
              r == null ? null : r.state(),
              sent,
              r == null || r.purchaseOrder() == null ? "" : nz(r.purchaseOrder().ocNumber()),
              r != null && r.needsAttention()));
    }
    out.println();
    String fmt = "%-9s %-20s %-25s %-16s %-52s %s%n";
    out.printf(fmt, "ID", "AGENCY (on the PDF)", "SCENARIO", "STATE", "MESSAGES SENT", "OC");
    for (Row r : rows) {
      out.printf(
          fmt,
          r.id(),
          cut(r.agency(), 20),
          r.scenario().text,
          (r.state() == null ? "-" : r.state().label()) + (r.attention() ? " !" : ""),
          r.sent().isEmpty() ? "-" : r.sent().size() + ": " + String.join(", ", r.sent()),
          r.oc().isEmpty() ? "-" : r.oc());
    }
    out.println("(! = needs a person's attention)");
    return rows;
  }

  private void timeline(List<Row> rows) {
    Row shown =
        rows.stream()
            .filter(r -> r.scenario() == Scenario.AFTER_REMINDER_1)
            .findFirst()
            .orElse(rows.get(0));
    out.println();
    out.println(
        "Timeline of booking "
            + shown.id()
            + " ("
            + shown.agency()
            + ", "
            + shown.scenario().text
            + "):");
    DateTimeFormatter f = DateTimeFormatter.ofPattern("EEE dd MMM HH:mm", Locale.ENGLISH);
    for (TimelineEvent e : engine.operations().timeline(shown.id())) {
      out.printf(
          "  %s  %-15s %s%s%n",
          e.at().atZone(ZONE).format(f),
          e.kind(),
          cut(e.detail(), 90),
          TimelineEvent.SYSTEM.equals(e.actor()) ? "" : " [" + e.actor() + "]");
    }
  }

  private static String cut(String s, int n) {
    if (s == null) {
      return "-";
    }
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }

  private static String nz(String s) {
    return s == null ? "(no number)" : s;
  }
}
