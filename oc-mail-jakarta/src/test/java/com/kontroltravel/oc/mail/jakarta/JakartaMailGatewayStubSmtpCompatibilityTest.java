package com.kontroltravel.oc.mail.jakarta;

import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.testkit.MailGatewayCompatibilityKit;
import com.kontroltravel.oc.testkit.mail.TestMails;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The whole kit again, sending through a scripted SMTP server that refuses one address with 550
 * (GreenMail accepts every recipient), so the kit's rejection check runs too. Reading still goes to
 * GreenMail.
 */
class JakartaMailGatewayStubSmtpCompatibilityTest extends MailGatewayCompatibilityKit {
  private static final String REJECTED = "no-existe@agencia.example";
  private TestMailServer server;
  private ScriptedSmtpServer smtp;
  private JakartaMailGateway gateway;

  @BeforeEach
  void start() throws Exception {
    server = TestMailServer.start(false);
    smtp = new ScriptedSmtpServer();
    smtp.rcptReply =
        address ->
            address.equalsIgnoreCase(REJECTED)
                ? "550 5.1.1 <" + address + ">: user unknown"
                : "250 2.1.5 ok";
    gateway =
        JakartaMailGateway.create(
            server
                .settings()
                .smtp(TestMailServer.HOST, smtp.port(), MailSettings.Security.PLAINTEXT)
                .build());
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    smtp.close();
    server.close();
  }

  @Override
  protected MailGateway gateway() {
    return gateway;
  }

  @Override
  protected void deliver(InboundMessage message) {
    server.deliver(TestMails.to(TestMailServer.USER).toMime(message));
  }

  @Override
  protected List<OutboundMessage> sent() {
    return smtp.accepted.stream()
        .map(
            raw -> {
              try {
                return TestMails.to(TestMailServer.USER)
                    .toOutbound(new MimeMessage(TestMails.SESSION, new ByteArrayInputStream(raw)));
              } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  @Override
  protected Optional<String> rejectedRecipient() {
    return Optional.of(REJECTED);
  }
}
