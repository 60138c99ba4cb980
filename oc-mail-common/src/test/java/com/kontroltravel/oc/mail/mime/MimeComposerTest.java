package com.kontroltravel.oc.mail.mime;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MimeComposerTest {
  private final MimeComposer composer = new MimeComposer();
  private final MimeDecoder decoder = new MimeDecoder(25L * 1024 * 1024);

  @Test
  @DisplayName("composed bytes keep the engine's ids and threading and decode back unchanged")
  void roundTrip() throws Exception {
    byte[] pdf = new byte[700];
    System.arraycopy("%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII), 0, pdf, 0, 9);
    for (int i = 9; i < pdf.length; i++) {
      pdf[i] = (byte) i;
    }
    OutboundMessage out =
        new OutboundMessage(
            "oc-1-request@oc.kontroltravel.example",
            "ordenes@kontroltravel.example",
            List.of("compras@agencia.example"),
            List.of("supervisor@agencia.example"),
            "Solicitud de orden de compra – reserva 45215412 (Peña)",
            "Estimados:\nLes pedimos la orden de compra.",
            "<p>Estimados</p>",
            "conf-1@booking.example",
            List.of("conf-1@booking.example", "x-2@booking.example"),
            List.of(Attachment.pdf("Resumen ñ.pdf", pdf)));
    byte[] raw = composer.composeBytes(out, "ordenes@kontroltravel.example", "Kontrol Travel");
    String head = new String(raw, StandardCharsets.US_ASCII);
    assertThat(head).contains("Message-ID: <oc-1-request@oc.kontroltravel.example>");
    assertThat(head).contains("In-Reply-To: <conf-1@booking.example>");
    assertThat(head).contains("Reply-To: ordenes@kontroltravel.example");
    assertThat(head).contains("Auto-Submitted: auto-generated");
    for (byte b : raw) {
      assertThat(b & 0xff).as("7-bit clean").isLessThan(128);
    }

    MimeDecoder.Decoded d = decoder.decode(raw);
    InboundMessage back = d.builder().build();
    assertThat(back.messageId()).isEqualTo(out.messageId());
    assertThat(back.subject()).isEqualTo(out.subject());
    assertThat(back.inReplyTo()).containsExactly("conf-1@booking.example");
    assertThat(back.references()).containsExactlyElementsOf(out.references());
    assertThat(back.textBody().replace("\r\n", "\n")).isEqualTo(out.textBody());
    assertThat(back.attachments()).hasSize(1);
    assertThat(back.attachments().get(0).fileName()).isEqualTo("Resumen ñ.pdf");
    assertThat(back.attachments().get(0).content()).isEqualTo(pdf);
    assertThat(back.problems()).isEmpty();
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 2, 3, 56, 57, 58, 114, 4096, 30001})
  @DisplayName("an attachment of any length is base64 in lines of at most 76 and reads back whole")
  void attachmentEncoding(int size) throws Exception {
    byte[] content = new byte[size];
    new java.util.Random(size).nextBytes(content);
    OutboundMessage out =
        new OutboundMessage(
            "oc-2-request@oc.kontroltravel.example",
            "ordenes@kontroltravel.example",
            List.of("compras@agencia.example"),
            List.of(),
            "Adjunto",
            "Texto",
            null,
            null,
            List.of(),
            List.of(Attachment.pdf("a.pdf", content)));
    byte[] raw = composer.composeBytes(out, "ordenes@kontroltravel.example", "Kontrol Travel");
    String text = new String(raw, StandardCharsets.US_ASCII);
    assertThat(text).contains("Content-Transfer-Encoding: base64");
    for (String line : text.split("\r\n", -1)) {
      assertThat(line.length()).as("line length").isLessThanOrEqualTo(76);
    }
    assertThat(text.replace("\r\n", "")).as("bare line ends").doesNotContain("\n");
    // Read back by Jakarta Mail's own parser and decoder, not by the composer's encoder.
    jakarta.mail.internet.MimeMessage parsed =
        new jakarta.mail.internet.MimeMessage(
            jakarta.mail.Session.getInstance(new java.util.Properties()),
            new java.io.ByteArrayInputStream(raw));
    jakarta.mail.internet.MimeMultipart mixed =
        (jakarta.mail.internet.MimeMultipart) parsed.getContent();
    jakarta.mail.BodyPart part = mixed.getBodyPart(mixed.getCount() - 1);
    assertThat(part.getFileName()).isEqualTo("a.pdf");
    assertThat(part.getInputStream().readAllBytes()).isEqualTo(content);
    assertThat(decoder.decode(raw).builder().build().attachments().get(0).content())
        .isEqualTo(content);
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(
      strings = {
        "JVBERi0xLjQK",
        "JVBE\r\nRi0x\r\nLjQK\r\n",
        "JVBERi0xLjQ=",
        "JVBERi0xLjQ",
        "JVBERi0x!!LjQK",
        "JVBERg==JVBERg==",
        "JVBERi0xLjQKA",
        "JVBE=Ri0xLjQ",
        "JVB=",
        "====",
        ""
      })
  @DisplayName("a base64 attachment, well formed or not, reads as Jakarta Mail's decoder reads it")
  void base64AsJakartaMailReadsIt(String body) throws Exception {
    byte[] raw =
        ("From: a@b.example\r\nMessage-ID: <x@b.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nhola\r\n"
                + "--b\r\nContent-Type: application/pdf; name=\"x.pdf\"\r\n"
                + "Content-Disposition: attachment; filename=\"x.pdf\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + body
                + "\r\n--b--\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    jakarta.mail.internet.MimeMultipart mixed =
        (jakarta.mail.internet.MimeMultipart)
            new jakarta.mail.internet.MimeMessage(
                    jakarta.mail.Session.getInstance(new java.util.Properties()),
                    new java.io.ByteArrayInputStream(raw))
                .getContent();
    byte[] expected;
    try (java.io.InputStream in = mixed.getBodyPart(1).getInputStream()) {
      expected = in.readAllBytes();
    } catch (java.io.IOException e) {
      expected = null; // Jakarta Mail refuses it too: the decoder records a problem instead
    }
    InboundMessage back = decoder.decode(raw).builder().build();
    if (expected == null) {
      assertThat(back.attachments()).isEmpty();
    } else {
      assertThat(back.attachments()).hasSize(1);
      assertThat(back.attachments().get(0).content()).isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {20_500, 40_000})
  @DisplayName(
      "a base64 attachment that decodes past the limit is refused, whichever decoder reads it")
  void base64OverTheLimit(int size) throws Exception {
    // 20,500 is decoded at once and then counted; 40,000 is more text than the limit allows, so
    // Jakarta Mail's streaming decoder reads it and stops at the limit.
    byte[] content = new byte[size];
    new java.util.Random(size).nextBytes(content);
    byte[] raw =
        ("From: a@b.example\r\nMessage-ID: <big@b.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nhola\r\n"
                + "--b\r\nContent-Type: application/pdf; name=\"x.pdf\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + new String(MimeComposer.base64(content), StandardCharsets.US_ASCII)
                + "--b--\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    InboundMessage refused = new MimeDecoder(20_000).decode(raw).builder().build();
    assertThat(refused.attachments()).isEmpty();
    assertThat(String.join("; ", refused.problems())).contains("exceeds 20000 bytes");
    InboundMessage read = new MimeDecoder(100_000).decode(raw).builder().build();
    assertThat(read.attachments()).hasSize(1);
    assertThat(read.attachments().get(0).content()).isEqualTo(content);
  }

  @Test
  @DisplayName("raw bytes without a Message-ID get one from their SHA-256; garbage is not thrown")
  void digestIdAndGarbage() {
    byte[] raw =
        "From: a@b.example\r\nSubject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
    String id = decoder.decode(raw).builder().build().messageId();
    assertThat(id).startsWith("sha256-").endsWith("@oc-intake.invalid");
    assertThat(decoder.decode(raw).builder().build().messageId()).isEqualTo(id);
    InboundMessage junk = decoder.decode(new byte[] {0, 1, 2, 3}).builder().build();
    assertThat(junk.messageId()).startsWith("sha256-");
    assertThat(junk.problems()).isNotEmpty();
  }
}
