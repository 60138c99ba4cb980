package com.kontroltravel.oc.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kontroltravel.oc.Health;
import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.exception.InvalidOperationException;
import com.kontroltravel.oc.exception.ReservationNotFoundException;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.AttentionReason;
import com.kontroltravel.oc.model.EventKind;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.Page;
import com.kontroltravel.oc.model.ReminderSchedule;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.ReservationQuery;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.spi.ReminderPolicy;
import com.kontroltravel.oc.store.memory.InMemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EngineBehaviourTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  SettableClock clock;
  RecordingMailGateway gateway;
  InMemoryStore store;
  List<TimelineEvent> events;
  AtomicInteger seq = new AtomicInteger();

  @BeforeEach
  void setUp() {
    clock = SettableClock.at(ZonedDateTime.of(2025, 11, 3, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
    gateway = RecordingMailGateway.create(clock);
    store = InMemoryStore.create();
    events = new CopyOnWriteArrayList<>();
  }

  OcEngine engine(ReminderPolicy policy, OcConfig.Builder config) {
    OcEngine e =
        OcEngine.builder()
            .config(config.build())
            .store(store)
            .mailGateway(gateway)
            .reservationParser(new FakePdf())
            .reminderPolicy(policy)
            .clock(clock)
            .listener(events::add)
            .build();
    e.operations().putAgency(Agency.requiringOc("Viajes Andes", "oc@andes.cl"), "setup");
    e.operations()
        .putAgency(
            Agency.requiringOc("Legacy Tours", "oc@legacy.cl")
                .withSchedule(ReminderSchedule.LEGACY),
            "setup");
    return e;
  }

  OcConfig.Builder config() {
    return OcConfig.builder()
        .mailboxAddress("oc@kontroltravel.com")
        .allowedSenders(List.of("kontrol.cl"))
        .nodeId("t");
  }

  OcEngine engine() {
    return engine(ReminderPolicy.DEFAULT, config());
  }

  InboundMessage confirmation(String id, String agency, String status) {
    ReservationDetails d =
        ReservationDetails.builder(id)
            .agencyName(agency)
            .status(status)
            .issueDate(LocalDate.of(2025, 11, 3))
            .build();
    return FakePdf.confirmationMail(d, seq.incrementAndGet(), clock.instant());
  }

  void runDays(OcEngine e, int days) {
    for (int i = 0; i < days * 96; i++) {
      e.tick();
      clock.advance(Duration.ofMinutes(15));
    }
  }

  List<String> stepsSent(String id) {
    return gateway.sent().stream()
        .map(OutboundMessage::messageId)
        .filter(m -> m.startsWith("oc." + id + "."))
        .map(m -> m.split("\\.")[2])
        .toList();
  }

  @Test
  @DisplayName(
      "the existing system's schedule (reminder on day 2, ultimatum on day 4) is configuration, per agency")
  void legacySchedulePerAgency() {
    OcEngine e = engine();
    e.ingest(confirmation("1", "Legacy Tours", "Reservado"));
    e.ingest(confirmation("2", "Viajes Andes", "Reservado"));
    runDays(e, 10);
    assertThat(stepsSent("1")).containsExactly("request", "reminder-1", "reminder-3");
    assertThat(stepsSent("2")).containsExactly("request", "reminder-1", "reminder-2", "reminder-3");
    Instant ultimatum =
        gateway.sentLog().stream()
            .filter(s -> s.message().messageId().startsWith("oc.1.reminder-3"))
            .findFirst()
            .orElseThrow()
            .at();
    // Day 0 is Monday 3 November; business day 4 is Friday 7 November.
    assertThat(ultimatum.atZone(ZONE).toLocalDate()).isEqualTo(LocalDate.of(2025, 11, 7));
  }

  @Test
  @DisplayName("a configured default schedule applies to agencies without their own")
  void configuredDefault() {
    OcEngine e = engine(ReminderPolicy.of(ReminderSchedule.legacy(3, 5)), config());
    e.ingest(confirmation("3", "Viajes Andes", "Reservado"));
    runDays(e, 10);
    assertThat(stepsSent("3")).containsExactly("request", "reminder-1", "reminder-3");
  }

  @Test
  @DisplayName("hostile values never reach a header, and are escaped in HTML")
  void hostileValues() {
    OcEngine e = engine();
    e.operations()
        .putAgency(
            Agency.requiringOc("<b>Evil</b> Agency\r\nBcc: x@evil.com", "oc@evil.cl"), "setup");
    e.track(
        ReservationDetails.builder("77\r\nBcc: y@evil.com")
            .agencyName("<b>Evil</b> Agency\r\nBcc: x@evil.com")
            .hotelName("<script>alert('x')</script>")
            .build(),
        null);
    runDays(e, 1);
    assertThat(gateway.sent()).hasSize(1);
    OutboundMessage m = gateway.sent().get(0);
    assertThat(m.subject()).doesNotContain("\r").doesNotContain("\n");
    assertThat(m.messageId())
        .matches("oc\\.77Bccyevilcom\\.request\\.0\\.[a-z2-7]{16}@kontroltravel\\.com");
    assertThat(m.htmlBody())
        .doesNotContain("<b>Evil</b>")
        .contains("&lt;b&gt;Evil&lt;/b&gt;")
        .doesNotContain("<script>");
    assertThat(m.to()).containsExactly("oc@evil.cl");
  }

  @Test
  @DisplayName("bad input is recorded with a reason and never stops the engine")
  void badInput() {
    OcEngine e = engine();
    InboundRecord noPdf =
        e.ingest(
            InboundMessage.builder()
                .messageId("a@kontrol.cl")
                .from("reservas@kontrol.cl")
                .subject("Confirmación reserva 9")
                .build());
    InboundRecord brokenPdf =
        e.ingest(
            InboundMessage.builder()
                .messageId("b@kontrol.cl")
                .from("reservas@kontrol.cl")
                .subject("Confirmacion reserva 9")
                .attachment(
                    Attachment.pdf("x.pdf", "%PDF-1.4 garbage".getBytes(StandardCharsets.UTF_8)))
                .build());
    InboundRecord broken =
        e.ingest(
            InboundMessage.builder()
                .messageId("c@x")
                .problems(List.of("broken MIME: missing boundary"))
                .build());
    InboundRecord stranger =
        e.ingest(
            InboundMessage.builder()
                .messageId("d@x.com")
                .from("spam@x.com")
                .subject("Oferta")
                .build());
    InboundRecord noAgency =
        e.ingest(
            InboundMessage.builder()
                .messageId("e@kontrol.cl")
                .from("reservas@kontrol.cl")
                .subject("Confirmacion")
                .attachment(
                    Attachment.pdf("r.pdf", "%PDF-1.4\nid=10\n".getBytes(StandardCharsets.UTF_8)))
                .build());
    assertThat(noPdf.outcome()).isEqualTo(InboundOutcome.QUARANTINED);
    assertThat(noPdf.reason()).contains("without a PDF");
    assertThat(brokenPdf.outcome()).isEqualTo(InboundOutcome.QUARANTINED);
    assertThat(brokenPdf.reason()).contains("could not be read").contains("no reservation id");
    assertThat(broken.outcome()).isEqualTo(InboundOutcome.QUARANTINED);
    assertThat(broken.reason()).isEqualTo("broken MIME: missing boundary");
    assertThat(stranger.outcome()).isEqualTo(InboundOutcome.IGNORED);
    assertThat(noAgency.outcome()).isEqualTo(InboundOutcome.QUARANTINED);
    assertThat(noAgency.reason()).contains("missing required fields: agencyName");
    assertThat(e.ingest(InboundMessage.builder().messageId("c@x").build())).isEqualTo(broken);
    assertThat(e.operations().statistics().total()).isZero();
  }

  @Test
  @DisplayName("ENFORCE: an unauthenticated confirmation is refused with the reason recorded")
  void authentication() {
    OcEngine e =
        engine(
            ReminderPolicy.DEFAULT,
            config().senderAuthentication(OcConfig.SenderAuthentication.ENFORCE));
    InboundMessage forged = confirmation("5", "Viajes Andes", "Reservado");
    InboundRecord r =
        e.ingest(
            InboundMessage.builder()
                .messageId(forged.messageId())
                .from(forged.from())
                .subject(forged.subject())
                .attachment(forged.attachments().get(0))
                .authenticated(false)
                .build());
    assertThat(r.outcome()).isEqualTo(InboundOutcome.QUARANTINED);
    assertThat(r.reason()).contains("not authenticated");
    assertThat(e.operations().reservation("5")).isEmpty();
  }

  @Test
  @DisplayName(
      "operators pause, resume, resend, cancel and mark received, each recorded with their name")
  void manualOperations() {
    OcEngine e = engine();
    e.ingest(confirmation("20", "Viajes Andes", "Reservado"));
    e.ingest(confirmation("21", "Viajes Andes", "Reservado"));
    e.tick();
    assertThat(stepsSent("20")).containsExactly("request");
    e.operations().pause("20", "ana");
    runDays(e, 3);
    assertThat(stepsSent("20")).containsExactly("request");
    e.operations().resume("20", "ana");
    e.tick();
    assertThat(stepsSent("20")).containsExactly("request", "reminder-1");
    e.operations().resend("20", Step.REQUEST, "luis");
    e.tick();
    assertThat(gateway.sent().stream().map(OutboundMessage::messageId))
        .anyMatch(id -> id.matches("oc\\.20\\.request\\.1\\.[a-z2-7]{16}@kontroltravel\\.com"));
    Reservation received =
        e.operations()
            .markReceived(
                "20",
                "4500123456",
                Attachment.pdf("oc.pdf", FakePdf.purchaseOrder("4500123456", "")),
                "ana");
    assertThat(received.state()).isEqualTo(TrackingState.RECEIVED);
    assertThat(received.purchaseOrder().ocNumber()).isEqualTo("4500123456");
    assertThatThrownBy(() -> e.operations().markReceived("20", null, null, "ana"))
        .isInstanceOf(InvalidOperationException.class);
    e.operations().cancel("21", "reserva anulada por teléfono", "luis");
    assertThatThrownBy(() -> e.operations().resend("21", Step.REQUEST, "luis"))
        .isInstanceOf(InvalidOperationException.class);
    assertThatThrownBy(() -> e.operations().cancel("404", null, "luis"))
        .isInstanceOf(ReservationNotFoundException.class);
    assertThat(e.operations().timeline("20"))
        .extracting(TimelineEvent::kind, TimelineEvent::actor)
        .contains(
            org.assertj.core.groups.Tuple.tuple(EventKind.PAUSED, "ana"),
            org.assertj.core.groups.Tuple.tuple(EventKind.RESUMED, "ana"),
            org.assertj.core.groups.Tuple.tuple(EventKind.RESENT, "luis"),
            org.assertj.core.groups.Tuple.tuple(EventKind.OC_RECEIVED, "ana"));
    assertThat(e.operations().timeline("21"))
        .anyMatch(ev -> ev.kind() == EventKind.CANCELLED && ev.actor().equals("luis"));
    assertThat(events)
        .anyMatch(ev -> ev.kind() == EventKind.OC_RECEIVED && ev.reservationId().equals("20"));
  }

  @Test
  @DisplayName("queries find by any reference, filter, page and count")
  void queries() {
    OcEngine e = engine();
    for (int i = 0; i < 12; i++) {
      e.track(
          ReservationDetails.builder(String.valueOf(100 + i))
              .internalLocator("LOC" + (1000 + i))
              .locator(String.valueOf(5000 + i))
              .agencyName(i % 3 == 0 ? "Desconocida" : "Viajes Andes")
              .build(),
          null);
    }
    assertThat(e.operations().find("LOC1003")).extracting(Reservation::id).containsExactly("103");
    assertThat(e.operations().find("loc1003")).extracting(Reservation::id).containsExactly("103");
    assertThat(e.operations().find("5004")).extracting(Reservation::id).containsExactly("104");
    Page<Reservation> attention =
        e.operations().list(ReservationQuery.all().withNeedsAttention(true));
    assertThat(attention.total()).isEqualTo(4);
    Page<Reservation> page =
        e.operations().list(ReservationQuery.all().withAgency("VIAJES ANDES S.A.").withPage(5, 5));
    assertThat(page.total()).isEqualTo(8);
    assertThat(page.items()).hasSize(3);
    assertThat(
            e.operations()
                .list(ReservationQuery.all().withStates(Set.of(TrackingState.PENDING)))
                .total())
        .isEqualTo(12);
    assertThat(e.operations().statistics().byState().get(TrackingState.PENDING)).isEqualTo(12);
    assertThat(e.operations().statistics().needingAttention()).isEqualTo(4);
  }

  @Test
  @DisplayName("an unknown agency configured later is chased once an operator resumes the booking")
  void agencyConfiguredLater() {
    OcEngine e = engine();
    e.ingest(confirmation("30", "Viajes Nuevos", "Reservado"));
    e.tick();
    assertThat(e.operations().reservation("30").orElseThrow().attentionReason())
        .contains("Agencia no configurada");
    assertThat(stepsSent("30")).isEmpty();
    e.operations().putAgency(Agency.requiringOc("Viajes Nuevos", "oc@nuevos.cl"), "ana");
    e.operations().resume("30", "ana");
    e.tick();
    assertThat(stepsSent("30")).containsExactly("request");
  }

  @Test
  @DisplayName("the daily digest goes once a business day to administration")
  void digest() {
    OcEngine e =
        engine(
            ReminderPolicy.DEFAULT, config().digestRecipients(List.of("admin@kontroltravel.com")));
    e.ingest(confirmation("40", "Sin Configurar", "Reservado"));
    runDays(e, 3);
    List<OutboundMessage> digests =
        gateway.sent().stream().filter(m -> m.messageId().startsWith("oc.digest.")).toList();
    // Monday 10:00 plus three days of ticks reaches Thursday morning: four business days.
    assertThat(digests).hasSize(4);
    assertThat(digests.get(0).subject()).startsWith("Resumen diario de OC - 2025-11-03");
    assertThat(digests.get(0).textBody()).contains("Requieren atención: 1").contains("Reserva #40");
  }

  @Test
  @DisplayName(
      "a booking past its expiry is EXPIRED, sends nothing, and stays flagged for a person")
  void expiredStaysFlagged() {
    OcEngine e = engine();
    e.track(
        ReservationDetails.builder("60")
            .agencyName("Viajes Andes")
            .issueDate(LocalDate.of(2025, 9, 1))
            .build(),
        null);
    e.tick();
    Reservation r = e.operations().reservation("60").orElseThrow();
    assertThat(r.state()).isEqualTo(TrackingState.EXPIRED);
    assertThat(r.attention()).isEqualTo(AttentionReason.EXPIRED_WITHOUT_OC);
    assertThat(r.attentionReason()).isEqualTo("Sin OC al vencer el plazo: 30 días");
    assertThat(stepsSent("60")).isEmpty();
    assertThat(e.operations().timeline("60")).anyMatch(ev -> ev.kind() == EventKind.EXPIRED);
  }

  @Test
  @DisplayName(
      "an OC naming a booking is filed only from the agency's addresses or configured domains;"
          + " an outsider's goes to review")
  void outsiderPurchaseOrder() {
    OcEngine e = engine();
    e.operations()
        .putAgency(
            Agency.requiringOc("Viajes Andes", "oc@andes.cl").withEmailDomains(List.of("andes.cl")),
            "setup");
    e.track(ReservationDetails.builder("4570070").agencyName("Viajes Andes").build(), null);
    e.track(ReservationDetails.builder("4570071").agencyName("Viajes Andes").build(), null);
    e.tick();
    InboundRecord outsider =
        e.ingest(
            InboundMessage.builder()
                .messageId("x1@evil.example")
                .from("someone@evil.example")
                .subject("OC reserva 4570070")
                .attachment(Attachment.pdf("oc.pdf", FakePdf.purchaseOrder("1", "")))
                .build());
    InboundRecord colleague =
        e.ingest(
            InboundMessage.builder()
                .messageId("x2@andes.cl")
                .from("finanzas@andes.cl")
                .subject("Orden de compra reserva 4570071")
                .attachment(Attachment.pdf("oc.pdf", FakePdf.purchaseOrder("2", "")))
                .build());
    assertThat(outsider.outcome()).isEqualTo(InboundOutcome.REVIEW);
    assertThat(outsider.reason()).contains("not a known address");
    assertThat(e.operations().reservation("4570070").orElseThrow().state())
        .isEqualTo(TrackingState.REQUESTED);
    assertThat(colleague.outcome()).isEqualTo(InboundOutcome.PURCHASE_ORDER);
    assertThat(e.operations().reservation("4570071").orElseThrow().state())
        .isEqualTo(TrackingState.RECEIVED);
  }

  @Test
  @DisplayName("the builder reports every missing part at once")
  void builderValidation() {
    assertThatThrownBy(() -> OcEngine.builder().build())
        .isInstanceOfSatisfying(
            ConfigurationException.class, ex -> assertThat(ex.problems()).hasSize(4));
  }

  /** How long {@link #loops} waits for each step of the running loops. */
  static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  @DisplayName(
      "started loops take mail in on push, report a mailbox outage as degraded, and recover")
  void loops() throws Exception {
    SettableClock real = SettableClock.at(clock.instant(), ZONE);
    OcEngine e =
        OcEngine.builder()
            .config(config().pollInterval(Duration.ofSeconds(2)).build())
            .store(store)
            .mailGateway(gateway)
            .reservationParser(new FakePdf())
            .clock(real)
            .build();
    e.operations().putAgency(Agency.requiringOc("Viajes Andes", "oc@andes.cl"), "setup");
    e.start();
    try {
      gateway.deliver(confirmation("50", "Viajes Andes", "Reservado"));
      Await.await(
          "the request for booking 50",
          () -> gateway.sent().stream().anyMatch(m -> m.messageId().startsWith("oc.50.request")),
          WAIT);
      gateway.failFetches(true);
      gateway.deliver(confirmation("51", "Viajes Andes", "Reservado"));
      Await.await("health DEGRADED", () -> e.health().status() == Health.Status.DEGRADED, WAIT);
      assertThat(e.health().problems()).containsKey("mailbox");
      gateway.failFetches(false);
      Await.await(
          "the request for booking 51 after the outage",
          () -> gateway.sent().stream().anyMatch(m -> m.messageId().startsWith("oc.51.request")),
          WAIT);
      Await.await("health UP again", () -> e.health().status() == Health.Status.UP, WAIT);
    } finally {
      e.close();
    }
    assertThatThrownBy(e::start).isInstanceOf(IllegalStateException.class);
  }
}
