package com.kontroltravel.oc.pdf.pdfbox.internal;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.kontroltravel.oc.model.ParseResult;
import com.kontroltravel.oc.model.PurchaseOrderInfo;

/**
 * Jazzer fuzz tests. In a normal build they run in regression mode over the committed inputs in
 * {@code src/test/resources/com/kontroltravel/oc/pdf/pdfbox/internal/ParserFuzzTestInputs/}; run
 * {@code JAZZER_FUZZ=1 mvn test -Dtest=ParserFuzzTest} to fuzz. The reader runs on the calling
 * thread here so that any exception escaping the parser's own code is seen by Jazzer.
 */
class ParserFuzzTest {
  private static final DocumentReader READER =
      new DocumentReader(CompiledRules.defaults(), 20, 16L << 20, 5_000);

  static {
    BundledFontMapper.installIfDefault();
  }

  @FuzzTest(maxDuration = "5m")
  void documentNeverEscapes(byte[] data) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    ParseResult r = READER.parse(data, deadline);
    if (r == null || (r.details() == null && r.problems().isEmpty())) {
      throw new AssertionError("a result without details must say why");
    }
    PurchaseOrderInfo po = READER.readPurchaseOrder(data, deadline);
    if (po == null || po.text().length() > PurchaseOrderReader.MAX_TEXT_CHARS) {
      throw new AssertionError("bad purchase-order result");
    }
  }

  @FuzzTest(maxDuration = "2m")
  void valuesNeverThrow(FuzzedDataProvider data) {
    // Labels come from rule files (trusted configuration) and are short; long fuzzed patterns only
    // measure
    // Jazzer's own regex hooks (an earlier version of this target found 7-15 s "slow units" that
    // way).
    String label = data.consumeString(40);
    String text = data.consumeRemainingAsString();
    Values.date(text, Values.SPANISH_MONTHS, Values.SPANISH_WEEKDAYS);
    Values.Read<Values.Money> m = Values.money(text, java.util.Map.of("$", "CLP"), "CLP");
    if (m.value() != null && m.value().amount().scale() != 2) {
      throw new AssertionError("amount without two decimals: " + m.value());
    }
    Values.integer(text);
    if (Text.labelPattern(label).matcher(Text.fold(text)).find()
        && !Text.fold(text).contains(Text.labelLiteral(label))) {
      throw new AssertionError("a match without the label's literal: " + label + " / " + text);
    }
  }
}
