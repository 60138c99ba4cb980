package com.kontroltravel.oc.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.kontroltravel.oc.model.ParseResult;
import com.kontroltravel.oc.model.PurchaseOrderInfo;
import com.kontroltravel.oc.spi.ReservationParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ReservationParser} must meet. Make a test class that extends this one
 * and implement {@link #parser()}; override {@link #validDocuments()} to add documents the parser
 * must read cleanly (without any, the tests about valid documents are skipped).
 *
 * <pre>{@code
 * class MyParserCompatibilityTest extends ReservationParserCompatibilityKit {
 *   protected ReservationParser parser() { return MyParser.create(); }
 *   protected List<byte[]> validDocuments() { return List.of(read("confirmation.pdf")); }
 * }
 * }</pre>
 *
 * <p>Checks: the parser never throws and never returns null on empty, junk, random, truncated or
 * mutated bytes (all bounded in count and size, and seeded, so failures reproduce); input that is
 * not a document gets problems; valid documents give clean results with a reservation id; results
 * are deterministic and the same when parsed from several threads at once; the input array is not
 * modified; null arguments throw {@link NullPointerException}.
 */
public abstract class ReservationParserCompatibilityKit {

  /** For the adapter's test class, which extends this kit. */
  protected ReservationParserCompatibilityKit() {}

  /** Seed for every random input, so that a failure reproduces. */
  protected static final long SEED = 20251121L;

  /** The parser under test. Called once per test; may return a shared instance. */
  protected abstract ReservationParser parser();

  /** Documents the parser must read cleanly. Empty by default. */
  protected List<byte[]> validDocuments() {
    return List.of();
  }

  /** The most one call may take before the kit calls it a hang. */
  protected Duration callTimeout() {
    return Duration.ofSeconds(30);
  }

  private ParseResult parseSafely(ReservationParser parser, byte[] input) {
    ParseResult result = assertTimeoutPreemptively(callTimeout(), () -> parser.parse(input));
    assertThat(result).as("parse never returns null").isNotNull();
    return result;
  }

  private PurchaseOrderInfo readSafely(ReservationParser parser, byte[] input) {
    PurchaseOrderInfo info =
        assertTimeoutPreemptively(callTimeout(), () -> parser.readPurchaseOrder(input));
    assertThat(info).as("readPurchaseOrder never returns null").isNotNull();
    return info;
  }

  static List<byte[]> junk() {
    List<byte[]> out = new ArrayList<>();
    out.add(new byte[0]);
    out.add(new byte[] {0});
    out.add(new byte[4096]);
    out.add("hello, this is not a document".getBytes(StandardCharsets.UTF_8));
    out.add(
        "<html><body>Resumen de servicios ID: 123</body></html>".getBytes(StandardCharsets.UTF_8));
    out.add("%PDF-".getBytes(StandardCharsets.US_ASCII));
    out.add("%PDF-1.7\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
    out.add(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"
            .getBytes(StandardCharsets.US_ASCII));
    out.add(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    out.add(new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0});
    return out;
  }

  static List<byte[]> randomInputs(int count, int maxSize) {
    Random rnd = new Random(SEED);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] b = new byte[rnd.nextInt(maxSize + 1)];
      rnd.nextBytes(b);
      if (i % 2 == 0 && b.length >= 8) {
        System.arraycopy("%PDF-1.".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 7);
      }
      out.add(b);
    }
    return out;
  }

  @Test
  @DisplayName(
      "parse and readPurchaseOrder never throw and never return null on empty or junk input")
  void junkNeverThrows() {
    ReservationParser parser = parser();
    for (byte[] input : junk()) {
      parseSafely(parser, input);
      readSafely(parser, input);
    }
  }

  @Test
  @DisplayName("input that is not a document is reported as a problem, not as details")
  void junkIsReported() {
    ReservationParser parser = parser();
    for (byte[] input : junk()) {
      ParseResult r = parseSafely(parser, input);
      assertThat(r.isClean()).as("clean result for junk of %d bytes", input.length).isFalse();
      assertThat(r.problems()).as("problems for junk of %d bytes", input.length).isNotEmpty();
      assertThat(r.problems()).allSatisfy(p -> assertThat(p.message()).isNotBlank());
    }
  }

  @Test
  @DisplayName("random bytes (seeded, bounded) never make the parser throw or return null")
  void randomBytesNeverThrow() {
    ReservationParser parser = parser();
    for (byte[] input : randomInputs(40, 2048)) {
      ParseResult r = parseSafely(parser, input);
      assertThat(r.isClean()).isFalse();
    }
  }

  @Test
  @DisplayName("every valid document is read cleanly with a reservation id")
  void validDocumentsAreClean() {
    List<byte[]> docs = validDocuments();
    Assumptions.assumeFalse(docs.isEmpty(), "no valid documents given");
    ReservationParser parser = parser();
    for (byte[] doc : docs) {
      ParseResult r = parseSafely(parser, doc);
      assertThat(r.problems()).as("problems").isEmpty();
      assertThat(r.isClean()).isTrue();
      assertThat(r.details().reservationId()).isNotBlank();
    }
  }

  @Test
  @DisplayName("parsing does not modify the input and gives the same result twice")
  void parsingIsPureAndDeterministic() {
    List<byte[]> docs = validDocuments();
    Assumptions.assumeFalse(docs.isEmpty(), "no valid documents given");
    ReservationParser parser = parser();
    for (byte[] doc : docs) {
      byte[] copy = doc.clone();
      ParseResult first = parseSafely(parser, doc);
      assertThat(doc).as("input unchanged").isEqualTo(copy);
      assertThat(parseSafely(parser, doc)).isEqualTo(first);
    }
  }

  @Test
  @DisplayName(
      "truncated valid documents never make the parser throw and are not read as clean garbage")
  void truncatedDocumentsNeverThrow() {
    List<byte[]> docs = validDocuments();
    Assumptions.assumeFalse(docs.isEmpty(), "no valid documents given");
    ReservationParser parser = parser();
    for (byte[] doc : docs.subList(0, Math.min(4, docs.size()))) {
      for (int cut :
          new int[] {1, 8, 64, doc.length / 4, doc.length / 2, doc.length - 16, doc.length - 1}) {
        if (cut > 0 && cut < doc.length) {
          ParseResult r = parseSafely(parser, Arrays.copyOf(doc, cut));
          if (r.isClean()) {
            assertThat(r.details().reservationId()).isNotBlank();
          }
          readSafely(parser, Arrays.copyOf(doc, cut));
        }
      }
    }
  }

  @Test
  @DisplayName(
      "valid documents with random bytes changed (seeded, bounded) never make the parser throw")
  void mutatedDocumentsNeverThrow() {
    List<byte[]> docs = validDocuments();
    Assumptions.assumeFalse(docs.isEmpty(), "no valid documents given");
    ReservationParser parser = parser();
    Random rnd = new Random(SEED);
    for (int i = 0; i < 30; i++) {
      byte[] doc = docs.get(i % docs.size()).clone();
      int flips = 1 + rnd.nextInt(16);
      for (int f = 0; f < flips; f++) {
        doc[rnd.nextInt(doc.length)] = (byte) rnd.nextInt(256);
      }
      parseSafely(parser, doc);
    }
  }

  @Test
  @DisplayName("parsing the same documents from several threads at once gives the same results")
  void parseIsThreadSafe() throws Exception {
    List<byte[]> docs = validDocuments();
    Assumptions.assumeFalse(docs.isEmpty(), "no valid documents given");
    ReservationParser parser = parser();
    List<ParseResult> expected = new ArrayList<>();
    for (byte[] doc : docs) {
      expected.add(parseSafely(parser, doc));
    }
    int threads = 4;
    int rounds = 3;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<ParseResult>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  List<ParseResult> got = new ArrayList<>();
                  for (int r = 0; r < rounds; r++) {
                    for (byte[] doc : docs) {
                      got.add(parser.parse(doc));
                    }
                  }
                  return got;
                }));
      }
      long budgetMs = callTimeout().toMillis() * Math.max(1, docs.size()) * rounds;
      for (Future<List<ParseResult>> f : futures) {
        List<ParseResult> got = f.get(budgetMs, TimeUnit.MILLISECONDS);
        for (int i = 0; i < got.size(); i++) {
          assertThat(got.get(i)).isEqualTo(expected.get(i % docs.size()));
        }
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(callTimeout().toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }
  }

  @Test
  @DisplayName("null arguments throw NullPointerException")
  void nullIsRejected() {
    ReservationParser parser = parser();
    assertThatThrownBy(() -> parser.parse(null)).isInstanceOf(NullPointerException.class);
  }
}
