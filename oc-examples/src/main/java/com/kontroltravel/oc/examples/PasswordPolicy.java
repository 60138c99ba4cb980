package com.kontroltravel.oc.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The admin password rules: at least {@link #MIN_LENGTH} characters, not the user name, and not a
 * common password. Common means: in {@code common-passwords.txt} (John the Ripper's {@code
 * password.lst} by Solar Designer, Openwall, 3,546 passwords most seen in real leaks, public
 * domain, as shipped by Debian's {@code john-data}), also once lower-cased and stripped of the
 * digits and symbols people add before or after a common word ({@code Password123456!}), or made of
 * one short pattern repeated ({@code abcabcabcabc}), or one character class of few distinct
 * characters ({@code 111111111111}).
 */
final class PasswordPolicy {
  /** The shortest password accepted. */
  static final int MIN_LENGTH = 12;

  private static final Set<String> COMMON = load();

  private PasswordPolicy() {}

  private static Set<String> load() {
    Set<String> s = new HashSet<>();
    try (InputStream in = PasswordPolicy.class.getResourceAsStream("common-passwords.txt")) {
      if (in == null) {
        throw new IllegalStateException("common-passwords.txt is missing from the runner");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.startsWith("#!comment") && !line.isBlank()) {
          s.add(line.trim().toLowerCase(Locale.ROOT));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RunnerSettings.DEFAULT_PASSWORDS.forEach(p -> s.add(p.toLowerCase(Locale.ROOT)));
    return Set.copyOf(s);
  }

  /** How many passwords the list holds. */
  static int listSize() {
    return COMMON.size();
  }

  /** What is wrong with this admin password; empty when it is acceptable. */
  static List<String> problems(String user, String password) {
    List<String> out = new ArrayList<>();
    if (password == null || password.isBlank()) {
      out.add("ADMIN_PASSWORD is empty: the admin web page will not start without one");
      return out;
    }
    if (isCommon(password)) {
      out.add(
          "ADMIN_PASSWORD is a well-known default or a common password (also with digits or"
              + " symbols added): choose another");
    } else if (user != null && password.equalsIgnoreCase(user)) {
      out.add("ADMIN_PASSWORD must not be the user name");
    }
    if (password.length() < MIN_LENGTH) {
      out.add("ADMIN_PASSWORD must have at least " + MIN_LENGTH + " characters");
    }
    return out;
  }

  /** Whether the password is common, also with digits or symbols around a common word. */
  static boolean isCommon(String password) {
    String p = password.toLowerCase(Locale.ROOT);
    if (COMMON.contains(p)) {
      return true;
    }
    String core = p.replaceAll("^[\\d\\p{Punct}\\s]+", "").replaceAll("[\\d\\p{Punct}\\s]+$", "");
    if (core.length() < 4 || COMMON.contains(core)) {
      return true;
    }
    if (p.chars().distinct().count() <= 3) {
      return true;
    }
    // One short unit repeated: "abcabcabcabc", "passwordpassword".
    for (int unit = 1; unit <= p.length() / 2; unit++) {
      if (p.length() % unit == 0 && p.substring(unit).equals(p.substring(0, p.length() - unit))) {
        return true;
      }
    }
    return false;
  }
}
