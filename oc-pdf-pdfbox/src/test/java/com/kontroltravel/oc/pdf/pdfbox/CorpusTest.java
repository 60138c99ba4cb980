package com.kontroltravel.oc.pdf.pdfbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kontroltravel.oc.model.ParseResult;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("the committed corpus is read exactly")
class CorpusTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final PdfBoxReservationParser PARSER = PdfBoxReservationParser.create();
  static final PdfBoxReservationParser LAYOUT2 =
      PdfBoxReservationParser.builder()
          .rules(ExtractionRules.fromJson(Corpus.resource("/rules/booking-summary.json")))
          .build();

  static Stream<Path> confirmations() {
    return Corpus.confirmations().stream();
  }

  static Stream<Path> layout2() {
    return Corpus.pdfs("layout2").stream();
  }

  @Test
  @DisplayName("the corpus has all three producers and at least 40 confirmations")
  void corpusIsComplete() {
    assertThat(Corpus.pdfs("pdfbox")).hasSizeGreaterThanOrEqualTo(12);
    assertThat(Corpus.pdfs("chromium")).hasSameSizeAs(Corpus.pdfs("pdfbox"));
    assertThat(Corpus.pdfs("hiqpdf")).hasSizeGreaterThanOrEqualTo(16);
    assertThat(Corpus.confirmations()).hasSizeGreaterThanOrEqualTo(40);
    assertThat(Corpus.pdfs("layout2")).isNotEmpty();
    assertThat(longAgencies()).hasSizeGreaterThanOrEqualTo(4);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("confirmations")
  @DisplayName(
      "every field of every confirmation matches the expected JSON and no problem is reported")
  void confirmationMatchesExpectedJson(Path pdf) throws Exception {
    assertMatches(PARSER.parse(Corpus.read(pdf)), Corpus.expectedFor(pdf));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layout2")
  @DisplayName("a second layout is read by a rule file alone")
  void secondLayoutMatchesExpectedJson(Path pdf) throws Exception {
    assertMatches(LAYOUT2.parse(Corpus.read(pdf)), Corpus.expectedFor(pdf));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layout2")
  @DisplayName("the default rules do not pretend to read the second layout")
  void defaultRulesReportProblemsOnSecondLayout(Path pdf) {
    ParseResult r = PARSER.parse(Corpus.read(pdf));
    assertThat(r.isClean()).isFalse();
    assertThat(r.problems()).isNotEmpty();
  }

  static Stream<Path> longAgencies() {
    return confirmations().filter(p -> expectedAgency(p).length() > 40);
  }

  static String expectedAgency(Path pdf) {
    try {
      return JSON.readTree(Corpus.expectedFor(pdf).toFile()).get("agencyName").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("longAgencies")
  @DisplayName("long agency names really wrap in the PDFs and are read whole")
  void wrappedValuesAreJoined(Path pdf) throws Exception {
    String agency = expectedAgency(pdf);
    String text;
    try (var doc = org.apache.pdfbox.Loader.loadPDF(Corpus.read(pdf))) {
      var stripper = new org.apache.pdfbox.text.PDFTextStripper();
      stripper.setSortByPosition(true);
      text = stripper.getText(doc);
    }
    assertThat(text.lines().map(String::strip)).noneMatch(l -> l.contains(agency));
    assertThat(PARSER.parse(Corpus.read(pdf)).details().agencyName()).isEqualTo(agency);
  }

  static void assertMatches(ParseResult result, Path expectedJson) throws Exception {
    JsonNode expected = JSON.readTree(expectedJson.toFile());
    JsonNode actual = JSON.readTree(ParseResultJson.toJson(result));
    assertThat(fieldNames(actual)).containsExactlyElementsOf(fieldNames(expected));
    for (String field : fieldNames(expected)) {
      assertThat(actual.get(field)).as(field).isEqualTo(expected.get(field));
    }
    assertThat(result.problems()).isEmpty();
    assertThat(result.provenance()).containsKey("reservationId");
  }

  static List<String> fieldNames(JsonNode n) {
    List<String> names = new java.util.ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
