package com.kontroltravel.oc.pdf.pdfbox.internal;

import java.util.List;
import java.util.Map;

/**
 * The JSON form of a rule set, as read by {@link RuleSpecReader} (Jackson streaming). Validated and
 * compiled by {@link CompiledRules}.
 *
 * @param name a name for provenance and messages
 * @param defaultCurrency currency of an amount written without one (for example {@code "CLP"})
 * @param currencySymbols symbols and words mapped to ISO codes (for example {@code "$" -> "CLP"})
 * @param months month names and abbreviations (folded: lower case, no accents) mapped to 1..12;
 *     Spanish when absent
 * @param weekdays weekday names (folded) mapped to 1 (Monday)..7; Spanish when absent
 * @param fields one rule per field
 */
record RuleSpec(
    String name,
    String defaultCurrency,
    Map<String, String> currencySymbols,
    Map<String, Integer> months,
    Map<String, Integer> weekdays,
    List<FieldSpec> fields) {

  /**
   * How to find one field.
   *
   * @param field the JSON name of the field (see CONFIRMATION_FORMAT.md)
   * @param labels label aliases, matched ignoring case, accents and spacing
   * @param position {@code right} (value right of the label, any distance) or {@code below} (first
   *     line under it)
   * @param pattern an optional regular expression the value must contain; group {@code v} if
   *     present, else the match
   * @param nullWords words that mean "no value" (for example {@code INMEDIATO})
   * @param wrap whether the value may continue on following lines
   * @param required whether a missing value is a problem
   * @param standalone whether the label must stand alone on its line (for section titles)
   * @param maxGapEm widest gap inside a value, in ems
   */
  record FieldSpec(
      String field,
      List<String> labels,
      String position,
      String pattern,
      List<String> nullWords,
      Boolean wrap,
      Boolean required,
      Boolean standalone,
      Double maxGapEm) {}
}
