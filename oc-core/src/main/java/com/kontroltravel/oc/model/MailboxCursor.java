package com.kontroltravel.oc.model;

import java.util.Objects;

/**
 * A durable position in a mailbox folder: everything up to and including {@code uid} under {@code
 * uidValidity} has been handled. A gateway whose server has no UIDs (Microsoft Graph, say) keeps
 * its own opaque position in {@code syncState} (a delta link) and may leave the numbers at zero.
 *
 * @param mailbox the gateway's name for the folder, for example {@code imap://ops@kontrol/INBOX}
 * @param uidValidity the folder's UIDVALIDITY
 * @param uid the highest UID handled
 * @param syncState the gateway's opaque position, or null; at most {@link #MAX_SYNC_STATE} chars
 */
public record MailboxCursor(String mailbox, long uidValidity, long uid, String syncState) {
  /** The longest {@code syncState} a store must keep. */
  public static final int MAX_SYNC_STATE = 16 * 1024;

  /** Checks the values. */
  public MailboxCursor {
    Objects.requireNonNull(mailbox, "mailbox == null");
    if (uid < 0) {
      throw new IllegalArgumentException("uid < 0: " + uid);
    }
    if (syncState != null && syncState.length() > MAX_SYNC_STATE) {
      throw new IllegalArgumentException(
          "syncState longer than " + MAX_SYNC_STATE + ": " + syncState.length());
    }
  }

  /** A position by UID alone (IMAP). */
  public MailboxCursor(String mailbox, long uidValidity, long uid) {
    this(mailbox, uidValidity, uid, null);
  }
}
