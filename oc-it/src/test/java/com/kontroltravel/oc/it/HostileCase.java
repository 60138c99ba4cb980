package com.kontroltravel.oc.it;

import static com.kontroltravel.oc.it.HostileInputTest.AUTH_PASS;
import static com.kontroltravel.oc.it.HostileInputTest.BOOKING;
import static com.kontroltravel.oc.it.HostileInputTest.MAILBOX;
import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * One hostile input for {@link HostileInputTest}: its name, how its raw messages are built (against
 * the running suite, for its clock, mail server and earlier bookings), the outcomes it may end in,
 * how many new inbound records it must leave, and any further check. The cases themselves are data
 * in {@link HostileMimeCases}, {@link HostileDocumentCases}, {@link HostileHeaderCases} and {@link
 * HostileSenderCases}; {@link #all()} lists them in the order they run.
 *
 * @param name what the case is, shown as the test's name
 * @param messages the raw MIME messages to deliver, built from the running suite
 * @param allowed the outcomes each new inbound record may have
 * @param records how many new inbound records the case must leave (-1: at most one)
 * @param check further assertions on the suite and the new records
 */
record HostileCase(
    String name,
    Function<HostileInputTest, List<byte[]>> messages,
    Set<InboundOutcome> allowed,
    int records,
    BiConsumer<HostileInputTest, List<InboundRecord>> check) {

  /** Every case, in the order they run: later ones build on bookings earlier ones created. */
  static Stream<Named<HostileCase>> all() {
    return Stream.of(
            HostileMimeCases.cases(),
            HostileDocumentCases.cases(),
            HostileHeaderCases.cases(),
            HostileSenderCases.cases())
        .flatMap(List::stream)
        .map(x -> Named.of(x.name(), x));
  }

  static final Set<InboundOutcome> REJECTED =
      EnumSet.of(InboundOutcome.QUARANTINED, InboundOutcome.IGNORED);
  static final Set<InboundOutcome> ANY = EnumSet.allOf(InboundOutcome.class);
  static final BiConsumer<HostileInputTest, List<InboundRecord>> NOTHING_MORE = (t, r) -> {};

  static Set<InboundOutcome> not(InboundOutcome... excluded) {
    Set<InboundOutcome> s = EnumSet.allOf(InboundOutcome.class);
    s.removeAll(List.of(excluded));
    return s;
  }

  static HostileCase one(
      String name, Function<HostileInputTest, byte[]> m, Set<InboundOutcome> ok) {
    return new HostileCase(name, t -> List.of(m.apply(t)), ok, 1, NOTHING_MORE);
  }

  /** A case whose confirmation is valid apart from the hostile part: tracked, checked after. */
  static HostileCase tracked(
      String name, Function<HostileInputTest, byte[]> m, String reservationId) {
    return new HostileCase(
        name,
        t -> List.of(m.apply(t)),
        EnumSet.of(InboundOutcome.CONFIRMATION),
        1,
        (t, r) ->
            assertThat(t.engine.operations().reservation(reservationId)).as("tracked").isPresent());
  }

  // ------------------------------------------------------------------ raw MIME

  /** Raw MIME text, lines joined with CRLF. */
  static byte[] raw(String... lines) {
    return (String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  static String b64(byte[] b) {
    return Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(b);
  }

  static String encodedWord(String s) {
    return "=?UTF-8?B?"
        + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8))
        + "?=";
  }

  /** A confirmation with a hand-written MIME structure around a PDF part. */
  static byte[] confirmationWithPart(
      String messageId, String subject, String partHeaders, String partBody, boolean auth) {
    return raw(
        "Message-ID: <" + messageId + ">",
        "From: Reservas <" + BOOKING + ">",
        "To: " + MAILBOX,
        "Date: Mon, 1 Dec 2025 10:00:00 -0300",
        auth ? "Authentication-Results: " + AUTH_PASS.get("Authentication-Results") : "X-No: auth",
        "Subject: " + subject,
        "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=\"b1\"",
        "",
        "--b1",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Adjunto.",
        "--b1",
        partHeaders,
        "",
        partBody,
        "--b1--");
  }
}
