package com.kontroltravel.oc.examples;

import com.kontroltravel.oc.mail.jakarta.MailSettings;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.Properties;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.angus.mail.imap.IMAPStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code check-mail}: tries the configured IMAP and SMTP servers step by step (DNS, TCP, TLS,
 * authentication, folder, IDLE) and says plainly what works. Exit code 1 when something fails.
 */
@Command(
    name = "check-mail",
    mixinStandardHelpOptions = true,
    description = {
      "Checks the IMAP and SMTP settings: DNS, TCP, TLS, authentication, folder and IDLE support.",
      "Exit code 0 when everything needed works, 1 otherwise, 2 when the settings are invalid."
    })
final class CheckMailCommand implements Callable<Integer> {
  @ParentCommand Runner root;
  @Spec CommandSpec spec;

  @Option(
      names = "--timeout",
      defaultValue = "10",
      description = "Seconds to wait for each connection (default 10).")
  int timeoutSeconds;

  private PrintWriter out;
  private boolean failed;

  @Override
  public Integer call() {
    out = spec.commandLine().getOut();
    RunnerSettings s = root.settings();
    MailSettings m = s.mailSettings();
    String imapPassword = s.get("IMAP_PASSWORD");
    String smtpPassword = s.get("SMTP_PASSWORD", imapPassword);
    checkImap(m, imapPassword);
    out.println();
    checkSmtp(m, smtpPassword);
    out.println();
    out.println(failed ? "RESULT: some checks FAILED" : "RESULT: mail settings work");
    out.flush();
    return failed ? 1 : 0;
  }

  private void ok(String what, String detail) {
    out.println("  [ok]   " + what + ": " + detail);
  }

  private void warn(String what, String detail) {
    out.println("  [warn] " + what + ": " + detail);
  }

  private void fail(String what, String detail) {
    failed = true;
    out.println("  [FAIL] " + what + ": " + detail);
  }

  private void skip(String what, String why) {
    out.println("  [skip] " + what + ": " + why);
  }

  private boolean network(String host, int port, MailSettings.Security security) {
    InetAddress address;
    try {
      InetAddress[] all = InetAddress.getAllByName(host);
      address = all[0];
      ok("DNS", host + " -> " + address.getHostAddress());
    } catch (UnknownHostException e) {
      fail("DNS", "cannot resolve " + host);
      return false;
    }
    long t0 = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), timeoutSeconds * 1000);
      ok(
          "TCP",
          "connected to port " + port + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    } catch (java.io.IOException e) {
      fail("TCP", "cannot connect to " + host + ":" + port + " (" + e.getMessage() + ")");
      return false;
    }
    switch (security) {
      case IMPLICIT_TLS -> {
        try (SSLSocket tls = (SSLSocket) SSLSocketFactory.getDefault().createSocket()) {
          tls.connect(new InetSocketAddress(address, port), timeoutSeconds * 1000);
          tls.setSoTimeout(timeoutSeconds * 1000);
          SSLParameters p = tls.getSSLParameters();
          p.setEndpointIdentificationAlgorithm("HTTPS");
          p.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName(host)));
          tls.setSSLParameters(p);
          tls.startHandshake();
          ok(
              "TLS",
              tls.getSession().getProtocol()
                  + ", certificate valid for "
                  + host
                  + " ("
                  + tls.getSession().getCipherSuite()
                  + ")");
        } catch (IllegalArgumentException | java.io.IOException e) {
          fail("TLS", "handshake with " + host + ":" + port + " failed: " + e.getMessage());
          return false;
        }
      }
      case STARTTLS -> ok("TLS", "STARTTLS is required; negotiated during login below");
      case PLAINTEXT -> warn("TLS", "none: plaintext (allowed on loopback only)");
      default -> {}
    }
    return true;
  }

  private Properties props(String protocol, MailSettings.Security security) {
    Properties p = new Properties();
    String x = "mail." + protocol + ".";
    String ms = Integer.toString(timeoutSeconds * 1000);
    p.setProperty(x + "connectiontimeout", ms);
    p.setProperty(x + "timeout", ms);
    p.setProperty(x + "writetimeout", ms);
    if (security == MailSettings.Security.STARTTLS) {
      p.setProperty(x + "starttls.enable", "true");
      p.setProperty(x + "starttls.required", "true");
    }
    if (security != MailSettings.Security.PLAINTEXT) {
      p.setProperty(x + "ssl.checkserveridentity", "true");
    }
    return p;
  }

  private void checkImap(MailSettings m, String password) {
    out.println(
        "IMAP "
            + m.imapHost()
            + ":"
            + m.imapPort()
            + " ("
            + m.imapSecurity()
            + "), user "
            + m.imapUsername()
            + ", folder "
            + m.folder());
    if (!network(m.imapHost(), m.imapPort(), m.imapSecurity())) {
      skip("authentication, folder, IDLE", "not checked (the connection failed)");
      return;
    }
    String protocol = m.imapSecurity() == MailSettings.Security.IMPLICIT_TLS ? "imaps" : "imap";
    Session session = Session.getInstance(props(protocol, m.imapSecurity()));
    IMAPStore store = null;
    try {
      store = (IMAPStore) session.getStore(protocol);
      store.connect(m.imapHost(), m.imapPort(), m.imapUsername(), password);
      ok("authentication", "logged in as " + m.imapUsername());
    } catch (AuthenticationFailedException e) {
      fail("authentication", "the server refused the login (" + e.getMessage() + ")");
      skip("folder, IDLE", "not checked (not logged in)");
      return;
    } catch (MessagingException e) {
      fail("login", describe(e));
      skip("folder, IDLE", "not checked (not logged in)");
      return;
    }
    try {
      Folder f = store.getFolder(m.folder());
      if (!f.exists()) {
        fail("folder", m.folder() + " does not exist");
      } else {
        f.open(Folder.READ_ONLY);
        ok("folder", m.folder() + " opened read-only, " + f.getMessageCount() + " message(s)");
        f.close(false);
      }
      if (store.hasCapability("IDLE")) {
        ok("IDLE", "supported: new mail is seen at once");
      } else {
        warn("IDLE", "not supported: the mailbox is polled every " + m.pollInterval());
      }
    } catch (MessagingException e) {
      fail("folder", describe(e));
    } finally {
      try {
        store.close();
      } catch (MessagingException e) {
        // closing after a check; nothing to report
      }
    }
  }

  private void checkSmtp(MailSettings m, String password) {
    out.println(
        "SMTP "
            + m.smtpHost()
            + ":"
            + m.smtpPort()
            + " ("
            + m.smtpSecurity()
            + "), user "
            + m.smtpUsername()
            + ", from "
            + m.fromAddress());
    if (!network(m.smtpHost(), m.smtpPort(), m.smtpSecurity())) {
      skip("authentication", "not checked (the connection failed)");
      return;
    }
    String protocol = m.smtpSecurity() == MailSettings.Security.IMPLICIT_TLS ? "smtps" : "smtp";
    Properties p = props(protocol, m.smtpSecurity());
    p.setProperty("mail." + protocol + ".auth", "true");
    Session session = Session.getInstance(p);
    try (Transport t = session.getTransport(protocol)) {
      t.connect(m.smtpHost(), m.smtpPort(), m.smtpUsername(), password);
      ok(
          "authentication",
          "logged in as "
              + m.smtpUsername()
              + (m.smtpSecurity() == MailSettings.Security.STARTTLS ? " over STARTTLS" : ""));
    } catch (AuthenticationFailedException e) {
      fail("authentication", "the server refused the login (" + e.getMessage() + ")");
    } catch (MessagingException e) {
      fail("login", describe(e));
    }
  }

  private static String describe(MessagingException e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String top = e.getMessage();
    return cause == e
        ? top
        : top + " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
  }
}
