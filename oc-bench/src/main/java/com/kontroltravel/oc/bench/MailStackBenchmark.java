package com.kontroltravel.oc.bench;

import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.examples.DemoPdfs;
import com.kontroltravel.oc.examples.OcApplication;
import com.kontroltravel.oc.examples.RunnerSettings;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.spi.StoreTransaction;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;

/**
 * End-to-end throughput of the runner's engine on a real mail server: Dovecot (IMAPS) and Postfix
 * (submission with STARTTLS and AUTH) on loopback, started by {@code oc-bench/mailstack/up.sh}. The
 * engine is wired exactly as {@code oc-runner run} wires it ({@link OcApplication#open}) on a fresh
 * SQLite file; the driver puts N confirmation PDFs into the monitored mailbox at once (Postfix's
 * unauthenticated port, one SMTP session) and waits until every OC request has been delivered to
 * the agencies' maildirs.
 *
 * <p>It prints: injection to last request delivered (bookings a second end to end), the recording
 * rate (injection to last inbound row, from the store's timestamps), the sending rate (first to
 * last request sent, from the outbox), the engine's CPU time (the process's minus the injecting
 * thread's) and heap, the CPU time of each engine thread (where the time goes), and the machine's
 * speed before each round (a fixed SHA-256 task's time, and the CPU stolen by the hypervisor). With
 * {@code --tracked N} it instead measures the steady heap of an engine tracking N bookings.
 *
 * <pre>
 * java -Djavax.net.ssl.trustStore=STATE/truststore.p12 -Djavax.net.ssl.trustStorePassword=changeit \
 *   -cp ... com.kontroltravel.oc.bench.MailStackBenchmark [--n 200] [--state /tmp/ocbench-mail]
 *   [--work DIR] [--tracked 100000]
 * </pre>
 *
 * Needs root (or the {@code vmail} user) to read the maildirs under the state directory.
 */
public final class MailStackBenchmark {
  private static final String HOST = "127.0.0.1";
  private static final String MONITORED = "seguimiento@kontrol.test";
  private static final String BOOKING_SYSTEM = "reservas@hotelsales.test";
  private static final String PASSWORD = "secret";
  private static final int LMTP_PORT = 10024;
  private static final ZoneId ZONE = ZoneId.of("America/Santiago");

  /** A Tuesday morning in office hours (no Chilean holiday), so requests go out at once. */
  private static final ZonedDateTime OFFICE_MORNING =
      ZonedDateTime.of(2027, 3, 2, 10, 0, 0, 0, ZONE);

  /** Agency name in the PDF, its contact: a mailbox on the stack. */
  private static final String[][] AGENCIES = {
    {"Walvis Viajes S.A.", "contacto@walvis.test"},
    {"Turismo Tour Ltda.", "contacto@turismotour.test"},
    {"CAJA 18", "contacto@caja18.test"},
    {"Ministerio de Educacion", "oc@mineduc.test"},
  };

  private MailStackBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = options(args);
    Path state = Path.of(opts.getOrDefault("state", "/tmp/ocbench-mail"));
    Path work =
        opts.containsKey("work")
            ? Path.of(opts.get("work"))
            : Files.createTempDirectory("oc-mailstack-bench");
    Files.createDirectories(work);
    PrintStream out = System.out;
    out.printf(
        Locale.ROOT,
        "== machine: %d cores, %s, max heap %d MB%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() / (1024 * 1024));
    if (opts.containsKey("tracked")) {
      trackedHeap(Integer.parseInt(opts.get("tracked")), work, out);
    } else {
      endToEnd(
          Integer.parseInt(opts.getOrDefault("n", "200")),
          Integer.parseInt(opts.getOrDefault("warmup", "0")),
          Integer.parseInt(opts.getOrDefault("rounds", "1")),
          "lmtp".equals(opts.getOrDefault("inject", "maildir")),
          state,
          work,
          out);
    }
    System.exit(0); // the SQLite and mail threads are daemons, but be sure
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("usage: --name value ...; got " + args[i]);
      }
      m.put(args[i].substring(2), args[++i]);
    }
    return m;
  }

  /** The runner's environment for the stack, as an operator would write it. */
  static Map<String, String> runnerEnv(Path db) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("IMAP_HOST", HOST);
    env.put("IMAP_PORT", "10993");
    env.put("IMAP_USERNAME", MONITORED);
    env.put("IMAP_PASSWORD", PASSWORD);
    env.put("SMTP_HOST", HOST);
    env.put("SMTP_PORT", "10587");
    env.put("SMTP_USERNAME", MONITORED);
    env.put("SMTP_PASSWORD", PASSWORD);
    env.put("SMTP_FROM_EMAIL", MONITORED);
    env.put("ALLOWED_CONFIRMATION_SENDERS", BOOKING_SYSTEM);
    env.put("DATABASE_URL", "jdbc:sqlite:" + db);
    env.put("OC_NODE_ID", "bench");
    // Recorded confirmations leave the monitored folder, as the example configuration has it;
    // BENCH_PROCESSED_FOLDER= (empty) leaves them there, to compare.
    String processed = System.getenv().getOrDefault("BENCH_PROCESSED_FOLDER", "Procesados");
    if (!processed.isEmpty()) {
      env.put("IMAP_PROCESSED_FOLDER", processed);
    }
    // A setting to compare (OC_SMTP_SESSIONS=4, OC_BATCH_SIZE=...): the runner's OC_* variables of
    // the benchmark's own environment override the defaults.
    System.getenv().entrySet().stream()
        .filter(e -> e.getKey().startsWith("OC_") && !e.getKey().startsWith("OC_TEST_"))
        .forEach(e -> env.put(e.getKey(), e.getValue()));
    return env;
  }

  /** The system clock moved to a weekday morning in Santiago; it runs at the normal rate. */
  private static Clock officeClock() {
    Duration shift = Duration.between(Instant.now(), OFFICE_MORNING.toInstant());
    return Clock.offset(Clock.systemUTC(), shift);
  }

  // ---------------------------------------------------------------- end to end

  private static void endToEnd(
      int n, int warmup, int rounds, boolean lmtpInjection, Path state, Path work, PrintStream out)
      throws Exception {
    Path db = work.resolve("oc-e2e-" + System.currentTimeMillis() + ".db");
    Clock clock = officeClock();
    // A fresh database reads the mailbox from the start: empty it, or old runs' mail is read too.
    emptyMailbox(state, MONITORED);
    // Dovecot's delivery into a Maildir scans it: a mailbox grown by earlier runs makes every
    // delivery dearer (12 ms a message with ~6,000 in each agency's).
    emptyAgencyMailboxes(state);
    List<Path> agencyDirs = new ArrayList<>();
    for (String[] a : AGENCIES) {
      agencyDirs.add(maildir(state, a[1]));
    }

    // The mail to inject, built before anything is measured.
    Session inject = Session.getInstance(injectProperties());
    List<List<byte[]>> measured = new ArrayList<>(rounds);
    LocalDate day = OFFICE_MORNING.toLocalDate();
    List<byte[]> warm = new ArrayList<>(warmup);
    for (int i = 0; i < warmup; i++) {
      java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
      confirmation(inject, 500_000 + i, day).writeTo(raw);
      warm.add(raw.toByteArray());
    }
    for (int r = 0; r < rounds; r++) {
      List<byte[]> round = new ArrayList<>(n);
      for (int i = r * n; i < (r + 1) * n; i++) {
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        confirmation(inject, i, day).writeTo(raw);
        round.add(raw.toByteArray());
      }
      measured.add(round);
    }

    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    RunnerSettings settings = RunnerSettings.of(runnerEnv(db));
    try (OcApplication app = OcApplication.open(settings, clock)) {
      OcEngine engine = app.engine();
      for (String[] a : AGENCIES) {
        engine.operations().putAgency(Agency.requiringOc(a[0], a[1]), "bench");
      }
      engine.start();
      Thread.sleep(3000); // IDLE established, first empty rounds done, JIT of the idle path
      if (warmup > 0) {
        // A warm engine (JIT done, pools filled), as after hours of service.
        long w0 = countMessages(agencyDirs);
        inject(lmtpInjection, state, warm);
        warm.clear(); // the driver's copies: not the engine's heap
        long wd = System.nanoTime() + Duration.ofSeconds(60 + warmup).toNanos();
        while (countMessages(agencyDirs) - w0 < warmup && System.nanoTime() < wd) {
          Thread.sleep(50);
        }
        // On two busy cores the compiler's queue drains long after the warm-up's mail: wait until
        // the JIT threads stop (under 20 ms of CPU in 2 s), as a service in steady state has.
        long q0 = System.nanoTime();
        long jitBefore = jvmThreadTicks().getOrDefault("jit", 0L);
        for (int i = 0; i < 60; i++) {
          Thread.sleep(2000);
          long jitNow = jvmThreadTicks().getOrDefault("jit", 0L);
          if ((jitNow - jitBefore) * MS_PER_TICK < 20) {
            break;
          }
          jitBefore = jitNow;
        }
        out.printf(
            Locale.ROOT,
            "== warm-up: %d confirmations handled first; JIT quiet after %.0f s more%n",
            warmup,
            (System.nanoTime() - q0) / 1e9);
        emptyAgencyMailboxes(state);
      }
      // Several measured rounds after one warm-up: as many figures for one warm-up's cost.
      for (int round = 0; round < rounds; round++) {
        List<byte[]> confirmations = measured.get(round);
        if (round > 0) {
          Thread.sleep(3000); // the last round's stragglers (a digest, a late ack) settle
          emptyAgencyMailboxes(state);
          out.printf(Locale.ROOT, "== round %d of %d%n", round + 1, rounds);
        }
        double calibration = calibrationMillis();
        long before = countMessages(agencyDirs);
        System.gc();
        Map<Long, Long> cpuBefore = threadCpu(threads);
        long cpu0 = os.getProcessCpuTime();
        long gc0 = gcMillis();

        long[] machine0 = machineCpuTicks();
        Map<String, Long> jvm0 = jvmThreadTicks();
        Map<String, Task> procs0 = processTicks();
        long windowStart = System.currentTimeMillis();
        long t0 = System.nanoTime();
        long injectCpu0 = threads.getCurrentThreadCpuTime();
        Instant injectedAt = clock.instant();
        inject(lmtpInjection, state, confirmations);
        long injectCpu = threads.getCurrentThreadCpuTime() - injectCpu0;
        double injectSeconds = (System.nanoTime() - t0) / 1e9;
        confirmations.clear();

        long peakHeap = 0;
        long deadline = t0 + Duration.ofSeconds(60 + n).toNanos();
        long delivered = 0;
        long pollCpu = 0;
        while (System.nanoTime() < deadline) {
          long p0 = threads.getCurrentThreadCpuTime();
          peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
          delivered = countMessages(agencyDirs) - before;
          pollCpu += threads.getCurrentThreadCpuTime() - p0;
          if (delivered >= n) {
            break;
          }
          Thread.sleep(100);
        }
        long[] machine1 = machineCpuTicks();
        Map<String, Long> jvm1 = jvmThreadTicks();
        Map<String, Task> procs1 = processTicks();
        long processCpu = os.getProcessCpuTime() - cpu0;
        // The last request's delivery time is its file's: polling late does not count against it.
        long lastDelivered = delivered >= n ? lastModified(agencyDirs) : 0;
        double e2eSeconds =
            lastDelivered > windowStart
                ? (lastDelivered - windowStart) / 1e3
                : (System.nanoTime() - t0) / 1e9;
        long windowEnd = System.currentTimeMillis();
        long cpu = processCpu - injectCpu - pollCpu;
        long gc = gcMillis() - gc0;
        Map<Long, Long> cpuAfter = threadCpu(threads);
        Thread.sleep(500);
        System.gc();
        long heapAfterGc = memory.getHeapMemoryUsage().getUsed();

        Timestamps ts = timestamps(db, injectedAt.toEpochMilli() * 1000);
        long injectedMicros = injectedAt.toEpochMilli() * 1000;
        double recordSeconds = (ts.lastRecorded - injectedMicros) / 1e6;
        double sendSeconds = (ts.lastSent - ts.firstSent) / 1e6;
        out.printf(Locale.ROOT, "== end to end: N=%d confirmations, SQLite %s%n", n, db);
        out.printf(
            Locale.ROOT,
            "injected in %.2f s (%s, %.0f msg/s)%n",
            injectSeconds,
            lmtpInjection
                ? "one LMTP session to Dovecot"
                : "files moved into the monitored Maildir's new/",
            n / injectSeconds);
        out.printf(
            Locale.ROOT,
            "delivered %d of %d requests; injection -> last delivered %.2f s: %.1f bookings/s end"
                + " to end%n",
            delivered,
            n,
            e2eSeconds,
            delivered / e2eSeconds);
        out.printf(
            Locale.ROOT,
            "recorded %d inbound (%d bookings tracked); injection -> last recorded %.2f s: %.1f/s%n",
            ts.inbound,
            ts.tracked,
            recordSeconds,
            ts.inbound / recordSeconds);
        out.printf(
            Locale.ROOT,
            "sent %d; first -> last sent %.2f s: %.1f/s; injection -> first sent %.2f s%n",
            ts.sent,
            sendSeconds,
            ts.sent / Math.max(sendSeconds, 0.001),
            (ts.firstSent - injectedMicros) / 1e6);
        out.printf(
            Locale.ROOT,
            "injection -> first recorded %.2f s; recorded/sent by half second: %s%n",
            (ts.firstRecorded - injectedMicros) / 1e6,
            ts.timeline);
        out.printf(
            Locale.ROOT,
            "engine CPU %.2f s over %.2f s wall (%.0f%% of one core, %.0f%% of %d); GC %d ms%n",
            cpu / 1e9,
            e2eSeconds,
            100.0 * cpu / 1e9 / e2eSeconds,
            100.0 * cpu / 1e9 / e2eSeconds / Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().availableProcessors(),
            gc);
        out.printf(
            Locale.ROOT,
            "heap: peak used %.1f MB (sampled every 100 ms), after GC %.1f MB%n",
            peakHeap / 1048576.0,
            heapAfterGc / 1048576.0);
        double busy = (machine1[0] - machine0[0]) * MS_PER_TICK / 1e3;
        double machineSeconds = (machine1[1] - machine0[1]) * MS_PER_TICK / 1e3;
        double steal = (machine1[2] - machine0[2]) * MS_PER_TICK / 1e3;
        double others = Math.max(0, busy - cpu / 1e9);
        out.printf(
            Locale.ROOT,
            "machine CPU busy %.2f s of %.2f s (%.0f%%): engine %.1f ms a booking, mail servers and"
                + " driver %.1f ms a booking%n",
            busy,
            machineSeconds,
            100.0 * busy / Math.max(machineSeconds, 0.001),
            cpu / 1e6 / n,
            others * 1e3 / n);
        out.printf(
            Locale.ROOT,
            "machine speed: CPU stolen by the hypervisor %.2f s (counted in busy); SHA-256 of 32 MB"
                + " on one thread before the round %.0f ms%n",
            steal,
            calibration);
        long jit = (jvm1.getOrDefault("jit", 0L) - jvm0.getOrDefault("jit", 0L)) * MS_PER_TICK;
        long gcThreads = (jvm1.getOrDefault("gc", 0L) - jvm0.getOrDefault("gc", 0L)) * MS_PER_TICK;
        out.printf(
            Locale.ROOT,
            "of the engine's CPU: JIT compiler threads %d ms, GC threads %d ms; without them %.1f ms"
                + " a booking%n",
            jit,
            gcThreads,
            (cpu / 1e6 - jit - gcThreads) / n);
        out.println(
            "CPU of the machine's other processes during the run (ms, by command, mail servers'"
                + " processes by server; 50 ms and more; processes that ended meanwhile under their"
                + " parent's ended workers):");
        for (Map.Entry<String, Long> e : byCommand(procs0, procs1)) {
          if (e.getValue() >= 50) {
            out.printf(Locale.ROOT, "  %6d  %s%n", e.getValue(), e.getKey());
          }
        }
        out.println("CPU by thread during the run (ms; threads over 20 ms):");
        List<Map.Entry<String, Long>> byName = perThread(threads, cpuBefore, cpuAfter);
        for (Map.Entry<String, Long> e : byName) {
          if (e.getValue() >= 20) {
            out.printf(Locale.ROOT, "  %6d  %s%n", e.getValue(), e.getKey());
          }
        }
        out.printf(
            Locale.ROOT,
            "  (driver: injection %d ms, polling %d ms)%n",
            injectCpu / 1_000_000,
            pollCpu / 1_000_000);
        out.printf(
            Locale.ROOT,
            "RESULT n=%d e2e_s=%.2f e2e_per_s=%.1f record_per_s=%.1f send_per_s=%.1f cpu_s=%.2f"
                + " jit_s=%.2f machine_busy_s=%.2f heap_peak_mb=%.1f heap_after_gc_mb=%.1f"
                + " steal_s=%.2f calibration_ms=%.0f%n",
            n,
            e2eSeconds,
            delivered / e2eSeconds,
            ts.inbound / recordSeconds,
            ts.sent / Math.max(sendSeconds, 0.001),
            cpu / 1e9,
            jit / 1e3,
            busy,
            peakHeap / 1048576.0,
            heapAfterGc / 1048576.0,
            steal,
            calibration);
        out.printf(Locale.ROOT, "WINDOW %d %d%n", windowStart, windowEnd);
        if (delivered < n) {
          out.println("INCOMPLETE: not every request was delivered before the deadline");
        }
      }
    }
  }

  private static Properties injectProperties() {
    Properties p = new Properties();
    p.setProperty("mail.transport.protocol", "smtp");
    p.setProperty("mail.smtp.host", HOST);
    p.setProperty("mail.smtp.port", "10025");
    p.setProperty("mail.smtp.connectiontimeout", "10000");
    p.setProperty("mail.smtp.timeout", "30000");
    return p;
  }

  /** Confirmation i: a PDF from the booking system naming one of the agencies on the stack. */
  private static MimeMessage confirmation(Session session, int i, LocalDate day) throws Exception {
    String id = String.valueOf(61_000_000 + i);
    String[] agency = AGENCIES[i % AGENCIES.length];
    byte[] pdf =
        DemoPdfs.confirmation(
            new DemoPdfs.Confirmation(
                id,
                "LBK" + String.format(Locale.ROOT, "%05d", i),
                String.valueOf(800_000 + i),
                agency[0],
                "Reservado",
                day,
                "Hotel Bench " + (i % 37),
                day.plusDays(20 + i % 30),
                1 + i % 3,
                1 + i % 2,
                new BigDecimal(150_000 + i * 10).setScale(2)));
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(BOOKING_SYSTEM));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress(MONITORED));
    m.setSubject("Confirmación de reserva " + id, "UTF-8");
    m.setSentDate(Date.from(OFFICE_MORNING.toInstant()));
    MimeMultipart mp = new MimeMultipart();
    MimeBodyPart text = new MimeBodyPart();
    text.setText("Adjuntamos el resumen de servicios de la reserva " + id + ".", "UTF-8");
    mp.addBodyPart(text);
    MimeBodyPart att = new MimeBodyPart();
    att.setDataHandler(new DataHandler(new ByteArrayDataSource(pdf, "application/pdf")));
    att.setFileName("Resumen_" + id + ".pdf");
    mp.addBodyPart(att);
    m.setContent(mp);
    m.saveChanges();
    return m;
  }

  /**
   * A minimal LMTP client (RFC 2033) on one session: the fastest way to put mail into the monitored
   * mailbox "at once", without Postfix's queue in between.
   */
  private static final class Lmtp implements AutoCloseable {
    private final java.net.Socket socket;
    private final java.io.BufferedReader in;
    private final java.io.OutputStream out;

    Lmtp(String host, int port) throws IOException {
      socket = new java.net.Socket(host, port);
      socket.setSoTimeout(30_000);
      in =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
      out = new java.io.BufferedOutputStream(socket.getOutputStream());
      expect("220");
      command("LHLO bench.kontrol.test");
      expect("250");
    }

    void deliver(String from, String to, byte[] message) throws IOException {
      command("MAIL FROM:<" + from + ">");
      expect("250");
      command("RCPT TO:<" + to + ">");
      expect("250");
      command("DATA");
      expect("354");
      boolean lineStart = true;
      for (byte b : message) {
        if (lineStart && b == '.') {
          out.write('.'); // dot-stuffing
        }
        out.write(b);
        lineStart = b == '\n';
      }
      if (!lineStart) {
        out.write('\r');
        out.write('\n');
      }
      command(".");
      expect("250"); // one reply per recipient
    }

    private void command(String line) throws IOException {
      out.write((line + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
    }

    private void expect(String code) throws IOException {
      String line;
      do {
        line = in.readLine();
        if (line == null || !line.startsWith(code)) {
          throw new IOException("LMTP: expected " + code + ", got " + line);
        }
      } while (line.length() > 3 && line.charAt(3) == '-');
    }

    @Override
    public void close() throws IOException {
      try {
        command("QUIT");
      } finally {
        socket.close();
      }
    }
  }

  private static final java.util.concurrent.atomic.AtomicLong SEQ =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * Puts the messages into the monitored mailbox. By default as Maildir files (written to tmp/,
   * then renamed into new/, the Maildir delivery protocol), which is "all at once": Dovecot sees
   * them at its next sync and IDLE reports them. With {@code lmtp}, one LMTP session delivers them
   * one by one while the engine already reads (each delivery waits for the mailbox's lock).
   */
  private static void inject(boolean lmtp, Path state, List<byte[]> messages) throws Exception {
    if (lmtp) {
      try (Lmtp session = new Lmtp(HOST, LMTP_PORT)) {
        for (byte[] m : messages) {
          session.deliver(BOOKING_SYSTEM, MONITORED, m);
        }
      }
      return;
    }
    Path dir = maildir(state, MONITORED);
    var owner = Files.getOwner(dir);
    var group =
        Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class).group();
    Path tmp = dir.resolve("tmp");
    Path fresh = dir.resolve("new");
    List<Path> written = new ArrayList<>(messages.size());
    for (byte[] m : messages) {
      String name =
          System.currentTimeMillis() / 1000
              + ".M"
              + SEQ.incrementAndGet()
              + "P"
              + ProcessHandle.current().pid()
              + ".ocbench";
      Path f = tmp.resolve(name);
      Files.write(f, m);
      Files.setOwner(f, owner);
      Files.getFileAttributeView(f, java.nio.file.attribute.PosixFileAttributeView.class)
          .setGroup(group);
      written.add(f);
    }
    for (Path f : written) {
      Files.move(f, fresh.resolve(f.getFileName()), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static void emptyMailbox(Path state, String user) throws Exception {
    Process p =
        new ProcessBuilder(
                "doveadm",
                "-c",
                state.resolve("dovecot/dovecot.conf").toString(),
                "expunge",
                "-u",
                user,
                "mailbox",
                "*",
                "all")
            .inheritIO()
            .start();
    if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("doveadm expunge failed for " + user);
    }
  }

  private static void emptyAgencyMailboxes(Path state) throws Exception {
    for (String[] a : AGENCIES) {
      emptyMailbox(state, a[1]);
    }
  }

  private static Path maildir(Path state, String address) {
    int at = address.indexOf('@');
    return state
        .resolve("mail")
        .resolve(address.substring(at + 1))
        .resolve(address.substring(0, at))
        .resolve("Maildir");
  }

  /** Messages in the INBOXes (new and cur) of these maildirs. */
  private static long countMessages(List<Path> maildirs) throws IOException {
    return inboxFiles(maildirs).size();
  }

  /** Modification time (epoch ms) of the newest message in the INBOXes of these maildirs. */
  private static long lastModified(List<Path> maildirs) throws IOException {
    long last = 0;
    for (Path f : inboxFiles(maildirs)) {
      last = Math.max(last, Files.getLastModifiedTime(f).toMillis());
    }
    return last;
  }

  private static List<Path> inboxFiles(List<Path> maildirs) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path d : maildirs) {
      for (String sub : new String[] {"new", "cur"}) {
        Path p = d.resolve(sub);
        if (Files.isDirectory(p)) {
          try (Stream<Path> s = Files.list(p)) {
            s.forEach(files::add);
          }
        }
      }
    }
    return files;
  }

  /** USER_HZ: the unit of the CPU counters in /proc on Linux. */
  private static final int MS_PER_TICK = 10;

  /**
   * A process or thread in /proc: its command, its CPU ticks so far (user + system) and those of
   * its children that ended and were waited for (a daemon's short-lived workers).
   */
  private record Task(String command, long ticks, long endedChildrenTicks, long startTime) {}

  /**
   * Every numbered entry of a /proc directory (processes, or a process's threads); empty off Linux.
   */
  private static Map<String, Task> tasks(Path dir) {
    Map<String, Task> m = new HashMap<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        String id = p.getFileName().toString();
        if (!id.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = Files.readString(p.resolve("stat"));
          String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          m.put(
              id,
              new Task(
                  server(p) + comm,
                  Long.parseLong(f[11]) + Long.parseLong(f[12]),
                  Long.parseLong(f[13]) + Long.parseLong(f[14]),
                  Long.parseLong(f[19])));
        } catch (IOException | RuntimeException e) {
          // ended meanwhile
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return m;
  }

  /**
   * "dovecot " or "postfix " for a process of either mail server, by its executable: both run
   * processes called {@code lmtp} (Dovecot's LMTP server and Postfix's LMTP client), {@code master}
   * and so on. Empty for anything else, and for threads and other users' processes.
   */
  private static String server(Path proc) {
    try {
      String exe = Files.readSymbolicLink(proc.resolve("exe")).toString();
      if (exe.startsWith("/usr/lib/postfix/")) {
        return "postfix ";
      }
      if (exe.startsWith("/usr/lib/dovecot/") || exe.endsWith("/sbin/dovecot")) {
        return "dovecot ";
      }
    } catch (IOException | RuntimeException e) {
      // a kernel thread, a thread entry, or not ours to read
    }
    return "";
  }

  /**
   * CPU ticks so far of this JVM's own threads, by kind ({@code jit}: the compiler threads; {@code
   * gc}: the collector's); the JVM's internal threads are not in the thread MXBean.
   */
  private static Map<String, Long> jvmThreadTicks() {
    Map<String, Long> m = new HashMap<>();
    for (Task t : tasks(Path.of("/proc/self/task")).values()) {
      String comm = t.command();
      String kind =
          comm.contains("CompilerThre")
              ? "jit"
              : comm.startsWith("GC Thread") || comm.startsWith("G1 ") ? "gc" : null;
      if (kind != null) {
        m.merge(kind, t.ticks(), Long::sum);
      }
    }
    return m;
  }

  /** Every other process, by pid. */
  private static Map<String, Task> processTicks() {
    Map<String, Task> m = tasks(Path.of("/proc"));
    m.remove(String.valueOf(ProcessHandle.current().pid()));
    return m;
  }

  /** CPU ms by command between two {@link #processTicks} (kernel workers folded), largest first. */
  private static List<Map.Entry<String, Long>> byCommand(
      Map<String, Task> before, Map<String, Task> after) {
    Map<String, Long> byCommand = new HashMap<>();
    for (Map.Entry<String, Task> e : after.entrySet()) {
      Task now = e.getValue();
      Task b = before.get(e.getKey());
      // The same process if it started at the same moment (a pid can be reused); not by command:
      // a kernel worker's name changes with the queue it serves ("kworker/u8:2-writeback").
      boolean same = b != null && b.startTime() == now.startTime();
      long ticks = now.ticks() - (same ? b.ticks() : 0);
      long ended = now.endedChildrenTicks() - (same ? b.endedChildrenTicks() : 0);
      String comm =
          now.command()
              .replaceAll("^kworker/.*", "kworker/*")
              .replaceAll("^ksoftirqd/.*", "ksoftirqd/*");
      byCommand.merge(comm, ticks * MS_PER_TICK, Long::sum);
      if (ended > 0) {
        byCommand.merge(comm + "'s ended workers", ended * MS_PER_TICK, Long::sum);
      }
    }
    List<Map.Entry<String, Long>> l = new ArrayList<>(byCommand.entrySet());
    l.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()));
    return l;
  }

  /**
   * The machine's busy and total CPU time so far (in /proc/stat ticks, all cores), to set the
   * engine's CPU beside everything else's (the mail servers, the kernel); zeros off Linux.
   */
  private static long[] machineCpuTicks() {
    try {
      String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = line.trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) { // user .. steal
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle + iowait
      long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
      return new long[] {total - idle, total, steal};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0, 0};
    }
  }

  /**
   * The wall time of a fixed piece of CPU work on one thread (SHA-256 of 32 MB, best of three): how
   * fast the machine is right now, to set a round's figure beside the machine's speed at the time
   * (a shared virtual machine's speed moves from one minute to the next).
   */
  private static double calibrationMillis() throws Exception {
    byte[] block = new byte[1 << 20];
    new Random(1).nextBytes(block);
    double best = Double.MAX_VALUE;
    for (int attempt = 0; attempt < 3; attempt++) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long t0 = System.nanoTime();
      for (int i = 0; i < 32; i++) {
        sha.update(block);
      }
      if (sha.digest().length != 32) {
        throw new IllegalStateException("SHA-256");
      }
      best = Math.min(best, (System.nanoTime() - t0) / 1e6);
    }
    return best;
  }

  private record Timestamps(
      long inbound,
      long tracked,
      long firstRecorded,
      long lastRecorded,
      long sent,
      long firstSent,
      long lastSent,
      String timeline) {}

  /** The store's own timestamps (epoch microseconds of the engine's clock). */
  private static Timestamps timestamps(Path db, long sinceMicros) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      long[] in =
          row(
              st,
              "SELECT count(*), min(recorded_at), max(recorded_at) FROM oc_inbound WHERE"
                  + " recorded_at >= "
                  + sinceMicros);
      long[] tracked =
          row(st, "SELECT count(*), 0 FROM oc_reservation WHERE tracked_at >= " + sinceMicros);
      long[] sent =
          row(
              st,
              "SELECT count(*), min(sent_at), max(sent_at) FROM oc_outbox WHERE status = 'SENT'"
                  + " AND sent_at >= "
                  + sinceMicros);
      return new Timestamps(
          in[0], tracked[0], in[1], in[2], sent[0], sent[1], sent[2], timeline(st, sinceMicros));
    }
  }

  /**
   * Recorded and sent so far at each half second after injection ("1.0s 80/0"): where the wall time
   * went, start-up latency against steady rate.
   */
  private static String timeline(Statement st, long sinceMicros) throws SQLException {
    Map<Long, long[]> buckets = new java.util.TreeMap<>();
    String[] sql = {
      "SELECT (recorded_at - "
          + sinceMicros
          + ") / 500000 FROM oc_inbound WHERE recorded_at >= "
          + sinceMicros,
      "SELECT (sent_at - "
          + sinceMicros
          + ") / 500000 FROM oc_outbox WHERE status = 'SENT' AND sent_at >= "
          + sinceMicros
    };
    for (int k = 0; k < 2; k++) {
      try (ResultSet rs = st.executeQuery(sql[k])) {
        while (rs.next()) {
          buckets.computeIfAbsent(rs.getLong(1), b -> new long[2])[k]++;
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    long recorded = 0;
    long sent = 0;
    for (Map.Entry<Long, long[]> e : buckets.entrySet()) {
      recorded += e.getValue()[0];
      sent += e.getValue()[1];
      sb.append(String.format(Locale.ROOT, " %.1fs %d/%d", (e.getKey() + 1) / 2.0, recorded, sent));
    }
    return sb.toString().trim();
  }

  private static long[] row(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      int cols = rs.getMetaData().getColumnCount();
      long[] r = new long[cols];
      for (int i = 0; i < cols; i++) {
        r[i] = rs.getLong(i + 1);
      }
      return r;
    }
  }

  private static Map<Long, Long> threadCpu(ThreadMXBean threads) {
    Map<Long, Long> m = new HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      long t = threads.getThreadCpuTime(id);
      if (t >= 0) {
        m.put(id, t);
      }
    }
    return m;
  }

  /** CPU ms per thread name (numbered pool threads folded together), largest first. */
  private static List<Map.Entry<String, Long>> perThread(
      ThreadMXBean threads, Map<Long, Long> before, Map<Long, Long> after) {
    Map<String, Long> byName = new HashMap<>();
    long self = Thread.currentThread().getId();
    for (Map.Entry<Long, Long> e : after.entrySet()) {
      if (e.getKey() == self) {
        continue;
      }
      ThreadInfo info = threads.getThreadInfo(e.getKey());
      String name = info == null ? "(ended) #" + e.getKey() : info.getThreadName();
      name = name.replaceAll("-\\d+$", "-N").replaceAll("#\\d+", "#N");
      long d = (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / 1_000_000;
      byName.merge(name, d, Long::sum);
    }
    List<Map.Entry<String, Long>> l = new ArrayList<>(byName.entrySet());
    l.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()));
    return l;
  }

  private static long gcMillis() {
    long t = 0;
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      t += Math.max(0, gc.getCollectionTime());
    }
    return t;
  }

  // ---------------------------------------------------------------- steady heap

  /**
   * Tracks {@code n} bookings in a fresh SQLite file (bulk, through the store API), opens the
   * runner's engine on it against the mail stack, lets it run its loops for a while with nothing
   * due, and reports the heap in use after a full GC.
   */
  private static void trackedHeap(int n, Path work, PrintStream out) throws Exception {
    Path db = work.resolve("oc-heap-" + System.currentTimeMillis() + ".db");
    Clock clock = officeClock();
    Instant now = clock.instant();
    RunnerSettings settings = RunnerSettings.of(runnerEnv(db));
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    try (OcApplication app = OcApplication.open(settings, clock)) {
      for (String[] a : AGENCIES) {
        app.engine().operations().putAgency(Agency.requiringOc(a[0], a[1]), "bench");
      }
      int batch = 5000;
      long t0 = System.nanoTime();
      for (int from = 0; from < n; from += batch) {
        int start = from;
        int end = Math.min(n, from + batch);
        app.store()
            .inTransaction(
                (StoreTransaction t) -> {
                  for (int i = start; i < end; i++) {
                    t.insertReservation(tracked(i, now));
                  }
                  return null;
                });
      }
      out.printf(
          Locale.ROOT,
          "== steady heap: %d bookings tracked in %.1f s%n",
          n,
          (System.nanoTime() - t0) / 1e9);
      app.engine().start();
      long peak = 0;
      for (int i = 0; i < 50; i++) { // 10 s of loops: IDLE, ticks with nothing due
        Thread.sleep(200);
        peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
      }
      app.engine().processNow("bench");
      app.engine().operations().statistics();
      long[] after = new long[3];
      for (int i = 0; i < after.length; i++) {
        System.gc();
        Thread.sleep(300);
        after[i] = memory.getHeapMemoryUsage().getUsed();
      }
      long steady = Math.min(after[0], Math.min(after[1], after[2]));
      out.printf(
          Locale.ROOT,
          "heap with %d tracked: after full GC %.1f MB, peak sampled %.1f MB, committed %.1f MB,"
              + " max %.0f MB%n",
          n,
          steady / 1048576.0,
          peak / 1048576.0,
          memory.getHeapMemoryUsage().getCommitted() / 1048576.0,
          Runtime.getRuntime().maxMemory() / 1048576.0);
      out.printf(Locale.ROOT, "RESULT tracked=%d heap_after_gc_mb=%.1f%n", n, steady / 1048576.0);
    }
  }

  /** Booking i, requested a day ago, next reminder days ahead: nothing is due during the run. */
  private static Reservation tracked(int i, Instant now) {
    String id = String.format(Locale.ROOT, "7%08d", i);
    LocalDate day = OFFICE_MORNING.toLocalDate();
    ReservationDetails details =
        ReservationDetails.builder(id)
            .internalLocator("LOC" + id)
            .locator("Z" + Integer.toString(i, 36).toUpperCase(Locale.ROOT))
            .agencyName(AGENCIES[i % AGENCIES.length][0])
            .hotelName("Hotel " + (i % 997))
            .issueDate(day.minusDays(1))
            .checkIn(day.plusDays(20 + i % 90))
            .checkOut(day.plusDays(22 + i % 90))
            .nights(2)
            .rooms(1)
            .totalAmount(new BigDecimal("250000.00"))
            .currency("CLP")
            .build();
    return Reservation.builder(details, day.minusDays(1), now.minus(Duration.ofDays(1)))
        .state(TrackingState.REQUESTED)
        .nextActionAt(now.plus(Duration.ofDays(2)).plusSeconds(i % 86_400))
        .build();
  }
}
