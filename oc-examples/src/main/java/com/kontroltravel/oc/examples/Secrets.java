package com.kontroltravel.oc.examples;

import java.util.Set;

/** Which settings are secrets, and how a secret inside a value is hidden before it is shown. */
final class Secrets {
  private static final Set<String> NAMES =
      Set.of("IMAP_PASSWORD", "SMTP_PASSWORD", "DATABASE_PASSWORD", "ADMIN_PASSWORD");

  private Secrets() {}

  /** Whether the variable {@code name} holds a secret. */
  static boolean isSecret(String name) {
    return NAMES.contains(name) || name.contains("PASSWORD") || name.contains("SECRET");
  }

  /** Hides a password inside a URL ({@code //user:pw@host}, {@code password=pw}). */
  static String maskUrl(String v) {
    if (v == null) {
      return null;
    }
    return v.replaceAll("(?i)(password=)[^&;]*", "$1****")
        .replaceAll("(//[^/:@]+:)[^@/]*@", "$1****@");
  }
}
