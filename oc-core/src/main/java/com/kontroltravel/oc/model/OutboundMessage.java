package com.kontroltravel.oc.model;

import java.util.List;
import java.util.Objects;

/**
 * A message handed to a {@link com.kontroltravel.oc.spi.MailGateway} for sending. Header values
 * (subject, addresses, ids) never contain CR or LF; the engine strips them before building one.
 *
 * @param messageId the Message-ID to use, without brackets; the gateway must not replace it
 * @param replyTo the Reply-To address (the monitored mailbox), or null
 * @param to recipients (at least one)
 * @param cc copied recipients
 * @param subject the subject
 * @param textBody the plain-text alternative
 * @param htmlBody the HTML alternative, or null for text only
 * @param inReplyTo the Message-ID this answers, without brackets, or null
 * @param references the thread, without brackets
 * @param attachments files to attach
 */
public record OutboundMessage(
    String messageId,
    String replyTo,
    List<String> to,
    List<String> cc,
    String subject,
    String textBody,
    String htmlBody,
    String inReplyTo,
    List<String> references,
    List<Attachment> attachments) {

  /** Checks the values and copies the lists. */
  public OutboundMessage {
    Objects.requireNonNull(messageId, "messageId == null");
    Objects.requireNonNull(subject, "subject == null");
    Objects.requireNonNull(textBody, "textBody == null");
    to = List.copyOf(Objects.requireNonNull(to, "to == null"));
    if (to.isEmpty()) {
      throw new IllegalArgumentException("no recipients");
    }
    cc = cc == null ? List.of() : List.copyOf(cc);
    references = references == null ? List.of() : List.copyOf(references);
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
    for (String h : headerValues(messageId, replyTo, subject, inReplyTo)) {
      if (h != null && (h.indexOf('\r') >= 0 || h.indexOf('\n') >= 0)) {
        throw new IllegalArgumentException("CR/LF in a header value");
      }
    }
  }

  private static String[] headerValues(String... values) {
    return values;
  }
}
