package com.kontroltravel.oc.examples;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which settings are secrets, and how a secret inside a value is hidden before it is shown. */
final class Secrets {
  private static final Set<String> NAMES =
      Set.of(
          "IMAP_PASSWORD",
          "SMTP_PASSWORD",
          "DATABASE_PASSWORD",
          "ADMIN_PASSWORD",
          "ADMIN_TLS_KEYSTORE_PASSWORD");

  static final String MASK = "****";

  /**
   * {@code scheme://user:password@host}: the password runs to the last {@code @} of the
   * whitespace-free token, so {@code postgresql://u:p@ss/w@host} hides {@code p@ss/w}. A URL
   * without a password ({@code scheme://host:port/path}) has no {@code @} and is left alone.
   */
  private static final Pattern URL_USERINFO =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^\\s:/?#@\"']*:)[^\\s\"']*@");

  /**
   * {@code key=value}, {@code key: value}, {@code "key":"value"} for a key naming a secret. The
   * value is a quoted string (to its closing quote, spaces included) or a bare word that runs to
   * whitespace, {@code &}, a quote, or a {@code ;} that starts another {@code key=}; so {@code
   * password=ab;cd} hides {@code ab;cd} and {@code password=ab;user=x} hides {@code ab}.
   */
  private static final Pattern KEY_VALUE =
      Pattern.compile(
          "(?i)([A-Za-z0-9_.-]*(?:password|passwd|pwd|passphrase|secret|token|api[_-]?key"
              + "|credentials?)[A-Za-z0-9_.-]*[\"']?\\s*[=:]\\s*)"
              + "(\"(?:[^\"\\\\]|\\\\.)*\"?|'[^']*'?"
              + "|(?:[^\\s&;\"'}\\]]|;(?![A-Za-z0-9_.-]+\\s*=))+)");

  private Secrets() {}

  /** Whether the variable {@code name} holds a secret. */
  static boolean isSecret(String name) {
    String n = name.toUpperCase(Locale.ROOT);
    return NAMES.contains(n)
        || n.contains("PASSWORD")
        || n.contains("PASSWD")
        || n.contains("PASSPHRASE")
        || n.contains("SECRET")
        || n.contains("TOKEN")
        || n.contains("CREDENTIAL")
        || n.endsWith("_KEY")
        || n.contains("API_KEY");
  }

  /**
   * Hides every password, token or secret inside a value: URL user info ({@code //user:pw@host},
   * also when the password holds {@code @} or {@code /}), query and key/value pairs ({@code
   * ?password=pw&}, {@code password=ab;cd}, {@code password="x y"}, {@code "token": "t"}).
   */
  static String maskUrl(String v) {
    if (v == null) {
      return null;
    }
    String s =
        URL_USERINFO.matcher(v).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + MASK + "@");
    Matcher m = KEY_VALUE.matcher(s);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String value = m.group(2);
      String replacement;
      if (value.startsWith("\"")) {
        replacement = "\"" + MASK + "\"";
      } else if (value.startsWith("'")) {
        replacement = "'" + MASK + "'";
      } else {
        replacement = MASK;
      }
      m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + replacement));
    }
    m.appendTail(b);
    return b.toString();
  }
}
