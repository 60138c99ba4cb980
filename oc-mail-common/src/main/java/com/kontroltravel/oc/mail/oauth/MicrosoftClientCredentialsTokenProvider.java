package com.kontroltravel.oc.mail.oauth;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Access tokens for an Entra ID (Azure AD) application from the Microsoft identity platform v2
 * token endpoint with the OAuth2 client-credentials grant ({@code POST
 * https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token}, {@code
 * grant_type=client_credentials}, client id and secret, one {@code .default} scope). For Microsoft
 * Graph use {@link #GRAPH_SCOPE}; for IMAP and SMTP with XOAUTH2 use {@link #OUTLOOK_SCOPE}.
 *
 * <p>The token is cached and fetched again a margin (default 5 minutes) before it expires, or at
 * once after {@link #invalidate()} or {@code accessToken(true)} when a server rejected it. Thread
 * safe. The client secret never appears in {@link #toString()}, a log line or an exception message.
 *
 * @see <a
 *     href="https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow">Microsoft
 *     identity platform and the OAuth 2.0 client credentials flow</a>
 */
public final class MicrosoftClientCredentialsTokenProvider implements OAuth2TokenProvider {
  /** The scope for Microsoft Graph (application permissions such as Mail.Read, Mail.Send). */
  public static final String GRAPH_SCOPE = "https://graph.microsoft.com/.default";

  /** The scope for Exchange Online IMAP, POP and SMTP with XOAUTH2. */
  public static final String OUTLOOK_SCOPE = "https://outlook.office365.com/.default";

  /** The public-cloud authority. */
  public static final URI DEFAULT_AUTHORITY = URI.create("https://login.microsoftonline.com");

  private final String tenant;
  private final String clientId;
  private final String scope;
  private final TokenEndpointClient client;

  private MicrosoftClientCredentialsTokenProvider(Builder b) {
    this.tenant = required(b.tenant, "tenant");
    this.clientId = required(b.clientId, "clientId");
    String secret = required(b.clientSecret, "clientSecret");
    this.scope = required(b.scope, "scope");
    String base = b.authority.toString().replaceAll("/+$", "");
    URI endpoint =
        URI.create(
            base + "/" + URLEncoder.encode(tenant, StandardCharsets.UTF_8) + "/oauth2/v2.0/token");
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    form.put("client_id", clientId);
    form.put("client_secret", secret);
    form.put("scope", scope);
    this.client =
        new TokenEndpointClient(
            endpoint, form, b.connectTimeout, b.requestTimeout, b.refreshMargin, b.clock);
  }

  private static String required(String v, String name) {
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    return v.trim();
  }

  /** A builder; tenant, client id and secret are required, the scope defaults to Graph's. */
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
  public Optional<Instant> expiresAt() {
    return client.expiresAt();
  }

  @Override
  public URI tokenEndpoint() {
    return client.endpoint();
  }

  @Override
  public String toString() {
    return "MicrosoftClientCredentialsTokenProvider[tenant="
        + tenant
        + ", clientId="
        + clientId
        + ", scope="
        + scope
        + ", clientSecret=****]";
  }

  /** Builds {@link MicrosoftClientCredentialsTokenProvider}; not thread safe. */
  public static final class Builder {
    private String tenant;
    private String clientId;
    private String clientSecret;
    private String scope = GRAPH_SCOPE;
    private URI authority = DEFAULT_AUTHORITY;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration refreshMargin = Duration.ofMinutes(5);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The directory (tenant) id or a verified domain ({@code AZURE_TENANT_ID}). */
    public Builder tenant(String v) {
      tenant = v;
      return this;
    }

    /** The application (client) id ({@code AZURE_CLIENT_ID}). */
    public Builder clientId(String v) {
      clientId = v;
      return this;
    }

    /** The client secret ({@code AZURE_CLIENT_SECRET}); kept out of every string and log. */
    public Builder clientSecret(String v) {
      clientSecret = v;
      return this;
    }

    /** The scope; default {@link #GRAPH_SCOPE}, {@link #OUTLOOK_SCOPE} for IMAP and SMTP. */
    public Builder scope(String v) {
      scope = v;
      return this;
    }

    /**
     * The authority base URL; default {@link #DEFAULT_AUTHORITY}. National clouds use theirs; tests
     * point it at a loopback stub ({@code http://} is accepted only for loopback).
     */
    public Builder authority(URI v) {
      authority = TokenEndpointClient.checkEndpoint(Objects.requireNonNull(v, "authority == null"));
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

    /**
     * Builds the provider. Does not contact the endpoint.
     *
     * @throws IllegalArgumentException when a required value is missing
     */
    public MicrosoftClientCredentialsTokenProvider build() {
      return new MicrosoftClientCredentialsTokenProvider(this);
    }
  }
}
