package com.kontroltravel.oc.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The token endpoints of Microsoft's identity platform and Google over real HTTP on loopback, as
 * their documentation describes them: {@code POST /{tenant}/oauth2/v2.0/token} with the
 * client-credentials grant (scope {@code https://outlook.office365.com/.default}), and {@code POST
 * /token} with the refresh-token grant or the JWT bearer grant of a service account, whose RS256
 * signature is verified with the public half of a key pair made here and whose claims ({@code iss},
 * {@code sub}, {@code scope}, {@code aud}, {@code iat}, {@code exp}) are checked. Each token issued
 * is random, lives {@link #expiresIn} seconds, and is handed to {@link #onIssue} (which tells the
 * mail server to accept it).
 */
final class OAuthTokenStub implements AutoCloseable {
  static final String TENANT = "contoso.onmicrosoft.com";
  static final String MS_CLIENT_ID = "11111111-2222-3333-4444-555555555555";
  static final String MS_SECRET = "ms-s3cr3t-Value~x";
  static final String GOOGLE_CLIENT_ID = "1234-oc.apps.googleusercontent.com";
  static final String GOOGLE_SECRET = "GOCSPX-g00gle-s3cr3t";
  static final String GOOGLE_REFRESH = "1//0refresh-t0ken-value";
  static final String SERVICE_ACCOUNT = "oc-mail@oc-test.iam.gserviceaccount.com";

  /** A token handed out: for whom ({@code subject}: the mailbox user, null for an application). */
  record Issued(String token, String grant, String subject, Instant expires) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  final HttpServer server;
  final KeyPair serviceAccountKey;
  final String refreshTokenUser;
  final List<Issued> issued = new CopyOnWriteArrayList<>();
  final List<String> refusals = new CopyOnWriteArrayList<>();
  volatile long expiresIn = 3599;
  volatile Consumer<Issued> onIssue = i -> {};

  /**
   * @param refreshTokenUser the user who granted the Google refresh token
   */
  OAuthTokenStub(String refreshTokenUser) throws IOException {
    this.refreshTokenUser = refreshTokenUser;
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      serviceAccountKey = g.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Google's endpoint here (also the {@code aud} a service account's assertion must name). */
  URI googleEndpoint() {
    return base().resolve("/token");
  }

  /** Microsoft's endpoint here for {@link #TENANT}. */
  URI microsoftEndpoint() {
    return base().resolve("/" + TENANT + "/oauth2/v2.0/token");
  }

  /** A service account key file as the Google Cloud console writes it. */
  String serviceAccountKeyJson() {
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(serviceAccountKey.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    return JSON.createObjectNode()
        .put("type", "service_account")
        .put("project_id", "oc-test")
        .put("private_key_id", "0123abcd")
        .put("private_key", pem)
        .put("client_email", SERVICE_ACCOUNT)
        .put("client_id", "109876543210")
        .put("token_uri", googleEndpoint().toString())
        .toString();
  }

  /** Tokens issued so far. */
  int count() {
    return issued.size();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, String> form = new LinkedHashMap<>();
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      for (String pair : body.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          form.put(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      String path = ex.getRequestURI().getPath();
      String grant = form.getOrDefault("grant_type", "");
      String problem;
      String subject = null;
      if (!ex.getRequestMethod().equals("POST")) {
        problem = "invalid_request: POST only";
      } else if (path.equals("/" + TENANT + "/oauth2/v2.0/token")
          && grant.equals("client_credentials")) {
        problem =
            !MS_CLIENT_ID.equals(form.get("client_id"))
                ? "unauthorized_client: AADSTS700016 application not found"
                : !MS_SECRET.equals(form.get("client_secret"))
                    ? "invalid_client: AADSTS7000215 Invalid client secret provided"
                    : !"https://outlook.office365.com/.default".equals(form.get("scope"))
                        ? "invalid_scope: AADSTS70011 " + form.get("scope")
                        : null;
      } else if (path.equals("/token") && grant.equals("refresh_token")) {
        problem =
            GOOGLE_CLIENT_ID.equals(form.get("client_id"))
                    && GOOGLE_SECRET.equals(form.get("client_secret"))
                    && GOOGLE_REFRESH.equals(form.get("refresh_token"))
                ? null
                : "invalid_grant: Bad Request";
        subject = refreshTokenUser;
      } else if (path.equals("/token")
          && grant.equals("urn:ietf:params:oauth:grant-type:jwt-bearer")) {
        String[] sub = new String[1];
        problem = checkAssertion(form.get("assertion"), sub);
        subject = sub[0];
      } else {
        problem = "unsupported_grant_type: " + grant + " at " + path;
      }
      if (problem != null) {
        refusals.add(problem);
        int colon = problem.indexOf(':');
        reply(
            ex,
            400,
            JSON.createObjectNode()
                .put("error", problem.substring(0, colon))
                .put("error_description", problem.substring(colon + 1).trim())
                .toString());
        return;
      }
      byte[] random = new byte[16];
      new java.security.SecureRandom().nextBytes(random);
      long life = expiresIn;
      Issued i =
          new Issued(
              "at-" + (issued.size() + 1) + "-" + HexFormat.of().formatHex(random),
              grant,
              subject,
              Instant.now().plusSeconds(life));
      issued.add(i);
      onIssue.accept(i);
      reply(
          ex,
          200,
          JSON.createObjectNode()
              .put("token_type", "Bearer")
              .put("expires_in", life)
              .put("access_token", i.token())
              .toString());
    }
  }

  /** Null when the assertion is good, else the error; {@code sub[0]} gets its subject. */
  private String checkAssertion(String assertion, String[] sub) {
    if (assertion == null) {
      return "invalid_request: no assertion";
    }
    String[] parts = assertion.split("\\.", -1);
    if (parts.length != 3) {
      return "invalid_grant: not a JWS";
    }
    try {
      Base64.Decoder d = Base64.getUrlDecoder();
      JsonNode header = JSON.readTree(d.decode(parts[0]));
      if (!header.path("alg").asText().equals("RS256")) {
        return "invalid_grant: alg " + header.path("alg").asText();
      }
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initVerify(serviceAccountKey.getPublic());
      rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!rs256.verify(d.decode(parts[2]))) {
        return "invalid_grant: Invalid JWT Signature.";
      }
      JsonNode c = JSON.readTree(d.decode(parts[1]));
      long now = Instant.now().getEpochSecond();
      long iat = c.path("iat").asLong(-1);
      long exp = c.path("exp").asLong(-1);
      if (!SERVICE_ACCOUNT.equals(c.path("iss").asText())) {
        return "invalid_grant: iss " + c.path("iss").asText();
      }
      if (!googleEndpoint().toString().equals(c.path("aud").asText())) {
        return "invalid_grant: Invalid JWT: aud " + c.path("aud").asText();
      }
      if (!"https://mail.google.com/".equals(c.path("scope").asText())) {
        return "invalid_scope: " + c.path("scope").asText();
      }
      if (Math.abs(iat - now) > 300 || exp <= iat || exp - iat > 3600) {
        return "invalid_grant: Invalid JWT: Token must be a short-lived token (60 minutes)";
      }
      String subject = c.path("sub").asText("");
      if (!subject.contains("@")) {
        return "unauthorized_client: no sub (domain-wide delegation needs the user)";
      }
      sub[0] = subject;
      return null;
    } catch (IllegalArgumentException | IOException | java.security.GeneralSecurityException e) {
      return "invalid_grant: unreadable assertion";
    }
  }

  private static void reply(HttpExchange ex, int status, String json) throws IOException {
    byte[] out = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, out.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(out);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
