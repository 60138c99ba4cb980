package com.kontroltravel.oc.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * An email as the engine sees it, already decoded by a {@link
 * com.kontroltravel.oc.spi.MailGateway}.
 *
 * @param messageId the Message-ID without angle brackets, or null when the message had none
 * @param from the sender's address (lower case), or null
 * @param fromName the sender's display name, or null
 * @param subject the decoded subject, or empty
 * @param textBody the plain-text body (or text derived from HTML), or empty
 * @param date the Date header, or null
 * @param inReplyTo Message-IDs from In-Reply-To, without brackets
 * @param references Message-IDs from References, without brackets
 * @param attachments decoded attachments (including those of forwarded messages)
 * @param position where the message sits in its mailbox, or null when it was not read from one
 * @param problems what the gateway found wrong (broken MIME, too large, failed authenticity check);
 *     a message with problems is quarantined with them as the reason
 * @param authenticated true when the gateway verified the sender (for example DMARC pass); false
 *     when unchecked
 */
public record InboundMessage(
    String messageId,
    String from,
    String fromName,
    String subject,
    String textBody,
    Instant date,
    List<String> inReplyTo,
    List<String> references,
    List<Attachment> attachments,
    MailboxCursor position,
    List<String> problems,
    boolean authenticated) {

  /** Normalises nulls to empty values, the sender to lower case, and copies the lists. */
  public InboundMessage {
    from = from == null ? null : from.trim().toLowerCase(java.util.Locale.ROOT);
    subject = subject == null ? "" : subject;
    textBody = textBody == null ? "" : textBody;
    inReplyTo = inReplyTo == null ? List.of() : List.copyOf(inReplyTo);
    references = references == null ? List.of() : List.copyOf(references);
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  /** A builder for tests and hosts that feed the engine directly. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The key the engine records this message under: the Message-ID when present, else a SHA-256 of
   * the sender, date, subject, body and attachments.
   */
  public String dedupKey() {
    if (messageId != null && !messageId.isBlank()) {
      return messageId.trim();
    }
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String s : new String[] {from, String.valueOf(date), subject, textBody}) {
        md.update(String.valueOf(s).getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      }
      for (Attachment a : attachments) {
        md.update(String.valueOf(a.fileName()).getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(a.content());
        md.update((byte) 0);
      }
      return "sha256:" + HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  /** The sender's domain (after {@code @}), lower case, or empty. */
  public String fromDomain() {
    if (from == null) {
      return "";
    }
    int at = from.lastIndexOf('@');
    return at < 0 ? "" : from.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
  }

  /** Builds {@link InboundMessage}; not thread safe. */
  public static final class Builder {
    private String messageId;
    private String from;
    private String fromName;
    private String subject = "";
    private String textBody = "";
    private Instant date;
    private List<String> inReplyTo = List.of();
    private List<String> references = List.of();
    private List<Attachment> attachments = List.of();
    private MailboxCursor position;
    private List<String> problems = List.of();
    private boolean authenticated;

    private Builder() {}

    /** Sets {@code messageId}. */
    public Builder messageId(String v) {
      messageId = v;
      return this;
    }

    /** Sets {@code from}. */
    public Builder from(String v) {
      from = v;
      return this;
    }

    /** Sets {@code fromName}. */
    public Builder fromName(String v) {
      fromName = v;
      return this;
    }

    /** Sets {@code subject}. */
    public Builder subject(String v) {
      subject = v;
      return this;
    }

    /** Sets {@code textBody}. */
    public Builder textBody(String v) {
      textBody = v;
      return this;
    }

    /** Sets {@code date}. */
    public Builder date(Instant v) {
      date = v;
      return this;
    }

    /** Sets {@code inReplyTo}. */
    public Builder inReplyTo(List<String> v) {
      inReplyTo = v;
      return this;
    }

    /** Sets {@code references}. */
    public Builder references(List<String> v) {
      references = v;
      return this;
    }

    /** Sets {@code attachments}. */
    public Builder attachments(List<Attachment> v) {
      attachments = v;
      return this;
    }

    /** Sets {@code attachment}. */
    public Builder attachment(Attachment a) {
      attachments = new java.util.ArrayList<>(attachments);
      attachments.add(Objects.requireNonNull(a, "attachment == null"));
      return this;
    }

    /** Sets {@code position}. */
    public Builder position(MailboxCursor v) {
      position = v;
      return this;
    }

    /** Sets {@code problems}. */
    public Builder problems(List<String> v) {
      problems = v;
      return this;
    }

    /** Sets {@code authenticated}. */
    public Builder authenticated(boolean v) {
      authenticated = v;
      return this;
    }

    /** Builds the value. */
    public InboundMessage build() {
      return new InboundMessage(
          messageId,
          from,
          fromName,
          subject,
          textBody,
          date,
          inReplyTo,
          references,
          attachments,
          position,
          problems,
          authenticated);
    }
  }
}
