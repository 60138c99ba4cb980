package com.kontroltravel.oc.mail.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Access tokens for Gmail (IMAP and SMTP with XOAUTH2) from a Google service account with
 * domain-wide delegation: the JWT bearer grant (RFC 7523) with an RS256-signed assertion whose
 * {@code sub} is the mailbox user ({@code POST https://oauth2.googleapis.com/token}, {@code
 * grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer}). A Workspace administrator must allow
 * the service account's client id the scope {@link #GMAIL_SCOPE}.
 *
 * <p>The token is cached and fetched again a margin (default 5 minutes) before it expires, or at
 * once after {@link #invalidate()} or {@code accessToken(true)}. Each request carries a new
 * assertion. Thread safe. The private key never appears in {@link #toString()}, a log line or an
 * exception message.
 *
 * @see <a
 *     href="https://developers.google.com/identity/protocols/oauth2/service-account#httprest">Google:
 *     using OAuth 2.0 for server to server applications (HTTP/REST)</a>
 */
public final class GoogleServiceAccountTokenProvider extends TokenEndpointProvider {
  /** Google's token endpoint. */
  public static final URI DEFAULT_TOKEN_ENDPOINT =
      GoogleRefreshTokenProvider.DEFAULT_TOKEN_ENDPOINT;

  /** Full access to Gmail, the scope IMAP and SMTP with XOAUTH2 require. */
  public static final String GMAIL_SCOPE = "https://mail.google.com/";

  /** The JWT bearer grant type. */
  public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";

  /** The longest assertion lifetime Google accepts, and the one used. */
  static final Duration ASSERTION_LIFETIME = Duration.ofHours(1);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private final String clientEmail;
  private final String subject;
  private final String scope;
  private final String keyId;
  private final PrivateKey privateKey;

  private GoogleServiceAccountTokenProvider(
      Builder b, String clientEmail, String subject, String scope) {
    super(b.tokenEndpoint == null ? DEFAULT_TOKEN_ENDPOINT : b.tokenEndpoint, b);
    this.clientEmail = clientEmail;
    this.subject = subject;
    this.scope = scope;
    this.keyId = b.keyId;
    this.privateKey = b.privateKey;
  }

  /** A builder; the client email, private key and subject are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A new assertion for each request: it carries its own time. */
  @Override
  Map<String, String> form(URI endpoint, Instant now) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", GRANT_TYPE);
    form.put("assertion", assertion(endpoint, now));
    return form;
  }

  /** The signed JWT: RS256 over {@code base64url(header).base64url(claims)}. */
  String assertion(URI endpoint, Instant now) {
    ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT");
    if (keyId != null) {
      header.put("kid", keyId);
    }
    long iat = now.getEpochSecond();
    ObjectNode claims =
        JSON.createObjectNode()
            .put("iss", clientEmail)
            .put("sub", subject)
            .put("scope", scope)
            .put("aud", endpoint.toString())
            .put("iat", iat)
            .put("exp", iat + ASSERTION_LIFETIME.toSeconds());
    String signingInput = b64(header) + "." + b64(claims);
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(privateKey);
      rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64URL.encodeToString(rs256.sign());
    } catch (GeneralSecurityException e) {
      throw new TokenRequestException(
          "cannot sign the assertion for " + clientEmail + ": " + e.getClass().getSimpleName(),
          false,
          null);
    }
  }

  private static String b64(ObjectNode json) {
    try {
      return B64URL.encodeToString(JSON.writeValueAsBytes(json));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** The service account ({@code client_email}, the assertion's {@code iss}). */
  public String clientEmail() {
    return clientEmail;
  }

  /** The user whose mailbox the tokens open (the assertion's {@code sub}). */
  public String subject() {
    return subject;
  }

  @Override
  public String toString() {
    return "GoogleServiceAccountTokenProvider[clientEmail="
        + clientEmail
        + ", subject="
        + subject
        + ", scope="
        + scope
        + ", privateKey=****]";
  }

  /** Builds {@link GoogleServiceAccountTokenProvider}; not thread safe. */
  public static final class Builder extends TokenProviderBuilder<Builder> {
    private String clientEmail;
    private String keyId;
    private PrivateKey privateKey;
    private String subject;
    private String scope = GMAIL_SCOPE;
    private URI tokenEndpoint;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /**
     * Reads a service account key file as the Google Cloud console downloads it ({@code
     * "type":"service_account"}, {@code client_email}, {@code private_key} in PKCS#8 PEM, {@code
     * private_key_id}, {@code token_uri}). Its {@code token_uri} is used unless {@link
     * #tokenEndpoint(URI)} says otherwise.
     *
     * @throws IllegalArgumentException when the file cannot be read or is not such a key; the
     *     message names the file and the missing field, never the key
     */
    public Builder keyFile(Path file) {
      Objects.requireNonNull(file, "file == null");
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read the service account key file "
                + file
                + ": "
                + e.getClass().getSimpleName());
      }
      return keyJson(bytes, file.toString());
    }

    /** As {@link #keyFile(Path)}, from the file's content. */
    public Builder keyJson(byte[] json, String source) {
      JsonNode key;
      try {
        key = JSON.readTree(json);
      } catch (IOException e) {
        // The parser's message may quote the content: name the file only.
        key = null;
      }
      if (key == null || !key.isObject()) {
        throw new IllegalArgumentException(source + " is not a JSON service account key");
      }
      if (!"service_account".equals(key.path("type").asText(""))) {
        throw new IllegalArgumentException(
            source + " is not a service account key (\"type\" is not \"service_account\")");
      }
      String email = key.path("client_email").asText("");
      String pem = key.path("private_key").asText("");
      if (email.isBlank() || pem.isBlank()) {
        throw new IllegalArgumentException(
            source + " lacks " + (email.isBlank() ? "client_email" : "private_key"));
      }
      clientEmail = email;
      privateKey(parsePkcs8Pem(pem, source));
      String kid = key.path("private_key_id").asText("");
      keyId = kid.isBlank() ? null : kid;
      String tokenUri = key.path("token_uri").asText("");
      if (tokenEndpoint == null && !tokenUri.isBlank()) {
        tokenEndpoint(URI.create(tokenUri));
      }
      return this;
    }

    /** The service account's email ({@code client_email}). */
    public Builder clientEmail(String v) {
      clientEmail = v;
      return this;
    }

    /** The RSA private key that signs the assertions; kept out of every string and log. */
    public Builder privateKey(PrivateKey v) {
      privateKey = Objects.requireNonNull(v, "privateKey == null");
      return this;
    }

    /** The key's id ({@code private_key_id}, the JWT header's {@code kid}); optional. */
    public Builder keyId(String v) {
      keyId = v;
      return this;
    }

    /** The mailbox user to act as (domain-wide delegation; the assertion's {@code sub}). */
    public Builder subject(String v) {
      subject = v;
      return this;
    }

    /** The scope; default {@link #GMAIL_SCOPE}. */
    public Builder scope(String v) {
      scope = v;
      return this;
    }

    /**
     * The token endpoint (also the assertion's {@code aud}); default the key file's {@code
     * token_uri}, else {@link #DEFAULT_TOKEN_ENDPOINT}. Tests point it at a loopback stub ({@code
     * http://} only for loopback).
     */
    public Builder tokenEndpoint(URI v) {
      tokenEndpoint = endpoint(v, "tokenEndpoint");
      return this;
    }

    /** The clock that dates the assertions and decides expiry (tests). */
    @Override
    public Builder clock(Clock v) {
      return super.clock(v);
    }

    /**
     * Builds the provider. Does not contact the endpoint.
     *
     * @throws IllegalArgumentException when a required value is missing or the key is not RSA
     */
    public GoogleServiceAccountTokenProvider build() {
      if (privateKey == null) {
        throw new IllegalArgumentException("privateKey is required");
      }
      String email = required(clientEmail, "clientEmail");
      String sub = required(subject, "subject");
      String sc = required(scope, "scope");
      if (!(privateKey instanceof RSAPrivateKey)) {
        throw new IllegalArgumentException("the private key must be RSA (RS256)");
      }
      return new GoogleServiceAccountTokenProvider(this, email, sub, sc);
    }
  }

  static PrivateKey parsePkcs8Pem(String pem, String source) {
    String body =
        pem.replace("-----BEGIN PRIVATE KEY-----", "")
            .replace("-----END PRIVATE KEY-----", "")
            .replaceAll("\\s+", "");
    try {
      byte[] der = Base64.getDecoder().decode(body);
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          source + ": private_key is not an RSA key in PKCS#8 PEM (BEGIN PRIVATE KEY)");
    }
  }
}
