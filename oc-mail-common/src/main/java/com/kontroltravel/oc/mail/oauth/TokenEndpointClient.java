package com.kontroltravel.oc.mail.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * Posts an OAuth2 token request (RFC 6749 section 4.4 / 6) as a form and caches the answer until
 * shortly before it expires. Thread safe: one request at a time; callers meanwhile wait for its
 * token. Never logs or reports the form, which holds the secret.
 */
final class TokenEndpointClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_DETAIL = 300;

  private final URI endpoint;
  private final Supplier<Map<String, String>> form;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final Duration refreshMargin;
  private final Clock clock;

  private String token;
  private Instant refreshAt = Instant.MIN;
  private Instant expiresAt;

  /** With the form of each request (built anew: a signed assertion carries its own time). */
  TokenEndpointClient(
      URI endpoint,
      Supplier<Map<String, String>> form,
      Duration connectTimeout,
      Duration requestTimeout,
      Duration refreshMargin,
      Clock clock) {
    this.endpoint = checkEndpoint(endpoint);
    this.form = Objects.requireNonNull(form, "form == null");
    this.requestTimeout = positive(requestTimeout, "requestTimeout");
    this.refreshMargin = Objects.requireNonNull(refreshMargin, "refreshMargin == null");
    if (refreshMargin.isNegative()) {
      throw new IllegalArgumentException("refreshMargin < 0");
    }
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(positive(connectTimeout, "connectTimeout"))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  URI endpoint() {
    return endpoint;
  }

  Clock clock() {
    return clock;
  }

  /** When the cached token expires, as the endpoint said; empty when none is cached. */
  synchronized Optional<Instant> expiresAt() {
    return token == null ? Optional.empty() : Optional.of(expiresAt);
  }

  /** HTTPS, or HTTP to a loopback address only (tests against a local stub). */
  static URI checkEndpoint(URI uri) {
    Objects.requireNonNull(uri, "endpoint == null");
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("no host in " + uri);
    }
    if (scheme.equals("https")) {
      return uri;
    }
    if (scheme.equals("http") && isLoopback(uri.getHost())) {
      return uri;
    }
    throw new IllegalArgumentException("https required (http only to loopback): " + uri);
  }

  static boolean isLoopback(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false; // a name: not resolved here, so never trusted as loopback
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name + " == null");
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return d;
  }

  synchronized String accessToken(boolean forceRefresh) {
    if (!forceRefresh && token != null && clock.instant().isBefore(refreshAt)) {
      return token;
    }
    token = null;
    Instant asked = clock.instant();
    JsonNode answer = request();
    String t = answer.path("access_token").asText("");
    if (t.isEmpty()) {
      throw new TokenRequestException(
          "token endpoint " + endpoint + " answered without an access_token", false, null);
    }
    long expiresIn = answer.path("expires_in").asLong(3600);
    Duration life = Duration.ofSeconds(Math.max(expiresIn, 0));
    // Refresh ahead of expiry; a short-lived token is still used for half its life.
    Duration margin =
        refreshMargin.compareTo(life.dividedBy(2)) > 0 ? life.dividedBy(2) : refreshMargin;
    token = t;
    expiresAt = asked.plus(life);
    refreshAt = expiresAt.minus(margin);
    return t;
  }

  synchronized void invalidate() {
    token = null;
    refreshAt = Instant.MIN;
    expiresAt = null;
  }

  private JsonNode request() {
    StringJoiner body = new StringJoiner("&");
    form.get()
        .forEach(
            (k, v) ->
                body.add(
                    URLEncoder.encode(k, StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    HttpRequest req =
        HttpRequest.newBuilder(endpoint)
            .timeout(requestTimeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> res;
    try {
      res = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new TokenRequestException(
          "token endpoint " + endpoint + " unreachable: " + describe(e), true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenRequestException("interrupted while asking " + endpoint, true, e);
    }
    JsonNode json;
    try {
      json = JSON.readTree(res.body());
    } catch (IOException e) {
      json = null;
    }
    int status = res.statusCode();
    if (status == 200 && json != null && json.isObject()) {
      return json;
    }
    StringBuilder detail =
        new StringBuilder("token endpoint ").append(endpoint).append(" answered ").append(status);
    if (json != null && json.hasNonNull("error")) {
      detail.append(' ').append(json.path("error").asText());
      String d = json.path("error_description").asText("");
      if (!d.isBlank()) {
        detail.append(": ").append(shorten(d.replaceAll("\\s+", " ").trim()));
      }
    }
    boolean retryable = status == 429 || status >= 500 || status == 200;
    throw new TokenRequestException(detail.toString(), retryable, null);
  }

  private static String shorten(String s) {
    return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "...";
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
