package com.kontroltravel.oc.examples;

import java.io.PrintWriter;

/**
 * Progress of a long operation: a bar redrawn in place on a terminal, plain lines otherwise (logs,
 * pipes, CI).
 */
final class Progress {
  private static final int WIDTH = 30;
  private final PrintWriter out;
  private final boolean terminal;
  private final String label;
  private final int total;
  private int lastPlainPercent = -1;

  Progress(PrintWriter out, boolean terminal, String label, int total) {
    this.out = out;
    this.terminal = terminal;
    this.label = label;
    this.total = Math.max(total, 1);
  }

  /** True when standard output is an interactive terminal. */
  static boolean isTerminal() {
    return System.console() != null;
  }

  /** Reports {@code done} of the total, with a short detail. */
  void update(int done, String detail) {
    int percent = (int) Math.min(100, (100L * done) / total);
    if (terminal) {
      int filled = WIDTH * percent / 100;
      out.print(
          "\r"
              + label
              + " ["
              + "#".repeat(filled)
              + ".".repeat(WIDTH - filled)
              + "] "
              + String.format("%3d%%", percent)
              + " "
              + detail
              + "\u001b[K");
      out.flush();
    } else if (percent / 10 != lastPlainPercent / 10 || done >= total) {
      lastPlainPercent = percent;
      out.println(label + ": " + done + "/" + total + " (" + percent + "%) " + detail);
      out.flush();
    }
  }

  /** Prints a line without breaking the bar. */
  void line(String text) {
    if (terminal) {
      out.print("\r\u001b[K");
    }
    out.println(text);
    out.flush();
  }

  /** Ends the bar. */
  void finish() {
    if (terminal) {
      out.println();
      out.flush();
    }
  }
}
