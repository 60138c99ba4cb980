package com.kontroltravel.oc.it;

import static com.kontroltravel.oc.it.HostileCase.ANY;
import static com.kontroltravel.oc.it.HostileCase.b64;
import static com.kontroltravel.oc.it.HostileCase.confirmationWithPart;
import static com.kontroltravel.oc.it.HostileCase.not;
import static com.kontroltravel.oc.it.HostileCase.one;
import static com.kontroltravel.oc.it.HostileInputTest.AGENCY;
import static com.kontroltravel.oc.it.HostileInputTest.AGENCY_MAIL;
import static com.kontroltravel.oc.it.HostileInputTest.AUTHSERV;
import static com.kontroltravel.oc.it.HostileInputTest.AUTH_PASS;
import static com.kontroltravel.oc.it.HostileInputTest.B1;
import static com.kontroltravel.oc.it.HostileInputTest.B3;
import static com.kontroltravel.oc.it.HostileInputTest.BOOKING;
import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.TrackingState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * Hostile inputs, as data for {@link HostileInputTest}: spoofed senders, replies that do not fit,
 * and duplicates.
 */
final class HostileSenderCases {
  private HostileSenderCases() {}

  /** The cases, in the order they run (later ones build on the bookings of earlier ones). */
  static List<HostileCase> cases() {
    List<HostileCase> cs = new ArrayList<>();

    // --- spoofing
    cs.add(
        one(
            "allowed sender without Authentication-Results",
            t ->
                confirmationWithPart(
                    "h-spoof-noauth@it.test",
                    "Confirmacion de reserva 45211050",
                    "Content-Type: application/pdf; name=\"r.pdf\"\r\nContent-Transfer-Encoding: base64",
                    b64(HostilePdfs.confirmation("45211050", AGENCY)),
                    false),
            EnumSet.of(InboundOutcome.QUARANTINED)));
    cs.add(
        one(
            "allowed sender with dmarc=fail from the trusted server",
            t ->
                confirmationWith(
                    t,
                    "h-spoof-fail@it.test",
                    BOOKING,
                    "45211051",
                    Map.of(
                        "Authentication-Results",
                        AUTHSERV + "; dmarc=fail header.from=booking.test; dkim=fail")),
            EnumSet.of(InboundOutcome.QUARANTINED)));
    cs.add(
        one(
            "allowed sender with a pass forged by an untrusted server",
            t ->
                confirmationWith(
                    t,
                    "h-spoof-forged@it.test",
                    BOOKING,
                    "45211052",
                    Map.of(
                        "Authentication-Results",
                        "mx.attacker.test; dmarc=pass header.from=booking.test")),
            EnumSet.of(InboundOutcome.QUARANTINED)));
    cs.add(
        one(
            "pass for another domain (header.from=attacker.test)",
            t ->
                confirmationWith(
                    t,
                    "h-spoof-otherdomain@it.test",
                    BOOKING,
                    "45211053",
                    Map.of(
                        "Authentication-Results",
                        AUTHSERV + "; dmarc=pass header.from=attacker.test")),
            EnumSet.of(InboundOutcome.QUARANTINED)));
    cs.add(
        one(
            "display name that looks like the allowed sender",
            t ->
                confirmationWith(
                    t,
                    "h-spoof-display@it.test",
                    "\"" + BOOKING + "\" <evil@attacker.test>",
                    "45211054",
                    AUTH_PASS),
            not(InboundOutcome.CONFIRMATION)));

    // --- replies and duplicates
    cs.add(
        new HostileCase(
            "an OC naming two bookings",
            t ->
                List.of(
                    t.mail.message(
                        "h-twobookings@andes.test",
                        AGENCY_MAIL,
                        "Orden de compra reservas 45211020 y 45211021",
                        "Adjuntamos la OC para las reservas 45211020 y 45211021",
                        t.clock.instant(),
                        null,
                        Map.of(),
                        List.of(
                            ItMail.Attachment.pdf(
                                "OC.pdf",
                                HostilePdfs.rawPurchaseOrder(
                                    AGENCY, "4500333333", "45211020 y 45211021"))))),
            EnumSet.of(InboundOutcome.REVIEW),
            1,
            (t, r) -> {
              for (String id : List.of("45211020", "45211021")) {
                assertThat(t.engine.operations().reservation(id).orElseThrow().state())
                    .as("an ambiguous OC is not filed against %s", id)
                    .isNotEqualTo(TrackingState.RECEIVED);
              }
            }));
    cs.add(
        new HostileCase(
            "an OC for a booking already received",
            t ->
                List.of(
                    t.reply(
                        "h-again@andes.test",
                        AGENCY_MAIL,
                        "RE: Solicitud de Orden de Compra - Reserva #" + B3,
                        "oc." + B3 + ".request.0@kontroltravel.test",
                        HostilePdfs.purchaseOrder(AGENCY, "4500999999", B3))),
            ANY,
            1,
            (t, r) -> {
              Reservation b3 = t.engine.operations().reservation(B3).orElseThrow();
              assertThat(b3.state()).isEqualTo(TrackingState.RECEIVED);
              assertThat(b3.purchaseOrder().ocNumber()).isEqualTo("4500000003");
              long acks =
                  t.mail.inboxOf(AGENCY_MAIL).stream()
                      .filter(m -> ItMail.messageId(m).startsWith("oc." + B3 + ".acknowledgement."))
                      .count();
              assertThat(acks).as("one acknowledgement only").isEqualTo(1);
            }));
    cs.add(
        new HostileCase(
            "the same confirmation delivered three times",
            t -> {
              byte[] m =
                  t.confirmation(
                      "h-dup@booking.test",
                      "45211060",
                      HostilePdfs.confirmation("45211060", AGENCY));
              return List.of(m, m, m);
            },
            EnumSet.of(InboundOutcome.CONFIRMATION),
            1,
            (t, r) ->
                assertThat(
                        t.mail.inboxOf(AGENCY_MAIL).stream()
                            .filter(m -> ItMail.messageId(m).startsWith("oc.45211060.request."))
                            .count())
                    .as("one request for a thrice-delivered confirmation")
                    .isEqualTo(1)));
    cs.add(
        new HostileCase(
            "a second message reusing an earlier Message-ID",
            t ->
                List.of(
                    t.reply(
                        "h-dup@booking.test",
                        AGENCY_MAIL,
                        "Orden de compra 45211022",
                        null,
                        HostilePdfs.purchaseOrder(AGENCY, "4500444444", "45211022"))),
            ANY,
            0,
            (t, r) ->
                assertThat(t.engine.operations().reservation("45211022").orElseThrow().state())
                    .as("a reused Message-ID is not processed again")
                    .isNotEqualTo(TrackingState.RECEIVED)));
    cs.add(
        one(
            "an OC for a booking nobody tracks",
            t ->
                t.reply(
                    "h-unknown@andes.test",
                    AGENCY_MAIL,
                    "Orden de compra reserva 99999999",
                    null,
                    HostilePdfs.purchaseOrder(AGENCY, "4500555555", "99999999")),
            EnumSet.of(InboundOutcome.REVIEW)));
    cs.add(
        one(
            "a reply to a Message-ID we never sent",
            t ->
                t.reply(
                    "h-foreignreply@andes.test",
                    AGENCY_MAIL,
                    "RE: algo",
                    "oc." + B1 + ".request.0@attacker.test",
                    null),
            EnumSet.of(InboundOutcome.IGNORED, InboundOutcome.REVIEW)));
    cs.add(
        one(
            "an OC from an unrelated sender naming a booking",
            t ->
                t.reply(
                    "h-thirdparty@outsider.test",
                    "someone@outsider.test",
                    "Orden de compra 45211024",
                    null,
                    HostilePdfs.purchaseOrder("EVIL", "4500666666", "45211024")),
            ANY));
    return cs;
  }

  /** A confirmation of booking {@code id} (its PDF as r.pdf) from {@code from}, with headers. */
  static byte[] confirmationWith(
      HostileInputTest t, String messageId, String from, String id, Map<String, String> headers) {
    return t.mail.message(
        messageId,
        from,
        "Confirmacion de reserva " + id,
        "x",
        t.clock.instant(),
        null,
        headers,
        List.of(ItMail.Attachment.pdf("r.pdf", HostilePdfs.confirmation(id, AGENCY))));
  }
}
