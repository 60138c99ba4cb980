package com.kontroltravel.oc.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.AttentionReason;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.store.memory.InMemoryStore;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What a stranger's email can make the engine do: nothing. Each test is an attack that worked on
 * the first tranche (threading on a guessed Message-ID, a forged confirmation, a webmail colleague)
 * and must now change nothing and mail nothing to the attacker.
 */
class TrustBoundaryTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  static final String BOOKING_SYSTEM = "reservas@kontrol.cl";
  static final String ATTACKER = "mallory@evil.example";

  SettableClock clock;
  RecordingMailGateway gateway;
  InMemoryStore store;
  final AtomicInteger seq = new AtomicInteger();

  @BeforeEach
  void setUp() {
    clock = SettableClock.at(ZonedDateTime.of(2025, 11, 3, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
    gateway = RecordingMailGateway.create(clock);
    store = InMemoryStore.create();
  }

  OcEngine engine(OcConfig.SenderAuthentication mode) {
    OcEngine e =
        OcEngine.builder()
            .config(
                OcConfig.builder()
                    .mailboxAddress("oc@kontroltravel.com")
                    .allowedSenders(List.of(BOOKING_SYSTEM))
                    .senderAuthentication(mode)
                    .nodeId("t")
                    .build())
            .store(store)
            .mailGateway(gateway)
            .reservationParser(new FakePdf())
            .clock(clock)
            .build();
    e.operations().putAgency(Agency.requiringOc("Viajes Andes", "oc@andes.cl"), "setup");
    e.operations().putAgency(Agency.requiringOc("Turismo Gmail", "ventas.tg@gmail.com"), "setup");
    return e;
  }

  InboundMessage confirmation(String id, String agency, String status, String hotel, boolean auth) {
    ReservationDetails d =
        ReservationDetails.builder(id)
            .agencyName(agency)
            .status(status)
            .hotelName(hotel)
            .issueDate(LocalDate.of(2025, 11, 3))
            .build();
    return InboundMessage.builder()
        .messageId("c" + seq.incrementAndGet() + "@kontrol.cl")
        .from(BOOKING_SYSTEM)
        .subject("Confirmacion reserva " + id)
        .date(clock.instant())
        .attachment(Attachment.pdf("r.pdf", FakePdf.confirmation(d)))
        .authenticated(auth)
        .build();
  }

  InboundMessage reply(String from, String subject, List<String> inReplyTo, List<String> refs) {
    return InboundMessage.builder()
        .messageId("r" + seq.incrementAndGet() + "@x")
        .from(from)
        .subject(subject)
        .inReplyTo(inReplyTo)
        .references(refs)
        .attachment(Attachment.pdf("oc.pdf", FakePdf.purchaseOrder("4500000001", "")))
        .build();
  }

  /** A booking tracked and asked for its OC; returns the request's Message-ID. */
  String requested(OcEngine e, String id, String agency) {
    e.ingest(confirmation(id, agency, "Reservado", "Hotel Plaza", true));
    e.tick();
    return gateway.sent().stream()
        .map(OutboundMessage::messageId)
        .filter(m -> m.startsWith("oc." + id + ".request."))
        .findFirst()
        .orElseThrow();
  }

  void assertUntouched(OcEngine e, String id) {
    Reservation r = e.operations().reservation(id).orElseThrow();
    assertThat(r.state()).isEqualTo(TrackingState.REQUESTED);
    assertThat(r.purchaseOrder()).isNull();
    assertThat(gateway.sent())
        .as("nothing is mailed to the attacker")
        .noneMatch(m -> m.to().contains(ATTACKER) || m.cc().contains(ATTACKER));
  }

  @Test
  @DisplayName("Message-IDs carry a MAC: the old predictable form does not match our request")
  void messageIdsCannotBeGuessed() {
    OcEngine e = engine(OcConfig.SenderAuthentication.WARN);
    String real = requested(e, "4570011", "Viajes Andes");
    assertThat(real).matches("oc\\.4570011\\.request\\.0\\.[a-z2-7]{16}@kontroltravel\\.com");
    InboundRecord guessed =
        e.ingest(
            reply(
                ATTACKER,
                "RE: solicitud",
                List.of("oc.4570011.request.0@kontroltravel.com"),
                List.of()));
    assertThat(guessed.outcome()).isNotEqualTo(InboundOutcome.PURCHASE_ORDER);
    e.tick();
    assertUntouched(e, "4570011");
  }

  @Test
  @DisplayName("another deployment (another store) gives the same step another Message-ID")
  void keyIsPerDeployment() {
    String first = requested(engine(OcConfig.SenderAuthentication.WARN), "4570011", "Viajes Andes");
    store = InMemoryStore.create();
    gateway.clearSent();
    String second =
        requested(engine(OcConfig.SenderAuthentication.WARN), "4570011", "Viajes Andes");
    assertThat(second).isNotEqualTo(first);
  }

  @Test
  @DisplayName("a threaded reply with the real Message-ID from a stranger goes to review")
  void threadedStranger() {
    OcEngine e = engine(OcConfig.SenderAuthentication.WARN);
    String real = requested(e, "4570012", "Viajes Andes");
    InboundRecord r = e.ingest(reply(ATTACKER, "RE: OC", List.of(real), List.of(real)));
    assertThat(r.outcome()).isEqualTo(InboundOutcome.REVIEW);
    assertThat(r.reason()).contains("not a contact of its agency");
    e.tick();
    assertUntouched(e, "4570012");
    assertThat(e.operations().reservation("4570012").orElseThrow().needsAttention()).isFalse();
  }

  @Test
  @DisplayName("50 guessed References are capped and match nothing")
  void manyReferences() {
    OcEngine e = engine(OcConfig.SenderAuthentication.WARN);
    requested(e, "4570013", "Viajes Andes");
    List<String> refs = new ArrayList<>();
    for (int g = 0; g < 50; g++) {
      refs.add("oc.4570013.request." + g + "@kontroltravel.com");
    }
    InboundRecord r = e.ingest(reply(ATTACKER, "RE: solicitud", List.of(), refs));
    assertThat(r.outcome()).isNotEqualTo(InboundOutcome.PURCHASE_ORDER);
    e.tick();
    assertUntouched(e, "4570013");
  }

  @Test
  @DisplayName("the agency's own reply is filed, and the acknowledgement goes to its contacts only")
  void agencyReplyAcknowledgedToContacts() {
    OcEngine e = engine(OcConfig.SenderAuthentication.WARN);
    e.operations()
        .putAgency(
            Agency.requiringOc("Viajes Andes", "oc@andes.cl").withEmailDomains(List.of("andes.cl")),
            "setup");
    String real = requested(e, "4570014", "Viajes Andes");
    InboundRecord r = e.ingest(reply("finanzas@andes.cl", "RE: OC", List.of(real), List.of(real)));
    assertThat(r.outcome()).isEqualTo(InboundOutcome.PURCHASE_ORDER);
    e.tick();
    OutboundMessage ack =
        gateway.sent().stream()
            .filter(m -> m.messageId().startsWith("oc.4570014.acknowledgement."))
            .findFirst()
            .orElseThrow();
    assertThat(ack.to()).containsExactly("oc@andes.cl");
  }

  @Test
  @DisplayName("a webmail stranger at the contact's webmail domain cannot close the chase")
  void freeMailStranger() {
    OcEngine e = engine(OcConfig.SenderAuthentication.WARN);
    requested(e, "4570015", "Turismo Gmail");
    InboundRecord r =
        e.ingest(
            reply(
                "anyone.else@gmail.com", "Orden de compra reserva 4570015", List.of(), List.of()));
    assertThat(r.outcome()).isEqualTo(InboundOutcome.REVIEW);
    e.tick();
    assertThat(e.operations().reservation("4570015").orElseThrow().state())
        .isEqualTo(TrackingState.REQUESTED);
  }

  @Test
  @DisplayName("WARN: a forged cancellation is held for a person; the chase goes on")
  void forgedCancelHeldUnderWarn() {
    OcEngine e = engine(OcConfig.SenderAuthentication.WARN);
    requested(e, "4570016", "Viajes Andes");
    InboundRecord r =
        e.ingest(confirmation("4570016", "Viajes Andes", "Cancelado", "Hotel Plaza", false));
    assertThat(r.outcome()).isEqualTo(InboundOutcome.REVIEW);
    assertThat(r.reason()).contains("held for a person").contains("cancel");
    Reservation b = e.operations().reservation("4570016").orElseThrow();
    assertThat(b.state()).isEqualTo(TrackingState.REQUESTED);
    assertThat(b.attention()).isEqualTo(AttentionReason.UNVERIFIED_CONFIRMATION);
  }

  @Test
  @DisplayName("WARN: the same cancellation, authenticated, is applied")
  void authenticatedCancelApplied() {
    OcEngine e = engine(OcConfig.SenderAuthentication.WARN);
    requested(e, "4570017", "Viajes Andes");
    InboundRecord r =
        e.ingest(confirmation("4570017", "Viajes Andes", "Cancelado", "Hotel Plaza", true));
    assertThat(r.outcome()).isEqualTo(InboundOutcome.CONFIRMATION);
    assertThat(e.operations().reservation("4570017").orElseThrow().state())
        .isEqualTo(TrackingState.CANCELLED);
  }

  @Test
  @DisplayName(
      "ENFORCE: a forged new booking with a link in the hotel is refused and mails nothing")
  void forgedNewBookingRefusedUnderEnforce() {
    OcEngine e = engine(OcConfig.SenderAuthentication.ENFORCE);
    InboundRecord r =
        e.ingest(
            confirmation(
                "9999", "Viajes Andes", "Reservado", "PAGUE AQUI: http://evil.example/pay", false));
    assertThat(r.outcome()).isEqualTo(InboundOutcome.QUARANTINED);
    assertThat(r.reason()).startsWith("refused").contains("not authenticated");
    e.tick();
    assertThat(e.operations().reservation("9999")).isEmpty();
    assertThat(gateway.sent()).isEmpty();
  }

  @Test
  @DisplayName("OFF: the From header is obeyed (for servers that stamp no results), as documented")
  void offObeysFrom() {
    OcEngine e = engine(OcConfig.SenderAuthentication.OFF);
    requested(e, "4570018", "Viajes Andes");
    InboundRecord r =
        e.ingest(confirmation("4570018", "Viajes Andes", "Cancelado", "Hotel Plaza", false));
    assertThat(r.outcome()).isEqualTo(InboundOutcome.CONFIRMATION);
    assertThat(e.operations().reservation("4570018").orElseThrow().state())
        .isEqualTo(TrackingState.CANCELLED);
  }
}
