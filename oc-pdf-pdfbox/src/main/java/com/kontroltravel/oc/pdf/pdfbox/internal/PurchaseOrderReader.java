package com.kontroltravel.oc.pdf.pdfbox.internal;

import com.kontroltravel.oc.model.ParseProblem;
import com.kontroltravel.oc.model.PurchaseOrderInfo;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Best-effort reading of an agency's purchase-order document of any layout. */
final class PurchaseOrderReader {
  static final int MAX_TEXT_CHARS = 20_000;

  private static final Pattern OC_NUMBER =
      Pattern.compile(
          "(?iu)(?:orden\\s+de\\s+compra|purchase\\s+order|(?<![\\p{L}\\d])o\\.?\\s?c\\.?(?![\\p{L}\\d]))"
              + "\\s*(?:n(?:ro|um|o)?\\s*[°º.]?|#|number|numero|número)?\\s*[:#°º.]?\\s*"
              + "(?<v>[A-Z]{0,4}-?\\d[\\d-]{1,19})(?![\\d])");
  private static final Pattern TOTAL =
      Pattern.compile(
          "(?iu)(?<![\\p{L}])total(?:\\s+(?:a\\s+pagar|general|neto|orden|oc))?\\s*:?\\s*(?<v>[^\\n]{1,40})");
  private static final Pattern DIGIT_RUN =
      Pattern.compile("(?<![\\d.,/-])\\d{6,}(?![\\d.,/-]?\\d)");
  private static final Pattern REFERENCE_WORD =
      Pattern.compile(
          "(?iu)(?<![\\p{L}])(reserva|reservation|booking|id|loc(?:\\s+interno)?|localizador|locator)(?![\\p{L}])");
  private static final Pattern LOC_TOKEN =
      Pattern.compile("(?<![\\p{L}\\d])[\\p{Lu}\\d]{7}(?![\\p{L}\\d])");

  private PurchaseOrderReader() {}

  static PurchaseOrderInfo read(List<PageLayout> pages, CompiledRules rules) {
    StringBuilder all = new StringBuilder();
    int glyphs = 0;
    for (PageLayout p : pages) {
      all.append(p.plainText());
      glyphs += p.glyphCount();
    }
    if (glyphs == 0 || all.toString().isBlank()) {
      return new PurchaseOrderInfo(
          null,
          null,
          null,
          List.of(),
          "",
          false,
          List.of(
              ParseProblem.document("no text layer (a scanned document?): filed without reading")));
    }
    String text = all.toString();
    List<ParseProblem> problems = new ArrayList<>();

    String ocNumber = null;
    Matcher oc = OC_NUMBER.matcher(text);
    if (oc.find()) {
      ocNumber = oc.group("v");
    } else {
      problems.add(new ParseProblem("ocNumber", "no OC number found"));
    }

    BigDecimal total = null;
    String currency = null;
    Matcher t = TOTAL.matcher(text);
    while (t.find()) {
      Values.Read<Values.Money> money =
          Values.money(t.group("v"), rules.currencySymbols(), rules.defaultCurrency());
      if (money.value() != null) {
        total = money.value().amount();
        currency = money.value().currency();
      }
    }

    Set<String> refs = new LinkedHashSet<>();
    Matcher d = DIGIT_RUN.matcher(text);
    while (d.find()) {
      if (!d.group().equals(ocNumber)) {
        refs.add(d.group());
      }
    }
    Matcher w = REFERENCE_WORD.matcher(text);
    while (w.find()) {
      String window = text.substring(w.end(), Math.min(text.length(), w.end() + 40));
      Matcher loc = LOC_TOKEN.matcher(window);
      if (loc.find()
          && loc.group().chars().anyMatch(Character::isLetter)
          && !loc.group().equals(ocNumber)) {
        refs.add(loc.group());
      }
    }
    String kept = text.length() > MAX_TEXT_CHARS ? text.substring(0, MAX_TEXT_CHARS) : text;
    return new PurchaseOrderInfo(
        ocNumber, total, currency, List.copyOf(refs), kept, true, problems);
  }
}
