package com.kontroltravel.oc.examples;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** A small HTTP client for tests against the admin server on loopback. */
final class Http {
  private final HttpClient client =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final String base;
  private final String user;
  private final String password;

  Http(int port, String user, String password) {
    this.base = "http://127.0.0.1:" + port;
    this.user = user;
    this.password = password;
  }

  Http as(String otherUser, String otherPassword) {
    return new Http(
        Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), otherUser, otherPassword);
  }

  private HttpRequest.Builder request(String path, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15));
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

  HttpResponse<String> get(String path) {
    return get(path, Map.of());
  }

  HttpResponse<String> get(String path, Map<String, String> headers) {
    return send(request(path, headers).GET().build());
  }

  HttpResponse<String> post(String path, String body, Map<String, String> headers) {
    return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  /** A JSON API POST with the anti-CSRF header. */
  HttpResponse<String> api(String path, String json) {
    return post(path, json, Map.of("X-Requested-With", "test", "Content-Type", "application/json"));
  }

  private HttpResponse<String> send(HttpRequest r) {
    try {
      return client.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
