package com.kontroltravel.oc.bench;

import com.kontroltravel.oc.model.ParseResult;
import com.kontroltravel.oc.pdf.pdfbox.PdfBoxReservationParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Measures the first parse in a fresh JVM: forks {@code java} N times; each child creates the
 * parser and parses one confirmation, and reports (a) the time from before {@code create()} to the
 * result and (b) the JVM uptime at that point. The parent also reports the wall time of each child
 * process, and {@code pdftotext -layout} wall time on the same files for comparison. Prints
 * medians.
 *
 * <pre>
 * java -cp oc-bench/target/classes:$(cat oc-bench/target/cp.txt) com.kontroltravel.oc.bench.FirstParseDriver 20
 * java -cp ... com.kontroltravel.oc.bench.FirstParseDriver 20 -XX:TieredStopAtLevel=1
 * </pre>
 */
public final class FirstParseDriver {
  private FirstParseDriver() {}

  /**
   * Child mode: {@code --child FILE}; parent mode: {@code [RUNS [JVM-OPTION...]]} (options for the
   * children).
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("--child")) {
      child(Path.of(args[1]));
      return;
    }
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Path corpus = ParseBenchmark.corpus();
    List<Path> files = new ArrayList<>();
    List<List<Path>> perProducer = new ArrayList<>();
    for (String dir : List.of("pdfbox", "chromium", "hiqpdf")) {
      try (var s = Files.list(corpus.resolve(dir))) {
        perProducer.add(s.filter(p -> p.toString().endsWith(".pdf")).sorted().toList());
      }
    }
    // Rotate over the producers: run i reads file i / 3 of producer i % 3.
    for (int i = 0; i < runs; i++) {
      List<Path> producer = perProducer.get(i % perProducer.size());
      files.add(producer.get((i / perProducer.size()) % producer.size()));
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    List<Double> firstParse = new ArrayList<>();
    List<Double> uptime = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    List<Double> wall = new ArrayList<>();
    List<Double> poppler = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      Path f = files.get(i % files.size());
      long t0 = System.nanoTime();
      Process p =
          new ProcessBuilder(
                  java,
                  "-Xmx256m",
                  "-cp",
                  cp,
                  FirstParseDriver.class.getName(),
                  "--child",
                  f.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("child failed: " + out);
      }
      wall.add((System.nanoTime() - t0) / 1e6);
      String last =
          out.lines()
              .filter(l -> l.startsWith("first-parse-ms="))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no result from child: " + out));
      String[] kv = last.split(" ");
      firstParse.add(Double.parseDouble(kv[0].substring("first-parse-ms=".length())));
      uptime.add(Double.parseDouble(kv[1].substring("uptime-ms=".length())));
      cpu.add(Double.parseDouble(kv[2].substring("cpu-ms=".length())));
      poppler.add(pdftotext(f));
    }
    System.out.printf(
        Locale.ROOT,
        "runs=%d%nfirst parse in fresh JVM (create + parse), median ms: %.0f (min %.0f, max %.0f)%n"
            + "JVM uptime at first result, median ms: %.0f%nchild process wall time, median ms: %.0f%n"
            + "child JVM CPU time (all threads) at first result, median ms: %.0f%n"
            + "pdftotext -layout process wall time, median ms: %.1f%n",
        runs,
        median(firstParse),
        Collections.min(firstParse),
        Collections.max(firstParse),
        median(uptime),
        median(wall),
        median(cpu),
        median(poppler));
  }

  private static void child(Path file) throws IOException {
    long t0 = System.nanoTime();
    byte[] doc = Files.readAllBytes(file);
    ParseResult r = PdfBoxReservationParser.create().parse(doc);
    double ms = (System.nanoTime() - t0) / 1e6;
    if (!r.isClean()) {
      throw new IllegalStateException("not clean: " + r.problems());
    }
    long up = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
    // CPU time of the whole JVM so far (all threads: class loading, JIT, GC): a figure a busy
    // machine does not inflate the way it inflates wall time.
    long cpuNanos =
        ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    System.out.printf(
        Locale.ROOT, "first-parse-ms=%.1f uptime-ms=%d cpu-ms=%.0f%n", ms, up, cpuNanos / 1e6);
  }

  private static double pdftotext(Path f) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder("pdftotext", "-layout", f.toString(), "-")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("pdftotext failed on " + f);
    }
    return (System.nanoTime() - t0) / 1e6;
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
