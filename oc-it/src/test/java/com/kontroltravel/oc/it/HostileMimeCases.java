package com.kontroltravel.oc.it;

import static com.kontroltravel.oc.it.HostileCase.ANY;
import static com.kontroltravel.oc.it.HostileCase.NOTHING_MORE;
import static com.kontroltravel.oc.it.HostileCase.REJECTED;
import static com.kontroltravel.oc.it.HostileCase.b64;
import static com.kontroltravel.oc.it.HostileCase.confirmationWithPart;
import static com.kontroltravel.oc.it.HostileCase.not;
import static com.kontroltravel.oc.it.HostileCase.one;
import static com.kontroltravel.oc.it.HostileCase.raw;
import static com.kontroltravel.oc.it.HostileInputTest.AGENCY;
import static com.kontroltravel.oc.it.HostileInputTest.AUTH_PASS;
import static com.kontroltravel.oc.it.HostileInputTest.BOOKING;

import com.kontroltravel.oc.model.InboundOutcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Hostile inputs, as data for {@link HostileInputTest}: malformed MIME: garbage, broken multiparts
 * and encodings, deep nesting, huge headers, an oversized message.
 */
final class HostileMimeCases {
  private HostileMimeCases() {}

  /** The cases, in the order they run (later ones build on the bookings of earlier ones). */
  static List<HostileCase> cases() {
    byte[] good = HostilePdfs.confirmation("45219999", AGENCY);
    String goodB64 = b64(good);
    List<HostileCase> cs = new ArrayList<>();

    // --- malformed MIME
    cs.add(
        one(
            "binary garbage, no headers",
            t -> {
              byte[] b = new byte[4096];
              new java.util.Random(1).nextBytes(b);
              for (int i = 0; i < b.length; i++) {
                if (b[i] == '\r' || b[i] == '\n') {
                  b[i] = 'x';
                }
              }
              return b;
            },
            REJECTED));
    // Without a Message-ID the key is a hash of the decoded sender, date, subject, body and
    // attachments: an empty message decodes exactly like the headerless garbage above, so it is
    // recorded under that same key (0 new records) or, if the gateway tells them apart, once.
    cs.add(new HostileCase("empty message", t -> List.of(raw("")), REJECTED, -1, NOTHING_MORE));
    cs.add(
        one(
            "multipart without boundary",
            t ->
                raw(
                    "Message-ID: <h-noboundary@it.test>",
                    "From: " + BOOKING,
                    "Authentication-Results: " + AUTH_PASS.get("Authentication-Results"),
                    "Subject: Confirmacion de reserva 45211001",
                    "MIME-Version: 1.0",
                    "Content-Type: multipart/mixed",
                    "",
                    "--x",
                    "Content-Type: application/pdf",
                    "",
                    "%PDF-1.4 nothing"),
            not(InboundOutcome.CONFIRMATION)));
    cs.add(
        one(
            "boundary never closed, base64 PDF cut in half",
            t ->
                raw(
                    "Message-ID: <h-unclosed@it.test>",
                    "From: " + BOOKING,
                    "Authentication-Results: " + AUTH_PASS.get("Authentication-Results"),
                    "Subject: Confirmacion de reserva 45211002",
                    "MIME-Version: 1.0",
                    "Content-Type: multipart/mixed; boundary=\"b1\"",
                    "",
                    "--b1",
                    "Content-Type: application/pdf; name=\"r.pdf\"",
                    "Content-Transfer-Encoding: base64",
                    "",
                    goodB64.substring(0, goodB64.length() / 2)),
            not(InboundOutcome.CONFIRMATION)));
    cs.add(
        one(
            "invalid base64 in the PDF part",
            t ->
                confirmationWithPart(
                    "h-badb64@it.test",
                    "Confirmacion de reserva 45211003",
                    "Content-Type: application/pdf; name=\"r.pdf\"\r\nContent-Transfer-Encoding: base64",
                    "JVBERi0x!!!!****@@@@ not base64 at all ~~~~\r\n====",
                    true),
            not(InboundOutcome.CONFIRMATION)));
    cs.add(
        one(
            "unknown transfer encoding",
            t ->
                confirmationWithPart(
                    "h-xenc@it.test",
                    "Confirmacion de reserva 45211004",
                    "Content-Type: application/pdf; name=\"r.pdf\"\r\nContent-Transfer-Encoding: x-evil",
                    goodB64,
                    true),
            ANY));
    cs.add(
        one(
            "multiparts nested 300 deep",
            t -> {
              StringBuilder b = new StringBuilder();
              b.append("Message-ID: <h-deep@it.test>\r\nFrom: ")
                  .append(BOOKING)
                  .append("\r\nAuthentication-Results: ")
                  .append(AUTH_PASS.get("Authentication-Results"))
                  .append("\r\nSubject: Confirmacion de reserva 45211005\r\nMIME-Version: 1.0\r\n");
              for (int i = 0; i < 300; i++) {
                b.append("Content-Type: multipart/mixed; boundary=\"d")
                    .append(i)
                    .append("\"\r\n\r\n--d")
                    .append(i)
                    .append("\r\n");
              }
              b.append("Content-Type: text/plain\r\n\r\nbottom\r\n");
              for (int i = 299; i >= 0; i--) {
                b.append("--d").append(i).append("--\r\n");
              }
              return b.toString().getBytes(StandardCharsets.US_ASCII);
            },
            not(InboundOutcome.CONFIRMATION)));
    cs.add(
        one(
            "3,000 tiny parts",
            t -> {
              StringBuilder b = new StringBuilder();
              b.append("Message-ID: <h-manyparts@it.test>\r\nFrom: agency@nowhere.test\r\n")
                  .append("Subject: OC\r\nMIME-Version: 1.0\r\n")
                  .append("Content-Type: multipart/mixed; boundary=\"p\"\r\n\r\n");
              for (int i = 0; i < 3000; i++) {
                b.append("--p\r\nContent-Type: text/plain\r\n\r\npart ").append(i).append("\r\n");
              }
              b.append("--p--\r\n");
              return b.toString().getBytes(StandardCharsets.US_ASCII);
            },
            not(InboundOutcome.CONFIRMATION, InboundOutcome.PURCHASE_ORDER)));
    cs.add(
        one(
            "100,000-character subject and a header without a colon",
            t ->
                raw(
                    "Message-ID: <h-longsubject@it.test>",
                    "From: someone@nowhere.test",
                    "This line is not a header",
                    "Subject: " + "A".repeat(100_000),
                    "",
                    "body"),
            REJECTED));
    cs.add(
        one(
            "unknown charset in an encoded word",
            t ->
                raw(
                    "Message-ID: <h-charset@it.test>",
                    "From: =?x-evil-charset?B?AAAA?= <someone@nowhere.test>",
                    "Subject: =?x-evil-charset?Q?=FF=FE=00?= =?UTF-8?B?////?=",
                    "Content-Type: text/plain; charset=x-evil-charset",
                    "",
                    "\u00ff\u00fe body"),
            REJECTED));
    cs.add(
        one(
            "invalid UTF-8 bytes in headers and body",
            t -> {
              byte[] head =
                  raw(
                      "Message-ID: <h-badutf8@it.test>",
                      "From: someone@nowhere.test",
                      "Content-Type: text/plain; charset=utf-8");
              byte[] bad = {
                'S',
                'u',
                'b',
                'j',
                'e',
                'c',
                't',
                ':',
                ' ',
                (byte) 0xC3,
                (byte) 0x28,
                (byte) 0xFF,
                '\r',
                '\n',
                '\r',
                '\n',
                (byte) 0xE2,
                (byte) 0x82,
                'x',
                '\r',
                '\n'
              };
              byte[] all = new byte[head.length + bad.length];
              System.arraycopy(head, 0, all, 0, head.length);
              System.arraycopy(bad, 0, all, head.length, bad.length);
              return all;
            },
            REJECTED));
    cs.add(
        one(
            "no Message-ID, no From, no Date",
            t -> raw("Subject: hola", "", "nothing to see"),
            REJECTED));
    cs.add(
        one(
            "forwarded message/rfc822 nested 40 deep",
            t -> {
              String inner =
                  "From: x@nowhere.test\r\nSubject: innermost\r\nContent-Type: text/plain\r\n\r\nhi\r\n";
              for (int i = 0; i < 40; i++) {
                inner =
                    "From: x@nowhere.test\r\nSubject: fwd "
                        + i
                        + "\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n"
                        + inner;
              }
              return ("Message-ID: <h-rfc822@it.test>\r\n" + inner)
                  .getBytes(StandardCharsets.US_ASCII);
            },
            REJECTED));
    cs.add(
        one(
            "oversized message (5 MB attachment, limit 4 MB)",
            t -> {
              byte[] big = new byte[5 * 1024 * 1024];
              new java.util.Random(3).nextBytes(big);
              return t.confirmation(
                  "h-oversized@it.test", "Confirmacion de reserva 45211006", "big.pdf", big);
            },
            EnumSet.of(InboundOutcome.QUARANTINED)));
    return cs;
  }
}
