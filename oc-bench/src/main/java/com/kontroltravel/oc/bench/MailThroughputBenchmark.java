package com.kontroltravel.oc.bench;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.kontroltravel.oc.mail.jakarta.Credentials;
import com.kontroltravel.oc.mail.jakarta.JakartaMailGateway;
import com.kontroltravel.oc.mail.jakarta.MailSettings;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.FetchBatch;
import com.kontroltravel.oc.model.MailboxCursor;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.SendResult;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Mail throughput on loopback: messages taken in per second from a 1,000-message GreenMail mailbox
 * through {@link JakartaMailGateway#fetch}, and messages sent per second through {@link
 * JakartaMailGateway#send}. A plain driver: {@code java -cp ...
 * com.kontroltravel.oc.bench.MailThroughputBenchmark [messages] [rounds]}.
 */
public final class MailThroughputBenchmark {
  private static final String HOST = "127.0.0.1";
  private static final String USER = "ops@kontrol.example";
  private static final String PASSWORD = "bench-only-password";

  private MailThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int smtpPort = freePort();
    int imapPort = freePort();
    GreenMail greenMail =
        new GreenMail(
            new ServerSetup[] {
              new ServerSetup(smtpPort, HOST, "smtp"), new ServerSetup(imapPort, HOST, "imap")
            });
    greenMail.start();
    try {
      GreenMailUser user = greenMail.setUser(USER, USER, PASSWORD);
      Session session = Session.getInstance(new Properties());
      Random random = new Random(42);
      long totalBytes = 0;
      for (int i = 0; i < messages; i++) {
        MimeMessage m = mixed(session, i, random);
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        m.writeTo(raw);
        totalBytes += raw.size();
        user.deliver(m);
      }
      MailSettings settings =
          MailSettings.builder()
              .imap(HOST, imapPort, MailSettings.Security.PLAINTEXT)
              .imapLogin(USER, Credentials.password(PASSWORD))
              .smtp(HOST, smtpPort, MailSettings.Security.PLAINTEXT)
              .allowPlaintext(true)
              .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30))
              .build();

      System.out.printf(
          "mailbox: %d messages (every 3rd with a ~40 KB PDF), Java %s, %d CPUs%n",
          messages, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
      double[] intake = new double[rounds];
      for (int r = -1; r < rounds; r++) { // round -1 warms up
        try (JakartaMailGateway gateway = JakartaMailGateway.create(settings)) {
          long start = System.nanoTime();
          int taken = 0;
          MailboxCursor cursor = null;
          for (int guard = 0; guard < 10_000; guard++) {
            FetchBatch b = gateway.fetch(cursor, 100);
            taken += b.messages().size();
            cursor = b.cursor();
            if (!b.hasMore()) {
              break;
            }
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          if (taken != messages) {
            throw new IllegalStateException("took in " + taken + " of " + messages);
          }
          if (r >= 0) {
            intake[r] = taken / seconds;
            System.out.printf(
                "intake round %d: %d messages in %.2f s = %.0f msg/s%n",
                r, taken, seconds, intake[r]);
          }
        }
      }

      int sends = 200;
      double[] sequential = new double[rounds];
      double[] parallel = new double[rounds];
      byte[] pdf = pdf(random, 40_000);
      try (JakartaMailGateway gateway = JakartaMailGateway.create(settings)) {
        for (int r = -1; r < rounds; r++) {
          long start = System.nanoTime();
          for (int i = 0; i < sends; i++) {
            expectSent(gateway.send(outbound("seq-" + r + "-" + i, pdf)));
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          if (r >= 0) {
            sequential[r] = sends / seconds;
            System.out.printf(
                "send round %d (1 thread): %d in %.2f s = %.0f msg/s%n",
                r, sends, seconds, sequential[r]);
          }
          ExecutorService pool = Executors.newFixedThreadPool(4);
          start = System.nanoTime();
          List<Future<SendResult>> results = new ArrayList<>();
          for (int i = 0; i < sends; i++) {
            String id = "par-" + r + "-" + i;
            results.add(pool.submit(() -> gateway.send(outbound(id, pdf))));
          }
          for (Future<SendResult> f : results) {
            expectSent(f.get());
          }
          seconds = (System.nanoTime() - start) / 1e9;
          pool.shutdown();
          if (r >= 0) {
            parallel[r] = sends / seconds;
            System.out.printf(
                "send round %d (4 threads): %d in %.2f s = %.0f msg/s%n",
                r, sends, seconds, parallel[r]);
          }
          greenMail.purgeEmailFromAllMailboxes();
        }
      }
      System.out.printf(
          "RESULT intake median %.0f msg/s; send median %.0f msg/s (1 thread), %.0f msg/s (4 threads);"
              + " mailbox ~%d KB%n",
          median(intake), median(sequential), median(parallel), totalBytes / 1024);
    } finally {
      greenMail.stop();
    }
  }

  private static void expectSent(SendResult r) {
    if (!r.isSent()) {
      throw new IllegalStateException("send failed: " + r);
    }
  }

  private static OutboundMessage outbound(String id, byte[] pdf) {
    return new OutboundMessage(
        id + "@oc.bench.example",
        USER,
        List.of("compras@agencia.example"),
        List.of("supervisor@agencia.example"),
        "Solicitud de orden de compra – reserva " + id,
        "Estimados:\nFavor enviar la orden de compra.\n",
        "<p>Estimados:</p><p>Favor enviar la <b>orden de compra</b>.</p>",
        "conf-" + id + "@booking.example",
        List.of("conf-" + id + "@booking.example"),
        List.of(Attachment.pdf("Resumen " + id + ".pdf", pdf)));
  }

  private static byte[] pdf(Random random, int size) {
    byte[] b = new byte[size];
    random.nextBytes(b);
    byte[] head = "%PDF-1.4\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, b, 0, head.length);
    return b;
  }

  private static MimeMessage mixed(Session session, int i, Random random)
      throws MessagingException, IOException {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(
        new InternetAddress(i % 3 == 1 ? "compras@agencia.example" : "reservas@booking.example"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress(USER));
    m.setSubject(
        i % 3 == 1
            ? "RE: Solicitud de orden de compra " + i
            : "Confirmación de reserva " + (45000000 + i),
        "UTF-8");
    m.setSentDate(new java.util.Date());
    if (i % 3 == 0) {
      MimeMultipart mixed = new MimeMultipart("mixed");
      MimeBodyPart text = new MimeBodyPart();
      text.setText("Adjuntamos el resumen de servicios " + i, "UTF-8");
      mixed.addBodyPart(text);
      MimeBodyPart file = new MimeBodyPart();
      file.setDataHandler(
          new DataHandler(new ByteArrayDataSource(pdf(random, 40_000), "application/pdf")));
      file.setFileName("Resumen " + i + ".pdf");
      file.setDisposition(Part.ATTACHMENT);
      mixed.addBodyPart(file);
      m.setContent(mixed);
    } else if (i % 3 == 1) {
      m.setHeader("In-Reply-To", "<oc-" + i + "-request@oc.example>");
      m.setText("Adjunto la OC " + i, "UTF-8");
    } else {
      m.setContent("<p>Reserva <b>" + i + "</b></p>", "text/html; charset=UTF-8");
    }
    m.saveChanges();
    return m;
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    }
  }
}
