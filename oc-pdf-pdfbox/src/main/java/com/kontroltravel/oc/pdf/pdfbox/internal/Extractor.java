package com.kontroltravel.oc.pdf.pdfbox.internal;

import com.kontroltravel.oc.model.FieldProvenance;
import com.kontroltravel.oc.model.ParseProblem;
import com.kontroltravel.oc.model.ParseResult;
import com.kontroltravel.oc.model.ReservationDetails;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/** Applies a rule set to the laid-out pages of a document. */
final class Extractor {
  private static final int MAX_WRAPPED_LINES = 3;

  /** The start of every confidence problem's message. */
  static final String LOW_CONFIDENCE = "low confidence: ";

  /** Fields whose value is text (all wrapped lines are joined), not a date, amount or number. */
  static final java.util.Set<String> STRING_FIELDS =
      java.util.Set.of(
          "reservationId", "internalLocator", "locator", "agencyName", "status", "hotelName");

  private final CompiledRules rules;
  private final Map<String, List<PageLayout.Found>> debug;

  Extractor(CompiledRules rules) {
    this(rules, null);
  }

  /**
   * @param debug when not null, receives for each field read the lines its value was read from
   */
  Extractor(CompiledRules rules, Map<String, List<PageLayout.Found>> debug) {
    this.rules = rules;
    this.debug = debug;
  }

  /** A field value in its final type, with where it came from. */
  private record Value(Object value, FieldProvenance provenance) {}

  ParseResult extract(List<PageLayout> pages) {
    Map<CompiledRules.Field, List<List<PageLayout.LabelHit>>> hits = new HashMap<>();
    for (CompiledRules.Field f : rules.fields()) {
      List<List<PageLayout.LabelHit>> perPage = new ArrayList<>();
      for (PageLayout page : pages) {
        List<PageLayout.LabelHit> found = new ArrayList<>();
        for (Text.Label label : f.labels()) {
          for (PageLayout.LabelHit h : page.find(label)) {
            if (!f.standalone() || page.standsAlone(h)) {
              found.add(h);
              page.markLabel(h);
            }
          }
        }
        found.sort(
            (a, b) ->
                a.row() != b.row()
                    ? Integer.compare(a.row(), b.row())
                    : Float.compare(a.x(), b.x()));
        perPage.add(found);
      }
      hits.put(f, perPage);
    }

    Map<String, Value> values = new LinkedHashMap<>();
    List<ParseProblem> problems = new ArrayList<>();
    for (CompiledRules.Field f : rules.fields()) {
      if (values.containsKey(f.field())) {
        continue; // an earlier rule for the same field already succeeded
      }
      readField(f, pages, hits.get(f), values, problems);
    }
    problems.removeIf(
        p ->
            p.field() != null
                && values.containsKey(p.field())
                && p.message().startsWith("not found"));
    validate(values, problems);

    Value id = values.get("reservationId");
    if (id == null || id.value() == null) {
      if (problems.stream().noneMatch(p -> "reservationId".equals(p.field()))) {
        problems.add(new ParseProblem("reservationId", "not found"));
      }
      return new ParseResult(null, provenance(values), problems);
    }
    ReservationDetails details =
        ReservationDetails.builder((String) id.value())
            .internalLocator(str(values, "internalLocator"))
            .locator(str(values, "locator"))
            .agencyName(str(values, "agencyName"))
            .status(str(values, "status"))
            .issueDate(date(values, "issueDate"))
            .hotelName(str(values, "hotelName"))
            .checkIn(date(values, "checkIn"))
            .checkOut(date(values, "checkOut"))
            .nights(integer(values, "nights"))
            .rooms(integer(values, "rooms"))
            .totalAmount(
                values.get("totalAmount") == null
                    ? null
                    : ((Values.Money) values.get("totalAmount").value()).amount())
            .currency(
                values.get("totalAmount") == null
                    ? null
                    : ((Values.Money) values.get("totalAmount").value()).currency())
            .cancellationDeadline(date(values, "cancellationDeadline"))
            .build();
    return new ParseResult(details, provenance(values), problems);
  }

  private void readField(
      CompiledRules.Field f,
      List<PageLayout> pages,
      List<List<PageLayout.LabelHit>> perPage,
      Map<String, Value> values,
      List<ParseProblem> problems) {
    String lastError = null;
    boolean anyLabel = false;
    String rule =
        rules.name()
            + ":"
            + f.field()
            + (f.below() ? " below '" : " right of '")
            + f.labelTexts().get(0)
            + "'";
    for (int p = 0; p < pages.size(); p++) {
      PageLayout page = pages.get(p);
      for (PageLayout.LabelHit hit : perPage.get(p)) {
        anyLabel = true;
        PageLayout.Found found =
            f.below() ? page.below(hit, f.maxGapEm(), 3f) : page.rightOf(hit, f.maxGapEm());
        if (found == null) {
          lastError = "no value next to label '" + f.labelTexts().get(0) + "'";
          continue;
        }
        List<PageLayout.Found> lines = new ArrayList<>();
        lines.add(found);
        if (f.wrap()) {
          PageLayout.Found line = found;
          for (int i = 0; i < MAX_WRAPPED_LINES; i++) {
            line = page.continuation(hit, line, f.maxGapEm(), !f.below());
            if (line == null) {
              break;
            }
            lines.add(line);
          }
        }
        // Text is the whole wrapped value; a typed value (date, amount, number) takes only as
        // many wrapped lines as it needs to read, so a line below a complete value is never
        // glued to it.
        boolean typed = !STRING_FIELDS.contains(f.field());
        String firstError = null;
        for (int n = typed ? 1 : lines.size(); n <= lines.size(); n++) {
          List<PageLayout.Found> used = lines.subList(0, n);
          String raw = join(used, false);
          FieldProvenance prov = new FieldProvenance(page.pageNumber(), raw, rule);
          if (f.nullWords().contains(Text.squash(Text.fold(raw)))) {
            values.put(f.field(), new Value(null, prov));
            return;
          }
          Values.Read<?> read = read(f, raw);
          if (read.error() != null) {
            firstError = firstError == null ? read.error() : firstError;
            continue;
          }
          values.put(f.field(), new Value(read.value(), prov));
          if (read.value() instanceof Values.Money) {
            values.put("currency", new Value(((Values.Money) read.value()).currency(), prov));
          }
          if (read.warning() != null) {
            problems.add(new ParseProblem(f.field(), read.warning()));
          }
          confidence(f.field(), used, problems);
          if (debug != null) {
            debug.put(f.field(), List.copyOf(used));
          }
          return;
        }
        lastError = firstError;
      }
    }
    if (lastError != null) {
      problems.add(new ParseProblem(f.field(), lastError));
    } else if (f.required() && !anyLabel) {
      problems.add(
          new ParseProblem(f.field(), "not found (no label " + quoteAll(f.labelTexts()) + ")"));
    }
  }

  /** The field's value from its raw text: pattern, then conversion to the field's type. */
  private Values.Read<?> read(CompiledRules.Field f, String raw) {
    String candidate = raw;
    if (f.pattern() != null) {
      Matcher m = f.pattern().matcher(raw);
      if (!m.find()) {
        return Values.Read.fail("'" + raw + "' does not look like a " + f.field());
      }
      candidate = hasGroup(m) ? m.group("v") : m.group();
      if (candidate == null) {
        return Values.Read.fail("'" + raw + "' does not look like a " + f.field());
      }
    }
    return convert(f.field(), Text.squash(candidate));
  }

  private static String join(List<PageLayout.Found> lines, boolean geometric) {
    StringBuilder b = new StringBuilder();
    for (PageLayout.Found l : lines) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(geometric ? l.geometric() : l.text());
    }
    return b.toString();
  }

  /**
   * Flags a value whose words cannot be trusted: word breaks judged from glyph gaps because the
   * content stream has no space glyph there, or a reading from space glyphs that disagrees with a
   * second reading from glyph positions alone. The value is kept; the problem sends the booking to
   * a person.
   */
  private static void confidence(
      String field, List<PageLayout.Found> used, List<ParseProblem> problems) {
    String primary = join(used, false);
    String geometric = join(used, true);
    int gapBreaks = used.stream().mapToInt(PageLayout.Found::gapBreaks).sum();
    if (!primary.equals(geometric)) {
      problems.add(
          ParseProblem.lowConfidence(
              field,
              LOW_CONFIDENCE
                  + "read as '"
                  + primary
                  + "' from the document's space glyphs but as '"
                  + geometric
                  + "' from glyph positions; check it by hand"));
    } else if (gapBreaks > 0) {
      problems.add(
          ParseProblem.lowConfidence(
              field,
              LOW_CONFIDENCE
                  + "the word breaks in '"
                  + primary
                  + "' were judged from glyph gaps (the document has no space glyph there);"
                  + " check it by hand"));
    }
  }

  private static String quoteAll(List<String> labels) {
    return String.join(" or ", labels.stream().map(l -> "'" + l + "'").toList());
  }

  private static boolean hasGroup(Matcher m) {
    try {
      m.group("v");
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private Values.Read<?> convert(String field, String text) {
    if (text.isEmpty()) {
      return Values.Read.fail("empty value");
    }
    if (CompiledRules.DATE_FIELDS.contains(field)) {
      return Values.date(text, rules.months(), rules.weekdays());
    }
    if (CompiledRules.INT_FIELDS.contains(field)) {
      return Values.integer(text);
    }
    if (field.equals("totalAmount")) {
      return Values.money(text, rules.currencySymbols(), rules.defaultCurrency());
    }
    return Values.Read.ok(text);
  }

  private static void validate(Map<String, Value> values, List<ParseProblem> problems) {
    LocalDate in = date(values, "checkIn");
    LocalDate out = date(values, "checkOut");
    if (in != null && out != null) {
      if (!out.isAfter(in)) {
        problems.add(
            new ParseProblem("checkOut", "check-out " + out + " is not after check-in " + in));
      } else {
        Integer nights = integer(values, "nights");
        long days = ChronoUnit.DAYS.between(in, out);
        if (nights != null && nights != days) {
          problems.add(
              new ParseProblem(
                  "nights",
                  nights + " nights do not match " + in + " to " + out + " (" + days + ")"));
        }
      }
    }
  }

  private static Map<String, FieldProvenance> provenance(Map<String, Value> values) {
    Map<String, FieldProvenance> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, v.provenance()));
    return out;
  }

  private static String str(Map<String, Value> values, String field) {
    Value v = values.get(field);
    return v == null ? null : (String) v.value();
  }

  private static LocalDate date(Map<String, Value> values, String field) {
    Value v = values.get(field);
    return v == null ? null : (LocalDate) v.value();
  }

  private static Integer integer(Map<String, Value> values, String field) {
    Value v = values.get(field);
    return v == null ? null : (Integer) v.value();
  }
}
