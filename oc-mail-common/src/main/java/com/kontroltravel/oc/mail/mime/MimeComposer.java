package com.kontroltravel.oc.mail.mime;

import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.OutboundMessage;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.PreencodedMimeBodyPart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * Builds the MIME message for an {@link OutboundMessage}: {@code multipart/mixed} > {@code
 * multipart/alternative} (text, HTML) + attachments, UTF-8, the From name, Reply-To, To, Cc, the
 * engine's Message-ID, In-Reply-To and References exactly as given, and {@code Auto-Submitted:
 * auto-generated}. Thread safe.
 */
public final class MimeComposer {
  static {
    StreamProviders.pin();
  }

  /** Attachments: base64 in lines of 76 characters ended by CRLF (RFC 2045). */
  private static final Base64.Encoder MIME_BASE64 =
      Base64.getMimeEncoder(76, new byte[] {'\r', '\n'});

  private final Session session;

  /** A composer whose messages belong to {@code session} (for SMTP, the sending session). */
  public MimeComposer(Session session) {
    this.session = Objects.requireNonNull(session, "session == null");
  }

  /** A composer with a session of its own, for gateways that send the raw bytes themselves. */
  public MimeComposer() {
    this(Session.getInstance(new Properties()));
  }

  /** A message that keeps the Message-ID it was given. */
  private static final class FixedIdMimeMessage extends MimeMessage {
    private final String messageId;

    FixedIdMimeMessage(Session session, String messageId) {
      super(session);
      this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", "<" + messageId + ">");
    }
  }

  /**
   * The MIME message for {@code m}, sent from {@code fromAddress} with {@code fromName}.
   *
   * @throws AddressException when an address is invalid (a permanent failure)
   * @throws MessagingException when the message cannot be built
   */
  public MimeMessage compose(OutboundMessage m, String fromAddress, String fromName)
      throws MessagingException {
    String id = MimeDecoder.firstId(m.messageId());
    if (id == null) {
      throw new MessagingException("unusable Message-ID: " + m.messageId());
    }
    MimeMessage msg = new FixedIdMimeMessage(session, id);
    try {
      msg.setFrom(new InternetAddress(fromAddress, fromName, "UTF-8"));
    } catch (UnsupportedEncodingException e) {
      throw new MessagingException("UTF-8 unsupported", e);
    }
    if (m.replyTo() != null && !m.replyTo().isBlank()) {
      msg.setReplyTo(new InternetAddress[] {new InternetAddress(m.replyTo(), true)});
    }
    msg.setRecipients(Message.RecipientType.TO, addresses(m.to()));
    if (!m.cc().isEmpty()) {
      msg.setRecipients(Message.RecipientType.CC, addresses(m.cc()));
    }
    msg.setSubject(m.subject(), "UTF-8");
    msg.setSentDate(new Date());
    if (m.inReplyTo() != null && !m.inReplyTo().isBlank()) {
      msg.setHeader("In-Reply-To", "<" + MimeDecoder.firstId(m.inReplyTo()) + ">");
    }
    if (!m.references().isEmpty()) {
      StringBuilder refs = new StringBuilder();
      for (String r : m.references()) {
        refs.append(refs.length() == 0 ? "" : " ")
            .append('<')
            .append(MimeDecoder.firstId(r))
            .append('>');
      }
      msg.setHeader("References", MimeUtility.fold("References: ".length(), refs.toString()));
    }
    msg.setHeader("Auto-Submitted", "auto-generated");

    MimeBodyPart text = new MimeBodyPart();
    text.setText(m.textBody(), "UTF-8", "plain");
    MimeMultipart mixed = new MimeMultipart("mixed");
    if (m.htmlBody() != null) {
      MimeBodyPart html = new MimeBodyPart();
      html.setText(m.htmlBody(), "UTF-8", "html");
      MimeMultipart alternative = new MimeMultipart("alternative");
      alternative.addBodyPart(text);
      alternative.addBodyPart(html);
      MimeBodyPart wrapper = new MimeBodyPart();
      wrapper.setContent(alternative);
      mixed.addBodyPart(wrapper);
    } else {
      mixed.addBodyPart(text);
    }
    for (Attachment a : m.attachments()) {
      // Encoded here with the JDK's Base64 (76-character lines, CRLF), not by Jakarta Mail's
      // byte-at-a-time encoder stream: a PDF attachment was a sixth of a send thread's CPU.
      MimeBodyPart part = new PreencodedMimeBodyPart("base64");
      String type = a.contentType() == null ? "application/octet-stream" : a.contentType();
      part.setDataHandler(new DataHandler(new ByteArrayDataSource(base64(a.content()), type)));
      if (a.fileName() != null) {
        part.setFileName(a.fileName());
      }
      part.setDisposition(Part.ATTACHMENT);
      mixed.addBodyPart(part);
    }
    msg.setContent(mixed);
    msg.saveChanges();
    return msg;
  }

  /** {@code content} in base64 lines of 76 characters, each ended by CRLF. */
  static byte[] base64(byte[] content) {
    byte[] lines = MIME_BASE64.encode(content);
    if (lines.length == 0) {
      return lines;
    }
    byte[] out = Arrays.copyOf(lines, lines.length + 2);
    out[lines.length] = '\r';
    out[lines.length + 1] = '\n';
    return out;
  }

  /**
   * The raw RFC 5322 bytes of {@code m} (CRLF line ends, 7-bit clean), for APIs that take a whole
   * message, such as Microsoft Graph's {@code sendMail} with a MIME body.
   *
   * @throws AddressException when an address is invalid (a permanent failure)
   * @throws MessagingException when the message cannot be built
   */
  public byte[] composeBytes(OutboundMessage m, String fromAddress, String fromName)
      throws MessagingException {
    MimeMessage msg = compose(m, fromAddress, fromName);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      msg.writeTo(out);
    } catch (IOException e) {
      throw new MessagingException("cannot write the message", e);
    }
    return out.toByteArray();
  }

  private static InternetAddress[] addresses(List<String> list) throws AddressException {
    InternetAddress[] out = new InternetAddress[list.size()];
    for (int i = 0; i < list.size(); i++) {
      out[i] = new InternetAddress(list.get(i), true);
    }
    return out;
  }
}
