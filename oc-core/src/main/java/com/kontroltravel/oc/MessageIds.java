package com.kontroltravel.oc;

import com.kontroltravel.oc.model.Step;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The engine's Message-IDs: deterministic per (booking, step, generation), so a crash between
 * sending and recording resends under the same ID, and unguessable from outside, because each
 * carries a MAC under a per-deployment key that the store keeps ({@value #KEY_SETTING}) and that
 * every engine on the store shares: {@code oc.<booking>.<step>.<generation>.<mac>@<domain>}.
 */
final class MessageIds {
  /** The store setting that holds the key, hex-encoded. */
  static final String KEY_SETTING = "message-id-key";

  /** Bytes of a new key. */
  static final int KEY_BYTES = 32;

  /** Bytes of the MAC kept in an ID (80 bits, 16 base-32 characters). */
  static final int MAC_BYTES = 10;

  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private final byte[] key;
  private final String domain;

  MessageIds(byte[] key, String domain) {
    this.key = key.clone();
    this.domain = domain;
  }

  /** A new random key, hex-encoded for the store. */
  static String newKey() {
    byte[] k = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(k);
    return HexFormat.of().formatHex(k);
  }

  /** The key a store setting holds. */
  static MessageIds fromSetting(String hexKey, String domain) {
    return new MessageIds(HexFormat.of().parseHex(hexKey), domain);
  }

  /** The Message-ID (without brackets) of {@code step} of a booking. */
  String of(String reservationId, Step step, int generation) {
    String token = Text.safeToken(reservationId);
    return "oc."
        + token
        + "."
        + step.token()
        + "."
        + generation
        + "."
        + mac(token + "|" + step.token() + "|" + generation)
        + "@"
        + domain;
  }

  /** The Message-ID of the day's digest. */
  String digest(int generation) {
    return "oc.digest." + generation + "." + mac("digest|" + generation) + "@" + domain;
  }

  private String mac(String value) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] full = m.doFinal(value.getBytes(StandardCharsets.UTF_8));
      return base32(full, MAC_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 missing from the JDK", e);
    }
  }

  private static String base32(byte[] bytes, int n) {
    StringBuilder b = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (int i = 0; i < n; i++) {
      buffer = (buffer << 8) | (bytes[i] & 0xff);
      bits += 8;
      while (bits >= 5) {
        b.append(BASE32[(buffer >> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      b.append(BASE32[(buffer << (5 - bits)) & 31]);
    }
    return b.toString();
  }
}
