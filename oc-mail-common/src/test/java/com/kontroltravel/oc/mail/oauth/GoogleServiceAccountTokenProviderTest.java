package com.kontroltravel.oc.mail.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoogleServiceAccountTokenProviderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** Google's token endpoint as documented: checks the assertion's RS256 signature and claims. */
  static final class JwtBearerStub implements AutoCloseable {
    final HttpServer server;
    final PublicKey trusted;
    final List<JsonNode> claims = new CopyOnWriteArrayList<>();
    final List<String> rejections = new CopyOnWriteArrayList<>();

    JwtBearerStub(PublicKey trusted) throws Exception {
      this.trusted = trusted;
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/token",
          ex -> {
            try (ex) {
              String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
              String grant = null;
              String assertion = null;
              for (String pair : body.split("&")) {
                String[] kv = pair.split("=", 2);
                String v = URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
                if (kv[0].equals("grant_type")) {
                  grant = v;
                } else if (kv[0].equals("assertion")) {
                  assertion = v;
                }
              }
              String problem = check(grant, assertion);
              int status = problem == null ? 200 : 400;
              String json =
                  problem == null
                      ? "{\"access_token\":\"ya29.token-"
                          + claims.size()
                          + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}"
                      : "{\"error\":\"invalid_grant\",\"error_description\":\"" + problem + "\"}";
              if (problem != null) {
                rejections.add(problem);
              }
              byte[] out = json.getBytes(StandardCharsets.UTF_8);
              ex.getResponseHeaders().set("Content-Type", "application/json");
              ex.sendResponseHeaders(status, out.length);
              try (OutputStream o = ex.getResponseBody()) {
                o.write(out);
              }
            }
          });
      server.start();
    }

    private String check(String grant, String assertion) {
      if (!GoogleServiceAccountTokenProvider.GRANT_TYPE.equals(grant) || assertion == null) {
        return "unsupported grant";
      }
      String[] parts = assertion.split("\\.");
      if (parts.length != 3) {
        return "not a JWS";
      }
      try {
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        if (!header.path("alg").asText().equals("RS256")) {
          return "alg";
        }
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(trusted);
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
          return "Invalid JWT Signature.";
        }
        JsonNode c = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        claims.add(c);
        return null;
      } catch (Exception e) {
        return "unreadable assertion";
      }
    }

    URI endpoint() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  static String keyFileJson(KeyPair key, String tokenUri) {
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    return JSON.createObjectNode()
        .put("type", "service_account")
        .put("project_id", "oc-test")
        .put("private_key_id", "kid-1")
        .put("private_key", pem)
        .put("client_email", "oc-mail@oc-test.iam.gserviceaccount.com")
        .put("client_id", "1234567890")
        .put("token_uri", tokenUri)
        .toString();
  }

  @Test
  @DisplayName(
      "service account: a signed JWT bearer assertion from the key file, sub = the mailbox user")
  void signsTheAssertion() throws Exception {
    KeyPair key = rsa();
    try (JwtBearerStub stub = new JwtBearerStub(key.getPublic())) {
      Path file = dir.resolve("sa.json");
      Files.writeString(file, keyFileJson(key, stub.endpoint().toString()));
      TokenProvidersTest.MovableClock clock = new TokenProvidersTest.MovableClock();
      GoogleServiceAccountTokenProvider p =
          GoogleServiceAccountTokenProvider.builder()
              .keyFile(file)
              .subject("oc@agencia.example")
              .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
              .clock(clock)
              .build();
      assertThat(p.tokenEndpoint()).isEqualTo(stub.endpoint());
      assertThat(p.accessToken(false)).isEqualTo("ya29.token-1");
      assertThat(p.accessToken(false)).as("cached").isEqualTo("ya29.token-1");
      assertThat(p.expiresAt()).contains(clock.now.plusSeconds(3599));
      assertThat(stub.rejections).isEmpty();
      JsonNode c = stub.claims.get(0);
      assertThat(c.path("iss").asText()).isEqualTo("oc-mail@oc-test.iam.gserviceaccount.com");
      assertThat(c.path("sub").asText()).isEqualTo("oc@agencia.example");
      assertThat(c.path("scope").asText()).isEqualTo("https://mail.google.com/");
      assertThat(c.path("aud").asText()).isEqualTo(stub.endpoint().toString());
      assertThat(c.path("iat").asLong()).isEqualTo(clock.now.getEpochSecond());
      assertThat(c.path("exp").asLong()).isEqualTo(clock.now.getEpochSecond() + 3600);

      clock.now = clock.now.plus(Duration.ofMinutes(56));
      assertThat(p.accessToken(false))
          .as("within the margin: a new assertion")
          .isEqualTo("ya29.token-2");
      assertThat(stub.claims.get(1).path("iat").asLong()).isEqualTo(clock.now.getEpochSecond());
      assertThat(p.toString()).doesNotContain("PRIVATE").contains("privateKey=****");
    }
  }

  @Test
  @DisplayName("service account: an assertion signed by another key is refused, without the key")
  void wrongKey() throws Exception {
    KeyPair trusted = rsa();
    KeyPair other = rsa();
    try (JwtBearerStub stub = new JwtBearerStub(trusted.getPublic())) {
      GoogleServiceAccountTokenProvider p =
          GoogleServiceAccountTokenProvider.builder()
              .keyJson(keyFileJson(other, stub.endpoint().toString()).getBytes(), "sa.json")
              .subject("oc@agencia.example")
              .build();
      assertThatThrownBy(() -> p.accessToken(false))
          .isInstanceOf(TokenRequestException.class)
          .hasMessageContaining("invalid_grant")
          .hasMessageContaining("Invalid JWT Signature");
      assertThat(stub.rejections).containsExactly("Invalid JWT Signature.");
    }
    assertThatThrownBy(
            () ->
                GoogleServiceAccountTokenProvider.builder()
                    .keyJson(
                        "{\"type\":\"service_account\",\"private_key\":\"x\"}".getBytes(),
                        "k.json"))
        .hasMessage("k.json lacks client_email");
    String broken =
        keyFileJson(trusted, "https://oauth2.googleapis.com/token").replace("MII", "!!secret-part");
    assertThatThrownBy(
            () -> GoogleServiceAccountTokenProvider.builder().keyJson(broken.getBytes(), "k.json"))
        .hasMessageContaining("not an RSA key")
        .hasMessageNotContaining("secret-part");
    assertThatThrownBy(
            () ->
                GoogleServiceAccountTokenProvider.builder()
                    .keyJson("{\"private_key\": \"secret-part".getBytes(), "k.json"))
        .hasMessage("k.json is not a JSON service account key");
  }
}
