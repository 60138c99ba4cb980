package com.kontroltravel.oc.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The engine's record of one inbound message, written exactly once per {@link
 * InboundMessage#dedupKey()}.
 *
 * @param key the de-duplication key
 * @param messageId the Message-ID, or null
 * @param from the sender, or null
 * @param subject the subject
 * @param receivedAt the message's date, or the time of intake
 * @param recordedAt when the engine recorded it
 * @param outcome what became of it
 * @param reason a human-readable reason (why ignored, quarantined, sent to review, or what was
 *     done)
 * @param reservationId the booking it concerns, or null
 * @param documentIds stored documents taken from it (confirmation or OC PDFs)
 * @param attempts how many times the engine processed it (1 after the first time)
 * @param nextAttemptAt when a {@link InboundOutcome#RETRYING} message is tried again, else null
 */
public record InboundRecord(
    String key,
    String messageId,
    String from,
    String subject,
    Instant receivedAt,
    Instant recordedAt,
    InboundOutcome outcome,
    String reason,
    String reservationId,
    List<String> documentIds,
    int attempts,
    Instant nextAttemptAt) {

  /** Checks the required values and copies the list. */
  public InboundRecord {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(recordedAt, "recordedAt == null");
    Objects.requireNonNull(outcome, "outcome == null");
    documentIds = documentIds == null ? List.of() : List.copyOf(documentIds);
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts < 0");
    }
    if (outcome != InboundOutcome.RETRYING) {
      nextAttemptAt = null;
    }
  }

  /** A record processed once, with no further attempt planned. */
  public InboundRecord(
      String key,
      String messageId,
      String from,
      String subject,
      Instant receivedAt,
      Instant recordedAt,
      InboundOutcome outcome,
      String reason,
      String reservationId,
      List<String> documentIds) {
    this(
        key,
        messageId,
        from,
        subject,
        receivedAt,
        recordedAt,
        outcome,
        reason,
        reservationId,
        documentIds,
        1,
        null);
  }

  /** This record with another outcome, reason and reservation. */
  public InboundRecord withOutcome(
      InboundOutcome newOutcome, String newReason, String newReservationId) {
    return new InboundRecord(
        key,
        messageId,
        from,
        subject,
        receivedAt,
        recordedAt,
        newOutcome,
        newReason,
        newReservationId,
        documentIds,
        attempts,
        nextAttemptAt);
  }
}
