package com.kontroltravel.oc.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.AttentionReason;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.ParseProblem;
import com.kontroltravel.oc.model.ParseResult;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.store.memory.InMemoryStore;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A confirmation read with doubt is tracked but not chased until a person has checked it. */
class UncertainReadingTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");

  @Test
  @DisplayName("a low-confidence field holds the request for a person; resuming starts the chase")
  void lowConfidenceHoldsTheRequest() {
    SettableClock clock =
        SettableClock.at(ZonedDateTime.of(2025, 11, 3, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
    RecordingMailGateway gateway = RecordingMailGateway.create(clock);
    ReservationDetails details =
        ReservationDetails.builder("4571001")
            .agencyName("Viajes Andes")
            .hotelName("HamptonbyHiltonSantiagoLasCondes")
            .issueDate(LocalDate.of(2025, 11, 3))
            .build();
    OcEngine e =
        OcEngine.builder()
            .config(
                OcConfig.builder()
                    .mailboxAddress("oc@kontroltravel.com")
                    .allowedSenders(List.of("reservas@kontrol.cl"))
                    .build())
            .store(InMemoryStore.create())
            .mailGateway(gateway)
            .reservationParser(
                bytes ->
                    new ParseResult(
                        details,
                        Map.of(),
                        List.of(
                            ParseProblem.lowConfidence(
                                "hotelName", "low confidence: word breaks judged from gaps"))))
            .clock(clock)
            .build();
    e.operations().putAgency(Agency.requiringOc("Viajes Andes", "oc@andes.cl"), "setup");
    e.ingest(
        InboundMessage.builder()
            .messageId("c1@kontrol.cl")
            .from("reservas@kontrol.cl")
            .subject("Confirmacion reserva 4571001")
            .attachment(Attachment.pdf("r.pdf", "%PDF-1.4 stub".getBytes()))
            .authenticated(true)
            .build());
    e.tick();
    Reservation held = e.operations().reservation("4571001").orElseThrow();
    assertThat(held.state()).isEqualTo(TrackingState.PENDING);
    assertThat(held.attention()).isEqualTo(AttentionReason.UNCERTAIN_READING);
    assertThat(held.attentionReason()).contains("hotelName");
    assertThat(gateway.sent()).as("nothing mailed before a person checks").isEmpty();

    e.operations().resume("4571001", "ana");
    e.tick();
    assertThat(gateway.sent()).hasSize(1);
    assertThat(e.operations().reservation("4571001").orElseThrow().state())
        .isEqualTo(TrackingState.REQUESTED);
  }
}
