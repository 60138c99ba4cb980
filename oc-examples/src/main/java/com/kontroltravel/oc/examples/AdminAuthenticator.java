package com.kontroltravel.oc.examples;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;

/**
 * Basic authentication that asks the {@link LoginGuard} first: a client waiting after failed logins
 * gets 429 without its password being checked; every checked failure is recorded.
 */
final class AdminAuthenticator extends BasicAuthenticator {
  private final byte[] user;
  private final byte[] pass;
  private final LoginGuard guard;

  AdminAuthenticator(String username, String password, LoginGuard guard) {
    super("oc-admin", StandardCharsets.UTF_8);
    this.user = username.getBytes(StandardCharsets.UTF_8);
    this.pass = password.getBytes(StandardCharsets.UTF_8);
    this.guard = guard;
  }

  @Override
  public Result authenticate(HttpExchange x) {
    String client = x.getRemoteAddress().getAddress().getHostAddress();
    Duration wait = guard.waitFor(client);
    if (!wait.isZero()) {
      x.getResponseHeaders()
          .set("Retry-After", Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
      return new Failure(429);
    }
    Result r = super.authenticate(x);
    if (r instanceof Success) {
      guard.succeeded(client);
    } else if (r instanceof Failure) {
      guard.failed(client, userOf(x));
    }
    return r;
  }

  @Override
  public boolean checkCredentials(String u, String p) {
    // Both compared in constant time, whatever the first result.
    boolean a = MessageDigest.isEqual(user, u.getBytes(StandardCharsets.UTF_8));
    boolean b = MessageDigest.isEqual(pass, p.getBytes(StandardCharsets.UTF_8));
    return a & b;
  }

  private static String userOf(HttpExchange x) {
    String h = x.getRequestHeaders().getFirst("Authorization");
    if (h == null || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
      return "?";
    }
    try {
      String s =
          new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = s.indexOf(':');
      return colon < 0 ? "?" : s.substring(0, colon);
    } catch (IllegalArgumentException e) {
      return "?";
    }
  }
}
