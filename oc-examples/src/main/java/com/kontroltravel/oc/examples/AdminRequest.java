package com.kontroltravel.oc.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One request to the admin server, as handlers see it: path parameters, query, the page language,
 * the session's CSRF token, the acting user, and the response helpers (every response carries the
 * same security headers).
 */
final class AdminRequest {
  static final int MAX_BODY = 64 * 1024;
  static final String CSRF_COOKIE = "oc_csrf";
  static final String LANG_COOKIE = "oc_lang";

  /**
   * The pages' policy: nothing but this server's stylesheet and images inside it, no scripts, no
   * framing, forms only to this server.
   */
  static final String CSP =
      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self';"
          + " frame-ancestors 'none'; base-uri 'none'";

  final HttpExchange exchange;
  final Map<String, String> params;
  final Map<String, String> query;
  private final boolean tls;
  private final SecureRandom random;
  private String csrf;
  private String lang;
  private Map<String, String> form;

  AdminRequest(
      HttpExchange exchange, Map<String, String> params, boolean tls, SecureRandom random) {
    this.exchange = exchange;
    this.params = params;
    this.query = parseForm(exchange.getRequestURI().getRawQuery());
    this.tls = tls;
    this.random = random;
  }

  String param(String name) {
    return params.get(name);
  }

  /** A query value, or null when absent or blank. */
  String q(String name) {
    return blankToNull(query.get(name));
  }

  /** The operator: the authenticated user. */
  String actor() {
    return exchange.getPrincipal() == null ? "web" : exchange.getPrincipal().getUsername();
  }

  /**
   * The page language: {@code ?lang=es|en} (remembered in a cookie for a year), else the cookie,
   * else Spanish. The browser's Accept-Language is not followed: the office's browsers are often in
   * English while the people and the data work in Spanish.
   */
  String lang() {
    if (lang == null) {
      String asked = q("lang");
      if (asked != null) {
        lang = AdminTemplates.language(asked);
        exchange
            .getResponseHeaders()
            .add(
                "Set-Cookie",
                LANG_COOKIE
                    + "="
                    + lang
                    + "; Path=/; Max-Age=31536000; HttpOnly; SameSite=Strict"
                    + (tls ? "; Secure" : ""));
      } else {
        lang = AdminTemplates.language(cookie(LANG_COOKIE));
      }
    }
    return lang;
  }

  /** The session's CSRF token, set as a cookie when missing. */
  String csrf() {
    if (csrf == null) {
      String t = cookie(CSRF_COOKIE);
      if (t == null || !t.matches("[0-9a-f]{64}")) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        t = HexFormat.of().formatHex(b);
        exchange
            .getResponseHeaders()
            .add(
                "Set-Cookie",
                CSRF_COOKIE
                    + "="
                    + t
                    + "; Path=/; HttpOnly; SameSite=Strict"
                    + (tls ? "; Secure" : ""));
      }
      csrf = t;
    }
    return csrf;
  }

  String cookie(String name) {
    List<String> headers = exchange.getRequestHeaders().get("Cookie");
    if (headers == null) {
      return null;
    }
    for (String h : headers) {
      for (String part : h.split(";")) {
        String p = part.trim();
        if (p.startsWith(name + "=")) {
          return p.substring(name.length() + 1);
        }
      }
    }
    return null;
  }

  /** The form body of a POST (read once). */
  Map<String, String> form() throws IOException {
    if (form == null) {
      form = parseForm(body());
    }
    return form;
  }

  /** A form value, or null when absent or blank. */
  String field(String name) throws IOException {
    return blankToNull(form().get(name));
  }

  /** The JSON object body of an API POST; an empty object when there is no body. */
  JsonNode json() throws IOException {
    String s = body();
    if (s.isBlank()) {
      return Views.JSON.createObjectNode();
    }
    try {
      JsonNode n = Views.JSON.readTree(s);
      if (!n.isObject()) {
        throw new IllegalArgumentException("the body must be a JSON object");
      }
      return n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("the body is not valid JSON");
    }
  }

  private String body() throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] b = in.readNBytes(MAX_BODY + 1);
      if (b.length > MAX_BODY) {
        throw new IllegalArgumentException("request body too large");
      }
      return new String(b, StandardCharsets.UTF_8);
    }
  }

  // ------------------------------------------------------------------ responses

  void html(int status, String html) throws IOException {
    send(status, "text/html; charset=utf-8", html);
  }

  void json(int status, Object node) throws IOException {
    send(status, "application/json", Views.write(node, false));
  }

  /** 303 to {@code location} (a path on this server). */
  void redirect(String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    send(303, "text/plain", "");
  }

  void send(int status, String type, String body) throws IOException {
    send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8), "no-store");
  }

  /** Sends with the security headers every response carries. */
  static void send(HttpExchange x, int status, String type, byte[] bytes, String cacheControl)
      throws IOException {
    send(x, status, type, bytes, cacheControl, CSP);
  }

  /** Sends with the security headers and another content security policy. */
  static void send(
      HttpExchange x, int status, String type, byte[] bytes, String cacheControl, String csp)
      throws IOException {
    var h = x.getResponseHeaders();
    h.set("Content-Type", type);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "same-origin");
    h.set("Cache-Control", cacheControl);
    h.set("Content-Security-Policy", csp);
    if (bytes.length == 0 || x.getRequestMethod().equals("HEAD")) {
      x.sendResponseHeaders(status, -1);
      return;
    }
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(bytes);
    }
  }

  // ------------------------------------------------------------------ helpers

  static boolean equal(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  static Map<String, String> parseForm(String s) {
    Map<String, String> m = new LinkedHashMap<>();
    if (s == null || s.isEmpty()) {
      return m;
    }
    for (String pair : s.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      m.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return m;
  }

  /** A path segment or query value, percent-encoded. */
  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
