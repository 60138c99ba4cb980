package com.kontroltravel.oc.pdf.pdfbox;

import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.ParseResult;
import com.kontroltravel.oc.model.PurchaseOrderInfo;
import com.kontroltravel.oc.pdf.pdfbox.internal.BundledFontMapper;
import com.kontroltravel.oc.pdf.pdfbox.internal.DocumentReader;
import com.kontroltravel.oc.spi.ReservationParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * A {@link ReservationParser} over Apache PDFBox 3 for the "Resumen de servicios" confirmation and,
 * as a best effort, agencies' purchase-order documents.
 *
 * <p>Text is rebuilt from glyph positions, so values a couple of points off their label's baseline,
 * two-column headers and values wrapped onto the next line are read the same whichever program
 * produced the PDF. What is read is driven by {@link ExtractionRules} (data, not code).
 *
 * <p>Limits: documents above {@link #DEFAULT_MAX_BYTES} bytes or {@link #DEFAULT_MAX_PAGES} pages
 * are refused; each call is bounded by {@link #DEFAULT_TIMEOUT} (the work runs on a small bounded
 * pool of daemon threads and is interrupted when time runs out); PDFBox keeps at most {@link
 * #DEFAULT_MEMORY_THRESHOLD} bytes of scratch data in memory and spills the rest to a temporary
 * file. Encrypted documents with only an owner password are read; every other failure (user
 * password, corrupt, truncated, empty, not a PDF, no text layer) is a result with a problem, never
 * an exception.
 *
 * <p>Instances are immutable and thread safe. Idle worker threads end by themselves.
 */
public final class PdfBoxReservationParser implements ReservationParser {
  /** Default maximum document size: 25 MB. */
  public static final long DEFAULT_MAX_BYTES = 25L * 1024 * 1024;

  /** Default maximum number of pages. */
  public static final int DEFAULT_MAX_PAGES = 20;

  /** Default time limit per document. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Default amount of PDFBox scratch data kept in memory before spilling to a temporary file: 16
   * MB.
   */
  public static final long DEFAULT_MEMORY_THRESHOLD = 16L * 1024 * 1024;

  private static final AtomicInteger POOL_IDS = new AtomicInteger();

  private final long maxBytes;
  private final Duration timeout;
  private final DocumentReader reader;
  private final ThreadPoolExecutor executor;

  private PdfBoxReservationParser(Builder b) {
    this.maxBytes = b.maxBytes;
    this.timeout = b.timeout;
    this.reader =
        new DocumentReader(b.rules.compiled(), b.maxPages, b.memoryThreshold, b.timeout.toMillis());
    int pool = POOL_IDS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, "oc-pdf-parser-" + pool + "-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.executor =
        new ThreadPoolExecutor(
            b.threads,
            b.threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(b.threads * 64),
            factory);
    executor.allowCoreThreadTimeOut(true);
  }

  /** A parser with the default rules and limits. */
  public static PdfBoxReservationParser create() {
    return builder().build();
  }

  /** A builder for custom rules or limits. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException if {@code document} is null
   */
  @Override
  public ParseResult parse(byte[] document) {
    Objects.requireNonNull(document, "document == null");
    String refused = precheck(document);
    if (refused != null) {
      return ParseResult.failed(refused);
    }
    return runLimited(
        deadline -> reader.parse(document, deadline),
        ParseResult::failed,
        ParseResult::failedForNow);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Reads the OC number ("Orden de Compra N° 4500123456", "OC 123", "Purchase Order #..."), the
   * total, and reservation references (runs of six or more digits; seven-character locator-like
   * tokens near "reserva", "ID", "LOC" or "localizador"). A document without a text layer gives
   * {@code hasTextLayer == false} and a problem.
   *
   * @throws NullPointerException if {@code document} is null
   */
  @Override
  public PurchaseOrderInfo readPurchaseOrder(byte[] document) {
    return readPurchaseOrderChecked(document);
  }

  /**
   * Starts the reading threads and reads a small PDF made on the spot (text in a standard font and
   * in the bundled fonts' path), so class loading and font caches are done before the first real
   * document, which would otherwise pay for them inside its time limit.
   */
  @Override
  public void warmUp() {
    executor.prestartAllCoreThreads();
    byte[] pdf = WarmUp.document();
    parse(pdf);
    readPurchaseOrder(pdf);
  }

  private PurchaseOrderInfo readPurchaseOrderChecked(byte[] document) {
    Objects.requireNonNull(document, "document == null");
    String refused = precheck(document);
    if (refused != null) {
      return PurchaseOrderInfo.unreadable(refused);
    }
    return runLimited(
        deadline -> reader.readPurchaseOrder(document, deadline),
        PurchaseOrderInfo::unreadable,
        PurchaseOrderInfo::unreadableForNow);
  }

  private String precheck(byte[] document) {
    if (document.length == 0) {
      return "empty document (0 bytes)";
    }
    if (document.length > maxBytes) {
      return "document of "
          + document.length
          + " bytes exceeds the limit of "
          + maxBytes
          + " bytes";
    }
    if (!Attachment.hasPdfMagic(document)) {
      return "not a PDF: no %PDF- header in the first "
          + Math.min(document.length, 1024)
          + " bytes";
    }
    return null;
  }

  /**
   * Runs {@code work} on the parser's pool within the time limit. A time-out, a full queue and an
   * interruption are passing failures ({@code forNow}: the engine tries the message again later);
   * an unexpected error is a failure of the document.
   */
  private <T> T runLimited(
      LongFunction<T> work, Function<String, T> failure, Function<String, T> forNow) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Future<T> future;
    try {
      future = executor.submit(() -> work.apply(deadline));
    } catch (RejectedExecutionException e) {
      return forNow.apply("parser overloaded: too many documents waiting; try again later");
    }
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return forNow.apply("reading took longer than the limit of " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      return forNow.apply("interrupted while reading");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return failure.apply(
          "unexpected error while reading: "
              + (cause == null ? e : cause).getClass().getSimpleName());
    }
  }

  @Override
  public String toString() {
    return "PdfBoxReservationParser[maxBytes=" + maxBytes + ", timeout=" + timeout + "]";
  }

  /** Builds a {@link PdfBoxReservationParser}; not thread safe. */
  public static final class Builder {
    private ExtractionRules rules = ExtractionRules.defaults();
    private long maxBytes = DEFAULT_MAX_BYTES;
    private int maxPages = DEFAULT_MAX_PAGES;
    private Duration timeout = DEFAULT_TIMEOUT;
    private long memoryThreshold = DEFAULT_MEMORY_THRESHOLD;
    private int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private boolean bundledFontsOnly = true;

    private Builder() {}

    /** The extraction rules; default {@link ExtractionRules#defaults()}. */
    public Builder rules(ExtractionRules rules) {
      this.rules = Objects.requireNonNull(rules, "rules == null");
      return this;
    }

    /** Larger documents are refused; default {@link #DEFAULT_MAX_BYTES}. */
    public Builder maxBytes(long maxBytes) {
      this.maxBytes = maxBytes;
      return this;
    }

    /** Documents with more pages are refused; default {@link #DEFAULT_MAX_PAGES}. */
    public Builder maxPages(int maxPages) {
      this.maxPages = maxPages;
      return this;
    }

    /**
     * Time limit per document, including any wait for a worker; default {@link #DEFAULT_TIMEOUT}.
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout == null");
      return this;
    }

    /**
     * PDFBox scratch data above this is kept in a temp file; default {@link
     * #DEFAULT_MEMORY_THRESHOLD}.
     */
    public Builder memoryThreshold(long bytes) {
      this.memoryThreshold = bytes;
      return this;
    }

    /** Worker threads (documents read at once); default the number of processors, at least 2. */
    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    /**
     * Whether to stop PDFBox from scanning the system's fonts when a document uses a font it does
     * not embed; default true. When true, {@link #build()} installs, process-wide, a PDFBox {@code
     * FontMapper} that substitutes the Liberation Sans font bundled in PDFBox for every
     * non-embedded font, unless the application has already installed its own mapper (which is then
     * left alone). Text extraction is unaffected in practice (widths come from the PDF or the
     * standard 14 metrics); PDF rendering elsewhere in the same JVM would use the substitute. The
     * confirmation family embeds its fonts and never needs a substitute.
     */
    public Builder bundledFontsOnly(boolean bundledFontsOnly) {
      this.bundledFontsOnly = bundledFontsOnly;
      return this;
    }

    /**
     * Builds the parser.
     *
     * @throws IllegalArgumentException listing every invalid setting
     */
    public PdfBoxReservationParser build() {
      List<String> errors = new ArrayList<>();
      if (maxBytes < 1) {
        errors.add("maxBytes must be positive, was " + maxBytes);
      }
      if (maxPages < 1) {
        errors.add("maxPages must be positive, was " + maxPages);
      }
      if (timeout.isNegative() || timeout.isZero()) {
        errors.add("timeout must be positive, was " + timeout);
      }
      if (memoryThreshold < 1) {
        errors.add("memoryThreshold must be positive, was " + memoryThreshold);
      }
      if (threads < 1 || threads > 256) {
        errors.add("threads must be in 1..256, was " + threads);
      }
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException(String.join("; ", errors));
      }
      if (bundledFontsOnly) {
        BundledFontMapper.installIfDefault();
      }
      return new PdfBoxReservationParser(this);
    }
  }
}
