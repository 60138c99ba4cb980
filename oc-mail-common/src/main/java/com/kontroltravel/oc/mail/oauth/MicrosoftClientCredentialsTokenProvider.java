package com.kontroltravel.oc.mail.oauth;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

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
public final class MicrosoftClientCredentialsTokenProvider extends TokenEndpointProvider {
  /** The scope for Microsoft Graph (application permissions such as Mail.Read, Mail.Send). */
  public static final String GRAPH_SCOPE = "https://graph.microsoft.com/.default";

  /** The scope for Exchange Online IMAP, POP and SMTP with XOAUTH2. */
  public static final String OUTLOOK_SCOPE = "https://outlook.office365.com/.default";

  /** The public-cloud authority. */
  public static final URI DEFAULT_AUTHORITY = URI.create("https://login.microsoftonline.com");

  private final String tenant;
  private final String clientId;
  private final String scope;
  private final Map<String, String> form;

  private MicrosoftClientCredentialsTokenProvider(
      Builder b, URI endpoint, String tenant, Map<String, String> form) {
    super(endpoint, b);
    this.tenant = tenant;
    this.clientId = form.get("client_id");
    this.scope = form.get("scope");
    this.form = Map.copyOf(form);
  }

  /** A builder; tenant, client id and secret are required, the scope defaults to Graph's. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  Map<String, String> form(URI endpoint, Instant now) {
    return form;
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
  public static final class Builder extends TokenProviderBuilder<Builder> {
    private String tenant;
    private String clientId;
    private String clientSecret;
    private String scope = GRAPH_SCOPE;
    private URI authority = DEFAULT_AUTHORITY;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

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
      authority = endpoint(v, "authority");
      return this;
    }

    /**
     * Builds the provider. Does not contact the endpoint.
     *
     * @throws IllegalArgumentException when a required value is missing
     */
    public MicrosoftClientCredentialsTokenProvider build() {
      String t = required(tenant, "tenant");
      Map<String, String> form = new LinkedHashMap<>();
      form.put("grant_type", "client_credentials");
      form.put("client_id", required(clientId, "clientId"));
      form.put("client_secret", required(clientSecret, "clientSecret"));
      form.put("scope", required(scope, "scope"));
      String base = authority.toString().replaceAll("/+$", "");
      URI endpoint =
          URI.create(
              base + "/" + URLEncoder.encode(t, StandardCharsets.UTF_8) + "/oauth2/v2.0/token");
      return new MicrosoftClientCredentialsTokenProvider(this, endpoint, t, form);
    }
  }
}
