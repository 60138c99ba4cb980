package com.kontroltravel.oc.mail.oauth;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Access tokens for Gmail (IMAP and SMTP with XOAUTH2) from Google's OAuth2 token endpoint with a
 * stored refresh token ({@code POST https://oauth2.googleapis.com/token}, {@code
 * grant_type=refresh_token}). The token is cached and fetched again a margin (default 5 minutes)
 * before it expires, or at once after {@link #invalidate()} or {@code accessToken(true)}. Thread
 * safe. Neither the client secret nor the refresh token appears in {@link #toString()}, a log line
 * or an exception message.
 *
 * @see <a href="https://developers.google.com/identity/protocols/oauth2/web-server#offline">Google:
 *     refreshing an access token (offline access)</a>
 */
public final class GoogleRefreshTokenProvider implements OAuth2TokenProvider {
  /** Google's token endpoint. */
  public static final URI DEFAULT_TOKEN_ENDPOINT =
      URI.create("https://oauth2.googleapis.com/token");

  private final String clientId;
  private final TokenEndpointClient client;

  private GoogleRefreshTokenProvider(Builder b) {
    this.clientId = required(b.clientId, "clientId");
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("client_id", clientId);
    form.put("client_secret", required(b.clientSecret, "clientSecret"));
    form.put("refresh_token", required(b.refreshToken, "refreshToken"));
    this.client =
        new TokenEndpointClient(
            b.tokenEndpoint, form, b.connectTimeout, b.requestTimeout, b.refreshMargin, b.clock);
  }

  private static String required(String v, String name) {
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    return v.trim();
  }

  /** A builder; client id, client secret and refresh token are required. */
  public static Builder builder() {
    return new Builder();
  }

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

  @Override
  public String toString() {
    return "GoogleRefreshTokenProvider[clientId="
        + clientId
        + ", clientSecret=****, refreshToken=****]";
  }

  /** Builds {@link GoogleRefreshTokenProvider}; not thread safe. */
  public static final class Builder {
    private String clientId;
    private String clientSecret;
    private String refreshToken;
    private URI tokenEndpoint = DEFAULT_TOKEN_ENDPOINT;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration refreshMargin = Duration.ofMinutes(5);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The OAuth client id. */
    public Builder clientId(String v) {
      clientId = v;
      return this;
    }

    /** The OAuth client secret; kept out of every string and log. */
    public Builder clientSecret(String v) {
      clientSecret = v;
      return this;
    }

    /** The refresh token granted with offline access; kept out of every string and log. */
    public Builder refreshToken(String v) {
      refreshToken = v;
      return this;
    }

    /**
     * The token endpoint; tests point it at a loopback stub ({@code http://} only for loopback).
     */
    public Builder tokenEndpoint(URI v) {
      tokenEndpoint =
          TokenEndpointClient.checkEndpoint(Objects.requireNonNull(v, "tokenEndpoint == null"));
      return this;
    }

    /** Connection and whole-request timeouts; default 10 s and 30 s. */
    public Builder timeouts(Duration connect, Duration request) {
      connectTimeout = connect;
      requestTimeout = request;
      return this;
    }

    /** How long before expiry a token is replaced; default 5 minutes. */
    public Builder refreshMargin(Duration v) {
      refreshMargin = v;
      return this;
    }

    /** The clock that decides expiry (tests). */
    public Builder clock(Clock v) {
      clock = Objects.requireNonNull(v, "clock == null");
      return this;
    }

    /** Builds the provider. Does not contact the endpoint. */
    public GoogleRefreshTokenProvider build() {
      return new GoogleRefreshTokenProvider(this);
    }
  }
}
