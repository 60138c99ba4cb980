package com.kontroltravel.oc.examples;

import com.kontroltravel.oc.DailyCount;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The dashboard's chart of the last days, drawn on the server as SVG (the pages run no script): one
 * line per series (tracked, requested, received), a horizontal grid, and a date under every fifth
 * day. Only numbers reach the SVG; the template adds the labels, escaped.
 */
final class AdminChart {
  static final int WIDTH = 640;
  static final int HEIGHT = 180;
  static final int LEFT = 34;
  static final int RIGHT = 24;
  static final int TOP = 10;
  static final int BOTTOM = 24;

  /** A series' line and its points. */
  record Series(String css, String points, List<Dot> dots) {}

  /** One point with its value (shown as a tooltip). */
  record Dot(String x, String y, String title) {}

  /** A grid line with its value. */
  record Tick(String y, String labelY, long value) {}

  /** A day label. */
  record DayLabel(String x, String text) {}

  /** The chart's view model. */
  record Chart(
      int width,
      int height,
      String viewBox,
      List<Series> series,
      List<Tick> ticks,
      List<DayLabel> days,
      long total,
      String plotRight,
      String baseline) {}

  private AdminChart() {}

  static Chart of(List<DailyCount> data) {
    long max = 1;
    long total = 0;
    for (DailyCount d : data) {
      max = Math.max(max, Math.max(d.tracked(), Math.max(d.requested(), d.received())));
      total += d.tracked() + d.requested() + d.received();
    }
    long step = niceStep(max);
    long top = ((max + step - 1) / step) * step;
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
    int n = data.size();
    List<Tick> ticks = new ArrayList<>();
    for (long v = 0; v <= top; v += step) {
      double y = TOP + plotH - plotH * v / top;
      ticks.add(new Tick(num(y), num(y + 4), v));
    }
    List<DayLabel> days = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if ((n - 1 - i) % 5 == 0) {
        days.add(new DayLabel(num(x(i, n, plotW)), data.get(i).day().toString().substring(5)));
      }
    }
    List<Series> series = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      StringBuilder points = new StringBuilder();
      List<Dot> dots = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        DailyCount d = data.get(i);
        long v = s == 0 ? d.tracked() : s == 1 ? d.requested() : d.received();
        double x = x(i, n, plotW);
        double y = TOP + plotH - plotH * v / top;
        points.append(points.length() == 0 ? "" : " ").append(num(x)).append(',').append(num(y));
        dots.add(new Dot(num(x), num(y), d.day() + ": " + v));
      }
      series.add(
          new Series(
              s == 0 ? "c-tracked" : s == 1 ? "c-requested" : "c-received",
              points.toString(),
              dots));
    }
    return new Chart(
        WIDTH,
        HEIGHT,
        "0 0 " + WIDTH + " " + HEIGHT,
        series,
        ticks,
        days,
        total,
        Integer.toString(WIDTH - RIGHT),
        num(TOP + plotH));
  }

  private static double x(int i, int n, double plotW) {
    return LEFT + (n <= 1 ? plotW / 2 : plotW * i / (n - 1));
  }

  /** 1, 2 or 5 times a power of ten, giving at most five grid lines. */
  static long niceStep(long max) {
    long p = 1;
    while (true) {
      for (long m : new long[] {1, 2, 5}) {
        if (max / (m * p) <= 4) {
          return m * p;
        }
      }
      p *= 10;
    }
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
