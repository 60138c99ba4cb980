package com.kontroltravel.oc.model;

import java.util.Objects;

/**
 * Where a first read of a mailbox starts when older mail is to be skipped without downloading it:
 * the cursor just before the first message dated at or after the cut-off, and how many messages lie
 * before it.
 *
 * @param cursor read from after this position
 * @param skipped how many messages the position passes over
 */
public record StartPosition(MailboxCursor cursor, long skipped) {
  /** Checks the values. */
  public StartPosition {
    Objects.requireNonNull(cursor, "cursor == null");
    if (skipped < 0) {
      throw new IllegalArgumentException("skipped < 0");
    }
  }
}
