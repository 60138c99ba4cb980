package com.kontroltravel.oc.mail.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kontroltravel.oc.mail.oauth.AccessTokenProvider;
import com.kontroltravel.oc.mail.oauth.TokenRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP to Microsoft Graph: a bearer token on every request, a new token once after a 401, bounded
 * retries of 429 and 5xx honouring {@code Retry-After}, and Graph's {@code error.code} in every
 * failure. Thread safe. Never logs a token or a request body.
 *
 * <p>Shapes: errors https://learn.microsoft.com/en-us/graph/errors, throttling
 * https://learn.microsoft.com/en-us/graph/throttling.
 */
final class GraphClient {
  private static final Logger log = LoggerFactory.getLogger(GraphClient.class);
  static final ObjectMapper JSON = new ObjectMapper();

  private final GraphSettings settings;
  private final AccessTokenProvider tokens;
  private final HttpClient http;

  GraphClient(GraphSettings settings) {
    this.settings = settings;
    this.tokens = settings.tokens();
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** What a call answered: status, headers and the body (bytes). */
  record Answer(int status, java.net.http.HttpHeaders headers, byte[] body) {
    JsonNode json() throws GraphException {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new GraphException(
            "unreadable JSON from Graph: " + e.getMessage(), status, "", true, e);
      }
    }
  }

  /** How a call may be retried. */
  enum Retry {
    /** Reads: 429 and every 5xx are retried. */
    IDEMPOTENT,
    /** Sends: only 429 and 503, which Graph documents as not processed, are retried. */
    NOT_PROCESSED_ONLY
  }

  /**
   * Sends a request built by {@code build} (given the token), retrying as {@code retry} allows.
   *
   * @param maxBody the largest body read; a longer one fails with status 413 and code {@code
   *     tooLarge}
   * @return a 2xx answer
   * @throws GraphException for any other answer, or when Graph cannot be reached
   */
  Answer send(RequestFactory build, Retry retry, long maxBody) throws GraphException {
    boolean refreshed = false;
    boolean forceRefresh = false;
    GraphException last = null;
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      String token;
      try {
        token = tokens.accessToken(forceRefresh);
        forceRefresh = false;
      } catch (TokenRequestException e) {
        throw new GraphException(
            "cannot obtain an access token: " + e.getMessage(), 0, "", true, e);
      }
      HttpRequest req = build.request(token).timeout(settings.requestTimeout()).build();
      HttpResponse<InputStream> res;
      try {
        res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
      } catch (HttpTimeoutException e) {
        last = new GraphException("Graph timed out: " + describe(e), 0, "timeout", true, e);
        if (retry == Retry.NOT_PROCESSED_ONLY) {
          throw last;
        }
        continue;
      } catch (IOException e) {
        last = new GraphException("Graph unreachable: " + describe(e), 0, "", true, e);
        if (retry == Retry.NOT_PROCESSED_ONLY) {
          throw last;
        }
        pause(backoff(attempt));
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new GraphException("interrupted", 0, "", true, e);
      }
      int status = res.statusCode();
      byte[] body;
      try (InputStream in = res.body()) {
        byte[] read = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, maxBody + 1));
        if (read.length > maxBody && status / 100 == 2) {
          throw new GraphException(
              "larger than " + maxBody + " bytes", 413, "tooLarge", false, null);
        }
        body = read;
      } catch (IOException e) {
        last = new GraphException("Graph answer cut short: " + describe(e), status, "", true, e);
        if (retry == Retry.NOT_PROCESSED_ONLY) {
          throw last;
        }
        continue;
      }
      if (status / 100 == 2) {
        return new Answer(status, res.headers(), body);
      }
      last = failure(status, res.headers(), body, req.method(), req.uri());
      if (status == 401 && !refreshed) {
        log.info("Graph rejected the access token; getting a new one");
        refreshed = true;
        forceRefresh = true;
        attempt--; // a rejected token is not a try of the request
        continue;
      }
      boolean retryable =
          status == 429 || status == 503 || (status >= 500 && retry == Retry.IDEMPOTENT);
      if (!retryable || attempt == settings.maxAttempts()) {
        throw last;
      }
      Optional<Duration> after = retryAfter(res.headers());
      Duration wait = after.orElse(backoff(attempt));
      if (wait.compareTo(settings.maxRetryAfter()) > 0) {
        throw new GraphException(
            last.getMessage() + " (Retry-After " + wait.toSeconds() + " s exceeds the limit)",
            status,
            last.code(),
            true,
            null);
      }
      log.info(
          "Graph answered {} {} to {}; retrying in {} ms (attempt {} of {})",
          status,
          last.code(),
          req.method(),
          wait.toMillis(),
          attempt + 1,
          settings.maxAttempts());
      pause(wait);
    }
    throw last;
  }

  /** Builds a request once a token is known. */
  @FunctionalInterface
  interface RequestFactory {
    HttpRequest.Builder request(String token);
  }

  private Duration backoff(int attempt) {
    return settings.retryBackoff().multipliedBy(1L << Math.min(attempt - 1, 10));
  }

  private static void pause(Duration d) throws GraphException {
    try {
      Thread.sleep(Math.max(0, d.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GraphException("interrupted while waiting to retry", 0, "", true, e);
    }
  }

  /** Retry-After in seconds or as an HTTP date. */
  static Optional<Duration> retryAfter(java.net.http.HttpHeaders headers) {
    Optional<String> v = headers.firstValue("Retry-After");
    if (v.isEmpty()) {
      return Optional.empty();
    }
    String s = v.get().trim();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(s))));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(java.time.Instant.now(), at.toInstant());
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (RuntimeException bad) {
        return Optional.empty();
      }
    }
  }

  /** Graph's error as an exception: 429 and 5xx transient, other 4xx permanent. */
  static GraphException failure(
      int status, java.net.http.HttpHeaders headers, byte[] body, String method, URI uri) {
    String code = "";
    String message = "";
    try {
      JsonNode err = JSON.readTree(body).path("error");
      code = err.path("code").asText("");
      message = err.path("message").asText("");
    } catch (IOException | RuntimeException e) {
      message = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    }
    message = message.replaceAll("\\s+", " ").trim();
    if (message.length() > 300) {
      message = message.substring(0, 300) + "...";
    }
    boolean transientFailure = status == 429 || status >= 500 || status == 401;
    String text =
        method
            + " "
            + uri.getPath()
            + ": HTTP "
            + status
            + (code.isEmpty() ? "" : " " + code)
            + (message.isEmpty() ? "" : ": " + message);
    return new GraphException(text, status, code, transientFailure, null);
  }

  /**
   * Headers every Graph call carries: the token, and one {@code Prefer} header asking for immutable
   * ids (they survive moves between folders) plus any further preferences.
   */
  static HttpRequest.Builder base(URI uri, String token, String... preferences) {
    StringBuilder prefer = new StringBuilder("IdType=\"ImmutableId\"");
    for (String p : preferences) {
      prefer.append(", ").append(p);
    }
    return HttpRequest.newBuilder(uri)
        .header("Authorization", "Bearer " + token)
        .header("Prefer", prefer.toString())
        .header("User-Agent", "oc-mail-graph");
  }

  static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  static List<String> headerValues(java.net.http.HttpHeaders h, String name) {
    return h.allValues(name);
  }
}
