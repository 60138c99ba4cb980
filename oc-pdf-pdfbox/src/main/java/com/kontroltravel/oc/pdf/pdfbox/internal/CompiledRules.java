package com.kontroltravel.oc.pdf.pdfbox.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** A validated, compiled rule set. Immutable and thread safe. */
public final class CompiledRules {
  /** The JSON names of the fields a rule may fill. */
  public static final List<String> FIELDS =
      List.of(
          "reservationId",
          "internalLocator",
          "locator",
          "agencyName",
          "status",
          "issueDate",
          "hotelName",
          "checkIn",
          "checkOut",
          "nights",
          "rooms",
          "totalAmount",
          "currency",
          "cancellationDeadline");

  static final Set<String> DATE_FIELDS =
      Set.of("issueDate", "checkIn", "checkOut", "cancellationDeadline");
  static final Set<String> INT_FIELDS = Set.of("nights", "rooms");

  /** One compiled field rule. */
  record Field(
      String field,
      List<String> labelTexts,
      List<Text.Label> labels,
      boolean below,
      Pattern pattern,
      Set<String> nullWords,
      boolean wrap,
      boolean required,
      boolean standalone,
      float maxGapEm) {}

  private final String name;
  private final String defaultCurrency;
  private final Map<String, String> currencySymbols;
  private final Map<String, Integer> months;
  private final Map<String, Integer> weekdays;
  private final List<Field> fields;

  private CompiledRules(RuleSpec spec) {
    List<String> errors = new ArrayList<>();
    this.name = spec.name() == null || spec.name().isBlank() ? "rules" : spec.name();
    this.defaultCurrency = spec.defaultCurrency();
    if (defaultCurrency != null && !defaultCurrency.matches("[A-Z]{3}")) {
      errors.add("defaultCurrency must be an ISO 4217 code, was '" + defaultCurrency + "'");
    }
    Map<String, String> symbols = new LinkedHashMap<>();
    symbols.put("$", "CLP");
    symbols.put("US$", "USD");
    symbols.put("€", "EUR");
    if (spec.currencySymbols() != null) {
      symbols.putAll(spec.currencySymbols());
    }
    this.currencySymbols = Map.copyOf(symbols);
    this.months = foldKeys(spec.months() == null ? Values.SPANISH_MONTHS : spec.months());
    this.weekdays = foldKeys(spec.weekdays() == null ? Values.SPANISH_WEEKDAYS : spec.weekdays());
    List<Field> compiled = new ArrayList<>();
    if (spec.fields() == null || spec.fields().isEmpty()) {
      errors.add("no fields");
    } else {
      for (RuleSpec.FieldSpec f : spec.fields()) {
        compile(f, errors, compiled);
      }
    }
    if (compiled.stream().noneMatch(f -> f.field().equals("reservationId"))) {
      errors.add("no rule for reservationId");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid rule set '" + name + "': " + String.join("; ", errors));
    }
    this.fields = List.copyOf(compiled);
  }

  private static Map<String, Integer> foldKeys(Map<String, Integer> in) {
    Map<String, Integer> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(Text.fold(k).trim(), v));
    return Map.copyOf(out);
  }

  private static void compile(RuleSpec.FieldSpec f, List<String> errors, List<Field> out) {
    if (f == null
        || f.field() == null
        || !FIELDS.contains(f.field())
        || f.field().equals("currency")) {
      errors.add(
          "unknown field "
              + (f == null ? null : f.field())
              + " (known: "
              + FIELDS
              + ", currency comes "
              + "with totalAmount)");
      return;
    }
    if (f.labels() == null
        || f.labels().isEmpty()
        || f.labels().stream().anyMatch(l -> l == null || l.isBlank())) {
      errors.add(f.field() + ": labels must be a non-empty list of non-blank strings");
      return;
    }
    String position = f.position() == null ? "right" : f.position();
    if (!position.equals("right") && !position.equals("below")) {
      errors.add(f.field() + ": position must be 'right' or 'below', was '" + position + "'");
      return;
    }
    Pattern pattern = null;
    if (f.pattern() != null) {
      try {
        pattern = Pattern.compile(f.pattern());
      } catch (PatternSyntaxException e) {
        errors.add(f.field() + ": bad pattern: " + e.getDescription());
        return;
      }
    }
    List<Text.Label> labels = f.labels().stream().map(Text.Label::of).toList();
    Set<String> nullWords =
        f.nullWords() == null
            ? Set.of()
            : Set.copyOf(f.nullWords().stream().map(w -> Text.squash(Text.fold(w))).toList());
    double gap = f.maxGapEm() == null ? 1.5 : f.maxGapEm();
    if (!(gap > 0 && gap < 100)) {
      errors.add(f.field() + ": maxGapEm must be in (0, 100), was " + gap);
      return;
    }
    out.add(
        new Field(
            f.field(),
            List.copyOf(f.labels()),
            labels,
            position.equals("below"),
            pattern,
            nullWords,
            Boolean.TRUE.equals(f.wrap()),
            Boolean.TRUE.equals(f.required()),
            Boolean.TRUE.equals(f.standalone()),
            (float) gap));
  }

  /**
   * Reads and validates a rule set.
   *
   * @throws IllegalArgumentException when the JSON is malformed or the rules are invalid (all
   *     problems listed)
   */
  public static CompiledRules load(InputStream json) {
    try {
      return new CompiledRules(RuleSpecReader.read(JsonTree.read(json)));
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable rule set: " + e.getMessage(), e);
    }
  }

  /** The bundled rules for the "Resumen de servicios" confirmation. */
  public static CompiledRules defaults() {
    return Defaults.RULES;
  }

  private static final class Defaults {
    static final CompiledRules RULES =
        loadResource("/com/kontroltravel/oc/pdf/pdfbox/resumen-de-servicios.json");
  }

  static CompiledRules loadResource(String resource) {
    try (InputStream in = CompiledRules.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return load(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }

  /** The rule set's name. */
  public String name() {
    return name;
  }

  String defaultCurrency() {
    return defaultCurrency;
  }

  Map<String, String> currencySymbols() {
    return currencySymbols;
  }

  Map<String, Integer> months() {
    return months;
  }

  Map<String, Integer> weekdays() {
    return weekdays;
  }

  List<Field> fields() {
    return fields;
  }
}
