package com.kontroltravel.oc.mail.mime;

import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.InboundMessage;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a MIME message into an {@link InboundMessage}. Never throws for a bad message: what cannot
 * be decoded is reported in {@link InboundMessage#problems()}. Thread safe.
 */
public final class MimeDecoder {
  static {
    StreamProviders.pin();
  }

  private static final Pattern ANGLE_ID = Pattern.compile("<([^<>\\s]+)>");
  private static final Pattern BARE_ADDRESS =
      Pattern.compile("[A-Za-z0-9._%+\\-=!#$&'*/?^`{|}~]+@[A-Za-z0-9.\\-]+");
  private static final int MAX_DEPTH = 20;

  private final Session session;
  private final long maxBytes;

  /**
   * A decoder that reads at most {@code maxBytes} of decoded attachment content per message.
   *
   * @param maxBytes the limit; a message whose attachments decode to more is reported as a problem
   */
  public MimeDecoder(long maxBytes) {
    this.session = Session.getInstance(parsingProperties());
    this.maxBytes = maxBytes;
  }

  /** The session properties that make Jakarta Mail lenient and decode every encoded name it can. */
  public static Properties parsingProperties() {
    Properties p = new Properties();
    p.setProperty("mail.mime.allowutf8", "true");
    p.setProperty("mail.mime.decodetext.strict", "false");
    p.setProperty("mail.mime.decodefilename", "true");
    p.setProperty("mail.mime.decodeparameters", "true");
    p.setProperty("mail.mime.parameters.strict", "false");
    p.setProperty("mail.mime.address.strict", "false");
    p.setProperty("mail.mime.multipart.ignoremissingendboundary", "true");
    p.setProperty("mail.mime.multipart.ignoremissingboundaryparameter", "true");
    p.setProperty("mail.mime.multipart.allowempty", "true");
    p.setProperty("mail.mime.windowsfilenames", "true");
    return p;
  }

  /**
   * The lenient session the decoder parses with; use it to build {@link MimeMessage}s to decode.
   */
  public Session session() {
    return session;
  }

  /**
   * A message decoded from its raw bytes.
   *
   * @param builder the decoded message, to complete with a position and further problems
   * @param authenticationResults the Authentication-Results headers, topmost first, or null
   */
  public record Decoded(InboundMessage.Builder builder, String[] authenticationResults) {}

  /**
   * Decodes a whole message from its raw RFC 5322 bytes. Never throws for a bad message: what
   * cannot be decoded is reported in the builder's problems. A message without a Message-ID is
   * given one derived from the SHA-256 of its bytes ({@link #digestMessageId}), so that two
   * different such messages stay apart.
   */
  public Decoded decode(byte[] raw) {
    MimeMessage message;
    try {
      message = new MimeMessage(session, new ByteArrayInputStream(raw));
    } catch (MessagingException | RuntimeException e) {
      return new Decoded(
          InboundMessage.builder()
              .messageId(digestMessageId(sha256Hex(raw)))
              .problems(List.of("unreadable message: " + describe(e))),
          null);
    }
    InboundMessage.Builder b = decode(message);
    if (b.build().messageId() == null) {
      b.messageId(digestMessageId(sha256Hex(raw)));
    }
    String[] auth;
    try {
      auth = message.getHeader("Authentication-Results");
    } catch (MessagingException | RuntimeException e) {
      auth = null;
    }
    return new Decoded(b, auth);
  }

  /**
   * The Message-ID given to a message that has none: {@code sha256-<hex>@oc-intake.invalid}.
   *
   * @param sha256Hex the SHA-256 of the raw message, in lower-case hex
   */
  public static String digestMessageId(String sha256Hex) {
    return "sha256-" + sha256Hex + "@oc-intake.invalid";
  }

  private static String sha256Hex(byte[] raw) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(raw));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  /** Decodes a whole message: headers, text and attachments. */
  public InboundMessage.Builder decode(MimeMessage message) {
    InboundMessage.Builder b = headers(message);
    List<String> problems = new ArrayList<>();
    if (header(message, "From") == null
        && header(message, "Date") == null
        && header(message, "Subject") == null
        && header(message, "Message-ID") == null) {
      problems.add("not an email: no From, Date, Subject or Message-ID header");
    }
    Collected c = new Collected();
    try {
      walk(message, c, problems, 0);
    } catch (MessagingException | IOException | RuntimeException e) {
      problems.add("broken MIME: " + describe(e));
    }
    String text =
        !c.plain.isEmpty()
            ? String.join("\n\n", c.plain)
            : c.html.isEmpty() ? "" : HtmlText.toText(String.join("\n", c.html));
    return b.textBody(text).attachments(c.attachments).problems(problems);
  }

  /** Decodes the headers only (for a message too large to download). */
  public InboundMessage.Builder headers(MimeMessage message) {
    InboundMessage.Builder b = InboundMessage.builder();
    b.messageId(firstId(header(message, "Message-ID")));
    b.inReplyTo(ids(header(message, "In-Reply-To")));
    b.references(ids(header(message, "References")));
    b.subject(subject(message));
    b.date(date(message));
    InternetAddress from = from(message);
    if (from != null) {
      b.from(from.getAddress() == null ? null : from.getAddress().toLowerCase(Locale.ROOT));
      String name = from.getPersonal();
      b.fromName(name == null || name.isBlank() ? null : name.trim());
    }
    return b;
  }

  private static String header(MimeMessage m, String name) {
    try {
      String[] v = m.getHeader(name);
      return v == null || v.length == 0 ? null : MimeUtility.unfold(v[0]);
    } catch (MessagingException | RuntimeException e) {
      return null;
    }
  }

  /** The first Message-ID in a header value, without brackets, or null. */
  public static String firstId(String value) {
    if (value == null) {
      return null;
    }
    Matcher m = ANGLE_ID.matcher(value);
    if (m.find()) {
      return m.group(1);
    }
    String t = value.trim().replace("<", "").replace(">", "");
    return t.isEmpty() || t.contains(" ") ? null : t;
  }

  /** Every Message-ID in a header value (In-Reply-To, References), without brackets. */
  public static List<String> ids(String value) {
    List<String> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    Matcher m = ANGLE_ID.matcher(value);
    while (m.find()) {
      out.add(m.group(1));
    }
    if (out.isEmpty()) {
      for (String t : value.trim().split("[\\s,]+")) {
        if (t.contains("@")) {
          out.add(t);
        }
      }
    }
    return out;
  }

  private static String subject(MimeMessage m) {
    String raw = header(m, "Subject");
    if (raw == null) {
      return "";
    }
    try {
      return MimeUtility.decodeText(raw).trim();
    } catch (UnsupportedEncodingException | RuntimeException e) {
      return raw.trim();
    }
  }

  private static Instant date(MimeMessage m) {
    try {
      Date d = m.getSentDate();
      return d == null ? null : d.toInstant();
    } catch (MessagingException | RuntimeException e) {
      return null;
    }
  }

  private static InternetAddress from(MimeMessage m) {
    try {
      Address[] a = m.getFrom();
      if (a != null
          && a.length > 0
          && a[0] instanceof InternetAddress ia
          && ia.getAddress() != null) {
        return ia;
      }
    } catch (MessagingException | RuntimeException e) {
      // fall through to the lenient reading below
    }
    String raw = header(m, "From");
    if (raw == null) {
      return null;
    }
    try {
      InternetAddress[] a = InternetAddress.parseHeader(raw, false);
      if (a.length > 0 && a[0].getAddress() != null && a[0].getAddress().contains("@")) {
        return a[0];
      }
    } catch (MessagingException | RuntimeException e) {
      // fall through
    }
    Matcher bare = BARE_ADDRESS.matcher(raw);
    if (bare.find()) {
      InternetAddress ia = new InternetAddress();
      ia.setAddress(bare.group());
      return ia;
    }
    return null;
  }

  private static final class Collected {
    final List<String> plain = new ArrayList<>();
    final List<String> html = new ArrayList<>();
    final List<Attachment> attachments = new ArrayList<>();
    long bytes;
  }

  private void walk(Part part, Collected c, List<String> problems, int depth)
      throws MessagingException, IOException {
    if (depth > MAX_DEPTH) {
      problems.add("broken MIME: parts nested deeper than " + MAX_DEPTH + " levels");
      return;
    }
    String type = baseType(part);
    if (type.startsWith("multipart/")) {
      Object content = part.getContent();
      if (!(content instanceof Multipart mp)) {
        problems.add("broken MIME: " + type + " without parts");
        return;
      }
      int count = mp.getCount();
      if (type.equals("multipart/alternative")) {
        Collected alt = new Collected();
        alt.bytes = c.bytes;
        for (int i = 0; i < count; i++) {
          walkChild(mp.getBodyPart(i), alt, problems, depth);
        }
        c.bytes = alt.bytes;
        if (!alt.plain.isEmpty()) {
          c.plain.addAll(alt.plain);
        } else {
          c.html.addAll(alt.html);
        }
        c.attachments.addAll(alt.attachments);
      } else {
        for (int i = 0; i < count; i++) {
          walkChild(mp.getBodyPart(i), c, problems, depth);
        }
      }
      return;
    }
    if (type.equals("message/rfc822") || type.equals("message/global")) {
      MimeMessage inner;
      try (InputStream in = part.getInputStream()) {
        inner = new MimeMessage(session, in);
      }
      walk(inner, c, problems, depth + 1);
      return;
    }
    String fileName = fileName(part);
    boolean attachment =
        Part.ATTACHMENT.equalsIgnoreCase(disposition(part))
            || fileName != null
            || !type.startsWith("text/");
    if (!attachment
        && (type.equals("text/plain")
            || type.equals("text/html")
            || type.equals("text/enriched"))) {
      String text = text(part);
      if (type.equals("text/html")) {
        c.html.add(text);
      } else {
        c.plain.add(text);
      }
      return;
    }
    // Everything else is a file, including text/calendar or text/csv without a name: nothing is
    // lost.
    byte[] bytes;
    try {
      bytes = read(part, c);
    } catch (IOException | MessagingException e) {
      problems.add(
          "attachment "
              + (fileName == null ? "(no name)" : "'" + fileName + "'")
              + " could not be decoded: "
              + describe(e));
      return;
    }
    c.attachments.add(new Attachment(fileName, declaredType(part), bytes));
  }

  private void walkChild(BodyPart child, Collected c, List<String> problems, int depth) {
    try {
      walk(child, c, problems, depth + 1);
    } catch (MessagingException | IOException | RuntimeException e) {
      problems.add("broken MIME part: " + describe(e));
    }
  }

  private byte[] read(Part part, Collected c) throws IOException, MessagingException {
    byte[] fast = readBase64(part, c);
    if (fast != null) {
      return fast;
    }
    try (InputStream in = part.getInputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[16384];
      int n;
      while ((n = in.read(buf)) > 0) {
        count(c, n);
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }

  /** Adds {@code n} decoded bytes to the message's total; over the limit, the part fails. */
  private void count(Collected c, long n) throws IOException {
    c.bytes += n;
    if (c.bytes > maxBytes) {
      throw new IOException("decoded content exceeds " + maxBytes + " bytes");
    }
  }

  /**
   * A base64 part decoded at once by the JDK's MIME decoder (Jakarta Mail's decoder stream works a
   * byte at a time: a fifth of the intake thread's CPU); null when the part is not base64 or the
   * text is not whole 4-character units or the JDK refuses it (data after the padding): Jakarta
   * Mail's decoder then reads it as before, forgiving or refusing it as it always did.
   */
  private byte[] readBase64(Part part, Collected c) throws IOException, MessagingException {
    if (!(part instanceof MimeBodyPart mbp) || !"base64".equalsIgnoreCase(mbp.getEncoding())) {
      return null;
    }
    byte[] encoded;
    try (InputStream in = mbp.getRawInputStream()) {
      // Base64 is 4 characters for 3 bytes, plus line ends; text longer than the decoded limit
      // allows in usual line lengths goes to the streaming decoder, which counts as it reads.
      long limit = (maxBytes - c.bytes) / 3 * 4 + (maxBytes - c.bytes) / 16 + 1024;
      encoded = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, limit + 1));
      if (encoded.length > limit) {
        return null;
      }
    }
    int units = 0;
    for (byte b : encoded) {
      if ((b >= 'A' && b <= 'Z')
          || (b >= 'a' && b <= 'z')
          || (b >= '0' && b <= '9')
          || b == '+'
          || b == '/'
          || b == '=') {
        units++;
      }
    }
    if (units % 4 != 0) {
      return null; // unpadded: Jakarta Mail refuses what the JDK would read
    }
    byte[] decoded;
    try {
      decoded = Base64.getMimeDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      return null;
    }
    count(c, decoded.length);
    return decoded;
  }

  private String text(Part part) throws MessagingException, IOException {
    try {
      Object content = part.getContent();
      if (content instanceof String s) {
        return s;
      }
    } catch (UnsupportedEncodingException e) {
      // an unknown charset: decoded below with a best guess
    }
    byte[] raw;
    try (InputStream in = part.getInputStream()) {
      raw = in.readAllBytes();
    }
    Charset cs = StandardCharsets.UTF_8;
    try {
      String declared = new ContentType(part.getContentType()).getParameter("charset");
      if (declared != null) {
        cs = Charset.forName(MimeUtility.javaCharset(declared));
      }
    } catch (RuntimeException | MessagingException e) {
      // keep UTF-8; a wrong guess costs accents, not the message
    }
    return new String(raw, cs);
  }

  private static String baseType(Part part) {
    try {
      String ct = part.getContentType();
      if (ct == null) {
        return "text/plain";
      }
      return new ContentType(ct).getBaseType().toLowerCase(Locale.ROOT);
    } catch (MessagingException | RuntimeException e) {
      String ct = null;
      try {
        ct = part.getContentType();
      } catch (MessagingException ignored) {
        // unreadable header
      }
      if (ct == null) {
        return "application/octet-stream";
      }
      String t = ct.split(";")[0].trim().toLowerCase(Locale.ROOT);
      return t.contains("/") ? t : "application/octet-stream";
    }
  }

  private static String declaredType(Part part) {
    String t = baseType(part);
    return t.isEmpty() ? null : t;
  }

  private static String disposition(Part part) {
    try {
      return part.getDisposition();
    } catch (MessagingException | RuntimeException e) {
      return null;
    }
  }

  private static String fileName(Part part) {
    String name;
    try {
      name = part.getFileName();
    } catch (MessagingException | RuntimeException e) {
      name = null;
    }
    if (name == null) {
      return null;
    }
    if (name.contains("=?")) {
      try {
        name = MimeUtility.decodeText(name);
      } catch (UnsupportedEncodingException | RuntimeException e) {
        // keep it as it came
      }
    }
    name = name.trim();
    return name.isEmpty() ? null : name;
  }

  /** The message of an exception, or its class name when it has none. */
  public static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
