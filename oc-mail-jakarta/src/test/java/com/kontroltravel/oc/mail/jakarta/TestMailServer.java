package com.kontroltravel.oc.mail.jakarta;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** A GreenMail server on loopback ports of its own, with the monitored mailbox's user. */
final class TestMailServer implements AutoCloseable {
  static final String USER = "ops@kontrol.example";
  static final String PASSWORD = "test-only-password";
  static final String HOST = "127.0.0.1";

  private final boolean tls;
  private int smtpPort;
  private int imapPort;
  private GreenMail greenMail;
  private GreenMailUser user;

  private TestMailServer(boolean tls) {
    this.tls = tls;
    start();
  }

  /** A running server, with implicit TLS (its self-signed certificate) or without. */
  static TestMailServer start(boolean tls) {
    return new TestMailServer(tls);
  }

  /**
   * Starts the server: the first time at ports the kernel chooses as GreenMail binds them (port 0,
   * so none can be taken in between), after {@link #stop()} at the same ports again.
   */
  void start() {
    ServerSetup smtp = new ServerSetup(smtpPort, HOST, tls ? "smtps" : "smtp");
    ServerSetup imap = new ServerSetup(imapPort, HOST, tls ? "imaps" : "imap");
    greenMail =
        new GreenMail(
            smtpPort == 0
                ? new ServerSetup[] {smtp.dynamicPort(), imap.dynamicPort()}
                : new ServerSetup[] {smtp, imap});
    greenMail.start();
    smtpPort = tls ? greenMail.getSmtps().getPort() : greenMail.getSmtp().getPort();
    imapPort = tls ? greenMail.getImaps().getPort() : greenMail.getImap().getPort();
    user = greenMail.setUser(USER, USER, PASSWORD);
  }

  /** Stops the server; GreenMail forgets every mailbox, as a server restored from nothing would. */
  void stop() {
    greenMail.stop();
  }

  GreenMail greenMail() {
    return greenMail;
  }

  GreenMailUser user() {
    return user;
  }

  int imapPort() {
    return imapPort;
  }

  int smtpPort() {
    return smtpPort;
  }

  /** Settings for a gateway on this server's monitored mailbox. */
  MailSettings.Builder settings() {
    MailSettings.Security security =
        tls ? MailSettings.Security.IMPLICIT_TLS : MailSettings.Security.PLAINTEXT;
    MailSettings.Builder b =
        MailSettings.builder()
            .imap(HOST, imapPort, security)
            .imapLogin(USER, Credentials.password(PASSWORD))
            .smtp(HOST, smtpPort, security)
            .from(USER, "Órdenes de Compra Kontrol")
            .timeouts(
                java.time.Duration.ofSeconds(5),
                java.time.Duration.ofSeconds(10),
                java.time.Duration.ofSeconds(10));
    if (tls) {
      b.testOnlyTrustedHosts(List.of(HOST));
    } else {
      b.allowPlaintext(true);
    }
    return b;
  }

  /** Puts a message into the monitored INBOX. */
  void deliver(MimeMessage message) {
    user.deliver(message);
  }

  /** Puts raw RFC 5322 bytes into the monitored INBOX. */
  void deliverRaw(byte[] eml) {
    try {
      deliver(
          new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(eml)));
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Messages that reached other users than the monitored one (what was sent), one per Message-ID.
   */
  List<MimeMessage> sentMessages() {
    Map<String, MimeMessage> byId = new LinkedHashMap<>();
    greenMail
        .findReceivedMessages(u -> !u.getEmail().equals(USER), m -> true)
        .forEach(
            m -> {
              try {
                byId.putIfAbsent(m.getMessageID(), m);
              } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
              }
            });
    return new ArrayList<>(byId.values());
  }

  @Override
  public void close() {
    if (greenMail != null) {
      greenMail.stop();
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
