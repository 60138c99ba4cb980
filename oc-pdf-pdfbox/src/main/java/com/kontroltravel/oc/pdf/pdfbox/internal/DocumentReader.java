package com.kontroltravel.oc.pdf.pdfbox.internal;

import com.kontroltravel.oc.model.ParseResult;
import com.kontroltravel.oc.model.PurchaseOrderInfo;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;

/**
 * Opens a PDF within limits and turns it into laid-out pages. Runs on the caller's thread; the
 * public parser runs it on a bounded executor with a timeout. Every failure becomes a
 * human-readable reason, never an exception.
 */
public final class DocumentReader {
  private final CompiledRules rules;
  private final int maxPages;
  private final long memoryThresholdBytes;
  private final StreamBudget budget;
  private final long timeoutMillis;

  /**
   * @param rules the rule set for confirmations
   * @param maxPages documents with more pages are refused
   * @param memoryThresholdBytes PDFBox keeps up to this much scratch data in memory, the rest in a
   *     temp file
   * @param timeoutMillis the time limit, for messages
   */
  public DocumentReader(
      CompiledRules rules, int maxPages, long memoryThresholdBytes, long timeoutMillis) {
    this.rules = rules;
    this.timeoutMillis = timeoutMillis;
    this.maxPages = maxPages;
    this.memoryThresholdBytes = memoryThresholdBytes;
    this.budget = new StreamBudget(Math.max(4L << 20, memoryThresholdBytes));
  }

  /** Pages, or the reason there are none. */
  record Pages(List<PageLayout> layouts, String failure, boolean encrypted, boolean forNow) {
    Pages(List<PageLayout> layouts, String failure, boolean encrypted) {
      this(layouts, failure, encrypted, false);
    }
  }

  /** Reads a confirmation. */
  public ParseResult parse(byte[] pdf, long deadlineNanos) {
    return parse(pdf, deadlineNanos, null);
  }

  /**
   * Reads a confirmation; when {@code lines} is not null, it receives for each field read the lines
   * (text and place on the page) its value was read from, for checks against another reader.
   */
  ParseResult parse(byte[] pdf, long deadlineNanos, Map<String, List<PageLayout.Found>> lines) {
    Pages pages = open(pdf, deadlineNanos);
    if (pages.failure() != null) {
      return pages.forNow()
          ? ParseResult.failedForNow(pages.failure())
          : ParseResult.failed(pages.failure());
    }
    int glyphs = pages.layouts().stream().mapToInt(PageLayout::glyphCount).sum();
    if (glyphs == 0) {
      return ParseResult.failed(
          "the document has no text layer (a scanned image?); nothing can be read");
    }
    return new Extractor(rules, lines).extract(pages.layouts());
  }

  /** Reads a purchase order as a best effort. */
  public PurchaseOrderInfo readPurchaseOrder(byte[] pdf, long deadlineNanos) {
    Pages pages = open(pdf, deadlineNanos);
    if (pages.failure() != null) {
      return pages.forNow()
          ? PurchaseOrderInfo.unreadableForNow(pages.failure())
          : PurchaseOrderInfo.unreadable(pages.failure());
    }
    return PurchaseOrderReader.read(pages.layouts(), rules);
  }

  Pages open(byte[] pdf, long deadlineNanos) {
    try (PDDocument doc =
        Loader.loadPDF(
            pdf, "", null, null, MemoryUsageSetting.setupMixed(memoryThresholdBytes).streamCache)) {
      int n = doc.getNumberOfPages();
      if (n == 0) {
        return new Pages(List.of(), "the PDF has no pages", false);
      }
      if (n > maxPages) {
        return new Pages(
            List.of(), "the PDF has " + n + " pages, more than the limit of " + maxPages, false);
      }
      for (PDPage page : doc.getPages()) {
        String tooBig = budget.check(page);
        if (tooBig != null) {
          return new Pages(List.of(), tooBig, false);
        }
      }
      List<List<Glyph>> glyphs = GlyphCollector.collect(doc, deadlineNanos);
      List<PageLayout> layouts = new ArrayList<>(glyphs.size());
      for (int i = 0; i < glyphs.size(); i++) {
        layouts.add(new PageLayout(i + 1, glyphs.get(i)));
      }
      return new Pages(layouts, null, doc.isEncrypted());
    } catch (StreamBudget.UncheckedTooLarge e) {
      return new Pages(List.of(), e.getCause().getMessage(), false);
    } catch (InvalidPasswordException e) {
      return new Pages(
          List.of(),
          "the PDF is encrypted with a user password and cannot be opened without it",
          true);
    } catch (InterruptedIOException e) {
      return new Pages(
          List.of(),
          Thread.currentThread().isInterrupted()
              ? "reading was interrupted"
              : "reading took longer than the limit of " + timeoutMillis + " ms",
          false,
          true);
    } catch (IOException e) {
      return new Pages(List.of(), "not a readable PDF: " + describe(e), false);
    } catch (OutOfMemoryError e) {
      return new Pages(List.of(), "the PDF needs more memory than is available", false, true);
    } catch (StackOverflowError e) {
      return new Pages(List.of(), "the PDF's structure is too deeply nested", false);
    } catch (RuntimeException e) {
      return new Pages(List.of(), "the PDF's structure is broken: " + describe(e), false);
    }
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return m.length() > 200 ? m.substring(0, 200) + "..." : m;
  }
}
