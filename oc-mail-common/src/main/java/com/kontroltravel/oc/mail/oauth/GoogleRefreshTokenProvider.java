package com.kontroltravel.oc.mail.oauth;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

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
public final class GoogleRefreshTokenProvider extends TokenEndpointProvider {
  /** Google's token endpoint. */
  public static final URI DEFAULT_TOKEN_ENDPOINT =
      URI.create("https://oauth2.googleapis.com/token");

  private final String clientId;
  private final Map<String, String> form;

  private GoogleRefreshTokenProvider(Builder b, String clientId, Map<String, String> form) {
    super(b.tokenEndpoint, b);
    this.clientId = clientId;
    this.form = Map.copyOf(form);
  }

  /** A builder; client id, client secret and refresh token are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  Map<String, String> form(URI endpoint, Instant now) {
    return form;
  }

  @Override
  public String toString() {
    return "GoogleRefreshTokenProvider[clientId="
        + clientId
        + ", clientSecret=****, refreshToken=****]";
  }

  /** Builds {@link GoogleRefreshTokenProvider}; not thread safe. */
  public static final class Builder extends TokenProviderBuilder<Builder> {
    private String clientId;
    private String clientSecret;
    private String refreshToken;
    private URI tokenEndpoint = DEFAULT_TOKEN_ENDPOINT;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

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
      tokenEndpoint = endpoint(v, "tokenEndpoint");
      return this;
    }

    /** Builds the provider. Does not contact the endpoint. */
    public GoogleRefreshTokenProvider build() {
      String id = required(clientId, "clientId");
      Map<String, String> form = new LinkedHashMap<>();
      form.put("grant_type", "refresh_token");
      form.put("client_id", id);
      form.put("client_secret", required(clientSecret, "clientSecret"));
      form.put("refresh_token", required(refreshToken, "refreshToken"));
      return new GoogleRefreshTokenProvider(this, id, form);
    }
  }
}
