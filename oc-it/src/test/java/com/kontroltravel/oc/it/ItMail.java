package com.kontroltravel.oc.it;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.kontroltravel.oc.examples.LoopbackMailServer;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * GreenMail (IMAP + SMTP, plaintext, loopback only) for the integration tests, with raw SMTP
 * delivery (bytes exactly as given, for hostile MIME) and a reader of what the engine sent.
 */
final class ItMail implements AutoCloseable {
  static final String HOST = LoopbackMailServer.HOST;

  final GreenMail greenMail;
  final int smtpPort;
  final int imapPort;
  final String mailbox;
  final String password;
  private final Session session = Session.getInstance(new Properties());

  private ItMail(String mailbox, String password, int smtpPort, int imapPort) {
    this.mailbox = mailbox;
    this.password = password;
    this.smtpPort = smtpPort;
    this.imapPort = imapPort;
    this.greenMail =
        new GreenMail(
            new ServerSetup[] {
              new ServerSetup(smtpPort, HOST, "smtp"), new ServerSetup(imapPort, HOST, "imap")
            });
    greenMail.start();
    greenMail.setUser(mailbox, mailbox, password);
  }

  /** A server with a random password for the monitored mailbox. */
  static ItMail start(String mailbox) {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    return start(mailbox, "pw-" + HexFormat.of().formatHex(b));
  }

  static ItMail start(String mailbox, String password) {
    return new ItMail(mailbox, password, freePort(), freePort());
  }

  /** Runner variables that point the gateway at this server (plaintext on loopback). */
  Map<String, String> env() {
    return env(imapPort, smtpPort);
  }

  /** Runner variables for other ports (a proxy in front of this server). */
  Map<String, String> env(int imap, int smtp) {
    return LoopbackMailServer.plaintextSettings(imap, smtp, mailbox, password);
  }

  /**
   * Delivers {@code raw} to the monitored mailbox through a plain SMTP conversation, byte for byte
   * (dot-stuffed). Returns the server's answer to the end of DATA.
   */
  String deliverRaw(String envelopeFrom, byte[] raw) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, smtpPort), 5000);
      s.setSoTimeout(20_000);
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      OutputStream out = s.getOutputStream();
      expect(in, "220");
      command(out, "EHLO it.test");
      expect(in, "250");
      command(out, "MAIL FROM:<" + envelopeFrom + ">");
      expect(in, "250");
      command(out, "RCPT TO:<" + mailbox + ">");
      expect(in, "250");
      command(out, "DATA");
      expect(in, "354");
      out.write(dotStuff(raw));
      out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = expect(in, "250");
      command(out, "QUIT");
      return answer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void command(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static String expect(BufferedReader in, String code) throws IOException {
    String line;
    String last = null;
    do {
      line = in.readLine();
      if (line == null) {
        throw new IOException("SMTP server closed the connection; last line: " + last);
      }
      last = line;
    } while (line.length() > 3 && line.charAt(3) == '-');
    if (!line.startsWith(code)) {
      throw new IOException("SMTP: expected " + code + " but got " + line);
    }
    return line;
  }

  /** Normalises line ends to CRLF, doubles leading dots, ends with CRLF. */
  static byte[] dotStuff(byte[] raw) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(raw.length + 64);
    boolean lineStart = true;
    for (int i = 0; i < raw.length; i++) {
      byte c = raw[i];
      if (c == '\r' && i + 1 < raw.length && raw[i + 1] == '\n') {
        continue;
      }
      if (c == '\n' || c == '\r') {
        b.write('\r');
        b.write('\n');
        lineStart = true;
        continue;
      }
      if (lineStart && c == '.') {
        b.write('.');
      }
      b.write(c);
      lineStart = false;
    }
    if (!lineStart) {
      b.write('\r');
      b.write('\n');
    }
    return b.toByteArray();
  }

  /** A well-formed message, as raw bytes, optionally a reply and with attachments. */
  byte[] message(
      String messageId,
      String from,
      String subject,
      String body,
      Instant date,
      String inReplyTo,
      Map<String, String> extraHeaders,
      List<Attachment> attachments) {
    try {
      MimeMessage m = new MimeMessage(session);
      m.setFrom(new InternetAddress(from));
      m.setRecipient(Message.RecipientType.TO, new InternetAddress(mailbox));
      m.setSubject(subject, "UTF-8");
      if (inReplyTo != null) {
        m.setHeader("In-Reply-To", "<" + inReplyTo + ">");
        m.setHeader("References", "<" + inReplyTo + ">");
      }
      MimeMultipart mp = new MimeMultipart();
      MimeBodyPart text = new MimeBodyPart();
      text.setText(body, "UTF-8");
      mp.addBodyPart(text);
      for (Attachment a : attachments) {
        MimeBodyPart att = new MimeBodyPart();
        att.setDataHandler(
            new jakarta.activation.DataHandler(new ByteArrayDataSource(a.content(), a.type())));
        att.setFileName(a.name());
        att.setDisposition(MimeBodyPart.ATTACHMENT);
        mp.addBodyPart(att);
      }
      m.setContent(mp);
      m.saveChanges();
      m.setSentDate(Date.from(date));
      if (messageId != null) {
        m.setHeader("Message-ID", "<" + messageId + ">");
      } else {
        m.removeHeader("Message-ID");
      }
      extraHeaders.forEach(
          (k, v) -> {
            try {
              m.addHeader(k, v);
            } catch (MessagingException e) {
              throw new IllegalStateException(e);
            }
          });
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      m.writeTo(out, new String[] {"Message-ID"});
      byte[] rest = out.toByteArray();
      if (messageId == null) {
        return rest;
      }
      byte[] id = ("Message-ID: <" + messageId + ">\r\n").getBytes(StandardCharsets.US_ASCII);
      byte[] all = new byte[id.length + rest.length];
      System.arraycopy(id, 0, all, 0, id.length);
      System.arraycopy(rest, 0, all, id.length, rest.length);
      return all;
    } catch (MessagingException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An attachment for {@link #message}. */
  record Attachment(String name, String type, byte[] content) {
    static Attachment pdf(String name, byte[] content) {
      return new Attachment(name, "application/pdf", content);
    }
  }

  /** Every copy delivered to a mailbox other than the monitored one (what the engine sent). */
  List<MimeMessage> outbound() {
    List<MimeMessage> out = new ArrayList<>();
    greenMail
        .findReceivedMessages(u -> !u.getEmail().equalsIgnoreCase(mailbox), m -> true)
        .forEach(out::add);
    return out;
  }

  /** Copies delivered to {@code address}. */
  List<MimeMessage> inboxOf(String address) {
    return greenMail
        .findReceivedMessages(u -> u.getEmail().equalsIgnoreCase(address), m -> true)
        .toList();
  }

  /** The raw bytes (headers and body) of a stored message. */
  static String raw(MimeMessage m) {
    try {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      m.writeTo(b);
      return b.toString(StandardCharsets.UTF_8);
    } catch (IOException | MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The header block of a stored message, unfolded, one header per element. */
  static List<String> headerLines(MimeMessage m) {
    String raw = raw(m);
    int end = raw.indexOf("\r\n\r\n");
    String head = end < 0 ? raw : raw.substring(0, end);
    List<String> lines = new ArrayList<>();
    for (String l : head.split("\r\n")) {
      if (!lines.isEmpty() && (l.startsWith(" ") || l.startsWith("\t"))) {
        lines.set(lines.size() - 1, lines.get(lines.size() - 1) + l);
      } else {
        lines.add(l);
      }
    }
    return lines;
  }

  /** The decoded HTML parts of a stored message. */
  static List<String> htmlParts(MimeMessage m) {
    List<String> out = new ArrayList<>();
    try {
      collectHtml(m.getContent(), m.getContentType(), out);
    } catch (IOException | MessagingException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  private static void collectHtml(Object content, String type, List<String> out)
      throws MessagingException, IOException {
    if (content instanceof Multipart mp) {
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart p = mp.getBodyPart(i);
        collectHtml(p.getContent(), p.getContentType(), out);
      }
    } else if (type != null && type.toLowerCase().startsWith("text/html")) {
      out.add(String.valueOf(content));
    }
  }

  /** The Message-ID without brackets. */
  static String messageId(MimeMessage m) {
    return LoopbackMailServer.messageId(m);
  }

  @Override
  public void close() {
    greenMail.stop();
  }

  static int freePort() {
    return LoopbackMailServer.freePort();
  }
}
