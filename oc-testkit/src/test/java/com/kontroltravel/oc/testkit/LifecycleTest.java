package com.kontroltravel.oc.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.EventKind;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.OutboxStatus;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.SendResult;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.store.memory.InMemoryStore;
import com.kontroltravel.oc.testkit.RecordingMailGateway.SentMessage;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Drives 200 generated bookings through every path of the OC lifecycle over 40 days on a settable
 * clock, with the recording gateway, and checks every booking's messages, their times, its final
 * state and its timeline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LifecycleTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  static final Instant START = ZonedDateTime.of(2025, 12, 1, 7, 0, 0, 0, ZONE).toInstant();
  static final Duration TICK = Duration.ofMinutes(15);
  static final int DAYS = 40;
  static final int BOOKINGS = 200;
  static final String MAILBOX = "oc@kontroltravel.com";
  static final String ADMIN_CC = "finanzas@kontroltravel.com";
  static final String BOOKING_SYSTEM = "reservas@kontrol.cl";

  /** Independent oracle: Chile's holidays inside the simulated window. */
  static final Set<LocalDate> HOLIDAYS =
      Set.of(LocalDate.of(2025, 12, 8), LocalDate.of(2025, 12, 25), LocalDate.of(2026, 1, 1));

  enum Path {
    NOT_REQUIRED,
    AFTER_REQUEST,
    AFTER_R1,
    AFTER_R2,
    AFTER_R3,
    EXPIRED,
    CANCELLED,
    AMENDED,
    NO_CONTACT,
    PERMANENT_FAILURE,
    TRANSIENT_FAILURE,
    UNKNOWN_AGENCY,
    BY_REFERENCE,
    DUPLICATE_OC,
    UNMATCHED_ASSIGNED,
    AMBIGUOUS
  }

  record Booking(
      String id,
      String loc,
      String localizador,
      Path path,
      String agencyOnPdf,
      String contact,
      LocalDate issueDate,
      Instant mailAt) {}

  record Pending(Instant at, Runnable action) {}

  final Map<String, Booking> bookings = new HashMap<>();
  final List<Pending> pending = new ArrayList<>();
  final Map<String, Integer> flakyAttempts = new ConcurrentHashMap<>();
  final Set<String> handledSends = new HashSet<>();
  final AtomicInteger msgSeq = new AtomicInteger();
  final List<String> reviewAssigned = new ArrayList<>();
  SettableClock clock;
  RecordingMailGateway gateway;
  InMemoryStore store;
  OcEngine engine;

  @BeforeAll
  void runFortyDays() {
    clock = SettableClock.at(START, ZONE);
    gateway = RecordingMailGateway.create(clock);
    store = InMemoryStore.create();
    gateway.failSendsWith(this::failureRule);
    engine =
        OcEngine.builder()
            .config(
                OcConfig.builder()
                    .mailboxAddress(MAILBOX)
                    .allowedSenders(List.of(BOOKING_SYSTEM))
                    .ccRecipients(List.of(ADMIN_CC))
                    .nodeId("lifecycle")
                    .build())
            .store(store)
            .mailGateway(gateway)
            .reservationParser(new FakePdf())
            .clock(clock)
            .build();
    for (Agency a : agencies()) {
      engine.operations().putAgency(a, "setup");
    }
    generate();
    Instant end = START.plus(Duration.ofDays(DAYS));
    for (int i = 0; i < DAYS * 24 * 4 && clock.instant().isBefore(end); i++) {
      runDue();
      engine.tick();
      react();
      clock.advance(TICK);
    }
  }

  static List<Agency> agencies() {
    return List.of(
        new Agency(
            "Viajes Andes S.A.",
            List.of("VIAJES ANDES"),
            List.of("andes.cl"),
            true,
            List.of("oc@andes.cl"),
            List.of("gerencia@andes.cl"),
            null,
            null,
            true),
        Agency.requiringOc("Turismo Ñandú Ltda.", "compras@nandu.cl"),
        Agency.requiringOc("CAJA 18", "oc@caja18.cl"),
        Agency.notRequiringOc("WALVIS S.A."),
        new Agency(
            "Sin Contacto SpA", List.of(), List.of(), true, List.of(), List.of(), null, null, true),
        Agency.requiringOc("Rechazo Tours", "nadie@rechazo.cl"),
        Agency.requiringOc("Flaky Travel", "oc@flaky.cl"));
  }

  /**
   * Rejects one agency's address for good; fails the first two attempts of every message to
   * another.
   */
  private SendResult failureRule(OutboundMessage m) {
    if (m.to().contains("nadie@rechazo.cl")) {
      return SendResult.permanentFailure("550 5.1.1 <nadie@rechazo.cl>: user unknown");
    }
    if (m.to().contains("oc@flaky.cl")) {
      int n = flakyAttempts.merge(m.messageId(), 1, Integer::sum);
      if (n <= 2) {
        return SendResult.transientFailure("451 4.3.0 try again later");
      }
    }
    return null;
  }

  private void generate() {
    Random rnd = new Random(20251201);
    Path[] paths = Path.values();
    String[][] chased = {
      {"VIAJES ANDES SA", "oc@andes.cl"},
      {"Turismo Nandu", "compras@nandu.cl"},
      {"Caja 18", "oc@caja18.cl"}
    };
    for (int i = 0; i < BOOKINGS; i++) {
      Path path = paths[i % paths.length];
      String id = String.valueOf(45_200_000 + i * 7);
      String loc = "L" + (char) ('A' + i % 26) + String.format("%05d", i);
      String localizador = String.valueOf(700_000 + i * 3);
      String[] agency =
          switch (path) {
            case NOT_REQUIRED -> new String[] {"Walvis S.A.", null};
            case NO_CONTACT -> new String[] {"SIN CONTACTO SPA", null};
            case PERMANENT_FAILURE -> new String[] {"Rechazo Tours", "nadie@rechazo.cl"};
            case TRANSIENT_FAILURE -> new String[] {"Flaky Travel", "oc@flaky.cl"};
            case UNKNOWN_AGENCY -> new String[] {"Agencia Fantasma", null};
            default -> chased[i % chased.length];
          };
      Instant mailAt = START.plus(Duration.ofMinutes(37L * i + rnd.nextInt(10)));
      LocalDate mailDay = mailAt.atZone(ZONE).toLocalDate();
      LocalDate issue = i % 3 == 0 ? null : mailDay.minusDays(i % 2);
      Booking b = new Booking(id, loc, localizador, path, agency[0], agency[1], issue, mailAt);
      bookings.put(id, b);
      at(
          mailAt,
          () -> gateway.deliver(confirmationMail(b, "Reservado", "Hotel " + b.id(), "528701.00")));
      if (path == Path.AMENDED) {
        at(
            mailAt.plus(Duration.ofHours(2)),
            () ->
                gateway.deliver(
                    confirmationMail(b, "Reservado", "Hotel Enmendado " + b.id(), "600000.00")));
      }
    }
    // Two ambiguous OCs, each naming two AMBIGUOUS bookings, a few days in.
    List<Booking> ambiguous =
        bookings.values().stream()
            .filter(b -> b.path() == Path.AMBIGUOUS)
            .sorted((a, c) -> a.id().compareTo(c.id()))
            .toList();
    for (int i = 0; i + 1 < ambiguous.size() && i < 4; i += 2) {
      Booking x = ambiguous.get(i);
      Booking y = ambiguous.get(i + 1);
      at(
          START.plus(Duration.ofDays(6)).plus(Duration.ofMinutes(i)),
          () ->
              gateway.deliver(
                  mail(
                      "compras@otra.cl",
                      "Orden de compra reservas " + x.id() + " y " + y.id(),
                      "Adjuntamos la OC.",
                      List.of(),
                      FakePdf.purchaseOrder("77" + x.id(), "reservas " + x.id() + " " + y.id()))));
    }
  }

  private void at(Instant when, Runnable action) {
    pending.add(new Pending(when, action));
  }

  private void runDue() {
    List<Pending> due = pending.stream().filter(p -> !p.at().isAfter(clock.instant())).toList();
    pending.removeAll(due);
    due.forEach(p -> p.action().run());
  }

  private InboundMessage confirmationMail(Booking b, String status, String hotel, String total) {
    ReservationDetails d =
        ReservationDetails.builder(b.id())
            .internalLocator(b.loc())
            .locator(b.localizador())
            .agencyName(b.agencyOnPdf())
            .status(status)
            .issueDate(b.issueDate())
            .hotelName(hotel)
            .totalAmount(new BigDecimal(total))
            .currency("CLP")
            .build();
    return InboundMessage.builder()
        .messageId("conf-" + msgSeq.incrementAndGet() + "@kontrol.cl")
        .from(BOOKING_SYSTEM)
        .subject("Confirmación de reserva " + b.id())
        .textBody("Resumen de servicios adjunto")
        .date(clock.instant())
        .attachment(Attachment.pdf("Resumen_" + b.id() + ".pdf", FakePdf.confirmation(d)))
        .authenticated(true) // the booking system's mail, vouched for by a trusted server
        .build();
  }

  private InboundMessage mail(
      String from, String subject, String body, List<String> inReplyTo, byte[] pdf) {
    InboundMessage.Builder m =
        InboundMessage.builder()
            .messageId(
                "agency-" + msgSeq.incrementAndGet() + "@" + from.substring(from.indexOf('@') + 1))
            .from(from)
            .subject(subject)
            .textBody(body)
            .date(clock.instant())
            .inReplyTo(inReplyTo)
            .references(inReplyTo);
    if (pdf != null) {
      m.attachment(Attachment.pdf("OC.pdf", pdf));
    }
    return m.build();
  }

  /** Plays the agencies and the booking system reacting to what the engine sent. */
  private void react() {
    for (SentMessage s : gateway.sentLog()) {
      OutboundMessage m = s.message();
      if (!handledSends.add(m.messageId())) {
        continue;
      }
      String id = m.messageId().split("\\.")[1];
      Booking b = bookings.get(id);
      if (b == null) {
        continue;
      }
      String step = m.messageId().split("\\.")[2];
      Instant later = s.at().plus(Duration.ofHours(2));
      byte[] oc = FakePdf.purchaseOrder("45" + b.id(), "Orden de compra emitida");
      Runnable reply =
          () ->
              gateway.deliver(
                  mail(
                      b.contact(), "RE: " + m.subject(), "Adjunto OC", List.of(m.messageId()), oc));
      switch (b.path()) {
        case AFTER_REQUEST, TRANSIENT_FAILURE -> {
          if (step.equals("request")) {
            at(later, reply);
          }
        }
        case AFTER_R1, AMENDED -> {
          if (step.equals("reminder-1")) {
            at(later, reply);
          }
        }
        case AFTER_R2 -> {
          if (step.equals("reminder-2")) {
            at(later, reply);
          }
        }
        case AFTER_R3 -> {
          if (step.equals("reminder-3")) {
            at(later, reply);
          }
        }
        case CANCELLED -> {
          if (step.equals("request")) {
            at(
                later,
                () ->
                    gateway.deliver(
                        confirmationMail(b, "Cancelado", "Hotel " + b.id(), "528701.00")));
          }
        }
        case BY_REFERENCE -> {
          if (step.equals("request")) {
            at(
                later,
                () ->
                    gateway.deliver(
                        mail(
                            b.contact(),
                            "Envío OC localizador " + b.localizador(),
                            "Estimados, adjuntamos la orden de compra.",
                            List.of(),
                            oc)));
          }
        }
        case DUPLICATE_OC -> {
          if (step.equals("request")) {
            at(later, reply);
            at(
                later.plus(Duration.ofHours(1)),
                () ->
                    gateway.deliver(
                        mail(
                            b.contact(),
                            "RE: " + m.subject() + " (reenvío)",
                            "Adjunto OC otra vez",
                            List.of(m.messageId()),
                            oc)));
          }
        }
        case UNMATCHED_ASSIGNED -> {
          if (step.equals("request")) {
            at(
                later,
                () -> {
                  gateway.deliver(
                      mail(
                          "otra.persona@gmail.com",
                          "Adjunto orden de compra",
                          "Saludos",
                          List.of(),
                          FakePdf.purchaseOrder("99" + b.id(), "sin referencia")));
                  reviewAssigned.add(b.id());
                });
          }
        }
        default -> {}
      }
    }
    // An operator assigns unmatched OCs from the review queue to the booking they belong to.
    if (!reviewAssigned.isEmpty()) {
      for (InboundRecord r : engine.operations().reviewQueue()) {
        if (r.from() != null && r.from().equals("otra.persona@gmail.com")) {
          String id = reviewAssigned.remove(0);
          engine.operations().assignPurchaseOrder(r.key(), id, "ana.operadora");
          if (reviewAssigned.isEmpty()) {
            break;
          }
        }
      }
    }
  }

  // ------------------------------------------------------------------ expectations

  static List<Step> expectedSteps(Path p) {
    return switch (p) {
      case NOT_REQUIRED, NO_CONTACT, PERMANENT_FAILURE, UNKNOWN_AGENCY -> List.of();
      case AFTER_REQUEST, TRANSIENT_FAILURE, BY_REFERENCE, DUPLICATE_OC, UNMATCHED_ASSIGNED ->
          List.of(Step.REQUEST, Step.ACKNOWLEDGEMENT);
      case AFTER_R1, AMENDED -> List.of(Step.REQUEST, Step.REMINDER_1, Step.ACKNOWLEDGEMENT);
      case AFTER_R2 ->
          List.of(Step.REQUEST, Step.REMINDER_1, Step.REMINDER_2, Step.ACKNOWLEDGEMENT);
      case AFTER_R3 ->
          List.of(
              Step.REQUEST,
              Step.REMINDER_1,
              Step.REMINDER_2,
              Step.REMINDER_3,
              Step.ACKNOWLEDGEMENT);
      case EXPIRED, AMBIGUOUS ->
          List.of(Step.REQUEST, Step.REMINDER_1, Step.REMINDER_2, Step.REMINDER_3);
      case CANCELLED -> List.of(Step.REQUEST);
    };
  }

  static TrackingState expectedState(Path p) {
    return switch (p) {
      case NOT_REQUIRED -> TrackingState.NOT_REQUIRED;
      case NO_CONTACT, UNKNOWN_AGENCY -> TrackingState.PENDING;
      case PERMANENT_FAILURE -> TrackingState.REQUESTED;
      case EXPIRED, AMBIGUOUS -> TrackingState.EXPIRED;
      case CANCELLED -> TrackingState.CANCELLED;
      default -> TrackingState.RECEIVED;
    };
  }

  static String expectedSubject(Step s, String id) {
    return switch (s) {
      case REQUEST -> "Solicitud de Orden de Compra - Reserva #" + id;
      case REMINDER_1 -> "Recordatorio: Orden de Compra Pendiente - Reserva #" + id;
      case REMINDER_2 -> "2do Recordatorio: OC Urgente - Reserva #" + id;
      case REMINDER_3 -> "URGENTE: OC Requerida - Reserva #" + id;
      case ACKNOWLEDGEMENT -> "OC Recibida - Reserva #" + id;
      case DIGEST -> throw new AssertionError();
    };
  }

  private List<SentMessage> sentFor(String id) {
    return gateway.sentLog().stream()
        .filter(s -> s.message().messageId().startsWith("oc." + id + "."))
        .toList();
  }

  static Step stepOf(OutboundMessage m) {
    String token = m.messageId().split("\\.")[2];
    for (Step s : Step.values()) {
      if (s.token().equals(token)) {
        return s;
      }
    }
    throw new AssertionError("unknown step in " + m.messageId());
  }

  static boolean isBusinessDay(LocalDate d) {
    return d.getDayOfWeek() != DayOfWeek.SATURDAY
        && d.getDayOfWeek() != DayOfWeek.SUNDAY
        && !HOLIDAYS.contains(d);
  }

  static LocalDate plusBusinessDays(LocalDate d, int n) {
    LocalDate x = d;
    for (int i = 0; i < n; ) {
      x = x.plusDays(1);
      if (isBusinessDay(x)) {
        i++;
      }
    }
    return x;
  }

  // ------------------------------------------------------------------ tests

  @Test
  @DisplayName("every path of the lifecycle is exercised by at least ten bookings")
  void everyPathIsCovered() {
    Map<Path, Integer> counts = new EnumMap<>(Path.class);
    bookings.values().forEach(b -> counts.merge(b.path(), 1, Integer::sum));
    assertThat(counts).hasSize(Path.values().length);
    assertThat(counts.values()).allMatch(n -> n >= 10);
    assertThat(bookings).hasSize(BOOKINGS);
  }

  @Test
  @DisplayName("each booking gets exactly the messages of its path, once each, in order")
  void exactMessagesPerBooking() {
    for (Booking b : bookings.values()) {
      List<Step> steps = sentFor(b.id()).stream().map(s -> stepOf(s.message())).toList();
      assertThat(steps)
          .as("steps sent for %s (%s)", b.id(), b.path())
          .isEqualTo(expectedSteps(b.path()));
    }
  }

  @Test
  @DisplayName("subjects, recipients, cc, Message-IDs, threading and attachments are exact")
  void messageContents() {
    for (Booking b : bookings.values()) {
      for (SentMessage s : sentFor(b.id())) {
        OutboundMessage m = s.message();
        Step step = stepOf(m);
        String requestId =
            sentFor(b.id()).stream()
                .map(SentMessage::message)
                .filter(x -> stepOf(x) == Step.REQUEST)
                .map(OutboundMessage::messageId)
                .findFirst()
                .orElseThrow();
        assertThat(m.subject()).isEqualTo(expectedSubject(step, b.id()));
        // oc.<booking>.<step>.<generation>.<80-bit MAC, base 32>@<domain>: nobody outside can
        // guess it.
        assertThat(m.messageId())
            .matches(
                "oc\\."
                    + b.id()
                    + "\\."
                    + step.token()
                    + "\\.0\\.[a-z2-7]{16}@kontroltravel\\.com");
        assertThat(m.replyTo()).isEqualTo(MAILBOX);
        assertThat(m.cc()).contains(ADMIN_CC);
        if (b.contact().equals("oc@andes.cl")) {
          assertThat(m.cc()).contains("gerencia@andes.cl");
        }
        assertThat(m.to()).contains(b.contact());
        assertThat(m.textBody()).contains(b.id()).doesNotContain("{{");
        assertThat(m.htmlBody()).contains(b.id()).doesNotContain("{{");
        if (step == Step.REQUEST) {
          assertThat(m.inReplyTo()).isNull();
          assertThat(m.references()).isEmpty();
          assertThat(m.attachments()).hasSize(1);
          assertThat(
                  new String(
                      m.attachments().get(0).content(), java.nio.charset.StandardCharsets.UTF_8))
              .contains("id=" + b.id());
        } else {
          assertThat(m.inReplyTo()).isEqualTo(requestId);
          assertThat(m.references()).containsExactly(requestId);
          assertThat(m.attachments()).isEmpty();
        }
        if (step == Step.REMINDER_3) {
          assertThat(m.textBody()).contains("suspendida a partir del");
        }
      }
    }
  }

  @Test
  @DisplayName("no chase message falls on a weekend, a holiday or outside office hours")
  void officeHoursOnly() {
    List<SentMessage> chase =
        gateway.sentLog().stream().filter(s -> stepOf(s.message()).isChase()).toList();
    assertThat(chase).hasSizeGreaterThan(300);
    for (SentMessage s : chase) {
      LocalDateTime t = s.at().atZone(ZONE).toLocalDateTime();
      assertThat(isBusinessDay(t.toLocalDate()))
          .as("business day: %s %s", t, s.message().messageId())
          .isTrue();
      assertThat(t.toLocalTime())
          .as("office hours: %s", t)
          .isBetween(LocalTime.of(9, 0), LocalTime.of(17, 59, 59));
    }
  }

  @Test
  @DisplayName(
      "reminders go out on business days 2, 4 and 6 after day 0, never within one business day of the last")
  void reminderDays() {
    int checked = 0;
    for (Booking b : bookings.values()) {
      if (b.path() != Path.EXPIRED && b.path() != Path.AMBIGUOUS) {
        continue;
      }
      List<SentMessage> sent = sentFor(b.id());
      LocalDate day0 =
          b.issueDate() != null ? b.issueDate() : b.mailAt().atZone(ZONE).toLocalDate();
      Instant previous = null;
      int[] days = {0, 2, 4, 6};
      for (int i = 0; i < 4; i++) {
        Instant at = sent.get(i).at();
        ZonedDateTime local = at.atZone(ZONE);
        if (i == 0) {
          assertThat(at).isAfterOrEqualTo(b.mailAt());
        } else {
          ZonedDateTime scheduled = plusBusinessDays(day0, days[i]).atTime(9, 0).atZone(ZONE);
          ZonedDateTime prev = previous.atZone(ZONE);
          ZonedDateTime gap =
              plusBusinessDays(prev.toLocalDate(), 1).atTime(prev.toLocalTime()).atZone(ZONE);
          if (gap.toLocalTime().isAfter(LocalTime.of(17, 59))) {
            gap = plusBusinessDays(gap.toLocalDate(), 1).atTime(9, 0).atZone(ZONE);
          }
          ZonedDateTime expected = scheduled.isAfter(gap) ? scheduled : gap;
          assertThat(local)
              .as("%s of %s (day 0 %s)", sent.get(i).message().subject(), b.id(), day0)
              .isEqualTo(expected);
        }
        previous = at;
      }
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(20);
  }

  @Test
  @DisplayName(
      "each booking ends in the state of its path, with the attention flag where a person is needed")
  void finalStates() {
    for (Booking b : bookings.values()) {
      Reservation r = engine.operations().reservation(b.id()).orElseThrow();
      assertThat(r.state()).as("%s %s", b.id(), b.path()).isEqualTo(expectedState(b.path()));
      boolean attention =
          switch (b.path()) {
            case NO_CONTACT, UNKNOWN_AGENCY, PERMANENT_FAILURE, EXPIRED, AMBIGUOUS -> true;
            default -> false;
          };
      assertThat(r.needsAttention())
          .as("attention for %s %s: %s", b.id(), b.path(), r.attentionReason())
          .isEqualTo(attention);
      if (r.state() == TrackingState.RECEIVED) {
        assertThat(r.purchaseOrder()).isNotNull();
        assertThat(r.purchaseOrder().documentId()).isNotNull();
        assertThat(
                engine
                    .operations()
                    .document(r.purchaseOrder().documentId())
                    .orElseThrow()
                    .safeName())
            .matches("\\d{8}_" + b.id() + "_oc\\.pdf");
      }
    }
  }

  @Test
  @DisplayName("timelines tell each path's story in order")
  void timelines() {
    for (Booking b : bookings.values()) {
      List<TimelineEvent> t = engine.operations().timeline(b.id());
      List<EventKind> kinds = t.stream().map(TimelineEvent::kind).toList();
      assertThat(kinds.get(0)).isEqualTo(EventKind.TRACKED);
      switch (b.path()) {
        case EXPIRED, AMBIGUOUS ->
            assertThat(kinds)
                .containsSubsequence(
                    EventKind.MESSAGE_QUEUED,
                    EventKind.MESSAGE_SENT,
                    EventKind.MESSAGE_SENT,
                    EventKind.MESSAGE_SENT,
                    EventKind.MESSAGE_SENT,
                    EventKind.ATTENTION,
                    EventKind.EXPIRED);
        case AMENDED ->
            assertThat(kinds)
                .containsSubsequence(
                    EventKind.TRACKED,
                    EventKind.UPDATED,
                    EventKind.MESSAGE_SENT,
                    EventKind.OC_RECEIVED);
        case CANCELLED ->
            assertThat(kinds).containsSubsequence(EventKind.MESSAGE_SENT, EventKind.CANCELLED);
        case TRANSIENT_FAILURE ->
            assertThat(kinds)
                .containsSubsequence(
                    EventKind.SEND_FAILED,
                    EventKind.SEND_FAILED,
                    EventKind.MESSAGE_SENT,
                    EventKind.OC_RECEIVED);
        case PERMANENT_FAILURE ->
            assertThat(kinds)
                .containsSubsequence(
                    EventKind.MESSAGE_QUEUED, EventKind.SEND_FAILED, EventKind.ATTENTION);
        case DUPLICATE_OC ->
            assertThat(kinds).containsSubsequence(EventKind.OC_RECEIVED, EventKind.OC_DUPLICATE);
        case NOT_REQUIRED -> assertThat(kinds).doesNotContain(EventKind.MESSAGE_QUEUED);
        case NO_CONTACT, UNKNOWN_AGENCY ->
            assertThat(kinds).containsSubsequence(EventKind.TRACKED, EventKind.ATTENTION);
        default ->
            assertThat(kinds)
                .containsSubsequence(
                    EventKind.MESSAGE_QUEUED,
                    EventKind.MESSAGE_SENT,
                    EventKind.OC_RECEIVED,
                    EventKind.STATE_CHANGED);
      }
      assertThat(t).allMatch(e -> !e.detail().isBlank());
    }
    Booking assigned =
        bookings.values().stream()
            .filter(b -> b.path() == Path.UNMATCHED_ASSIGNED)
            .findFirst()
            .orElseThrow();
    assertThat(engine.operations().timeline(assigned.id()))
        .anyMatch(e -> e.actor().equals("ana.operadora"));
  }

  @Test
  @DisplayName("amended confirmations update details without a second chase")
  void amendments() {
    for (Booking b : bookings.values()) {
      if (b.path() != Path.AMENDED) {
        continue;
      }
      Reservation r = engine.operations().reservation(b.id()).orElseThrow();
      assertThat(r.details().hotelName()).isEqualTo("Hotel Enmendado " + b.id());
      assertThat(r.details().totalAmount()).isEqualByComparingTo("600000.00");
      OutboundMessage reminder =
          sentFor(b.id()).stream()
              .map(SentMessage::message)
              .filter(m -> stepOf(m) == Step.REMINDER_1)
              .findFirst()
              .orElseThrow();
      assertThat(reminder.textBody())
          .contains("Hotel Enmendado " + b.id())
          .contains("CLP 600.000,00");
    }
  }

  @Test
  @DisplayName(
      "every inbound message is recorded once, unmatched and ambiguous OCs go to review, never guessed")
  void inboundLog() {
    int delivered = gateway.mailboxSize();
    int recorded = 0;
    for (InboundOutcome o : InboundOutcome.values()) {
      recorded += engine.operations().inbound(o, 10_000).size();
    }
    assertThat(recorded).isEqualTo(delivered);
    List<InboundRecord> review = engine.operations().reviewQueue();
    assertThat(review).hasSize(2).allMatch(r -> r.reason().contains("naming 2 bookings"));
    assertThat(engine.operations().inbound(InboundOutcome.PURCHASE_ORDER, 10_000))
        .anyMatch(r -> r.reason().startsWith("assigned by ana.operadora"));
    assertThat(engine.operations().inbound(InboundOutcome.QUARANTINED, 10_000)).isEmpty();
    long outboxPending = engine.operations().statistics().outbox().get(OutboxStatus.PENDING);
    assertThat(outboxPending).isZero();
  }
}
