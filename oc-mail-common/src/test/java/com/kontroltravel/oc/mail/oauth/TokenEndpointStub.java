package com.kontroltravel.oc.mail.oauth;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A token endpoint over real HTTP on loopback. Answers as the Microsoft identity platform documents
 * it (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow:
 * {@code {"token_type":"Bearer","expires_in":3599,"access_token":"..."}} on success, {@code
 * {"error":"invalid_client","error_description":"AADSTS7000215: ..."}} with 401 on a bad secret),
 * which is also the shape of Google's endpoint.
 */
final class TokenEndpointStub implements AutoCloseable {
  final HttpServer server;
  final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
  final List<String> paths = new CopyOnWriteArrayList<>();
  final AtomicInteger issued = new AtomicInteger();
  final AtomicReference<String> expectedSecret = new AtomicReference<>("s3cr3t-value");
  volatile long expiresIn = 3599;
  volatile int failWith;

  TokenEndpointStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> form = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
              int eq = pair.indexOf('=');
              form.put(
                  URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                  URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            requests.add(form);
            paths.add(ex.getRequestURI().getPath());
            int status;
            String json;
            if (failWith != 0) {
              status = failWith;
              json =
                  "{\"error\":\"temporarily_unavailable\",\"error_description\":\"AADSTS50196\"}";
            } else if (!expectedSecret.get().equals(form.get("client_secret"))) {
              status = 401;
              json =
                  "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid"
                      + " client secret provided.\",\"error_codes\":[7000215]}";
            } else {
              status = 200;
              json =
                  "{\"token_type\":\"Bearer\",\"expires_in\":"
                      + expiresIn
                      + ",\"ext_expires_in\":"
                      + expiresIn
                      + ",\"access_token\":\"token-"
                      + issued.incrementAndGet()
                      + "\"}";
            }
            byte[] out = json.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            ex.sendResponseHeaders(status, out.length);
            try (OutputStream o = ex.getResponseBody()) {
              o.write(out);
            }
          }
        });
    server.start();
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
