package com.kontroltravel.oc.testkit.mail;

import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.OutboundMessage;
import jakarta.activation.DataHandler;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test-side conversions between records and MIME for mail gateways' tests, written with plain
 * Jakarta Mail (not a gateway's code, which is under test). Needs {@code jakarta.mail-api} and an
 * implementation (Angus Mail) on the test class path; oc-testkit itself does not pull them in.
 */
public final class TestMails {
  /** A plain session for parsing and writing test messages. */
  public static final Session SESSION = Session.getInstance(new Properties());

  private static final Pattern ID = Pattern.compile("<([^>]+)>");

  private final String recipient;

  private TestMails(String recipient) {
    this.recipient = recipient;
  }

  /** Conversions for messages delivered to {@code mailbox}. */
  public static TestMails to(String mailbox) {
    return new TestMails(mailbox);
  }

  /** A real email carrying what {@code m} describes. */
  public MimeMessage toMime(InboundMessage m) {
    try {
      MimeMessage mime =
          new MimeMessage(SESSION) {
            @Override
            protected void updateMessageID() throws MessagingException {
              if (m.messageId() != null) {
                setHeader("Message-ID", "<" + m.messageId() + ">");
              }
            }
          };
      if (m.from() != null) {
        mime.setFrom(new InternetAddress(m.from(), m.fromName(), "UTF-8"));
      }
      mime.setRecipient(Message.RecipientType.TO, new InternetAddress(recipient));
      mime.setSubject(m.subject(), "UTF-8");
      mime.setSentDate(m.date() == null ? new Date() : Date.from(m.date()));
      if (!m.inReplyTo().isEmpty()) {
        mime.setHeader("In-Reply-To", brackets(m.inReplyTo()));
      }
      if (!m.references().isEmpty()) {
        mime.setHeader("References", brackets(m.references()));
      }
      if (m.attachments().isEmpty()) {
        mime.setText(m.textBody(), "UTF-8");
      } else {
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(m.textBody(), "UTF-8");
        mixed.addBodyPart(text);
        for (Attachment a : m.attachments()) {
          MimeBodyPart p = new MimeBodyPart();
          p.setDataHandler(
              new DataHandler(
                  new ByteArrayDataSource(
                      a.content(),
                      a.contentType() == null ? "application/octet-stream" : a.contentType())));
          if (a.fileName() != null) {
            p.setFileName(a.fileName());
          }
          p.setDisposition(Part.ATTACHMENT);
          mixed.addBodyPart(p);
        }
        mime.setContent(mixed);
      }
      mime.saveChanges();
      return mime;
    } catch (MessagingException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String brackets(List<String> ids) {
    return String.join(" ", ids.stream().map(i -> "<" + i + ">").toList());
  }

  /** What a sent email says, read back as the record the gateway was given. */
  public OutboundMessage toOutbound(MimeMessage m) {
    try {
      String replyTo = null;
      if (m.getHeader("Reply-To") != null) {
        replyTo = ((InternetAddress) m.getReplyTo()[0]).getAddress();
      }
      Parts parts = new Parts();
      collect(m, parts);
      List<String> refs = new ArrayList<>();
      String refHeader = m.getHeader("References", " ");
      if (refHeader != null) {
        Matcher x = ID.matcher(refHeader);
        while (x.find()) {
          refs.add(x.group(1));
        }
      }
      String inReplyTo = m.getHeader("In-Reply-To", " ");
      return new OutboundMessage(
          strip(m.getHeader("Message-ID", " ")),
          replyTo,
          addresses(m.getRecipients(Message.RecipientType.TO)),
          addresses(m.getRecipients(Message.RecipientType.CC)),
          m.getSubject(),
          parts.text == null ? "" : parts.text,
          parts.html,
          inReplyTo == null ? null : strip(inReplyTo),
          refs,
          parts.attachments);
    } catch (MessagingException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String strip(String id) {
    Matcher x = ID.matcher(id);
    return x.find() ? x.group(1) : id.trim();
  }

  private static List<String> addresses(Address[] a) {
    List<String> out = new ArrayList<>();
    if (a != null) {
      for (Address x : a) {
        out.add(((InternetAddress) x).getAddress());
      }
    }
    return out;
  }

  private static final class Parts {
    String text;
    String html;
    final List<Attachment> attachments = new ArrayList<>();
  }

  private static void collect(Part p, Parts out) throws MessagingException, IOException {
    if (p.isMimeType("multipart/*")) {
      Multipart mp = (Multipart) p.getContent();
      for (int i = 0; i < mp.getCount(); i++) {
        collect(mp.getBodyPart(i), out);
      }
    } else if (Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition()) || p.getFileName() != null) {
      try (InputStream in = p.getInputStream()) {
        out.attachments.add(
            new Attachment(
                p.getFileName(),
                new ContentType(p.getContentType()).getBaseType().toLowerCase(Locale.ROOT),
                in.readAllBytes()));
      }
    } else if (p.isMimeType("text/plain") && out.text == null) {
      out.text = (String) p.getContent();
    } else if (p.isMimeType("text/html") && out.html == null) {
      out.html = (String) p.getContent();
    }
  }

  /** The raw bytes of an email carrying what {@code m} describes. */
  public byte[] raw(InboundMessage m) {
    return raw(toMime(m));
  }

  /** A raw sent email read back as the record the gateway was given. */
  public OutboundMessage toOutbound(byte[] raw) {
    try {
      return toOutbound(new MimeMessage(SESSION, new java.io.ByteArrayInputStream(raw)));
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  public byte[] raw(MimeMessage m) {
    try {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      m.writeTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A one-line text request to {@code compras@agencia.example} under Message-ID {@code id}. */
  public static OutboundMessage simpleOutbound(String id) {
    return new OutboundMessage(
        id,
        null,
        List.of("compras@agencia.example"),
        List.of(),
        "Solicitud",
        "texto",
        null,
        null,
        List.of(),
        List.of());
  }
}
