package com.kontroltravel.oc.mail.mime;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

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
