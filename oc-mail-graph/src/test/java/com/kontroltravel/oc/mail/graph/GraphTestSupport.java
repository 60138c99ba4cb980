package com.kontroltravel.oc.mail.graph;

import com.kontroltravel.oc.mail.oauth.MicrosoftClientCredentialsTokenProvider;
import java.time.Duration;

/** Settings pointing a gateway at a {@link GraphStub}, with short waits for retries. */
final class GraphTestSupport {
  private GraphTestSupport() {}

  static GraphSettings.Builder settings(GraphStub stub) {
    return GraphSettings.builder()
        .mailbox(GraphStub.MAILBOX)
        .tokens(
            MicrosoftClientCredentialsTokenProvider.builder()
                .tenant(GraphStub.TENANT)
                .clientId(GraphStub.CLIENT_ID)
                .clientSecret(GraphStub.CLIENT_SECRET)
                .authority(stub.authority())
                .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
                .build())
        .baseUrl(stub.baseUrl())
        .from(GraphStub.MAILBOX, "Órdenes de Compra")
        .pageSize(2)
        .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(10))
        .retries(4, Duration.ofSeconds(5), Duration.ofMillis(50));
  }
}
