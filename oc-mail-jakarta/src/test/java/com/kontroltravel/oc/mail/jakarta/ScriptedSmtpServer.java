package com.kontroltravel.oc.mail.jakarta;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A tiny SMTP server on loopback whose answers a test scripts: refuse some recipients, answer DATA
 * with an error, drop the connection at the end of DATA, or say nothing at all. Accepted messages
 * are kept as raw bytes. Each connection is served on its own daemon thread with a socket timeout,
 * so nothing in a test can hang for long.
 */
final class ScriptedSmtpServer implements AutoCloseable {

  /** What to do at the end of DATA. */
  enum AfterData {
    ACCEPT,
    REJECT_554,
    DEFER_452,
    DROP_CONNECTION
  }

  private final ServerSocket socket;
  private final Thread acceptor;
  final List<byte[]> accepted = new CopyOnWriteArrayList<>();
  volatile Function<String, String> rcptReply = address -> "250 2.1.5 ok";
  volatile String mailReply = "250 2.1.0 ok";
  volatile AfterData afterData = AfterData.ACCEPT;
  volatile boolean silent;

  /** Offer STARTTLS (with GreenMail's self-signed test certificate). */
  volatile boolean offerStartTls;

  /** Set once a client completed a STARTTLS handshake. */
  volatile boolean tlsUsed;

  ScriptedSmtpServer() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getByName(TestMailServer.HOST));
    acceptor = new Thread(this::acceptLoop, "smtp-stub");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        Thread t = new Thread(() -> serve(s), "smtp-stub-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setSoTimeout(15_000);
      if (silent) {
        s.getInputStream()
            .read(); // hold the connection open without a greeting until the client gives up
        return;
      }
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      OutputStream out = s.getOutputStream();
      reply(out, "220 stub.test ESMTP");
      boolean secured = false;
      String line;
      while ((line = in.readLine()) != null) {
        String cmd = line.toUpperCase(Locale.ROOT);
        if (cmd.startsWith("EHLO")) {
          reply(
              out,
              "250-stub.test\r\n"
                  + (offerStartTls && !secured ? "250-STARTTLS\r\n" : "")
                  + "250-AUTH PLAIN LOGIN\r\n250 8BITMIME");
        } else if (cmd.equals("STARTTLS") && offerStartTls) {
          reply(out, "220 2.0.0 ready to start TLS");
          javax.net.ssl.SSLSocket tls =
              (javax.net.ssl.SSLSocket)
                  tlsContext()
                      .getSocketFactory()
                      .createSocket(s, TestMailServer.HOST, s.getPort(), true);
          tls.setUseClientMode(false);
          tls.startHandshake();
          tlsUsed = true;
          secured = true;
          in =
              new BufferedReader(
                  new InputStreamReader(tls.getInputStream(), StandardCharsets.ISO_8859_1));
          out = tls.getOutputStream();
        } else if (cmd.startsWith("HELO")) {
          reply(out, "250 stub.test");
        } else if (cmd.startsWith("AUTH")) {
          reply(out, "235 2.7.0 authenticated");
        } else if (cmd.startsWith("MAIL")) {
          reply(out, mailReply);
        } else if (cmd.startsWith("RCPT")) {
          String address = line.substring(line.indexOf('<') + 1, line.lastIndexOf('>'));
          reply(out, rcptReply.apply(address));
        } else if (cmd.equals("DATA")) {
          reply(out, "354 end with <CRLF>.<CRLF>");
          ByteArrayOutputStream data = new ByteArrayOutputStream();
          String d;
          while ((d = in.readLine()) != null && !d.equals(".")) {
            String unstuffed = d.startsWith("..") ? d.substring(1) : d;
            data.write((unstuffed + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
          }
          switch (afterData) {
            case ACCEPT -> {
              accepted.add(data.toByteArray());
              reply(out, "250 2.0.0 queued as " + accepted.size());
            }
            case REJECT_554 -> reply(out, "554 5.7.1 message refused by policy");
            case DEFER_452 -> reply(out, "452 4.3.1 insufficient system storage");
            case DROP_CONNECTION -> {
              return;
            }
          }
        } else if (cmd.startsWith("QUIT")) {
          reply(out, "221 2.0.0 bye");
          return;
        } else {
          reply(out, "250 ok");
        }
      }
    } catch (IOException e) {
      // the client went away; nothing to do
    }
  }

  private static javax.net.ssl.SSLContext tlsContext() throws IOException {
    try (java.io.InputStream ks = GreenMailKeystore.open()) {
      java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
      store.load(ks, "changeit".toCharArray());
      javax.net.ssl.KeyManagerFactory kmf =
          javax.net.ssl.KeyManagerFactory.getInstance(
              javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, "changeit".toCharArray());
      javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  /** GreenMail's self-signed test keystore, from its jar. */
  private static final class GreenMailKeystore {
    static java.io.InputStream open() throws IOException {
      java.io.InputStream in =
          com.icegreen.greenmail.util.GreenMail.class
              .getClassLoader()
              .getResourceAsStream("greenmail.p12");
      if (in == null) {
        throw new IOException("greenmail.p12 not on the classpath");
      }
      return in;
    }
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
