package com.kontroltravel.oc.mail.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TokenProvidersTest {

  /** A clock the test moves by hand. */
  static final class MovableClock extends Clock {
    volatile Instant now = Instant.parse("2026-12-01T10:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static MicrosoftClientCredentialsTokenProvider.Builder microsoft(
      TokenEndpointStub stub, MovableClock clock) {
    return MicrosoftClientCredentialsTokenProvider.builder()
        .tenant("contoso.onmicrosoft.com")
        .clientId("11111111-2222-3333-4444-555555555555")
        .clientSecret("s3cr3t-value")
        .authority(stub.base())
        .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
        .clock(clock);
  }

  @Test
  @DisplayName("client credentials: the documented form goes to /{tenant}/oauth2/v2.0/token")
  void clientCredentialsForm() throws Exception {
    try (TokenEndpointStub stub = new TokenEndpointStub()) {
      MicrosoftClientCredentialsTokenProvider p = microsoft(stub, new MovableClock()).build();
      assertThat(p.accessToken(false)).isEqualTo("token-1");
      assertThat(stub.paths).containsExactly("/contoso.onmicrosoft.com/oauth2/v2.0/token");
      assertThat(stub.requests.get(0))
          .containsEntry("grant_type", "client_credentials")
          .containsEntry("client_id", "11111111-2222-3333-4444-555555555555")
          .containsEntry("client_secret", "s3cr3t-value")
          .containsEntry("scope", MicrosoftClientCredentialsTokenProvider.GRAPH_SCOPE);

      MicrosoftClientCredentialsTokenProvider outlook =
          microsoft(stub, new MovableClock())
              .scope(MicrosoftClientCredentialsTokenProvider.OUTLOOK_SCOPE)
              .build();
      outlook.accessToken(false);
      assertThat(stub.requests.get(1))
          .containsEntry("scope", "https://outlook.office365.com/.default");
    }
  }

  @Test
  @DisplayName("the token is cached, replaced a margin before expiry, and at once when forced")
  void cachesAndRefreshes() throws Exception {
    try (TokenEndpointStub stub = new TokenEndpointStub()) {
      MovableClock clock = new MovableClock();
      MicrosoftClientCredentialsTokenProvider p =
          microsoft(stub, clock).refreshMargin(Duration.ofMinutes(5)).build();
      assertThat(p.accessToken(false)).isEqualTo("token-1");
      assertThat(p.accessToken(false)).isEqualTo("token-1");
      clock.now = clock.now.plus(Duration.ofMinutes(54)); // 3599 s life - 5 min margin = 54m59s
      assertThat(p.accessToken(false)).isEqualTo("token-1");
      clock.now = clock.now.plus(Duration.ofSeconds(60));
      assertThat(p.accessToken(false)).as("within the margin: replaced").isEqualTo("token-2");
      assertThat(p.accessToken(true)).as("forced after a rejection").isEqualTo("token-3");
      p.invalidate();
      assertThat(p.accessToken(false)).isEqualTo("token-4");
      assertThat(stub.requests).hasSize(4);

      // A short-lived token is used for half its life rather than never.
      stub.expiresIn = 120;
      MicrosoftClientCredentialsTokenProvider shortLived = microsoft(stub, clock).build();
      String t = shortLived.accessToken(false);
      clock.now = clock.now.plusSeconds(59);
      assertThat(shortLived.accessToken(false)).isEqualTo(t);
      clock.now = clock.now.plusSeconds(2);
      assertThat(shortLived.accessToken(false)).isNotEqualTo(t);
    }
  }

  @Test
  @DisplayName("eight threads asking at once share one token request")
  void threadSafe() throws Exception {
    try (TokenEndpointStub stub = new TokenEndpointStub()) {
      MicrosoftClientCredentialsTokenProvider p = microsoft(stub, new MovableClock()).build();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<String>> futures = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          futures.add(pool.submit(() -> p.accessToken(false)));
        }
        Set<String> tokens = new HashSet<>();
        for (Future<String> f : futures) {
          tokens.add(f.get(10, TimeUnit.SECONDS));
        }
        assertThat(tokens).containsExactly("token-1");
        assertThat(stub.requests).hasSize(1);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  @DisplayName("a bad secret fails with the endpoint's error code and never shows the secret")
  void badSecret() throws Exception {
    try (TokenEndpointStub stub = new TokenEndpointStub()) {
      stub.expectedSecret.set("another");
      MicrosoftClientCredentialsTokenProvider p = microsoft(stub, new MovableClock()).build();
      TokenRequestException e =
          catchThrowableOfType(TokenRequestException.class, () -> p.accessToken(false));
      assertThat(e.getMessage())
          .contains("401")
          .contains("invalid_client")
          .contains("AADSTS7000215");
      assertThat(e.getMessage()).doesNotContain("s3cr3t-value");
      assertThat(e.isRetryable()).isFalse();
      assertThat(p.toString()).doesNotContain("s3cr3t-value").contains("****");

      stub.failWith = 503;
      TokenRequestException busy =
          catchThrowableOfType(TokenRequestException.class, () -> p.accessToken(false));
      assertThat(busy.isRetryable()).isTrue();
    }
    // Nothing listening: a retryable failure within the connect timeout.
    MicrosoftClientCredentialsTokenProvider unreachable =
        MicrosoftClientCredentialsTokenProvider.builder()
            .tenant("t")
            .clientId("c")
            .clientSecret("s3cr3t-value")
            .authority(URI.create("http://127.0.0.1:9"))
            .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
            .build();
    TokenRequestException down =
        catchThrowableOfType(TokenRequestException.class, () -> unreachable.accessToken(false));
    assertThat(down.isRetryable()).isTrue();
    assertThat(down.getMessage()).doesNotContain("s3cr3t-value");
  }

  @Test
  @DisplayName("https is required except towards loopback; required values are checked")
  void configuration() {
    assertThatThrownBy(
            () ->
                MicrosoftClientCredentialsTokenProvider.builder()
                    .authority(URI.create("http://login.example.com")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https");
    assertThatThrownBy(
            () ->
                MicrosoftClientCredentialsTokenProvider.builder().tenant("t").clientId("c").build())
        .hasMessageContaining("clientSecret");
    assertThat(
            MicrosoftClientCredentialsTokenProvider.builder()
                .tenant("t")
                .clientId("c")
                .clientSecret("x")
                .build()
                .tokenEndpoint())
        .hasToString("https://login.microsoftonline.com/t/oauth2/v2.0/token");
  }

  @Test
  @DisplayName("Google: refresh-token grant, cached, refreshed on expiry and when forced")
  void google() throws Exception {
    try (TokenEndpointStub stub = new TokenEndpointStub()) {
      MovableClock clock = new MovableClock();
      GoogleRefreshTokenProvider p =
          GoogleRefreshTokenProvider.builder()
              .clientId("123.apps.googleusercontent.com")
              .clientSecret("s3cr3t-value")
              .refreshToken("1//refresh-secret")
              .tokenEndpoint(stub.base().resolve("/token"))
              .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
              .clock(clock)
              .build();
      assertThat(p.accessToken(false)).isEqualTo("token-1");
      assertThat(p.accessToken(false)).isEqualTo("token-1");
      assertThat(stub.paths).containsExactly("/token");
      assertThat(stub.requests.get(0))
          .containsEntry("grant_type", "refresh_token")
          .containsEntry("refresh_token", "1//refresh-secret")
          .containsEntry("client_id", "123.apps.googleusercontent.com");
      clock.now = clock.now.plus(Duration.ofHours(1));
      assertThat(p.accessToken(false)).isEqualTo("token-2");
      assertThat(p.accessToken(true)).isEqualTo("token-3");
      assertThat(p.toString()).doesNotContain("s3cr3t-value").doesNotContain("refresh-secret");
    }
  }
}
