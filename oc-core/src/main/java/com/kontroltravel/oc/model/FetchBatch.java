package com.kontroltravel.oc.model;

import java.util.List;
import java.util.Objects;

/**
 * Messages read from a mailbox after a cursor.
 *
 * @param messages the messages in mailbox order, each with its {@link InboundMessage#position()}
 * @param cursor the position after the whole batch (to save once every message is recorded)
 * @param hasMore true when more messages wait beyond this batch
 */
public record FetchBatch(List<InboundMessage> messages, MailboxCursor cursor, boolean hasMore) {
  /** Checks the values and copies the list. */
  public FetchBatch {
    messages = List.copyOf(Objects.requireNonNull(messages, "messages == null"));
    Objects.requireNonNull(cursor, "cursor == null");
  }
}
