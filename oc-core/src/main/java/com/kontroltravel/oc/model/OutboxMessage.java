package com.kontroltravel.oc.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One message the engine has decided to send. There is exactly one row per (reservation, step,
 * generation); generation 0 is the scheduled message and each operator resend adds one. The
 * Message-ID is derived from those three values, so a crash between sending and recording resends
 * under the same Message-ID.
 *
 * @param id {@code reservationId/step/generation}
 * @param reservationId the booking, or null for messages not tied to one (digest)
 * @param step the step
 * @param generation 0, or the resend number
 * @param messageId the deterministic Message-ID, without brackets
 * @param inReplyTo the Message-ID this one answers, or null
 * @param references the thread's Message-IDs
 * @param to recipients
 * @param cc copied recipients
 * @param subject the subject (no CR/LF)
 * @param textBody plain text
 * @param htmlBody HTML
 * @param attachmentDocumentIds stored documents to attach
 * @param status delivery state
 * @param attempts how many times a dispatcher claimed it
 * @param nextAttemptAt when it may be (re)tried
 * @param lastError the last failure, or null
 * @param createdAt when it was queued
 * @param sentAt when the server accepted it, or null
 */
public record OutboxMessage(
    String id,
    String reservationId,
    Step step,
    int generation,
    String messageId,
    String inReplyTo,
    List<String> references,
    List<String> to,
    List<String> cc,
    String subject,
    String textBody,
    String htmlBody,
    List<String> attachmentDocumentIds,
    OutboxStatus status,
    int attempts,
    Instant nextAttemptAt,
    String lastError,
    Instant createdAt,
    Instant sentAt) {

  /** Checks the values and copies the lists. */
  public OutboxMessage {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(step, "step == null");
    Objects.requireNonNull(messageId, "messageId == null");
    Objects.requireNonNull(status, "status == null");
    Objects.requireNonNull(createdAt, "createdAt == null");
    references = references == null ? List.of() : List.copyOf(references);
    to = to == null ? List.of() : List.copyOf(to);
    cc = cc == null ? List.of() : List.copyOf(cc);
    attachmentDocumentIds =
        attachmentDocumentIds == null ? List.of() : List.copyOf(attachmentDocumentIds);
  }

  /** The row id for a (reservation, step, generation). */
  public static String idOf(String reservationId, Step step, int generation) {
    return (reservationId == null ? "-" : reservationId) + "/" + step.token() + "/" + generation;
  }

  /** A copy with another status, attempt count, next attempt time, error and sent time. */
  public OutboxMessage with(
      OutboxStatus newStatus,
      int newAttempts,
      Instant newNextAttemptAt,
      String newLastError,
      Instant newSentAt) {
    return new OutboxMessage(
        id,
        reservationId,
        step,
        generation,
        messageId,
        inReplyTo,
        references,
        to,
        cc,
        subject,
        textBody,
        htmlBody,
        attachmentDocumentIds,
        newStatus,
        newAttempts,
        newNextAttemptAt,
        newLastError,
        createdAt,
        newSentAt);
  }
}
