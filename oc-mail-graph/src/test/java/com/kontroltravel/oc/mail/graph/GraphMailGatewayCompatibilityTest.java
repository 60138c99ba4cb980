package com.kontroltravel.oc.mail.graph;

import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.testkit.MailGatewayCompatibilityKit;
import com.kontroltravel.oc.testkit.mail.TestMails;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The SPI contract for the Graph gateway, against a Graph stub over HTTP on loopback. */
class GraphMailGatewayCompatibilityTest extends MailGatewayCompatibilityKit {
  private GraphStub stub;
  private GraphMailGateway gateway;

  @BeforeEach
  void start() throws Exception {
    stub = new GraphStub();
    stub.rejectRecipient("nadie@rechazado.example");
    gateway = GraphMailGateway.create(GraphTestSupport.settings(stub).build());
  }

  @AfterEach
  void stop() {
    gateway.close();
    stub.close();
  }

  @Override
  protected MailGateway gateway() {
    return gateway;
  }

  @Override
  protected void deliver(InboundMessage message) {
    stub.deliver(TestMails.to(GraphStub.MAILBOX).raw(message));
  }

  @Override
  protected List<OutboundMessage> sent() {
    return stub.sentMime.stream().map(TestMails.to(GraphStub.MAILBOX)::toOutbound).toList();
  }

  @Override
  protected Optional<String> rejectedRecipient() {
    return Optional.of("nadie@rechazado.example");
  }
}
