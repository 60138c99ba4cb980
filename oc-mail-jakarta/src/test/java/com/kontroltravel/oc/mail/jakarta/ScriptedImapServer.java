package com.kontroltravel.oc.mail.jakarta;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal IMAP server on loopback for what GreenMail lacks: AUTHENTICATE XOAUTH2 (accepting one
 * token only) and a server without IDLE. It serves an empty INBOX. Connections time out after 15 s.
 */
final class ScriptedImapServer implements AutoCloseable {
  private static final String CAPABILITIES = "IMAP4rev1 AUTH=XOAUTH2 SASL-IR UIDPLUS";
  private final ServerSocket socket;
  private final String acceptedToken;
  final List<String> saslStrings = new CopyOnWriteArrayList<>();

  ScriptedImapServer(String acceptedToken) throws IOException {
    this.acceptedToken = acceptedToken;
    socket = new ServerSocket(0, 50, InetAddress.getByName(TestMailServer.HOST));
    Thread t = new Thread(this::acceptLoop, "imap-stub");
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
        Thread t = new Thread(() -> serve(s), "imap-stub-conn");
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
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = s.getOutputStream();
      send(out, "* OK [CAPABILITY " + CAPABILITIES + "] stub ready");
      String line;
      while ((line = in.readLine()) != null) {
        String[] words = line.split(" ", 3);
        String tag = words[0];
        String cmd = words.length > 1 ? words[1].toUpperCase(Locale.ROOT) : "";
        String rest = words.length > 2 ? words[2] : "";
        switch (cmd) {
          case "CAPABILITY" ->
              send(out, "* CAPABILITY " + CAPABILITIES + "\r\n" + tag + " OK done");
          case "AUTHENTICATE" -> {
            String[] args = rest.split(" ");
            String b64 = args.length > 1 ? args[1] : null;
            if (b64 == null) {
              send(out, "+ ");
              b64 = in.readLine();
            }
            String sasl =
                new String(Base64.getDecoder().decode(b64.trim()), StandardCharsets.UTF_8);
            saslStrings.add(sasl);
            if (sasl.contains("auth=Bearer " + acceptedToken + "\u0001")) {
              send(out, tag + " OK [CAPABILITY " + CAPABILITIES + "] authenticated");
            } else {
              send(out, tag + " NO [AUTHENTICATIONFAILED] invalid credentials");
            }
          }
          case "LIST" -> send(out, "* LIST () \"/\" INBOX\r\n" + tag + " OK done");
          case "SELECT", "EXAMINE" ->
              send(
                  out,
                  "* 0 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 7] ok\r\n* OK [UIDNEXT 1] ok\r\n"
                      + "* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft)\r\n"
                      + tag
                      + (cmd.equals("EXAMINE") ? " OK [READ-ONLY] done" : " OK [READ-WRITE] done"));
          case "LOGOUT" -> {
            send(out, "* BYE bye\r\n" + tag + " OK done");
            return;
          }
          default -> send(out, tag + " OK done");
        }
      }
    } catch (IOException | RuntimeException e) {
      // the client went away
    }
  }

  private static void send(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
