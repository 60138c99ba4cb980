package com.kontroltravel.oc.pdf.pdfbox.internal;

/**
 * One positioned character run (usually one character) on a page, in top-down page coordinates
 * (points, whatever the text, form and page matrices were).
 *
 * @param text the Unicode text of the glyph (never blank: space glyphs become {@code spaceBefore})
 * @param x left edge
 * @param y baseline, measured from the top of the page
 * @param width advance width (without character spacing)
 * @param size font size on the page, in points (the font size times the text, form and page
 *     scaling)
 * @param space the width of the font's space glyph on the page, in points (from the font's own
 *     metrics, kept within 0.1-0.6 em)
 * @param tc the character spacing ({@code Tc}) added after this glyph, on the page, in points
 * @param spaceBefore true when the content stream shows a space glyph just before this glyph on the
 *     same line
 * @param font the font's name, to tell a bold label from its regular value
 */
record Glyph(
    String text,
    float x,
    float y,
    float width,
    float size,
    float space,
    float tc,
    boolean spaceBefore,
    String font) {
  float endX() {
    return x + width;
  }

  /** Same font at (nearly) the same size: the same text style. */
  boolean sameStyle(Glyph o) {
    return java.util.Objects.equals(font, o.font) && Math.abs(size - o.size) <= 0.1f * size;
  }
}
