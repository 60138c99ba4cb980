package com.kontroltravel.oc.mail.jakarta;

import com.kontroltravel.oc.mail.oauth.AccessTokenProvider;
import java.util.Objects;
import java.util.Optional;

/**
 * How to log in to a mail server: a password (for Gmail an app password) or an OAuth2 access-token
 * provider (XOAUTH2). Never printed: {@link #toString()} hides the secret.
 */
public final class Credentials {
  private final String password;
  private final AccessTokenProvider tokens;

  private Credentials(String password, AccessTokenProvider tokens) {
    this.password = password;
    this.tokens = tokens;
  }

  /** Password authentication. */
  public static Credentials password(String password) {
    Objects.requireNonNull(password, "password == null");
    if (password.isEmpty()) {
      throw new IllegalArgumentException("empty password");
    }
    return new Credentials(password, null);
  }

  /** XOAUTH2 authentication with tokens from {@code provider}. */
  public static Credentials oauth2(AccessTokenProvider provider) {
    return new Credentials(null, Objects.requireNonNull(provider, "provider == null"));
  }

  /** True for XOAUTH2. */
  public boolean isOAuth2() {
    return tokens != null;
  }

  /** The access-token provider for XOAUTH2; empty for a password. */
  public Optional<AccessTokenProvider> tokenProvider() {
    return Optional.ofNullable(tokens);
  }

  /** The secret to hand to the server: the password, or an access token (refreshed when asked). */
  String secret(boolean forceRefresh) {
    if (tokens == null) {
      return password;
    }
    String token = tokens.accessToken(forceRefresh);
    if (token == null || token.isEmpty()) {
      throw new IllegalStateException("the access-token provider returned no token");
    }
    return token;
  }

  @Override
  public String toString() {
    return isOAuth2() ? "Credentials[oauth2]" : "Credentials[password=****]";
  }
}
