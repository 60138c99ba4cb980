package com.kontroltravel.oc.pdf.pdfbox;

import com.kontroltravel.oc.pdf.pdfbox.internal.CompiledRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Extraction rules as data: which labels name each field, where its value sits (right of the label,
 * at any distance, or on the first line below it), the pattern the value must contain, words
 * meaning "no value", whether it may wrap and whether it is required. A new booking system's layout
 * is supported by writing a rule file, not code.
 *
 * <p>The JSON format (see {@code resumen-de-servicios.json} in this module for the bundled
 * default):
 *
 * <pre>{@code
 * {"name": "my-layout", "defaultCurrency": "CLP", "currencySymbols": {"$": "CLP"},
 *  "months": {"jan": 1, ...}, "weekdays": {"monday": 1, ...},
 *  "fields": [{"field": "reservationId", "labels": ["ID:"], "pattern": "(?<v>\\d+)", "required": true},
 *             {"field": "hotelName", "labels": ["Hotel"], "position": "below", "standalone": true}, ...]}
 * }</pre>
 *
 * <p>Instances are immutable and thread safe.
 */
public final class ExtractionRules {
  private static final ExtractionRules DEFAULT = new ExtractionRules(CompiledRules.defaults());

  private final CompiledRules compiled;

  private ExtractionRules(CompiledRules compiled) {
    this.compiled = compiled;
  }

  /**
   * The bundled rules for the "Resumen de servicios" confirmation described in
   * CONFIRMATION_FORMAT.md.
   */
  public static ExtractionRules defaults() {
    return DEFAULT;
  }

  /**
   * Reads a rule set from JSON.
   *
   * @throws IllegalArgumentException if the JSON is malformed or invalid; the message lists every
   *     problem
   */
  public static ExtractionRules fromJson(InputStream json) {
    Objects.requireNonNull(json, "json == null");
    return new ExtractionRules(CompiledRules.load(json));
  }

  /**
   * Reads a rule set from a JSON file.
   *
   * @throws IllegalArgumentException if the JSON is malformed or invalid
   * @throws UncheckedIOException if the file cannot be read
   */
  public static ExtractionRules fromFile(Path file) {
    Objects.requireNonNull(file, "file == null");
    try (InputStream in = Files.newInputStream(file)) {
      return fromJson(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read rules " + file, e);
    }
  }

  /** The rule set's name, as used in field provenance. */
  public String name() {
    return compiled.name();
  }

  CompiledRules compiled() {
    return compiled;
  }

  @Override
  public String toString() {
    return "ExtractionRules[" + name() + "]";
  }
}
