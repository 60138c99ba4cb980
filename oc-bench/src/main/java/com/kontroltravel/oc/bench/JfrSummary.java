package com.kontroltravel.oc.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU went in a Java Flight Recording of {@link MailStackBenchmark}: execution samples
 * counted by engine thread (inbound, dispatch, follow-up, parser pool, ...) and by what the sampled
 * code was doing (PDF parsing, SQLite, TLS, SMTP, IMAP, MIME, templates, logging, ...). The
 * activity is the first known library or project package met walking the stack from its top, so TLS
 * inside SMTP counts as TLS, and SQLite inside a unit of work as SQLite.
 *
 * <p>Only samples between the two instants (epoch milliseconds; {@link MailStackBenchmark} prints
 * them as its {@code WINDOW} line) are counted, and never the driver's own {@code main} thread.
 *
 * <pre>java -cp ... com.kontroltravel.oc.bench.JfrSummary recording.jfr [fromMillis toMillis]</pre>
 */
public final class JfrSummary {
  private static final String[][] ACTIVITIES = {
    {"org.apache.pdfbox.", "PDF parsing (PDFBox)"},
    {"org.apache.fontbox.", "PDF parsing (PDFBox)"},
    {"com.kontroltravel.oc.pdf.", "PDF parsing (our reader)"},
    {"org.sqlite.", "SQLite (driver, native calls)"},
    {"com.zaxxer.hikari.", "JDBC pool"},
    {"com.kontroltravel.oc.store.jdbc.", "store (our JDBC code)"},
    {"sun.security.", "TLS and crypto"},
    {"javax.crypto.", "TLS and crypto"},
    {"com.sun.crypto.", "TLS and crypto"},
    {"org.eclipse.angus.mail.smtp.", "SMTP protocol"},
    {"org.eclipse.angus.mail.imap.", "IMAP protocol"},
    {"org.eclipse.angus.mail.iap.", "IMAP protocol"},
    {"jakarta.mail.", "MIME (Jakarta Mail)"},
    {"org.eclipse.angus.mail.", "MIME (Jakarta Mail)"},
    {"jakarta.activation.", "MIME (Jakarta Mail)"},
    {"com.kontroltravel.oc.mail.", "mail gateway (our code)"},
    {"com.samskivert.mustache.", "templates (JMustache)"},
    {"org.slf4j.", "logging"},
    {"com.kontroltravel.oc.", "engine (oc-core)"},
    {"java.util.regex.", "regex (JDK)"},
    {"java.util.zip.", "zip/deflate (JDK)"},
    {"sun.nio.", "I/O (JDK)"},
    {"java.io.", "I/O (JDK)"},
    {"java.net.", "I/O (JDK)"},
  };

  private static final java.util.Set<String> WAITS =
      java.util.Set.of(
          "jdk.SocketRead",
          "jdk.SocketWrite",
          "jdk.FileRead",
          "jdk.FileWrite",
          "jdk.FileForce",
          "jdk.ThreadPark",
          "jdk.JavaMonitorEnter",
          "jdk.JavaMonitorWait",
          "jdk.ThreadSleep");

  private JfrSummary() {}

  public static void main(String[] args) throws Exception {
    Map<String, Long> byThread = new HashMap<>();
    Map<String, Long> byActivity = new HashMap<>();
    Map<String, Long> byBoth = new HashMap<>();
    long total = 0;
    long from = args.length > 2 ? Long.parseLong(args[1]) : Long.MIN_VALUE;
    long to = args.length > 2 ? Long.parseLong(args[2]) : Long.MAX_VALUE;
    Map<String, Long> waits = new HashMap<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      String type = e.getEventType().getName();
      if (WAITS.contains(type)) {
        long at = e.getStartTime().toEpochMilli();
        RecordedThread t = e.getThread();
        String thread = t == null ? "?" : fold(t.getJavaName());
        if (at >= from && at <= to && thread.startsWith("oc-")) {
          waits.merge(
              thread + "  /  " + type.substring(4) + "  in " + firstOwnFrame(e.getStackTrace()),
              e.getDuration().toMillis(),
              Long::sum);
        }
        continue;
      }
      if (!type.equals("jdk.ExecutionSample")) {
        continue;
      }
      long at = e.getStartTime().toEpochMilli();
      RecordedThread t = e.getThread("sampledThread");
      String thread = t == null ? "?" : fold(t.getJavaName());
      if (at < from || at > to || thread.equals("main")) {
        continue;
      }
      String activity = activity(e.getStackTrace());
      byThread.merge(thread, 1L, Long::sum);
      byActivity.merge(activity, 1L, Long::sum);
      byBoth.merge(thread + "  /  " + activity, 1L, Long::sum);
      total++;
    }
    System.out.printf(
        Locale.ROOT,
        "execution samples: %d (engine threads in the measured window; Java code only, JIT and GC"
            + " not sampled)%n",
        total);
    print("by thread", byThread, total, 12);
    print("by activity (top of stack)", byActivity, total, 20);
    print("by thread / activity", byBoth, total, 25);
    System.out.println(
        "-- time the engine threads spent blocked, ms (JFR records only waits over its threshold,"
            + " 10-20 ms with settings=profile)");
    List<Map.Entry<String, Long>> w = new ArrayList<>(waits.entrySet());
    w.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    for (Map.Entry<String, Long> e : w.subList(0, Math.min(20, w.size()))) {
      System.out.printf(Locale.ROOT, "%8d  %s%n", e.getValue(), e.getKey());
    }
  }

  private static String fold(String name) {
    return name == null ? "?" : name.replaceAll("-\\d+$", "-N").replaceAll("\\d+", "N");
  }

  private static String activity(RecordedStackTrace stack) {
    if (stack == null) {
      return "(no stack)";
    }
    for (RecordedFrame f : stack.getFrames()) {
      if (f.getMethod() == null || f.getMethod().getType() == null) {
        continue;
      }
      String type = f.getMethod().getType().getName();
      for (String[] a : ACTIVITIES) {
        if (type.startsWith(a[0])) {
          return a[1];
        }
      }
    }
    return "other JDK";
  }

  /** The innermost frame of our code or of a library we call (where the wait comes from). */
  private static String firstOwnFrame(RecordedStackTrace stack) {
    if (stack == null) {
      return "?";
    }
    for (RecordedFrame f : stack.getFrames()) {
      if (f.getMethod() == null || f.getMethod().getType() == null) {
        continue;
      }
      String type = f.getMethod().getType().getName();
      if (type.startsWith("com.kontroltravel.")
          || type.startsWith("com.zaxxer.")
          || type.startsWith("org.sqlite.")
          || type.startsWith("org.eclipse.angus.")) {
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
      }
    }
    return "JDK";
  }

  private static void print(String title, Map<String, Long> counts, long total, int max) {
    System.out.println("-- " + title);
    List<Map.Entry<String, Long>> l = new ArrayList<>(counts.entrySet());
    l.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    for (Map.Entry<String, Long> e : l.subList(0, Math.min(max, l.size()))) {
      System.out.printf(
          Locale.ROOT, "%6d %5.1f%%  %s%n", e.getValue(), 100.0 * e.getValue() / total, e.getKey());
    }
  }
}
