package com.kontroltravel.oc.mail.jakarta;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.angus.mail.imap.IMAPFolder;

/** Which messages of an open folder come after the intake's cursor, listed a window at a time. */
final class UidWindows {
  private UidWindows() {}

  /**
   * The messages after UID {@code from}: at least {@code maxMessages + 1} of them when there are
   * that many (one more tells that the mailbox has more), in no particular order.
   *
   * <p>UIDs are asked for in windows from {@code from + 1} up to the folder's UIDNEXT, the first
   * one {@code maxMessages + 1} wide and each next one twice as wide (expunged messages leave
   * gaps), not as {@code from+1:*}: that lists every message after the cursor on every read, so a
   * backlog of n messages read in batches of b cost n²/2b listed messages (5,500 for 1,000 in
   * batches of 100; 50 million for 100,000). When the windows up to UIDNEXT do not fill the batch,
   * a last {@code UIDNEXT:*} range takes what came after the SELECT. Without a UIDNEXT from the
   * server, one {@code from+1:*} range as before.
   */
  static List<Message> after(IMAPFolder f, long from, int maxMessages) throws MessagingException {
    List<Message> out = new ArrayList<>();
    long uidNext = f.getUIDNext();
    if (uidNext <= 0) {
      addAfter(f, f.getMessagesByUID(from + 1, UIDFolder.LASTUID), from, out);
      return out;
    }
    long lo = from + 1;
    long width = maxMessages + 1L;
    while (out.size() <= maxMessages && lo < uidNext) {
      long hi = Math.min(uidNext - 1, lo + width - 1);
      addAfter(f, f.getMessagesByUID(lo, hi), from, out);
      lo = hi + 1;
      width = Math.min(width * 2, 1L << 30);
    }
    if (out.size() <= maxMessages) {
      // Past UIDNEXT: mail that arrived after the SELECT, or a server whose UIDNEXT lags.
      // ("n:*" also answers the last message when none is at n or above: skipped by UID.)
      addAfter(f, f.getMessagesByUID(lo, UIDFolder.LASTUID), lo - 1, out);
    }
    return out;
  }

  private static void addAfter(IMAPFolder f, Message[] found, long from, List<Message> out)
      throws MessagingException {
    for (Message m : found) {
      if (m != null && !m.isExpunged() && f.getUID(m) > from) {
        out.add(m);
      }
    }
  }
}
