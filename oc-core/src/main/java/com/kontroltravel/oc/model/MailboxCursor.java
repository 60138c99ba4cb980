package com.kontroltravel.oc.model;

import java.util.Objects;

/**
 * A durable position in a mailbox folder: everything up to and including {@code uid} under {@code
 * uidValidity} has been handled.
 *
 * @param mailbox the gateway's name for the folder, for example {@code imap://ops@kontrol/INBOX}
 * @param uidValidity the folder's UIDVALIDITY
 * @param uid the highest UID handled
 */
public record MailboxCursor(String mailbox, long uidValidity, long uid) {
  /** Checks the values. */
  public MailboxCursor {
    Objects.requireNonNull(mailbox, "mailbox == null");
    if (uid < 0) {
      throw new IllegalArgumentException("uid < 0: " + uid);
    }
  }
}
