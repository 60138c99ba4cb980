package com.kontroltravel.oc.testkit;

import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.SendResult;
import com.kontroltravel.oc.spi.MailGateway;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;

/**
 * The recording fake passes the same kit as real gateways, so tests written against it hold for
 * them.
 */
class RecordingMailGatewayCompatibilityTest extends MailGatewayCompatibilityKit {
  private static final String REJECTED = "nobody@rejected.invalid";
  private RecordingMailGateway gateway;

  @BeforeEach
  void setUp() {
    gateway = RecordingMailGateway.create();
    gateway.failSendsWith(
        m ->
            m.to().contains(REJECTED)
                ? SendResult.permanentFailure("550 5.1.1 user unknown")
                : null);
  }

  @Override
  protected MailGateway gateway() {
    return gateway;
  }

  @Override
  protected void deliver(InboundMessage message) {
    gateway.deliver(message);
  }

  @Override
  protected List<OutboundMessage> sent() {
    return gateway.sent();
  }

  @Override
  protected Optional<String> rejectedRecipient() {
    return Optional.of(REJECTED);
  }
}
