package com.kontroltravel.oc.mail.oauth;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * An {@link AccessTokenProvider} that obtains its tokens from an OAuth2 token endpoint and caches
 * them until a margin before they expire. Implemented by {@link
 * MicrosoftClientCredentialsTokenProvider}, {@link GoogleRefreshTokenProvider} and {@link
 * GoogleServiceAccountTokenProvider}. Thread safe; {@code toString()} names the grant and the
 * client, never a secret.
 */
public interface OAuth2TokenProvider extends AccessTokenProvider {

  /** The token endpoint this provider posts to. */
  URI tokenEndpoint();

  /**
   * When the cached token expires, as the endpoint said ({@code expires_in} from the time of the
   * request); empty when no token is cached.
   */
  Optional<Instant> expiresAt();

  /** Forgets the cached token: the next call fetches a new one. */
  void invalidate();
}
