package com.kontroltravel.oc;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small text utilities shared by the workflow. */
final class Text {
  private static final Pattern OC_WORDING =
      Pattern.compile(
          "(?<![a-z0-9])(oc|o\\.c\\.|orden(es)? de compra|purchase orders?|p\\.?o\\.? number)(?![a-z0-9])");
  private static final Pattern REFERENCE_TOKEN =
      Pattern.compile("(?<![A-Za-z0-9])([A-Za-z0-9Ññ]{5,12})(?![A-Za-z0-9])");
  private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;

  private Text() {}

  /** Lower case without accents, for keyword matching. */
  static String fold(String s) {
    if (s == null) {
      return "";
    }
    return Normalizer.normalize(s, Normalizer.Form.NFD)
        .replaceAll("\\p{M}", "")
        .toLowerCase(Locale.ROOT);
  }

  /**
   * True when the text carries purchase-order wording ("OC" as a whole word, "orden de compra",
   * ...).
   */
  static boolean hasOcWording(String text) {
    return OC_WORDING.matcher(fold(text)).find();
  }

  /**
   * Tokens that may name a reservation: runs of 5 to 12 letters/digits containing at least one
   * digit, or exactly 7 letters (a LOC interno), at most {@code max}.
   */
  static Set<String> referenceTokens(String text, int max) {
    Set<String> out = new LinkedHashSet<>();
    if (text == null) {
      return out;
    }
    Matcher m = REFERENCE_TOKEN.matcher(text);
    while (m.find() && out.size() < max) {
      String t = m.group(1);
      boolean hasDigit = t.chars().anyMatch(Character::isDigit);
      boolean upperLoc = t.length() == 7 && t.equals(t.toUpperCase(Locale.ROOT));
      if (hasDigit || upperLoc) {
        out.add(t);
      }
    }
    return out;
  }

  /**
   * A token safe in file names and Message-IDs: letters, digits, dash and underscore, at most 64
   * chars.
   */
  static String safeToken(String s) {
    String folded =
        Normalizer.normalize(s == null ? "" : s, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    String t = folded.replaceAll("[^A-Za-z0-9_-]", "");
    if (t.length() > 64) {
      t = t.substring(0, 64);
    }
    return t.isEmpty() ? "x" : t;
  }

  /** The file names operators know: {@code YYYYMMDD_<id>.pdf} and {@code YYYYMMDD_<id>_oc.pdf}. */
  static String documentName(LocalDate date, String reservationId, boolean oc) {
    return date.format(YYYYMMDD) + "_" + safeToken(reservationId) + (oc ? "_oc" : "") + ".pdf";
  }

  /** Hex SHA-256 of the bytes. */
  static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  /** Longest reason or detail kept in a record, an event or an attention flag. */
  static final int MAX_REASON = 500;

  /** A reason fit to record: control characters removed, at most {@link #MAX_REASON} chars. */
  static String reason(String s) {
    return truncate(Headers.clean(s), MAX_REASON);
  }

  /** At most {@code max} characters of {@code s}. */
  static String truncate(String s, int max) {
    if (s == null) {
      return "";
    }
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }
}
