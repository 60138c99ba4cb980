package com.kontroltravel.oc.it;

import static com.kontroltravel.oc.it.HostileCase.ANY;
import static com.kontroltravel.oc.it.HostileCase.b64;
import static com.kontroltravel.oc.it.HostileCase.confirmationWithPart;
import static com.kontroltravel.oc.it.HostileCase.encodedWord;
import static com.kontroltravel.oc.it.HostileCase.one;
import static com.kontroltravel.oc.it.HostileCase.raw;
import static com.kontroltravel.oc.it.HostileCase.tracked;
import static com.kontroltravel.oc.it.HostileInputTest.AGENCY;
import static com.kontroltravel.oc.it.HostileInputTest.AGENCY_MAIL;
import static com.kontroltravel.oc.it.HostileInputTest.B1;
import static com.kontroltravel.oc.it.HostileInputTest.B2;
import static com.kontroltravel.oc.it.HostileInputTest.INJECTED;
import static com.kontroltravel.oc.it.HostileInputTest.XSS_AGENCY;

import com.kontroltravel.oc.model.InboundOutcome;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Hostile inputs, as data for {@link HostileInputTest}: CR/LF aimed at outbound headers, and HTML
 * or script in what ends up in outbound mail.
 */
final class HostileHeaderCases {
  private HostileHeaderCases() {}

  /** The cases, in the order they run (later ones build on the bookings of earlier ones). */
  static List<HostileCase> cases() {
    List<HostileCase> cs = new ArrayList<>();

    // --- CR/LF aimed at headers
    cs.add(
        one(
            "CR/LF + Bcc in an encoded subject of a confirmation",
            t ->
                confirmationWithPart(
                    "h-crlfsubject@it.test",
                    encodedWord(
                        "Confirmacion de reserva 45211030\r\nBcc: evil@attacker.test\r\n"
                            + INJECTED),
                    "Content-Type: application/pdf; name=\"r.pdf\"\r\nContent-Transfer-Encoding: base64",
                    b64(HostilePdfs.confirmation("45211030", AGENCY)),
                    true),
            ANY));
    cs.add(
        one(
            "CR/LF in the agency name inside the PDF",
            t ->
                t.confirmation(
                    "h-crlfagency@it.test",
                    "45211031",
                    HostilePdfs.rawConfirmation(
                        "45211031",
                        "VIAJES ANDES S.A.\r\n" + INJECTED + "\r\nBcc: evil@attacker.test",
                        "Hotel Uno",
                        "LOCCRLF",
                        null)),
            ANY));
    cs.add(
        one(
            "CR/LF in the reservation id inside the PDF",
            t ->
                t.confirmation(
                    "h-crlfid@it.test",
                    "45211032",
                    HostilePdfs.rawConfirmation(
                        "45211032\r\n" + INJECTED, AGENCY, "Hotel Dos", "LOCCRID", null)),
            ANY));
    cs.add(
        one(
            "CR/LF in the hotel name inside the PDF",
            t ->
                t.confirmation(
                    "h-crlfhotel@it.test",
                    "45211033",
                    HostilePdfs.rawConfirmation(
                        "45211033",
                        AGENCY,
                        "Hotel\r\n" + INJECTED + "\r\nBcc: evil@attacker.test",
                        "LOCCRHO",
                        null)),
            ANY));
    cs.add(
        one(
            "CR/LF in the LOC interno inside the PDF",
            t ->
                t.confirmation(
                    "h-crlfloc@it.test",
                    "45211034",
                    HostilePdfs.rawConfirmation(
                        "45211034", AGENCY, "Hotel Tres", "AB\r\n" + INJECTED, null)),
            ANY));
    cs.add(
        one(
            "CR/LF in the OC number of a reply",
            t ->
                t.reply(
                    "h-crlfoc@it.test",
                    AGENCY_MAIL,
                    "RE: Solicitud de Orden de Compra - Reserva #" + B1,
                    "oc." + B1 + ".request.0@kontroltravel.test",
                    HostilePdfs.rawPurchaseOrder(
                        AGENCY, "4500111111\r\n" + INJECTED + "\r\nBcc: evil@attacker.test", B1)),
            EnumSet.of(InboundOutcome.PURCHASE_ORDER, InboundOutcome.REVIEW)));
    cs.add(
        one(
            "CR/LF in the subject of an unmatched OC",
            t ->
                raw(
                    "Message-ID: <h-crlfocsubj@it.test>",
                    "From: agency@nowhere.test",
                    "Subject: " + encodedWord("Orden de compra 999\r\n" + INJECTED),
                    "",
                    "Adjunto la orden de compra"),
            EnumSet.of(InboundOutcome.REVIEW, InboundOutcome.IGNORED)));
    cs.add(
        one(
            "10,000 References and a folded In-Reply-To",
            t -> {
              StringBuilder refs = new StringBuilder("References:");
              for (int i = 0; i < 10_000; i++) {
                refs.append(" <r").append(i).append("@x.test>\r\n");
              }
              return raw(
                  "Message-ID: <h-refs@it.test>",
                  "From: agency@nowhere.test",
                  refs.toString().strip(),
                  "In-Reply-To:\r\n <oc." + B2 + ".request.0@kontroltravel.test>\r\n " + INJECTED,
                  "Subject: orden de compra",
                  "",
                  "sin adjunto");
            },
            ANY));

    // --- HTML and script
    cs.add(
        tracked(
            "agency name with <script> (a configured agency)",
            t ->
                t.confirmation(
                    "h-xssagency@it.test",
                    "45211040",
                    HostilePdfs.rawConfirmation(
                        "45211040", XSS_AGENCY, "Hotel Cuatro", "LOCXSS1", null)),
            "45211040"));
    cs.add(
        tracked(
            "hotel name with an <img onerror> handler",
            t ->
                t.confirmation(
                    "h-xsshotel@it.test",
                    "45211041",
                    HostilePdfs.rawConfirmation(
                        "45211041",
                        AGENCY,
                        "<img src=x onerror=alert(1)> Hotel <script>alert(2)</script>",
                        "LOCXSS2",
                        null)),
            "45211041"));
    cs.add(
        tracked(
            "subject with <script>",
            t ->
                t.confirmation(
                    "h-xsssubject@it.test",
                    "Confirmacion de reserva 45211042 <script>alert(3)</script>",
                    "r.pdf",
                    HostilePdfs.confirmation("45211042", AGENCY)),
            "45211042"));
    cs.add(
        one(
            "OC number with <script>",
            t ->
                t.reply(
                    "h-xssoc@it.test",
                    AGENCY_MAIL,
                    "RE: Solicitud de Orden de Compra - Reserva #" + B2,
                    "oc." + B2 + ".request.0@kontroltravel.test",
                    HostilePdfs.rawPurchaseOrder(
                        AGENCY, "4500222222<script>alert(4)</script>", B2)),
            EnumSet.of(InboundOutcome.PURCHASE_ORDER, InboundOutcome.REVIEW)));
    cs.add(
        one(
            "From name with <script> and an HTML-only body",
            t ->
                raw(
                    "Message-ID: <h-xssfrom@it.test>",
                    "From: \"<script>alert(5)</script>\" <x@nowhere.test>",
                    "Subject: hola",
                    "MIME-Version: 1.0",
                    "Content-Type: text/html; charset=utf-8",
                    "",
                    "<html><body onload=alert(6)><script>alert(7)</script>Orden de compra"
                        + " </body></html>"),
            EnumSet.of(InboundOutcome.REVIEW, InboundOutcome.IGNORED)));
    return cs;
  }
}
