package com.kontroltravel.oc.pdf.pdfbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.kontroltravel.oc.model.FieldProvenance;
import com.kontroltravel.oc.model.ParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An independent oracle: for every corpus document, the words of every field's value, line by line,
 * must equal the words poppler's {@code pdftotext} prints at the place the parser read them from
 * ({@code -bbox-layout}: the words of its layout mode with their boxes), and must appear, in that
 * order, on a line of {@code pdftotext -layout}'s output. Poppler shares no code with PDFBox: its
 * own font handling, its own word segmentation. A disagreement fails the test naming the document,
 * the field and both readings.
 *
 * <p>Runs where {@code pdftotext} is installed (Debian package {@code poppler-utils}, which {@code
 * .ci/run} installs); elsewhere it is skipped with a message saying so.
 */
@DisplayName("poppler's pdftotext reads the same words where the parser read each field")
class PopplerOracleTest {
  static final String[] SETS = {"pdfbox", "chromium", "hiqpdf", "layout2"};
  static boolean havePdftotext;

  @BeforeAll
  static void checkPdftotext() {
    havePdftotext = Pdftotext.available();
  }

  static Stream<Path> documents() {
    return Arrays.stream(SETS).flatMap(s -> pdfs(s).stream());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documents")
  @DisplayName("every field's words equal pdftotext's words at the same place")
  void fieldsAgreeWithPoppler(Path pdf) throws Exception {
    assumeTrue(
        havePdftotext,
        "SKIPPED: pdftotext not found on the PATH; install the Debian package poppler-utils"
            + " (.ci/run does) to run the poppler oracle");
    CompiledRules rules =
        pdf.getParent().getFileName().toString().equals("layout2")
            ? layout2Rules()
            : CompiledRules.defaults();
    Map<String, List<PageLayout.Found>> lines = new LinkedHashMap<>();
    ParseResult result =
        new DocumentReader(rules, 20, 16L << 20, 10_000)
            .parse(Files.readAllBytes(pdf), System.nanoTime() + 10_000_000_000L, lines);
    assertThat(lines).as("fields read from %s", pdf).isNotEmpty();

    List<List<Pdftotext.Word>> popplerPages = Pdftotext.bboxWords(pdf);
    List<String> layoutLines = Pdftotext.layoutLines(pdf);
    List<String> disagreements = new ArrayList<>();
    lines.forEach(
        (field, found) -> {
          FieldProvenance prov = result.provenance().get(field);
          int page = prov == null ? 1 : prov.page();
          for (int i = 0; i < found.size(); i++) {
            PageLayout.Found line = found.get(i);
            List<String> ours = words(line.text());
            List<String> theirs = wordsAt(popplerPages.get(page - 1), line);
            if (!ours.equals(theirs)) {
              disagreements.add(
                  field
                      + (found.size() > 1 ? " (line " + (i + 1) + ")" : "")
                      + ": parser read "
                      + ours
                      + ", pdftotext -bbox-layout reads "
                      + theirs
                      + " at that place");
            } else if (layoutLines.stream().noneMatch(l -> containsSequence(words(l), ours))) {
              disagreements.add(
                  field
                      + ": parser read "
                      + ours
                      + ", no line of pdftotext -layout has these words in this order");
            }
          }
        });
    assertThat(disagreements).as("disagreements with poppler in %s", pdf).isEmpty();
  }

  /** Poppler's words whose box centre lies on the line the parser read, left to right. */
  static List<String> wordsAt(List<Pdftotext.Word> page, PageLayout.Found line) {
    float size = line.size();
    float centreY = line.y() - 0.3f * size;
    return page.stream()
        .filter(w -> Math.abs((w.yMin() + w.yMax()) / 2 - centreY) <= 0.5f * size)
        .filter(w -> (w.xMin() + w.xMax()) / 2 >= line.x() - 0.5f)
        .filter(w -> (w.xMin() + w.xMax()) / 2 <= line.endX() + 0.5f)
        .sorted(Comparator.comparingDouble(Pdftotext.Word::xMin))
        .map(Pdftotext.Word::text)
        .toList();
  }

  static List<String> words(String s) {
    String t = s.strip();
    return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
  }

  static boolean containsSequence(List<String> haystack, List<String> needle) {
    return needle.isEmpty() || java.util.Collections.indexOfSubList(haystack, needle) >= 0;
  }

  static CompiledRules layout2Rules() throws IOException {
    try (InputStream in =
        PopplerOracleTest.class.getResourceAsStream("/rules/booking-summary.json")) {
      return CompiledRules.load(in);
    }
  }

  static List<Path> pdfs(String set) {
    try (Stream<Path> s =
        Files.list(Path.of(PopplerOracleTest.class.getResource("/corpus/" + set).toURI()))) {
      return s.filter(p -> p.toString().endsWith(".pdf")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs poppler's {@code pdftotext} (bounded in time) and reads its output. */
  static final class Pdftotext {
    private static final Pattern PAGE = Pattern.compile("<page\\b");
    private static final Pattern WORD =
        Pattern.compile(
            "<word xMin=\"([\\d.]+)\" yMin=\"([\\d.]+)\" xMax=\"([\\d.]+)\" yMax=\"([\\d.]+)\">([^<]*)</word>");

    /** A word and its box, top-down page coordinates in points. */
    record Word(float xMin, float yMin, float xMax, float yMax, String text) {}

    private Pdftotext() {}

    static boolean available() {
      try {
        return run("-v").exitCode == 0;
      } catch (IOException e) {
        return false;
      }
    }

    /** {@code pdftotext -bbox-layout FILE -}: words with boxes, per page. */
    static List<List<Word>> bboxWords(Path pdf) throws IOException {
      String xml = run("-bbox-layout", pdf.toString(), "-").checked();
      List<List<Word>> pages = new ArrayList<>();
      Matcher pm = PAGE.matcher(xml);
      List<Integer> starts = new ArrayList<>();
      while (pm.find()) {
        starts.add(pm.start());
      }
      starts.add(xml.length());
      for (int i = 0; i + 1 < starts.size(); i++) {
        List<Word> words = new ArrayList<>();
        Matcher m = WORD.matcher(xml.substring(starts.get(i), starts.get(i + 1)));
        while (m.find()) {
          words.add(
              new Word(
                  Float.parseFloat(m.group(1)),
                  Float.parseFloat(m.group(2)),
                  Float.parseFloat(m.group(3)),
                  Float.parseFloat(m.group(4)),
                  unescape(m.group(5))));
        }
        pages.add(words);
      }
      return pages;
    }

    /** {@code pdftotext -layout FILE -}: the text lines. */
    static List<String> layoutLines(Path pdf) throws IOException {
      return run("-layout", pdf.toString(), "-").checked().lines().toList();
    }

    static String unescape(String s) {
      return s.replace("&lt;", "<")
          .replace("&gt;", ">")
          .replace("&quot;", "\"")
          .replace("&apos;", "'")
          .replace("&amp;", "&");
    }

    private record Output(int exitCode, String text) {
      String checked() throws IOException {
        if (exitCode != 0) {
          throw new IOException("pdftotext failed (" + exitCode + "): " + text);
        }
        return text;
      }
    }

    private static Output run(String... args) throws IOException {
      List<String> cmd = new ArrayList<>();
      cmd.add("pdftotext");
      cmd.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(cmd);
      if (args.length == 1) {
        pb.redirectErrorStream(true);
      } else {
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      }
      Process p = pb.start();
      try {
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IOException("pdftotext timed out");
        }
        return new Output(p.exitValue(), new String(out, StandardCharsets.UTF_8));
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }
}
