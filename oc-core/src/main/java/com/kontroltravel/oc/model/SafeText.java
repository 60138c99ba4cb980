package com.kontroltravel.oc.model;

import java.util.regex.Pattern;

/**
 * The one rule for text that came from outside and may reach a mail header, a log line, a stored
 * record or a terminal: every control character (C0 and C1, so ESC and CSI as well as CR and LF),
 * the line and paragraph separators, and the bidi overrides and isolates become one space.
 */
public final class SafeText {
  private static final Pattern CONTROL =
      Pattern.compile("[\\p{Cntrl}\\u0080-\\u009F\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]+");

  private SafeText() {}

  /** {@code value} on one line, controls replaced by a space and trimmed; null stays null. */
  public static String oneLine(String value) {
    if (value == null) {
      return null;
    }
    return CONTROL.matcher(value).replaceAll(" ").trim();
  }
}
