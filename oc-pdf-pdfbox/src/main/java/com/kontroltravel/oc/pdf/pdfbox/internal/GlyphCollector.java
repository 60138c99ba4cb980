package com.kontroltravel.oc.pdf.pdfbox.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * Collects every glyph PDFBox shows, page by page, without trusting the producer's text order.
 * Stops with an {@link InterruptedIOException} when the thread is interrupted, the deadline passes
 * or too many glyphs are shown.
 */
final class GlyphCollector extends PDFTextStripper {
  static final int MAX_GLYPHS_PER_PAGE = 200_000;

  private final long deadlineNanos;
  private final List<List<Glyph>> pages = new ArrayList<>();
  private int operators;

  GlyphCollector(long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
    setSortByPosition(false);
    setSuppressDuplicateOverlappingText(true);
  }

  static List<List<Glyph>> collect(PDDocument document, long deadlineNanos) throws IOException {
    GlyphCollector collector = new GlyphCollector(deadlineNanos);
    collector.writeText(document, Writer.nullWriter());
    return collector.pages;
  }

  @Override
  protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
    // Checked every few operators: cheap, and it makes a hostile content stream cancellable.
    if ((++operators & 0xFF) == 0) {
      checkBudget();
    }
    super.processOperator(operator, operands);
  }

  private void checkBudget() throws InterruptedIOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("interrupted");
    }
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new InterruptedIOException("time limit exceeded");
    }
  }

  @Override
  protected void writePage() throws IOException {
    checkBudget();
    List<Glyph> glyphs = new ArrayList<>();
    for (List<TextPosition> article : getCharactersByArticle()) {
      for (TextPosition p : article) {
        if (glyphs.size() >= MAX_GLYPHS_PER_PAGE) {
          break;
        }
        Glyph g = toGlyph(p);
        if (g != null) {
          glyphs.add(g);
        }
      }
    }
    pages.add(glyphs);
  }

  private static Glyph toGlyph(TextPosition p) {
    String text = p.getUnicode();
    if (text == null || text.isBlank()) {
      return null;
    }
    float x = p.getXDirAdj();
    float y = p.getYDirAdj();
    float w = p.getWidthDirAdj();
    float size = p.getFontSizeInPt();
    if (!(size > 0.5f) || size > 500f) {
      size = Math.max(1f, Math.abs(p.getHeightDir()));
    }
    if (!Float.isFinite(x) || !Float.isFinite(y) || !Float.isFinite(w) || !Float.isFinite(size)) {
      return null;
    }
    if (!(w > 0)) {
      w = size * 0.5f;
    }
    return new Glyph(text, x, y, w, size);
  }
}
