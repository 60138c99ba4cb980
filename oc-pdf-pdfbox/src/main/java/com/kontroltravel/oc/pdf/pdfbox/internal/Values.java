package com.kontroltravel.oc.pdf.pdfbox.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for amounts, dates and integers as they appear in Spanish-language booking documents. */
final class Values {
  static final Map<String, Integer> SPANISH_MONTHS =
      Map.ofEntries(
          Map.entry("ene", 1),
          Map.entry("enero", 1),
          Map.entry("feb", 2),
          Map.entry("febrero", 2),
          Map.entry("mar", 3),
          Map.entry("marzo", 3),
          Map.entry("abr", 4),
          Map.entry("abril", 4),
          Map.entry("may", 5),
          Map.entry("mayo", 5),
          Map.entry("jun", 6),
          Map.entry("junio", 6),
          Map.entry("jul", 7),
          Map.entry("julio", 7),
          Map.entry("ago", 8),
          Map.entry("agosto", 8),
          Map.entry("sep", 9),
          Map.entry("sept", 9),
          Map.entry("set", 9),
          Map.entry("septiembre", 9),
          Map.entry("setiembre", 9),
          Map.entry("oct", 10),
          Map.entry("octubre", 10),
          Map.entry("nov", 11),
          Map.entry("noviembre", 11),
          Map.entry("dic", 12),
          Map.entry("diciembre", 12));

  static final Map<String, Integer> SPANISH_WEEKDAYS =
      Map.of(
          "lunes",
          1,
          "martes",
          2,
          "miercoles",
          3,
          "jueves",
          4,
          "viernes",
          5,
          "sabado",
          6,
          "domingo",
          7);

  private static final Pattern ISO =
      Pattern.compile("(?<!\\d)(\\d{4})-(\\d{1,2})-(\\d{1,2})(?!\\d)");
  private static final Pattern NUMERIC =
      Pattern.compile("(?<!\\d)(\\d{1,2})([/.\\-])(\\d{1,2})\\2(\\d{4})(?!\\d)");
  private static final Pattern TEXTUAL =
      Pattern.compile(
          "(?<!\\d)(\\d{1,2})(?:st|nd|rd|th)?\\s*,?\\s*(?:de\\s+)?(\\p{L}{3,12})\\.?\\s*,?\\s*(?:(?:de|del)\\s+)?(\\d{4})(?!\\d)");
  private static final Pattern TEXTUAL_MONTH_FIRST =
      Pattern.compile("(\\p{L}{3,12})\\.?\\s+(\\d{1,2})\\s*,?\\s*(\\d{4})(?!\\d)");
  private static final Pattern WORD = Pattern.compile("\\p{L}+");
  private static final Pattern AMOUNT =
      Pattern.compile(
          "(?<pre>[A-Z]{3}|US\\$|[$€£])?\\s*(?<![\\d.,])(?<num>-?\\d{1,3}(?:[.,' \\u00A0]\\d{3})*(?:[.,]\\d{1,2})?|-?\\d+(?:[.,]\\d{1,2})?)(?!\\d|[.,]\\d)\\s*(?<post>[A-Z]{3}(?![A-Za-z])|[$€£])?");
  private static final Pattern INTEGER = Pattern.compile("(?<!\\d)\\d{1,6}(?!\\d)");

  private Values() {}

  /**
   * The outcome of reading one value: the value, or a reason it could not be read; maybe a warning.
   */
  record Read<T>(T value, String error, String warning) {
    static <T> Read<T> ok(T value) {
      return new Read<>(value, null, null);
    }

    static <T> Read<T> fail(String error) {
      return new Read<>(null, error, null);
    }
  }

  /** An amount and its currency. */
  record Money(BigDecimal amount, String currency) {}

  static Read<Money> money(String raw, Map<String, String> symbols, String defaultCurrency) {
    Matcher m = AMOUNT.matcher(raw);
    while (m.find()) {
      String num = m.group("num");
      if (num == null || num.isBlank()) {
        continue;
      }
      String pre = m.group("pre");
      String post = m.group("post");
      String token = pre != null ? pre : post;
      String currency = token == null ? defaultCurrency : symbols.getOrDefault(token, token);
      if (currency != null && !currency.matches("[A-Z]{3}")) {
        return Read.fail("unknown currency '" + token + "' in '" + raw + "'");
      }
      BigDecimal amount = decimal(num);
      if (amount == null) {
        return Read.fail("'" + raw + "' is not a readable amount");
      }
      if (currency == null) {
        return Read.fail("no currency in '" + raw + "'");
      }
      return Read.ok(new Money(amount.setScale(2, RoundingMode.UNNECESSARY), currency));
    }
    return Read.fail("'" + raw + "' is not an amount");
  }

  /**
   * Reads {@code 528.701,00}, {@code 150.000}, {@code 4.812,50}, {@code 1,234.56}, {@code 1234.5}:
   * the last separator followed by one or two digits is the decimal mark; separators followed by
   * three digits group thousands.
   */
  static BigDecimal decimal(String num) {
    String s = num.replace(" ", "").replace("\u00A0", "").replace("'", "");
    boolean negative = s.startsWith("-");
    if (negative) {
      s = s.substring(1);
    }
    int lastSep = Math.max(s.lastIndexOf('.'), s.lastIndexOf(','));
    String integerPart = s;
    String fraction = "";
    if (lastSep >= 0 && s.length() - lastSep - 1 <= 2) {
      integerPart = s.substring(0, lastSep);
      fraction = s.substring(lastSep + 1);
    }
    String[] groups = integerPart.split("[.,]", -1);
    if (groups.length > 1) {
      char sep = integerPart.charAt(groups[0].length());
      if (groups[0].isEmpty() || groups[0].length() > 3) {
        return null;
      }
      int pos = groups[0].length();
      for (int i = 1; i < groups.length; i++) {
        if (groups[i].length() != 3 || integerPart.charAt(pos) != sep) {
          return null;
        }
        pos += 4;
      }
      if (!fraction.isEmpty() && sep == s.charAt(lastSep)) {
        return null; // 1.234.56: the same mark cannot both group and separate decimals
      }
    }
    String digits = String.join("", groups);
    if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
      return null;
    }
    BigDecimal v = new BigDecimal(fraction.isEmpty() ? digits : digits + "." + fraction);
    return negative ? v.negate() : v;
  }

  static Read<LocalDate> date(
      String raw, Map<String, Integer> months, Map<String, Integer> weekdays) {
    String f = Text.fold(raw);
    try {
      Matcher iso = ISO.matcher(f);
      if (iso.find()) {
        return checkWeekday(
            f, LocalDate.of(num(iso.group(1)), num(iso.group(2)), num(iso.group(3))), weekdays);
      }
      Matcher n = NUMERIC.matcher(f);
      if (n.find()) {
        return checkWeekday(
            f, LocalDate.of(num(n.group(4)), num(n.group(3)), num(n.group(1))), weekdays);
      }
      Matcher t = TEXTUAL.matcher(f);
      while (t.find()) {
        Integer month = months.get(t.group(2));
        if (month != null) {
          return checkWeekday(f, LocalDate.of(num(t.group(3)), month, num(t.group(1))), weekdays);
        }
      }
      Matcher t2 = TEXTUAL_MONTH_FIRST.matcher(f);
      while (t2.find()) {
        Integer month = months.get(t2.group(1));
        if (month != null) {
          return checkWeekday(f, LocalDate.of(num(t2.group(3)), month, num(t2.group(2))), weekdays);
        }
      }
    } catch (DateTimeException | NumberFormatException e) {
      return Read.fail("'" + raw + "' is not a valid date");
    }
    return Read.fail("'" + raw + "' is not a date");
  }

  private static Read<LocalDate> checkWeekday(
      String folded, LocalDate d, Map<String, Integer> weekdays) {
    Matcher w = WORD.matcher(folded);
    while (w.find()) {
      Integer day = weekdays.get(w.group());
      if (day != null && day != d.getDayOfWeek().getValue()) {
        return new Read<>(d, null, "weekday '" + w.group() + "' does not match " + d);
      }
    }
    return Read.ok(d);
  }

  static Read<Integer> integer(String raw) {
    Matcher m = INTEGER.matcher(raw);
    if (m.find()) {
      return Read.ok(Integer.parseInt(m.group()));
    }
    return Read.fail("'" + raw + "' is not a whole number");
  }

  private static int num(String s) {
    return Integer.parseInt(s);
  }
}
