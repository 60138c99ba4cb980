package com.kontroltravel.oc.examples;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A GreenMail IMAP and SMTP server on loopback ports of its own, with the monitored mailbox's user
 * (a random password), and helpers to play the booking system and the agencies: they send real mail
 * over SMTP. For the demo and tests only.
 */
public final class LoopbackMailServer implements AutoCloseable {
  /** The loopback address everything binds to. */
  public static final String HOST = "127.0.0.1";

  private final GreenMail greenMail;
  private final int smtpPort;
  private final int imapPort;
  private final String mailbox;
  private final String password;
  private final Session senderSession;

  private LoopbackMailServer(String mailbox) {
    this.mailbox = mailbox;
    byte[] secret = new byte[12];
    new SecureRandom().nextBytes(secret);
    this.password = HexFormat.of().formatHex(secret);
    // Ports chosen by the kernel when GreenMail binds (port 0): no window in which another
    // process, or a client's ephemeral port, could take a port picked beforehand.
    this.greenMail =
        new GreenMail(
            new ServerSetup[] {
              new ServerSetup(0, HOST, "smtp").dynamicPort(),
              new ServerSetup(0, HOST, "imap").dynamicPort()
            });
    greenMail.start();
    this.smtpPort = greenMail.getSmtp().getPort();
    this.imapPort = greenMail.getImap().getPort();
    greenMail.setUser(mailbox, mailbox, password);
    Properties p = new Properties();
    p.setProperty("mail.smtp.host", HOST);
    p.setProperty("mail.smtp.port", Integer.toString(smtpPort));
    p.setProperty("mail.smtp.connectiontimeout", "5000");
    p.setProperty("mail.smtp.timeout", "10000");
    this.senderSession = Session.getInstance(p);
  }

  /** Starts a server whose monitored mailbox is {@code mailbox}. */
  public static LoopbackMailServer start(String mailbox) {
    return new LoopbackMailServer(mailbox);
  }

  /** The monitored mailbox address (also its login). */
  public String mailbox() {
    return mailbox;
  }

  /** The monitored mailbox's password (random per server). */
  public String password() {
    return password;
  }

  /** The SMTP port (plaintext, loopback). */
  public int smtpPort() {
    return smtpPort;
  }

  /** The IMAP port (plaintext, loopback). */
  public int imapPort() {
    return imapPort;
  }

  /**
   * The authserv-id this server stamps on what it accepts, as a receiving MX does after checking
   * SPF, DKIM and DMARC. On loopback every sender is the demo's own, so it vouches for each.
   */
  public static final String AUTHSERV_ID = "loopback.oc-demo.invalid";

  /** The runner variables that point a gateway at this server (plaintext, loopback only). */
  public Map<String, String> settings() {
    Map<String, String> m = plaintextSettings(imapPort, smtpPort, mailbox, password);
    m.put("OC_TRUSTED_AUTHSERV_IDS", AUTHSERV_ID);
    return m;
  }

  /**
   * The runner variables for a plaintext IMAP/SMTP server on loopback ({@link #HOST}) whose
   * monitored mailbox is {@code mailbox}: the one place tests and the demo build them.
   */
  public static Map<String, String> plaintextSettings(
      int imapPort, int smtpPort, String mailbox, String password) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("IMAP_HOST", HOST);
    m.put("IMAP_PORT", Integer.toString(imapPort));
    m.put("IMAP_USERNAME", mailbox);
    m.put("IMAP_PASSWORD", password);
    m.put("IMAP_SECURITY", "PLAINTEXT");
    m.put("SMTP_HOST", HOST);
    m.put("SMTP_PORT", Integer.toString(smtpPort));
    m.put("SMTP_SECURITY", "PLAINTEXT");
    m.put("SMTP_FROM_EMAIL", mailbox);
    m.put("OC_ALLOW_PLAINTEXT", "true");
    return m;
  }

  /** Mails {@code to} over SMTP, optionally as a reply and with a PDF. */
  public void send(
      String from,
      String to,
      String subject,
      String body,
      Instant date,
      String inReplyTo,
      String pdfName,
      byte[] pdf) {
    send(from, to, subject, body, date, inReplyTo, pdfName, pdf, null);
  }

  /**
   * Mails {@code to} over SMTP under a given Message-ID (a redelivery of the same message), or a
   * new one when {@code messageId} is null.
   */
  public void send(
      String from,
      String to,
      String subject,
      String body,
      Instant date,
      String inReplyTo,
      String pdfName,
      byte[] pdf,
      String messageId) {
    try {
      Transport.send(build(from, to, subject, body, date, inReplyTo, pdfName, pdf, messageId));
    } catch (MessagingException e) {
      throw new IllegalStateException("sending to the loopback server failed: " + e, e);
    }
  }

  /**
   * Puts a message straight into the monitored mailbox, as if delivered long ago (a mailbox with
   * history, without an SMTP session per message).
   */
  public void preload(String from, String subject, Instant date, String pdfName, byte[] pdf) {
    try {
      greenMail
          .getUserManager()
          .getUser(mailbox)
          .deliver(build(from, mailbox, subject, "Adjunto", date, null, pdfName, pdf, null));
    } catch (MessagingException e) {
      throw new IllegalStateException("preloading the mailbox failed: " + e, e);
    }
  }

  private MimeMessage build(
      String from,
      String to,
      String subject,
      String body,
      Instant date,
      String inReplyTo,
      String pdfName,
      byte[] pdf,
      String messageId)
      throws MessagingException {
    MimeMessage m =
        new MimeMessage(senderSession) {
          @Override
          protected void updateMessageID() throws MessagingException {
            if (messageId == null) {
              super.updateMessageID();
            } else {
              setHeader("Message-ID", "<" + messageId + ">");
            }
          }
        };
    m.setFrom(new InternetAddress(from));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    m.setSubject(subject, "UTF-8");
    m.setSentDate(Date.from(date));
    m.setHeader(
        "Authentication-Results",
        AUTHSERV_ID + "; dmarc=pass header.from=" + from.substring(from.indexOf('@') + 1));
    if (inReplyTo != null) {
      m.setHeader("In-Reply-To", "<" + inReplyTo + ">");
      m.setHeader("References", "<" + inReplyTo + ">");
    }
    MimeMultipart mp = new MimeMultipart();
    MimeBodyPart text = new MimeBodyPart();
    text.setText(body, "UTF-8");
    mp.addBodyPart(text);
    if (pdf != null) {
      MimeBodyPart att = new MimeBodyPart();
      att.setDataHandler(
          new jakarta.activation.DataHandler(new ByteArrayDataSource(pdf, "application/pdf")));
      att.setFileName(pdfName);
      mp.addBodyPart(att);
    }
    m.setContent(mp);
    m.saveChanges();
    m.setSentDate(Date.from(date));
    return m;
  }

  /**
   * Messages the engine sent (those reaching any mailbox but the monitored one), one per
   * Message-ID, in arrival order.
   */
  public List<MimeMessage> outbound() {
    Map<String, MimeMessage> byId = new LinkedHashMap<>();
    greenMail
        .findReceivedMessages(u -> !u.getEmail().equalsIgnoreCase(mailbox), m -> true)
        .forEach(
            m -> {
              try {
                byId.putIfAbsent(m.getMessageID(), m);
              } catch (MessagingException e) {
                throw new IllegalStateException(e);
              }
            });
    return new ArrayList<>(byId.values());
  }

  /** Messages delivered to {@code address}. */
  public List<MimeMessage> inboxOf(String address) {
    return greenMail
        .findReceivedMessages(u -> u.getEmail().equalsIgnoreCase(address), m -> true)
        .toList();
  }

  /** The Message-ID of {@code m} without brackets. */
  public static String messageId(MimeMessage m) {
    try {
      String id = m.getMessageID();
      return id == null ? null : id.replaceAll("^<|>$", "");
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    greenMail.stop();
  }

  /** A free TCP port on loopback. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
