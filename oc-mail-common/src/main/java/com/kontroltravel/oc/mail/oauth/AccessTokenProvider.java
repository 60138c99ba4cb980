package com.kontroltravel.oc.mail.oauth;

/**
 * Supplies OAuth2 access tokens: for XOAUTH2 (Gmail, Microsoft 365 IMAP and SMTP) and for REST APIs
 * such as Microsoft Graph. Called on every connection or request; thread safe. Implementations
 * usually cache the token until shortly before it expires: see {@link
 * MicrosoftClientCredentialsTokenProvider} and {@link GoogleRefreshTokenProvider}.
 */
@FunctionalInterface
public interface AccessTokenProvider {

  /**
   * Returns a current access token (never null).
   *
   * @param forceRefresh true when the server has just rejected the previous token: fetch a new one
   *     rather than returning a cached one
   */
  String accessToken(boolean forceRefresh);
}
