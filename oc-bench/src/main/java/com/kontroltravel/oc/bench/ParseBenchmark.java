package com.kontroltravel.oc.bench;

import com.kontroltravel.oc.model.ParseResult;
import com.kontroltravel.oc.pdf.pdfbox.PdfBoxReservationParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Warm parse time of one one-page confirmation with {@link PdfBoxReservationParser} (sample mode:
 * the median is the p0.50 line), one per producer of the corpus (PDFBox-written, Chromium-printed,
 * and the booking system's HiQPdf engine), and in the same run {@code pdftotext -layout}
 * (poppler-utils) on the same file, spawned as a process per document as a command-line user would.
 * Run on one core:
 *
 * <pre>
 * mvn -q -pl oc-bench package dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * taskset -c 0 java -cp oc-bench/target/classes:$(cat oc-bench/target/cp.txt) org.openjdk.jmh.Main ParseBenchmark
 * </pre>
 *
 * <p>The corpus directory defaults to {@code oc-pdf-pdfbox/src/test/resources/corpus} (run from the
 * repository root) and can be set with {@code -Doc.bench.corpus=DIR}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-XX:ActiveProcessorCount=1", "-Xmx256m"})
@Threads(1)
public class ParseBenchmark {
  /** The confirmation to read, relative to the corpus directory. */
  @Param({
    "pdfbox/01-hampton-by-hilton-santiago-las-condes.pdf",
    "chromium/01-hampton-by-hilton-santiago-las-condes.pdf",
    "hiqpdf/01-hampton-by-hilton-santiago-las-condes.pdf"
  })
  public String file;

  private byte[] document;
  private Path path;
  private PdfBoxReservationParser parser;

  static Path corpus() {
    String dir = System.getProperty("oc.bench.corpus");
    if (dir != null) {
      return Path.of(dir);
    }
    Path p = Path.of("oc-pdf-pdfbox/src/test/resources/corpus");
    return Files.isDirectory(p) ? p : Path.of("../oc-pdf-pdfbox/src/test/resources/corpus");
  }

  /**
   * Loads the document and checks that it parses cleanly (a benchmark of a failing parse would be
   * meaningless).
   */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    path = corpus().resolve(file).toAbsolutePath();
    document = Files.readAllBytes(path);
    parser = PdfBoxReservationParser.create();
    ParseResult r = parser.parse(document);
    if (!r.isClean()) {
      throw new IllegalStateException(file + " does not parse cleanly: " + r.problems());
    }
  }

  /** One parse of one confirmation. */
  @Benchmark
  public ParseResult parse() {
    return parser.parse(document);
  }

  /** {@code pdftotext -layout FILE -} on the same document, for comparison. */
  @Benchmark
  public int pdftotext() {
    try {
      Process p =
          new ProcessBuilder("pdftotext", "-layout", path.toString(), "-")
              .redirectErrorStream(true)
              .start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("pdftotext failed");
      }
      return out.length;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
