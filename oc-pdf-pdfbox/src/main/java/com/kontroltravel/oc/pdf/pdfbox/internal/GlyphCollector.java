package com.kontroltravel.oc.pdf.pdfbox.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * Collects every glyph PDFBox shows, page by page, without trusting the producer's text order.
 * Stops with an {@link InterruptedIOException} when the thread is interrupted, the deadline passes
 * or too many glyphs are shown.
 *
 * <p>Besides position and size, each glyph keeps what word-gap judgement needs: whether the content
 * stream shows a space glyph right before it (space glyphs themselves are not kept as glyphs), the
 * width of its font's space and the character spacing ({@code Tc}) in force, both scaled to the
 * page. Sizes are taken from the full text rendering matrix (font size, text matrix, Form XObject
 * matrices and CTM), not from the text matrix alone, so text drawn in scaled forms has its real
 * size.
 */
final class GlyphCollector extends PDFTextStripper {
  static final int MAX_GLYPHS_PER_PAGE = 200_000;

  private final long deadlineNanos;
  private final List<List<Glyph>> pages = new ArrayList<>();
  private final Map<TextPosition, Float> charSpacing = new IdentityHashMap<>();
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
    // Always before drawing an XObject: each draw of a form decodes and interprets its stream
    // again, so a page drawing a big form many times is a lot of work behind few operators.
    if ((++operators & 0xFF) == 0 || "Do".equals(operator.getName())) {
      checkBudget();
    }
    super.processOperator(operator, operands);
  }

  /**
   * PDFBox forgives any failure inside a drawn XObject ({@code Do}) and goes on with the next
   * operator; a stop for time or interruption must not be forgiven, or a page drawing a heavy form
   * many times keeps the worker busy long after the caller gave up.
   */
  @Override
  protected void operatorException(Operator operator, List<COSBase> operands, IOException e)
      throws IOException {
    if (e instanceof InterruptedIOException) {
      throw e;
    }
    super.operatorException(operator, operands, e);
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
  protected void processTextPosition(TextPosition text) {
    // The character spacing in force when this glyph is shown, in unscaled text space units.
    if (charSpacing.size() < MAX_GLYPHS_PER_PAGE) {
      float tc = getGraphicsState().getTextState().getCharacterSpacing();
      if (tc != 0f) {
        charSpacing.put(text, tc);
      }
    }
    super.processTextPosition(text);
  }

  @Override
  protected void writePage() throws IOException {
    checkBudget();
    List<Glyph> glyphs = new ArrayList<>();
    TextPosition pendingSpace = null;
    for (List<TextPosition> article : getCharactersByArticle()) {
      for (TextPosition p : article) {
        if (glyphs.size() >= MAX_GLYPHS_PER_PAGE) {
          break;
        }
        String unicode = p.getUnicode();
        if (unicode == null || unicode.isEmpty()) {
          continue; // a glyph without text (no Unicode mapping): neither a letter nor a space
        }
        if (isSpace(unicode)) {
          pendingSpace = p;
          continue;
        }
        Glyph g = toGlyph(p, pendingSpace != null && follows(pendingSpace, p));
        pendingSpace = null;
        if (g != null) {
          glyphs.add(g);
        }
      }
    }
    charSpacing.clear();
    pages.add(glyphs);
  }

  /** True for a space glyph: its text is only white space (no-break spaces included). */
  static boolean isSpace(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c) && c != '\u00A0' && c != '\u2007' && c != '\u202F') {
        return false;
      }
    }
    return true;
  }

  /** True when glyph {@code p}, shown right after space glyph {@code s}, is on its line. */
  private static boolean follows(TextPosition s, TextPosition p) {
    float tol = Math.max(1f, 0.3f * Math.abs(p.getHeightDir()));
    return Math.abs(s.getYDirAdj() - p.getYDirAdj()) <= tol
        && p.getXDirAdj() >= s.getXDirAdj() - tol;
  }

  private Glyph toGlyph(TextPosition p, boolean spaceBefore) {
    String text = p.getUnicode();
    float x = p.getXDirAdj();
    float y = p.getYDirAdj();
    float w = p.getWidthDirAdj();
    // The size on the page: the text rendering matrix includes the font size, the text matrix,
    // and every form and page transformation.
    float size = Math.abs(p.getTextMatrix().getScalingFactorY());
    if (!(size > 0.5f) || size > 500f) {
      size = p.getFontSizeInPt();
    }
    if (!(size > 0.5f) || size > 500f) {
      size = Math.max(1f, Math.abs(p.getHeightDir()));
    }
    if (!Float.isFinite(x) || !Float.isFinite(y) || !Float.isFinite(w) || !Float.isFinite(size)) {
      return null;
    }
    if (!(w > 0)) {
      w = size * 0.5f;
    }
    // The font's own space width (PDFBox reads it from the font: ToUnicode space mapping, code 32
    // or the average width), kept within sensible bounds for broken fonts.
    float space = p.getWidthOfSpace();
    if (!(space >= 0.1f * size) || space > 0.6f * size) {
      space = Float.isFinite(space) && space > 0.6f * size ? 0.6f * size : 0.25f * size;
    }
    float tc = 0f;
    Float rawTc = charSpacing.get(p);
    float fontSize = p.getFontSize();
    if (rawTc != null && fontSize != 0f) {
      // Tc is in unscaled text space units: scale it like the glyphs (Th, Tm, forms, CTM).
      tc = rawTc * Math.abs(p.getTextMatrix().getScalingFactorX() / fontSize);
      if (!Float.isFinite(tc) || Math.abs(tc) > size) {
        tc = 0f;
      }
    }
    String font = p.getFont() == null ? null : p.getFont().getName();
    return new Glyph(text, x, y, w, size, space, tc, spaceBefore, font);
  }
}
