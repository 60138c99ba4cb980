package com.kontroltravel.oc.mail.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.SendResult;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Sending: the exact message that reaches the server, and how failures are classified. */
class SmtpSendTest {
  private static final byte[] PDF = MimeCorpusTestPdf.bytes();

  private static OutboundMessage request(String id, String to) {
    return new OutboundMessage(
        id,
        "ordenes@kontrol.example",
        List.of(to),
        List.of("supervisor@agencia.example", "contabilidad@agencia.example"),
        "Solicitud de orden de compra – reserva 45215412 (Peña)",
        "Estimados:\nFavor enviar la orden de compra.\n",
        "<p>Estimados:</p><p>Favor enviar la <b>orden de compra</b>.</p>",
        "conf-45215412@booking.example",
        List.of("conf-45215412@booking.example", "oc-45215412-request@oc.kontroltravel.example"),
        List.of(Attachment.pdf("Resumen de servicios Ñ 45215412.pdf", PDF)));
  }

  @Test
  @DisplayName(
      "the message read back from GreenMail has the exact headers, structure, bytes and threading")
  void exactMessageOnTheServer() throws Exception {
    try (TestMailServer server = TestMailServer.start(false);
        JakartaMailGateway gateway = JakartaMailGateway.create(server.settings().build())) {
      SendResult r =
          gateway.send(
              request(
                  "oc-45215412-reminder-2@oc.kontroltravel.example", "compras@agencia.example"));
      assertThat(r.isSent()).as(r.detail()).isTrue();
      List<MimeMessage> sent = server.sentMessages();
      assertThat(sent).hasSize(1);
      MimeMessage m = sent.get(0);
      assertThat(m.getHeader("Message-ID", null))
          .isEqualTo("<oc-45215412-reminder-2@oc.kontroltravel.example>");
      assertThat(m.getHeader("In-Reply-To", null)).isEqualTo("<conf-45215412@booking.example>");
      assertThat(m.getHeader("References", " ").replaceAll("\\s+", " "))
          .isEqualTo(
              "<conf-45215412@booking.example> <oc-45215412-request@oc.kontroltravel.example>");
      assertThat(m.getHeader("Auto-Submitted", null)).isEqualTo("auto-generated");
      assertThat(m.getHeader("Reply-To", null)).isEqualTo("ordenes@kontrol.example");
      assertThat(m.getHeader("From", null)).contains("<ops@kontrol.example>");
      assertThat(((jakarta.mail.internet.InternetAddress) m.getFrom()[0]).getPersonal())
          .isEqualTo("Órdenes de Compra Kontrol");
      assertThat(m.getHeader("To", null)).isEqualTo("compras@agencia.example");
      assertThat(m.getHeader("Cc", ", "))
          .contains("supervisor@agencia.example", "contabilidad@agencia.example");
      assertThat(m.getSubject())
          .isEqualTo("Solicitud de orden de compra – reserva 45215412 (Peña)");
      assertThat(m.getHeader("Subject", null)).startsWith("=?UTF-8?");
      assertThat(m.getSentDate()).isNotNull();

      assertThat(m.isMimeType("multipart/mixed")).isTrue();
      Multipart mixed = (Multipart) m.getContent();
      assertThat(mixed.getCount()).isEqualTo(2);
      BodyPart altPart = mixed.getBodyPart(0);
      assertThat(altPart.isMimeType("multipart/alternative")).isTrue();
      Multipart alt = (Multipart) altPart.getContent();
      assertThat(alt.getCount()).isEqualTo(2);
      assertThat(alt.getBodyPart(0).getContentType())
          .containsIgnoringCase("text/plain")
          .containsIgnoringCase("utf-8");
      assertThat(((String) alt.getBodyPart(0).getContent()).replace("\r\n", "\n"))
          .isEqualTo("Estimados:\nFavor enviar la orden de compra.\n");
      assertThat(alt.getBodyPart(1).getContentType())
          .containsIgnoringCase("text/html")
          .containsIgnoringCase("utf-8");
      assertThat(alt.getBodyPart(1).getContent())
          .isEqualTo("<p>Estimados:</p><p>Favor enviar la <b>orden de compra</b>.</p>");
      BodyPart pdf = mixed.getBodyPart(1);
      assertThat(pdf.isMimeType("application/pdf")).isTrue();
      assertThat(pdf.getDisposition()).isEqualToIgnoringCase("attachment");
      assertThat(pdf.getFileName()).isEqualTo("Resumen de servicios Ñ 45215412.pdf");
      try (InputStream in = pdf.getInputStream()) {
        assertThat(in.readAllBytes()).isEqualTo(PDF);
      }
      // One copy per recipient: To and both Cc.
      assertThat(server.greenMail().getReceivedMessages()).hasSize(3);
    }
  }

  private static MailSettings.Builder stubSettings(ScriptedSmtpServer smtp) {
    return MailSettings.builder()
        .imap(TestMailServer.HOST, 1, MailSettings.Security.PLAINTEXT)
        .imapLogin("ops@kontrol.example", Credentials.password("x"))
        .smtp(TestMailServer.HOST, smtp.port(), MailSettings.Security.PLAINTEXT)
        .allowPlaintext(true)
        .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));
  }

  private static SendResult sendVia(ScriptedSmtpServer smtp) {
    try (JakartaMailGateway g = JakartaMailGateway.create(stubSettings(smtp).build())) {
      return g.send(request("oc-1@oc.example", "compras@agencia.example"));
    }
  }

  @Test
  @DisplayName("a recipient refused with 550 is a permanent failure carrying the server's answer")
  void refusedRecipientIsPermanent() throws Exception {
    try (ScriptedSmtpServer smtp = new ScriptedSmtpServer()) {
      smtp.rcptReply = a -> "550 5.1.1 <" + a + ">: Recipient address rejected";
      SendResult r = sendVia(smtp);
      assertThat(r.status()).isEqualTo(SendResult.Status.PERMANENT_FAILURE);
      assertThat(r.detail()).contains("550");
      assertThat(smtp.accepted).isEmpty();
    }
  }

  @Test
  @DisplayName("a recipient deferred with 451 is a transient failure")
  void deferredRecipientIsTransient() throws Exception {
    try (ScriptedSmtpServer smtp = new ScriptedSmtpServer()) {
      smtp.rcptReply = a -> "451 4.7.1 greylisted, try again later";
      SendResult r = sendVia(smtp);
      assertThat(r.status()).isEqualTo(SendResult.Status.TRANSIENT_FAILURE);
      assertThat(r.detail()).contains("451");
    }
  }

  @Test
  @DisplayName("a message refused at the end of DATA with 554 is permanent; 452 is transient")
  void dataReplies() throws Exception {
    try (ScriptedSmtpServer smtp = new ScriptedSmtpServer()) {
      smtp.afterData = ScriptedSmtpServer.AfterData.REJECT_554;
      assertThat(sendVia(smtp).status()).isEqualTo(SendResult.Status.PERMANENT_FAILURE);
      smtp.afterData = ScriptedSmtpServer.AfterData.DEFER_452;
      assertThat(sendVia(smtp).status()).isEqualTo(SendResult.Status.TRANSIENT_FAILURE);
      smtp.afterData = ScriptedSmtpServer.AfterData.ACCEPT;
      assertThat(sendVia(smtp).status()).isEqualTo(SendResult.Status.SENT);
      assertThat(smtp.accepted).hasSize(1);
    }
  }

  @Test
  @DisplayName("a connection dropped at the end of DATA is a transient failure")
  void droppedConnectionIsTransient() throws Exception {
    try (ScriptedSmtpServer smtp = new ScriptedSmtpServer()) {
      smtp.afterData = ScriptedSmtpServer.AfterData.DROP_CONNECTION;
      SendResult r = sendVia(smtp);
      assertThat(r.status()).isEqualTo(SendResult.Status.TRANSIENT_FAILURE);
    }
  }

  @Test
  @DisplayName("a server that never answers is a transient failure once the read timeout passes")
  void silentServerTimesOut() throws Exception {
    try (ScriptedSmtpServer smtp = new ScriptedSmtpServer()) {
      smtp.silent = true;
      SendResult r = sendVia(smtp);
      assertThat(r.status()).isEqualTo(SendResult.Status.TRANSIENT_FAILURE);
    }
  }

  @Test
  @DisplayName(
      "a refused connection is a transient failure; a syntactically invalid address is permanent")
  void refusedConnectionAndInvalidAddress() throws Exception {
    int closedPort = TestMailServer.freePort();
    MailSettings s =
        MailSettings.builder()
            .imap(TestMailServer.HOST, 1, MailSettings.Security.PLAINTEXT)
            .imapLogin("ops@kontrol.example", Credentials.password("x"))
            .smtp(TestMailServer.HOST, closedPort, MailSettings.Security.PLAINTEXT)
            .allowPlaintext(true)
            .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2))
            .build();
    try (JakartaMailGateway g = JakartaMailGateway.create(s)) {
      assertThat(g.send(request("oc-2@oc.example", "compras@agencia.example")).status())
          .isEqualTo(SendResult.Status.TRANSIENT_FAILURE);
      assertThat(g.send(request("oc-3@oc.example", "not an address@@")).status())
          .isEqualTo(SendResult.Status.PERMANENT_FAILURE);
    }
  }

  @Test
  @DisplayName("STARTTLS: the gateway upgrades the connection before authenticating and sending")
  void startTlsUpgrades() throws Exception {
    try (ScriptedSmtpServer smtp = new ScriptedSmtpServer()) {
      smtp.offerStartTls = true;
      MailSettings s =
          stubSettings(smtp)
              .smtp(TestMailServer.HOST, smtp.port(), MailSettings.Security.STARTTLS)
              .testOnlyTrustedHosts(List.of(TestMailServer.HOST))
              .build();
      try (JakartaMailGateway g = JakartaMailGateway.create(s)) {
        SendResult r = g.send(request("oc-5@oc.example", "compras@agencia.example"));
        assertThat(r.isSent()).as(r.detail()).isTrue();
      }
      assertThat(smtp.tlsUsed).isTrue();
      assertThat(smtp.accepted).hasSize(1);
    }
  }

  @Test
  @DisplayName("STARTTLS with certificate checks on refuses the self-signed test certificate")
  void startTlsChecksCertificates() throws Exception {
    try (ScriptedSmtpServer smtp = new ScriptedSmtpServer()) {
      smtp.offerStartTls = true;
      MailSettings s =
          stubSettings(smtp)
              .smtp(TestMailServer.HOST, smtp.port(), MailSettings.Security.STARTTLS)
              .build();
      try (JakartaMailGateway g = JakartaMailGateway.create(s)) {
        SendResult r = g.send(request("oc-6@oc.example", "compras@agencia.example"));
        assertThat(r.status()).isEqualTo(SendResult.Status.TRANSIENT_FAILURE);
      }
      assertThat(smtp.accepted).isEmpty();
    }
  }

  @Test
  @DisplayName(
      "STARTTLS is required by default: a server without it gets nothing and the failure is transient")
  void startTlsRequired() throws Exception {
    try (ScriptedSmtpServer smtp = new ScriptedSmtpServer()) {
      MailSettings s =
          stubSettings(smtp)
              .smtp(TestMailServer.HOST, smtp.port(), MailSettings.Security.STARTTLS)
              .build();
      try (JakartaMailGateway g = JakartaMailGateway.create(s)) {
        SendResult r = g.send(request("oc-4@oc.example", "compras@agencia.example"));
        assertThat(r.status()).isEqualTo(SendResult.Status.TRANSIENT_FAILURE);
        assertThat(r.detail()).containsIgnoringCase("STARTTLS");
      }
      assertThat(smtp.accepted).isEmpty();
    }
  }
}
