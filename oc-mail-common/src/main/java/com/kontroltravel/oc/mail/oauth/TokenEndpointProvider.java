package com.kontroltravel.oc.mail.oauth;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What the OAuth2 token providers share: a {@link TokenEndpointClient} that posts the provider's
 * form to its token endpoint, reads the answer and caches the token until the refresh margin before
 * it expires. A provider says only what its form holds.
 */
abstract class TokenEndpointProvider implements OAuth2TokenProvider {
  private final TokenEndpointClient client;

  /**
   * The client to {@code endpoint} with the builder's timeouts, refresh margin and clock; {@link
   * #form(URI, Instant)} is asked for each request, never here.
   */
  TokenEndpointProvider(URI endpoint, TokenProviderBuilder<?> settings) {
    Clock clock = settings.clock;
    this.client =
        new TokenEndpointClient(
            endpoint,
            () -> form(endpoint, clock.instant()),
            settings.connectTimeout,
            settings.requestTimeout,
            settings.refreshMargin,
            clock);
  }

  /**
   * The form of a token request to {@code endpoint} at {@code now}; it holds the secret, so it is
   * never logged or reported.
   */
  abstract Map<String, String> form(URI endpoint, Instant now);

  @Override
  public String accessToken(boolean forceRefresh) {
    return client.accessToken(forceRefresh);
  }

  @Override
  public void invalidate() {
    client.invalidate();
  }

  @Override
  public URI tokenEndpoint() {
    return client.endpoint();
  }

  @Override
  public Optional<Instant> expiresAt() {
    return client.expiresAt();
  }
}
