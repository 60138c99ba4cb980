package com.kontroltravel.oc.mail.oauth;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What the token providers' builders share: the timeouts, the refresh margin and the clock, and the
 * checks of required values and endpoints. Not thread safe.
 *
 * @param <B> the provider's builder, returned by each setter
 */
abstract class TokenProviderBuilder<B extends TokenProviderBuilder<B>> {
  Duration connectTimeout = Duration.ofSeconds(10);
  Duration requestTimeout = Duration.ofSeconds(30);
  Duration refreshMargin = Duration.ofMinutes(5);
  Clock clock = Clock.systemUTC();

  TokenProviderBuilder() {}

  /** This builder, as its own type. */
  abstract B self();

  /** Connection and whole-request timeouts; default 10 s and 30 s. */
  public B timeouts(Duration connect, Duration request) {
    connectTimeout = connect;
    requestTimeout = request;
    return self();
  }

  /** How long before expiry a token is replaced; default 5 minutes. */
  public B refreshMargin(Duration v) {
    refreshMargin = v;
    return self();
  }

  /** The clock that decides expiry (tests). */
  public B clock(Clock v) {
    clock = Objects.requireNonNull(v, "clock == null");
    return self();
  }

  /** {@code v} trimmed; {@code name} is required when it is null or blank. */
  static String required(String v, String name) {
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    return v.trim();
  }

  /** {@code v} when it is HTTPS, or HTTP to loopback (see {@link TokenEndpointClient}). */
  static URI endpoint(URI v, String name) {
    return TokenEndpointClient.checkEndpoint(Objects.requireNonNull(v, name + " == null"));
  }
}
