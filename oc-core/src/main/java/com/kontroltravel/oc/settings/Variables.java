package com.kontroltravel.oc.settings;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings read by the runner's variable names ({@code OC_SCHEDULE}, {@code IMAP_PORT}) from any
 * source: environment variables, a YAML file, Spring properties. A lookup gives a variable's raw
 * value; this class trims it, treats blank as unset and turns it into a number, a switch or a
 * duration, adding a problem that names the setting when the value is not one.
 *
 * <p>A problem names the setting as the user wrote it: the runner's variable by default, or
 * whatever the {@code shownName} function of {@link #of(UnaryOperator, UnaryOperator)} answers (the
 * Spring starter shows {@code oc.schedule} for {@code OC_SCHEDULE}). Immutable and thread-safe when
 * the lookup is.
 */
public final class Variables {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

  private final UnaryOperator<String> lookup;
  private final UnaryOperator<String> shownName;

  private Variables(UnaryOperator<String> lookup, UnaryOperator<String> shownName) {
    this.lookup = Objects.requireNonNull(lookup, "lookup == null");
    this.shownName = Objects.requireNonNull(shownName, "shownName == null");
  }

  /**
   * Variables from {@code lookup}, which answers a runner variable's raw value or null when it is
   * unset; problems name the runner's variables.
   */
  public static Variables of(UnaryOperator<String> lookup) {
    return new Variables(lookup, UnaryOperator.identity());
  }

  /**
   * Variables from {@code lookup} (a runner variable's raw value, or null when unset), whose
   * problems name each setting as {@code shownName} answers for its runner variable.
   */
  public static Variables of(UnaryOperator<String> lookup, UnaryOperator<String> shownName) {
    return new Variables(lookup, shownName);
  }

  /** How problems name {@code variable}: the runner's name, or the source's own. */
  public String name(String variable) {
    return shownName.apply(variable);
  }

  /** A variable's value, trimmed; null when unset or blank. */
  public String get(String variable) {
    String v = lookup.apply(variable);
    return v == null || v.isBlank() ? null : v.trim();
  }

  /** A variable's value, trimmed, or {@code dflt} when unset or blank. */
  public String get(String variable, String dflt) {
    String v = get(variable);
    return v == null ? dflt : v;
  }

  /**
   * A whole number; null when unset, or (with a problem added) when it is not one.
   *
   * @param problems where a problem is added
   */
  public Integer integer(String variable, List<String> problems) {
    String v = get(variable);
    if (v == null) {
      return null;
    }
    try {
      return Integer.valueOf(v);
    } catch (NumberFormatException e) {
      problems.add(name(variable) + " must be a whole number: " + v);
      return null;
    }
  }

  /**
   * A switch: {@code true}, {@code yes}, {@code 1}, {@code on} or their opposites, in any case;
   * null when unset, or (with a problem added) when it is none of them.
   *
   * @param problems where a problem is added
   */
  public Boolean bool(String variable, List<String> problems) {
    String v = get(variable);
    if (v == null) {
      return null;
    }
    switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1", "on":
        return true;
      case "false", "no", "0", "off":
        return false;
      default:
        problems.add(name(variable) + " must be true or false: " + v);
        return null;
    }
  }

  /**
   * A positive duration: whole seconds ({@code 90}), with a unit ({@code 500ms}, {@code 90s},
   * {@code 5m}, {@code 1h}, {@code 2d}) or ISO-8601 ({@code PT5M}); null when unset, or (with a
   * problem added) when it is not one.
   *
   * @param problems where a problem is added
   */
  public Duration duration(String variable, List<String> problems) {
    String v = get(variable);
    if (v == null) {
      return null;
    }
    Duration d = null;
    Matcher m = DURATION.matcher(v.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      d =
          switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
          };
    } else {
      try {
        d = Duration.parse(v.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    if (d == null || d.isZero() || d.isNegative()) {
      problems.add(
          name(variable) + " must be a positive duration such as 90s, 5m, 1h or PT5M: " + v);
      return null;
    }
    return d;
  }

  /**
   * The items of a list value: separated by commas, semicolons or white space, trimmed, empty ones
   * left out; empty for null.
   */
  public static List<String> list(String value) {
    if (value == null) {
      return List.of();
    }
    return Arrays.stream(value.split("[,;\\s]+"))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
