package com.kontroltravel.oc.pdf.pdfbox.internal;

/**
 * One positioned character run (usually one character) on a page, in top-down page coordinates.
 *
 * @param text the Unicode text of the glyph
 * @param x left edge
 * @param y baseline, measured from the top of the page
 * @param width advance width
 * @param size font size in points
 */
record Glyph(String text, float x, float y, float width, float size) {
  float endX() {
    return x + width;
  }
}
