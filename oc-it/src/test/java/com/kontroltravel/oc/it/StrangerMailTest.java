package com.kontroltravel.oc.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.examples.DemoPdfs;
import com.kontroltravel.oc.examples.OcApplication;
import com.kontroltravel.oc.examples.RunnerSettings;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.AttentionReason;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.testkit.Await;
import com.kontroltravel.oc.testkit.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attacker's view of the runner's wiring (settings, Jakarta Mail gateway, PDFBox parser, SQLite)
 * against a real IMAP/SMTP server: after a genuine confirmation is chased, a stranger replies on
 * the real thread with an OC, sends 50 guessed References, and forges a cancellation from the
 * booking system's address without an authentication result. Nothing changes, nothing is mailed to
 * the stranger, and each message waits for a person with its reason.
 */
class StrangerMailTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  static final String MAILBOX = "oc@kontroltravel.test";
  static final String BOOKING = "reservas@booking.test";
  static final String AGENCY = "compras@andes.test";
  static final String ATTACKER = "mallory@evil.test";
  static final String MX = "mx.kontroltravel.test";
  static final String ID = "45310001";

  @TempDir Path dir;

  @Test
  @DisplayName("a stranger's threaded OC, guessed References and a forged cancel change nothing")
  void strangersChangeNothing() throws Exception {
    SettableClock clock =
        SettableClock.at(ZonedDateTime.of(2025, 12, 1, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
    try (ItMail mail = ItMail.start(MAILBOX)) {
      Map<String, String> env = new HashMap<>(mail.env());
      env.put("OC_MAILBOX_ADDRESS", MAILBOX);
      env.put("ALLOWED_CONFIRMATION_SENDERS", BOOKING);
      env.put("OC_TRUSTED_AUTHSERV_IDS", MX);
      env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("oc.db"));
      try (OcApplication app = OcApplication.open(RunnerSettings.of(env), clock)) {
        OcEngine engine = app.engine();
        engine.operations().putAgency(Agency.requiringOc("VIAJES ANDES S.A.", AGENCY), "it");
        DemoPdfs.Confirmation booking = HostilePdfs.booking(ID, "VIAJES ANDES S.A.");
        mail.deliverRaw(
            BOOKING,
            mail.message(
                "conf-1@booking.test",
                BOOKING,
                "Confirmación de reserva " + ID,
                "Adjunto",
                clock.instant(),
                null,
                Map.of("Authentication-Results", MX + "; dmarc=pass header.from=booking.test"),
                List.of(ItMail.Attachment.pdf("r.pdf", DemoPdfs.confirmation(booking)))));
        Await.await(
            "the request reaches the agency",
            () -> {
              engine.tick();
              return !mail.inboxOf(AGENCY).isEmpty();
            },
            Duration.ofSeconds(30));
        String requestId = mail.inboxOf(AGENCY).get(0).getMessageID().replaceAll("[<>]", "");
        assertThat(requestId)
            .matches("oc\\." + ID + "\\.request\\.0\\.[a-z2-7]{16}@kontroltravel\\.test");

        byte[] oc = HostilePdfs.purchaseOrder("VIAJES ANDES S.A.", "4500999999", ID);
        mail.deliverRaw(
            ATTACKER,
            mail.message(
                "atk-thread@evil.test",
                ATTACKER,
                "RE: Solicitud de orden de compra",
                "Adjunto la OC",
                clock.instant(),
                requestId,
                Map.of(),
                List.of(ItMail.Attachment.pdf("oc.pdf", oc))));
        List<String> guessed = new ArrayList<>();
        for (int g = 0; g < 50; g++) {
          guessed.add("<oc." + ID + ".request." + g + "@kontroltravel.test>");
        }
        mail.deliverRaw(
            ATTACKER,
            mail.message(
                "atk-refs@evil.test",
                ATTACKER,
                "RE: OC " + ID,
                "Orden de compra adjunta",
                clock.instant(),
                null,
                Map.of("References", String.join(" ", guessed)),
                List.of(ItMail.Attachment.pdf("oc.pdf", oc))));
        mail.deliverRaw(
            BOOKING,
            mail.message(
                "forged-cancel@booking.test",
                BOOKING,
                "Confirmación de reserva " + ID + " - Cancelada",
                "Adjunto",
                clock.instant(),
                null,
                Map.of(),
                List.of(
                    ItMail.Attachment.pdf(
                        "r.pdf", DemoPdfs.confirmation(booking.withStatus("Cancelado"))))));
        Await.await(
            "the three messages are recorded",
            () -> {
              engine.tick();
              return engine.operations().inbound(InboundOutcome.REVIEW, 10).size() >= 3;
            },
            Duration.ofSeconds(30));
        engine.tick();

        Reservation r = engine.operations().reservation(ID).orElseThrow();
        assertThat(r.state()).isEqualTo(TrackingState.REQUESTED);
        assertThat(r.purchaseOrder()).isNull();
        assertThat(r.attention()).isEqualTo(AttentionReason.UNVERIFIED_CONFIRMATION);
        List<InboundRecord> review = engine.operations().inbound(InboundOutcome.REVIEW, 10);
        assertThat(review)
            .extracting(InboundRecord::messageId)
            .containsExactlyInAnyOrder(
                "atk-thread@evil.test", "atk-refs@evil.test", "forged-cancel@booking.test");
        assertThat(review)
            .filteredOn(x -> x.messageId().equals("atk-thread@evil.test"))
            .singleElement()
            .satisfies(x -> assertThat(x.reason()).contains("not a contact of its agency"));
        assertThat(review)
            .filteredOn(x -> x.messageId().equals("forged-cancel@booking.test"))
            .singleElement()
            .satisfies(x -> assertThat(x.reason()).contains("held for a person"));
        assertThat(mail.inboxOf(ATTACKER)).as("nothing mailed to the stranger").isEmpty();
        assertThat(mail.inboxOf(AGENCY)).as("only the request went to the agency").hasSize(1);
      }
    }
  }
}
