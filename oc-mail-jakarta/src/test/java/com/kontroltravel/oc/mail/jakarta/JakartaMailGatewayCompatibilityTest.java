package com.kontroltravel.oc.mail.jakarta;

import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.testkit.MailGatewayCompatibilityKit;
import com.kontroltravel.oc.testkit.mail.TestMails;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The whole MailGateway kit against the Jakarta gateway and GreenMail on loopback, without TLS. */
class JakartaMailGatewayCompatibilityTest extends MailGatewayCompatibilityKit {
  private TestMailServer server;
  private JakartaMailGateway gateway;

  /** Whether this run uses implicit TLS. */
  boolean tls() {
    return false;
  }

  @BeforeEach
  void startServer() {
    server = TestMailServer.start(tls());
    gateway = JakartaMailGateway.create(server.settings().build());
  }

  @AfterEach
  void stopServer() {
    gateway.close();
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
    return server.sentMessages().stream()
        .map(TestMails.to(TestMailServer.USER)::toOutbound)
        .toList();
  }
}
