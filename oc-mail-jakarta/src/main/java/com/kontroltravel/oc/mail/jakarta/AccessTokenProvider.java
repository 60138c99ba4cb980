package com.kontroltravel.oc.mail.jakarta;

/**
 * Supplies OAuth2 access tokens for XOAUTH2 (Gmail, Microsoft 365). Called on every connection;
 * thread safe. Implementations usually wrap the identity provider's client and cache the token
 * until it expires.
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
