package com.kontroltravel.oc.examples;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GreenMail 2.1 answers IMAP {@code AUTHENTICATE} with "Unsupported authentication mechanism" (its
 * SMTP side does take {@code AUTH XOAUTH2}). This front on loopback adds what Gmail and Exchange
 * Online offer: it advertises {@code AUTH=XOAUTH2 SASL-IR}, takes {@code AUTHENTICATE XOAUTH2}
 * (SASL string {@code user=U^Aauth=Bearer T^A^A}, RFC 7628 / Google's XOAUTH2 protocol) and hands
 * user and bearer token to GreenMail as a {@code LOGIN}, so GreenMail itself decides whether the
 * token is the user's current one. After the login every byte is relayed both ways untouched. Any
 * other login (LOGIN, AUTHENTICATE PLAIN) is refused, as on a server with basic auth off.
 */
final class XOAuth2ImapFront implements AutoCloseable {
  private final ServerSocket socket;
  private final int backendPort;
  final List<String> saslUsers = new CopyOnWriteArrayList<>();
  final AtomicInteger accepted = new AtomicInteger();
  final AtomicInteger rejected = new AtomicInteger();

  XOAuth2ImapFront(int backendPort) throws IOException {
    this.backendPort = backendPort;
    socket = new ServerSocket(0, 50, InetAddress.getByName(LoopbackMailServer.HOST));
    Thread t = new Thread(this::acceptLoop, "xoauth2-front");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        Thread t = new Thread(() -> serve(s), "xoauth2-front-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client;
        Socket backend = new Socket(LoopbackMailServer.HOST, backendPort)) {
      client.setSoTimeout(30_000);
      backend.setSoTimeout(30_000);
      InputStream cin = new BufferedInputStream(client.getInputStream());
      OutputStream cout = client.getOutputStream();
      InputStream bin = new BufferedInputStream(backend.getInputStream());
      OutputStream bout = backend.getOutputStream();
      send(cout, capabilities(readLine(bin)));
      if (!login(cin, cout, bin, bout)) {
        return;
      }
      Thread down =
          new Thread(
              () -> {
                try {
                  bin.transferTo(cout);
                } catch (IOException e) {
                  // either side closed
                } finally {
                  close(client);
                }
              },
              "xoauth2-front-down");
      down.setDaemon(true);
      down.start();
      try {
        cin.transferTo(bout);
      } finally {
        close(backend);
      }
      down.join(5_000);
    } catch (IOException | RuntimeException e) {
      // a side went away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The not-authenticated state; true once the client is logged in. */
  private boolean login(InputStream cin, OutputStream cout, InputStream bin, OutputStream bout)
      throws IOException {
    for (int commands = 0; commands < 50; commands++) {
      String line = readLine(cin);
      if (line == null) {
        return false;
      }
      String[] w = line.split(" ", 4);
      String tag = w[0];
      String cmd = w.length > 1 ? w[1].toUpperCase(Locale.ROOT) : "";
      if (cmd.equals("AUTHENTICATE") && w.length > 2 && w[2].equalsIgnoreCase("XOAUTH2")) {
        String b64 = w.length > 3 ? w[3] : null;
        if (b64 == null) {
          send(cout, "+ ");
          b64 = readLine(cin);
        }
        String sasl = new String(Base64.getDecoder().decode(b64.trim()), StandardCharsets.UTF_8);
        String user = null;
        String token = null;
        for (String part : sasl.split("\u0001")) {
          if (part.startsWith("user=")) {
            user = part.substring(5);
          } else if (part.startsWith("auth=Bearer ")) {
            token = part.substring(12);
          }
        }
        saslUsers.add(String.valueOf(user));
        String answer = null;
        if (user != null && token != null && !user.contains("\"") && !token.contains("\"")) {
          send(bout, tag + " LOGIN \"" + user + "\" \"" + token + "\"");
          answer = untilTagged(tag, bin, null);
        }
        if (answer != null && answer.startsWith(tag + " OK")) {
          accepted.incrementAndGet();
          send(cout, tag + " OK AUTHENTICATE XOAUTH2 completed");
          return true;
        }
        rejected.incrementAndGet();
        send(cout, tag + " NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)");
      } else if (cmd.equals("LOGIN") || cmd.equals("AUTHENTICATE")) {
        send(cout, tag + " NO [AUTHENTICATIONFAILED] only AUTHENTICATE XOAUTH2 is accepted");
      } else {
        send(bout, line);
        String tagged = untilTagged(tag, bin, cout);
        if (tagged == null) {
          return false;
        }
        send(cout, capabilities(tagged));
        if (cmd.equals("LOGOUT")) {
          return false;
        }
      }
    }
    return false;
  }

  /** Relays untagged lines to {@code cout} (if any) and returns the tagged one. */
  private String untilTagged(String tag, InputStream bin, OutputStream cout) throws IOException {
    for (int lines = 0; lines < 200; lines++) {
      String l = readLine(bin);
      if (l == null || l.startsWith(tag + " ")) {
        return l;
      }
      if (cout != null) {
        send(cout, capabilities(l));
      }
    }
    return null;
  }

  /** Capability lists offer XOAUTH2 and SASL-IR instead of GreenMail's own mechanisms. */
  private static String capabilities(String line) {
    if (line == null || !line.toUpperCase(Locale.ROOT).contains("CAPABILITY ")) {
      return line;
    }
    String s = line.replaceAll("(?i) AUTH=[A-Z0-9_-]+", "").replaceAll("(?i) SASL-IR", "");
    return s.replaceFirst("(?i)(CAPABILITY [^\\]\\r\\n]*)", "$1 AUTH=XOAUTH2 SASL-IR");
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int n = 0; n < 65_536; n++) {
      int c = in.read();
      if (c < 0) {
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
      }
      if (c == '\n') {
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    throw new IOException("line too long");
  }

  private static void send(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
