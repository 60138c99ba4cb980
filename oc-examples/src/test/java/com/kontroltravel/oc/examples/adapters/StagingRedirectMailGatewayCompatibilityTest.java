package com.kontroltravel.oc.examples.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.testkit.MailGatewayCompatibilityKit;
import com.kontroltravel.oc.testkit.RecordingMailGateway;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The staging decorator passes the gateway kit. The kit checks that a message reaches the server
 * with its recipients; this decorator, by design, delivers every message to the test address only.
 * So {@link #sent()} first asserts that each message that reached the wrapped gateway went to the
 * test address alone, then reports it with the recipients it was meant for (kept by the decorator),
 * which the kit then compares with what was sent.
 */
class StagingRedirectMailGatewayCompatibilityTest extends MailGatewayCompatibilityKit {
  static final String QA = "qa-inbox@kontroltravel.test";
  RecordingMailGateway real;
  StagingRedirectMailGateway staging;

  @BeforeEach
  void fresh() {
    real = RecordingMailGateway.create();
    staging = StagingRedirectMailGateway.wrap(real, QA);
  }

  @Override
  protected MailGateway gateway() {
    return staging;
  }

  @Override
  protected void deliver(InboundMessage message) {
    real.deliver(message);
  }

  @Override
  protected List<OutboundMessage> sent() {
    return real.sent().stream()
        .map(
            m -> {
              assertThat(m.to()).as("redirected To").containsExactly(QA);
              assertThat(m.cc()).as("no Cc in staging").isEmpty();
              StagingRedirectMailGateway.Original o = staging.original(m.messageId()).orElseThrow();
              return new OutboundMessage(
                  m.messageId(),
                  m.replyTo(),
                  o.to(),
                  o.cc(),
                  m.subject(),
                  m.textBody(),
                  m.htmlBody(),
                  m.inReplyTo(),
                  m.references(),
                  m.attachments());
            })
        .toList();
  }

  @Test
  @DisplayName("no agency address ever reaches the real gateway")
  void onlyTheTestAddressReceives() {
    OutboundMessage m =
        new OutboundMessage(
            "oc.1.request.0@kontroltravel.test",
            "oc@kontroltravel.test",
            List.of("compras@agencia.test"),
            List.of("finanzas@kontroltravel.test"),
            "Solicitud",
            "texto",
            null,
            null,
            List.of(),
            List.of());
    assertThat(staging.send(m).isSent()).isTrue();
    assertThat(real.sent()).hasSize(1);
    assertThat(real.sent().get(0).to()).containsExactly(QA);
    assertThat(real.sent().get(0).cc()).isEmpty();
    assertThat(real.sent().get(0).subject()).isEqualTo("Solicitud");
    assertThat(staging.original(m.messageId()).orElseThrow().to())
        .containsExactly("compras@agencia.test");
    assertThatThrownBy(() -> StagingRedirectMailGateway.wrap(real, "not an address"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
