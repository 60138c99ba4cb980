package com.kontroltravel.oc.pdf.pdfbox.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;

/**
 * The glyphs of one page rebuilt into rows by position (not by the producer's drawing order), with
 * the places where labels occur, and the geometric queries the rules need: the value to the right
 * of a label (tolerating a baseline a couple of points off, skipping any distance to the first
 * glyph), values wrapped onto following lines, and the first line below a label.
 */
final class PageLayout {
  /** Glyphs closer than this (in points) vertically belong to the same row. */
  static final float ROW_TOLERANCE = 1.0f;

  private final int pageNumber;
  private final Glyph[] glyphs;
  private final List<Row> rows;
  private final boolean[] labelGlyph;

  /**
   * A row of glyphs on (nearly) one baseline, sorted by x, with its text and a map from text to
   * glyph.
   */
  record Row(float y, int[] glyphIndexes, String text, String folded, int[] charToSlot) {}

  /** A label found on the page. */
  record LabelHit(
      int row, int firstGlyph, int lastGlyph, float x, float endX, float y, float size) {}

  /**
   * A value found for a label on one line: its text, geometry for wrapped continuations, and how
   * sure its word breaks are.
   *
   * @param text the value, words separated where the content stream has space glyphs or the gap
   *     between glyphs is word-sized for their font
   * @param x left edge of the first glyph
   * @param endX right edge of the last glyph
   * @param y baseline of the first glyph
   * @param size font size of the first glyph
   * @param style the first glyph, whose font and size a continuation line must share
   * @param gapBreaks how many word breaks were judged from glyph gaps alone (no space glyph)
   * @param geometric a second reading from glyph positions alone (space glyphs ignored)
   */
  record Found(
      String text,
      float x,
      float endX,
      float y,
      float size,
      Glyph style,
      int gapBreaks,
      String geometric) {}

  PageLayout(int pageNumber, List<Glyph> pageGlyphs) {
    this.pageNumber = pageNumber;
    this.glyphs =
        pageGlyphs.stream()
            .sorted(Comparator.comparingDouble(Glyph::y).thenComparingDouble(Glyph::x))
            .toArray(Glyph[]::new);
    this.rows = buildRows();
    this.labelGlyph = new boolean[glyphs.length];
  }

  int pageNumber() {
    return pageNumber;
  }

  List<Row> rows() {
    return rows;
  }

  int glyphCount() {
    return glyphs.length;
  }

  private List<Row> buildRows() {
    List<Row> out = new ArrayList<>();
    int i = 0;
    while (i < glyphs.length) {
      float anchor = glyphs[i].y();
      int j = i;
      while (j < glyphs.length && glyphs[j].y() - anchor <= ROW_TOLERANCE) {
        j++;
      }
      List<Integer> idx = new ArrayList<>(j - i);
      for (int k = i; k < j; k++) {
        idx.add(k);
      }
      idx.sort(Comparator.comparingDouble(k -> glyphs[k].x()));
      out.add(makeRow(anchor, dedupe(idx)));
      i = j;
    }
    return out;
  }

  /** Drops glyphs drawn twice at the same place (fake bold, shadows). */
  private List<Integer> dedupe(List<Integer> idx) {
    List<Integer> out = new ArrayList<>(idx.size());
    Glyph prev = null;
    for (int k : idx) {
      Glyph g = glyphs[k];
      if (prev != null && prev.text().equals(g.text()) && isSamePlace(prev, g)) {
        continue;
      }
      out.add(k);
      prev = g;
    }
    return out;
  }

  private Row makeRow(float y, List<Integer> idx) {
    StringBuilder text = new StringBuilder();
    List<Integer> map = new ArrayList<>();
    Glyph prev = null;
    int slot = 0;
    int[] indexes = new int[idx.size()];
    for (int k : idx) {
      Glyph g = glyphs[k];
      if (prev != null && needsSpace(prev, g)) {
        text.append(' ');
        map.add(-1);
      }
      text.append(g.text());
      for (int c = 0; c < g.text().length(); c++) {
        map.add(slot);
      }
      indexes[slot++] = k;
      prev = g;
    }
    int[] charToSlot = map.stream().mapToInt(Integer::intValue).toArray();
    String t = text.toString();
    return new Row(y, indexes, t, Text.fold(t), charToSlot);
  }

  /** Two glyphs overlapping by more than half their width are the same glyph drawn twice. */
  static boolean isSamePlace(Glyph a, Glyph b) {
    return Math.abs(a.x() - b.x()) < 0.5f * Math.min(a.width(), b.width());
  }

  /**
   * A word break between two neighbouring glyphs: the content stream shows a space glyph between
   * them (whatever the geometry says), or the gap is word-sized.
   */
  static boolean needsSpace(Glyph prev, Glyph g) {
    return g.spaceBefore() || gapIsSpace(prev, g);
  }

  /**
   * Whether the gap alone reads as a word break: wider than the character spacing that follows
   * every glyph ({@code Tc}) plus half the font's own space width. Word spacing ({@code Tw}) only
   * widens space glyphs, which are honoured as such; where a producer positions words without space
   * glyphs, the gap measured is what it drew.
   */
  static boolean gapIsSpace(Glyph prev, Glyph g) {
    float gap = g.x() - prev.endX();
    float space = Math.min(prev.space(), g.space());
    return gap > prev.tc() + 0.5f * space;
  }

  /**
   * Every place of the label; rows without its literal (text every match contains) are skipped
   * without running its pattern.
   */
  List<LabelHit> find(Text.Label label) {
    List<LabelHit> hits = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      Row row = rows.get(r);
      if (!row.folded().contains(label.literal())) {
        continue;
      }
      Matcher m = label.pattern().matcher(row.folded());
      while (m.find()) {
        int a = firstSlot(row, m.start(), m.end());
        int b = lastSlot(row, m.start(), m.end());
        if (a < 0 || b < 0) {
          continue;
        }
        Glyph ga = glyphs[row.glyphIndexes()[a]];
        Glyph gb = glyphs[row.glyphIndexes()[b]];
        hits.add(new LabelHit(r, a, b, ga.x(), gb.endX(), ga.y(), ga.size()));
      }
    }
    return hits;
  }

  void markLabel(LabelHit hit) {
    Row row = rows.get(hit.row());
    for (int s = hit.firstGlyph(); s <= hit.lastGlyph(); s++) {
      labelGlyph[row.glyphIndexes()[s]] = true;
    }
  }

  /** True when nothing else sits on the label's row within a couple of ems of it. */
  boolean standsAlone(LabelHit hit) {
    Row row = rows.get(hit.row());
    int[] idx = row.glyphIndexes();
    float margin = 2f * hit.size();
    for (int s = 0; s < idx.length; s++) {
      if (s >= hit.firstGlyph() && s <= hit.lastGlyph()) {
        continue;
      }
      Glyph g = glyphs[idx[s]];
      if (g.endX() > hit.x() - margin && g.x() < hit.endX() + margin) {
        return false;
      }
    }
    return true;
  }

  private static int firstSlot(Row row, int start, int end) {
    for (int c = start; c < end; c++) {
      if (row.charToSlot()[c] >= 0) {
        return row.charToSlot()[c];
      }
    }
    return -1;
  }

  private static int lastSlot(Row row, int start, int end) {
    for (int c = end - 1; c >= start; c--) {
      if (row.charToSlot()[c] >= 0) {
        return row.charToSlot()[c];
      }
    }
    return -1;
  }

  static float baselineTolerance(float size) {
    return Math.max(2.5f, 0.3f * size);
  }

  /**
   * The value to the right of a label: glyphs whose baseline is within the tolerance of the
   * label's, from the first one right of the label (at any distance) until a gap wider than {@code
   * maxGapEm} ems or another label.
   */
  Found rightOf(LabelHit hit, float maxGapEm) {
    float tol = baselineTolerance(hit.size());
    float minX = hit.endX() - 0.2f * hit.size();
    List<Glyph> candidates = new ArrayList<>();
    List<Boolean> isLabel = new ArrayList<>();
    Row own = rows.get(hit.row());
    for (int k = lowerBound(hit.y() - tol);
        k < glyphs.length && glyphs[k].y() <= hit.y() + tol;
        k++) {
      Glyph g = glyphs[k];
      if (g.x() < minX || isOwnLabelGlyph(own, hit, k)) {
        continue;
      }
      candidates.add(g);
      isLabel.add(labelGlyph[k]);
    }
    Integer[] order = new Integer[candidates.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparingDouble(i -> candidates.get(i).x()));
    List<Glyph> value = new ArrayList<>();
    for (int i : order) {
      Glyph g = candidates.get(i);
      if (isLabel.get(i)) {
        break;
      }
      if (!value.isEmpty()) {
        Glyph prev = value.get(value.size() - 1);
        if (prev.text().equals(g.text()) && isSamePlace(prev, g)) {
          continue;
        }
        if (g.x() - prev.endX() > maxGapEm * Math.max(prev.size(), g.size())) {
          break;
        }
      }
      value.add(g);
    }
    return found(value);
  }

  private boolean isOwnLabelGlyph(Row own, LabelHit hit, int k) {
    for (int s = hit.firstGlyph(); s <= hit.lastGlyph(); s++) {
      if (own.glyphIndexes()[s] == k) {
        return true;
      }
    }
    return false;
  }

  /**
   * The continuation of a wrapped value: the next line, in the value's font and size, whose text
   * starts where the value started (a value column) or, for a value right of its label, where the
   * label started (label and value wrapping in one table cell), with nothing between the label's
   * left edge and that start. The line is read up to a wide gap or a label.
   */
  Found continuation(LabelHit hit, Found previous, float maxGapEm, boolean underLabelToo) {
    float size = previous.size();
    float xTol = Math.max(3f, 0.4f * size);
    Glyph start = null;
    int startIndex = -1;
    for (int k = lowerBound(previous.y() + 0.6f * size);
        k < glyphs.length && glyphs[k].y() <= previous.y() + 1.7f * size;
        k++) {
      Glyph g = glyphs[k];
      if (labelGlyph[k] || !g.sameStyle(previous.style())) {
        continue;
      }
      boolean underValue = Math.abs(g.x() - previous.x()) <= xTol;
      boolean underLabel = underLabelToo && Math.abs(g.x() - hit.x()) <= xTol;
      if ((underValue || underLabel)
          && (start == null
              || g.y() < start.y() - ROW_TOLERANCE
              || (Math.abs(g.y() - start.y()) <= ROW_TOLERANCE && g.x() < start.x()))) {
        start = g;
        startIndex = k;
      }
    }
    if (start == null) {
      return null;
    }
    float tol = baselineTolerance(size);
    for (int k = lowerBound(start.y() - tol);
        k < glyphs.length && glyphs[k].y() <= start.y() + tol;
        k++) {
      Glyph g = glyphs[k];
      if (k != startIndex && g.endX() > hit.x() - 2f && g.x() < start.x() - 1f) {
        return null; // something (probably another label) sits left of it: not a continuation
      }
    }
    return lineFrom(start, maxGapEm);
  }

  /** The glyphs on {@code start}'s line from it rightwards, up to a wide gap or a label. */
  private Found lineFrom(Glyph start, float maxGapEm) {
    float tol = ROW_TOLERANCE;
    List<Integer> row = new ArrayList<>();
    for (int k = lowerBound(start.y() - tol);
        k < glyphs.length && glyphs[k].y() <= start.y() + tol;
        k++) {
      if (glyphs[k].x() >= start.x() - 0.5f) {
        row.add(k);
      }
    }
    row.sort(Comparator.comparingDouble(k -> glyphs[k].x()));
    List<Glyph> value = new ArrayList<>();
    for (int k : row) {
      Glyph g = glyphs[k];
      if (labelGlyph[k] && !value.isEmpty()) {
        break;
      }
      if (!value.isEmpty() && g.x() - value.get(value.size() - 1).endX() > maxGapEm * g.size()) {
        break;
      }
      value.add(g);
    }
    return found(value);
  }

  /**
   * The first line below a label whose text starts between the label's left edge (less a margin)
   * and its right edge, within {@code maxLines} line heights.
   */
  Found below(LabelHit hit, float maxGapEm, float maxLines) {
    float size = hit.size();
    float margin = Math.max(10f, size);
    Glyph start = null;
    for (int k = lowerBound(hit.y() + 0.6f * size);
        k < glyphs.length && glyphs[k].y() <= hit.y() + maxLines * 1.6f * size;
        k++) {
      Glyph g = glyphs[k];
      if (g.x() >= hit.x() - margin && g.x() <= hit.endX() && !labelGlyph[k]) {
        start = g;
        break;
      }
    }
    if (start == null) {
      return null;
    }
    float tol = 1.0f;
    List<Glyph> row = new ArrayList<>();
    List<Boolean> lab = new ArrayList<>();
    for (int k = lowerBound(start.y() - tol);
        k < glyphs.length && glyphs[k].y() <= start.y() + tol;
        k++) {
      if (glyphs[k].x() >= start.x() - 0.5f) {
        row.add(glyphs[k]);
        lab.add(labelGlyph[k]);
      }
    }
    Integer[] order = new Integer[row.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparingDouble(i -> row.get(i).x()));
    List<Glyph> value = new ArrayList<>();
    for (int i : order) {
      Glyph g = row.get(i);
      if (lab.get(i)) {
        break;
      }
      if (!value.isEmpty() && g.x() - value.get(value.size() - 1).endX() > maxGapEm * g.size()) {
        break;
      }
      value.add(g);
    }
    return found(value);
  }

  private static Found found(List<Glyph> value) {
    if (value.isEmpty()) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    StringBuilder geometric = new StringBuilder();
    Glyph prev = null;
    int gapBreaks = 0;
    for (Glyph g : value) {
      if (prev != null) {
        boolean byGap = gapIsSpace(prev, g);
        if (g.spaceBefore() || byGap) {
          b.append(' ');
          if (!g.spaceBefore()) {
            gapBreaks++;
          }
        }
        if (byGap) {
          geometric.append(' ');
        }
      }
      b.append(g.text());
      geometric.append(g.text());
      prev = g;
    }
    Glyph first = value.get(0);
    return new Found(
        Text.squash(b.toString()),
        first.x(),
        prev.endX(),
        first.y(),
        first.size(),
        first,
        gapBreaks,
        Text.squash(geometric.toString()));
  }

  private int lowerBound(float y) {
    int lo = 0;
    int hi = glyphs.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (glyphs[mid].y() < y) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The page's text, row by row, for searching free-form documents. */
  String plainText() {
    StringBuilder b = new StringBuilder();
    for (Row r : rows) {
      b.append(r.text()).append('\n');
    }
    return b.toString();
  }
}
