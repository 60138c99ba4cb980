package com.kontroltravel.oc.pdf.pdfbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.model.ParseProblem;
import com.kontroltravel.oc.model.ParseResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Bad documents give a result with a clear reason: never an exception, a hang or an
 * OutOfMemoryError.
 */
@DisplayName("hostile documents")
class HostileInputTest {
  static final PdfBoxReservationParser PARSER = PdfBoxReservationParser.create();

  static Path sample() {
    return Corpus.pdfs("pdfbox").get(0);
  }

  static String reasons(ParseResult r) {
    return String.join(" | ", r.problems().stream().map(ParseProblem::toString).toList());
  }

  static void assertFailedWith(ParseResult r, String fragment) {
    assertThat(r.details()).isNull();
    assertThat(r.isClean()).isFalse();
    assertThat(reasons(r)).containsIgnoringCase(fragment);
  }

  @Test
  @DisplayName("zero bytes are reported as an empty document")
  void zeroBytes() {
    assertFailedWith(PARSER.parse(new byte[0]), "empty document");
  }

  @Test
  @DisplayName("something that is not a PDF is reported as such")
  void notAPdf() {
    assertFailedWith(
        PARSER.parse("<html>Resumen</html>".getBytes(StandardCharsets.UTF_8)), "not a PDF");
  }

  @Test
  @DisplayName("a truncated confirmation gives problems, not an exception")
  void truncated() {
    byte[] pdf = Corpus.read(sample());
    for (int cut : new int[] {10, 100, pdf.length / 3, pdf.length / 2}) {
      ParseResult r = PARSER.parse(Arrays.copyOf(pdf, cut));
      assertThat(r.isClean()).as("cut at %d", cut).isFalse();
      assertThat(r.problems()).isNotEmpty();
    }
  }

  @Test
  @DisplayName(
      "a corrupt confirmation (bytes overwritten in the middle) gives problems, not an exception")
  void corrupt() {
    byte[] pdf = Corpus.read(sample()).clone();
    for (int block = 64; block + 32 < pdf.length; block += 512) {
      for (int i = block; i < block + 32; i++) {
        pdf[i] = (byte) (i * 31);
      }
    }
    ParseResult r = PARSER.parse(pdf);
    assertThat(r).isNotNull();
    assertThat(r.isClean()).isFalse();
  }

  @Test
  @DisplayName(
      "a PDF encrypted with only an owner password (no text extraction allowed) is still read")
  void ownerPasswordOnly() throws Exception {
    Path pdf = sample();
    byte[] encrypted = TestPdfs.encrypt(Corpus.read(pdf), "");
    assertThat(new String(encrypted, StandardCharsets.ISO_8859_1)).contains("/Encrypt");
    CorpusTest.assertMatches(PARSER.parse(encrypted), Corpus.expectedFor(pdf));
  }

  @Test
  @DisplayName("a PDF that needs a user password is reported as such")
  void userPassword() throws Exception {
    byte[] encrypted = TestPdfs.encrypt(Corpus.read(sample()), "user-secret");
    assertFailedWith(PARSER.parse(encrypted), "user password");
    assertThat(PARSER.readPurchaseOrder(encrypted).problems().get(0).message())
        .contains("user password");
  }

  @Test
  @DisplayName("an image-only (scanned) PDF is reported as having no text layer")
  void imageOnly() throws Exception {
    byte[] scanned = TestPdfs.imageOnly();
    assertFailedWith(PARSER.parse(scanned), "no text layer");
    var po = PARSER.readPurchaseOrder(scanned);
    assertThat(po.hasTextLayer()).isFalse();
    assertThat(po.problems())
        .extracting(ParseProblem::message)
        .anyMatch(m -> m.contains("no text layer"));
  }

  @Test
  @DisplayName("more pages than the limit are refused with the count")
  void tooManyPages() throws Exception {
    assertFailedWith(PARSER.parse(TestPdfs.blankPages(21)), "21 pages");
    assertFailedWith(
        PdfBoxReservationParser.builder().maxPages(2).build().parse(TestPdfs.blankPages(3)),
        "limit of 2");
  }

  @Test
  @DisplayName("a document larger than the byte limit is refused before reading")
  void tooManyBytes() {
    byte[] pdf = Corpus.read(sample());
    ParseResult r = PdfBoxReservationParser.builder().maxBytes(1000).build().parse(pdf);
    assertFailedWith(r, "exceeds the limit of 1000 bytes");
  }

  @Test
  @DisplayName(
      "a compression bomb is refused without running out of memory (tests run with -Xmx256m)")
  void deflateBomb() throws Exception {
    byte[] bomb = TestPdfs.deflateBomb(600);
    assertThat(bomb.length).isLessThan(2_000_000);
    assertFailedWith(PARSER.parse(bomb), "larger than");
  }

  @Test
  @DisplayName("a legal document just under the 25 MB limit is read within a 256 MB heap")
  void bigDocument() throws Exception {
    byte[] big = TestPdfs.withBigStream(24, "LOC Interno: AAFTTAT", "ID: 45215412");
    assertThat(big.length).isBetween(24_000_000, (int) PdfBoxReservationParser.DEFAULT_MAX_BYTES);
    ParseResult r = PARSER.parse(big);
    assertThat(r.details()).isNotNull();
    assertThat(r.details().reservationId()).isEqualTo("45215412");
    assertThat(r.details().internalLocator()).isEqualTo("AAFTTAT");
    assertThat(reasons(r)).contains("checkIn: not found");
  }

  @Test
  @DisplayName(
      "the time limit is enforced: the only worker is stopped and the same parser reads the next"
          + " document")
  void timeLimit() throws Exception {
    // About 200 million operators: seconds of work on any machine, far beyond the 1 s limit.
    byte[] slow = TestPdfs.formBomb(1_000_000, 200);
    byte[] normal = Corpus.read(sample());
    PdfBoxReservationParser oneWorker =
        PdfBoxReservationParser.builder().timeout(Duration.ofSeconds(1)).threads(1).build();
    // Warm up (classes loaded, worker started); a very busy machine may need a second try.
    ParseResult warm = oneWorker.parse(normal);
    for (int i = 0; i < 3 && !warm.isClean(); i++) {
      warm = oneWorker.parse(normal);
    }
    assertThat(reasons(warm)).isEmpty();

    long start = System.nanoTime();
    ParseResult r = oneWorker.parse(slow);
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertFailedWith(r, "longer than the limit of 1000 ms");
    assertThat(tookMs).isBetween(900L, 4_000L);

    // The parser's only worker must have given up the slow document: the same parser, same 1 s
    // limit, reads a normal document at once. Had the worker gone on interpreting the slow one,
    // this parse would queue behind it and time out.
    ParseResult next = oneWorker.parse(normal);
    assertThat(reasons(next)).isEmpty();
    assertThat(next.details().reservationId()).isNotNull();
    assertThat(workersStillReading()).isZero();
  }

  static long workersStillReading() throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      long busy =
          Thread.getAllStackTraces().entrySet().stream()
              .filter(e -> e.getKey().getName().startsWith("oc-pdf-parser-"))
              .filter(
                  e ->
                      Arrays.stream(e.getValue())
                          .anyMatch(f -> f.getClassName().contains("GlyphCollector")))
              .count();
      if (busy == 0) {
        return 0;
      }
      Thread.sleep(50);
    }
    return -1;
  }

  @Test
  @DisplayName("deeply nested structures do not crash the parser")
  void deepNesting() {
    String body = "[".repeat(200_000);
    byte[] pdf =
        ("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /X "
                + body
                + " >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF")
            .getBytes(StandardCharsets.US_ASCII);
    ParseResult r = PARSER.parse(pdf);
    assertThat(r.isClean()).isFalse();
    assertThat(r.problems()).isNotEmpty();
  }

  @Test
  @DisplayName("a readable PDF that is not a confirmation names the missing required fields")
  void unrelatedPdf() throws Exception {
    ParseResult r = PARSER.parse(TestPdfs.text("Factura electrónica", "Total neto: 1.000"));
    assertThat(r.details()).isNull();
    assertThat(r.problems())
        .extracting(ParseProblem::field)
        .contains("reservationId", "checkIn", "agencyName");
    assertThat(reasons(r)).contains("reservationId: not found");
  }

  @Test
  @DisplayName("a bad value is reported with the field and the text read")
  void badValue() throws Exception {
    ParseResult r =
        PARSER.parse(
            TestPdfs.text(
                "LOC Interno: AAFTTAT",
                "Agencia: WALVIS S.A.",
                "Estado: Reservado",
                "Check In: jueves 31, feb. 2025",
                "Check Out: sábado 29, nov. 2025",
                "ID: 45215412"));
    assertThat(r.details()).isNotNull();
    assertThat(r.details().reservationId()).isEqualTo("45215412");
    assertThat(r.details().checkIn()).isNull();
    assertThat(r.problems())
        .extracting(ParseProblem::toString)
        .contains("checkIn: 'jueves 31, feb. 2025' is not a valid date");
  }

  @Test
  @DisplayName("the problems list of the empty document is a list of readable sentences")
  void problemsAreSentences() {
    List<ParseProblem> problems = PARSER.parse(new byte[0]).problems();
    assertThat(problems)
        .singleElement()
        .satisfies(p -> assertThat(p.message()).isEqualTo("empty document (0 bytes)"));
  }
}
