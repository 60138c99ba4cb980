package com.kontroltravel.oc.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * The one HTTP client of the tests against the admin server on loopback: Basic credentials (or
 * none), no redirects followed, the anti-CSRF header on JSON API POSTs. Published in oc-examples'
 * test jar for oc-it.
 */
public final class Http {
  private final HttpClient client =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final int port;
  private final String user;
  private final String password;

  /** A client for the admin server on {@code 127.0.0.1:port}; {@code user} null for none. */
  public Http(int port, String user, String password) {
    this.port = port;
    this.user = user;
    this.password = password;
  }

  /** The same server with other credentials. */
  public Http as(String otherUser, String otherPassword) {
    return new Http(port, otherUser, otherPassword);
  }

  private HttpRequest.Builder request(String path, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30));
    if (user != null) {
      b.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    headers.forEach(b::header);
    return b;
  }

  public HttpResponse<String> get(String path) {
    return get(path, Map.of());
  }

  public HttpResponse<String> get(String path, Map<String, String> headers) {
    return send(request(path, headers).GET().build());
  }

  public HttpResponse<String> post(String path, String body, Map<String, String> headers) {
    return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  /** A JSON API POST with the anti-CSRF header. */
  public HttpResponse<String> api(String path, String json) {
    return post(path, json, Map.of("X-Requested-With", "test", "Content-Type", "application/json"));
  }

  private HttpResponse<String> send(HttpRequest r) {
    try {
      return client.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Status, headers and body of a response, for searching it. */
  public static String dump(HttpResponse<String> r) {
    return r.statusCode() + " " + r.headers().map() + "\n" + r.body();
  }
}
