package com.kontroltravel.oc.pdf.pdfbox.internal;

import java.text.Normalizer;
import java.util.regex.Pattern;

/** Text helpers: accent and case folding that keeps one output character per input character. */
final class Text {
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern SPACES =
      Pattern.compile("[\\s\\u00A0\\u2000-\\u200B\\u202F\\u205F\\u3000]+");

  private Text() {}

  /** Folds one character: lower case without accents; {@code ñ} stays {@code ñ}. */
  static char fold(char c) {
    if (c < 128) {
      return Character.toLowerCase(c);
    }
    if (c == 'ñ' || c == 'Ñ') {
      return 'ñ';
    }
    if (Character.isWhitespace(c) || c == '\u00A0') {
      return ' ';
    }
    String d =
        MARKS.matcher(Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFD)).replaceAll("");
    char f = d.isEmpty() ? c : d.charAt(0);
    return Character.toLowerCase(f);
  }

  /** Folds a string character by character; the result has the same length. */
  static String fold(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      b.append(fold(s.charAt(i)));
    }
    return b.toString();
  }

  /** Collapses runs of white space to one space and trims. */
  static String squash(String s) {
    return SPACES.matcher(s).replaceAll(" ").trim();
  }

  /**
   * A label as it is searched for: its pattern, and the text every match of it contains (a row
   * without that text is not given to the pattern).
   */
  record Label(Pattern pattern, String literal) {
    static Label of(String label) {
      return new Label(labelPattern(label), labelLiteral(label));
    }
  }

  /**
   * The longest run of characters that {@link #labelPattern}'s match always contains verbatim (the
   * pattern puts optional spaces only between words and before {@code : # ° º}): a row of folded
   * text without it cannot hold the label, and is not given to the regular expression.
   */
  static String labelLiteral(String label) {
    String longest = "";
    for (String token : squash(fold(label)).split(" ")) {
      int start = 0;
      for (int i = 0; i <= token.length(); i++) {
        if (i == token.length() || (i > start && isSpacedBefore(token.charAt(i)))) {
          if (i - start > longest.length()) {
            longest = token.substring(start, i);
          }
          start = i;
        }
      }
    }
    return longest;
  }

  private static boolean isSpacedBefore(char c) {
    return c == ':' || c == '#' || c == '°' || c == 'º';
  }

  /**
   * A regular expression that finds a label: accent/case-insensitive, flexible spacing, whole
   * words.
   */
  static Pattern labelPattern(String label) {
    String folded = squash(fold(label));
    StringBuilder re = new StringBuilder("(?<![\\p{L}\\p{N}])");
    boolean first = true;
    for (String token : folded.split(" ")) {
      if (!first) {
        re.append("\\s*");
      }
      first = false;
      for (int i = 0; i < token.length(); i++) {
        char c = token.charAt(i);
        if (isSpacedBefore(c)) {
          re.append("\\s*");
        }
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    char last = folded.isEmpty() ? ' ' : folded.charAt(folded.length() - 1);
    if (Character.isLetterOrDigit(last)) {
      re.append("(?![\\p{L}\\p{N}])");
    }
    return Pattern.compile(re.toString());
  }
}
