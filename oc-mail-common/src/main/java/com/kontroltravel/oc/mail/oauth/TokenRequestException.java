package com.kontroltravel.oc.mail.oauth;

import com.kontroltravel.oc.exception.MailAccessException;

/**
 * An access token could not be obtained. The message names the token endpoint's answer (HTTP
 * status, OAuth2 {@code error} code and description), never a secret. Extends {@link
 * MailAccessException}: a mailbox read that needs a token fails the way any unreadable mailbox
 * does, and is retried.
 */
public class TokenRequestException extends MailAccessException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  /** With a message; {@code retryable} when trying later may help (timeouts, 5xx, 429). */
  public TokenRequestException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /**
   * True when trying later may help (the endpoint was unreachable or overloaded); false when the
   * configuration is wrong (unknown tenant or client, bad secret, revoked refresh token).
   */
  public boolean isRetryable() {
    return retryable;
  }
}
