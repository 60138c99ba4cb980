package com.kontroltravel.oc;

import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.InboundRecord;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One inbound message as an operator inspects it: the engine's record and, for quarantined,
 * ignored, reviewed and retrying messages within the retention period, the copy it kept.
 *
 * @param record what the engine recorded (outcome, reason, attempts)
 * @param message the kept copy (sender, subject, text, attachments), if any
 * @param leftOut attachments too big to keep (name and size), which make a reprocessing impossible
 */
public record InboundDetail(
    InboundRecord record, Optional<InboundMessage> message, List<String> leftOut) {
  /** Checks and copies. */
  public InboundDetail {
    Objects.requireNonNull(record, "record == null");
    message = message == null ? Optional.empty() : message;
    leftOut = leftOut == null ? List.of() : List.copyOf(leftOut);
  }

  /** Whether the message can be run through the engine again. */
  public boolean canReprocess() {
    return message.isPresent() && leftOut.isEmpty();
  }
}
