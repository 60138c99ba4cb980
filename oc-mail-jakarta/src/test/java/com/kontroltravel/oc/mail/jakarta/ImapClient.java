package com.kontroltravel.oc.mail.jakarta;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Another mail client on the test server (a person, or the server admin), written with plain
 * Jakarta Mail.
 */
final class ImapClient implements AutoCloseable {
  private final Store store;

  ImapClient(TestMailServer server) throws MessagingException {
    Properties p = new Properties();
    p.setProperty("mail.imap.connectiontimeout", "5000");
    p.setProperty("mail.imap.timeout", "10000");
    store = Session.getInstance(p).getStore("imap");
    store.connect(
        TestMailServer.HOST, server.imapPort(), TestMailServer.USER, TestMailServer.PASSWORD);
  }

  Folder folder(String name) throws MessagingException {
    return store.getFolder(name);
  }

  void create(String name) throws MessagingException {
    Folder f = store.getFolder(name);
    if (!f.exists()) {
      f.create(Folder.HOLDS_MESSAGES);
    }
  }

  void delete(String name) throws MessagingException {
    store.getFolder(name).delete(true);
  }

  void append(String folder, MimeMessage... messages) throws MessagingException {
    Folder f = store.getFolder(folder);
    f.appendMessages(messages);
  }

  long uidValidity(String name) throws MessagingException {
    jakarta.mail.UIDFolder f = (jakarta.mail.UIDFolder) store.getFolder(name);
    ((Folder) f).open(Folder.READ_ONLY);
    try {
      return f.getUIDValidity();
    } finally {
      ((Folder) f).close(false);
    }
  }

  /** Marks the messages at these 1-based positions as read, as a person opening them would. */
  void markSeen(String folder, int... numbers) throws MessagingException {
    setFlag(folder, Flags.Flag.SEEN, false, numbers);
  }

  /** Deletes the messages at these 1-based positions and expunges them, as a person would. */
  void expunge(String folder, int... numbers) throws MessagingException {
    setFlag(folder, Flags.Flag.DELETED, true, numbers);
  }

  private void setFlag(String folder, Flags.Flag flag, boolean expunge, int... numbers)
      throws MessagingException {
    Folder f = store.getFolder(folder);
    f.open(Folder.READ_WRITE);
    try {
      for (int n : numbers) {
        f.getMessage(n).setFlag(flag, true);
      }
    } finally {
      f.close(expunge);
    }
  }

  /** The flags of every message in the folder, in order. */
  List<Flags> flags(String folder) throws MessagingException {
    Folder f = store.getFolder(folder);
    f.open(Folder.READ_ONLY);
    try {
      List<Flags> out = new ArrayList<>();
      for (Message m : f.getMessages()) {
        out.add(m.getFlags());
      }
      return out;
    } finally {
      f.close(false);
    }
  }

  int count(String folder) throws MessagingException {
    Folder f = store.getFolder(folder);
    if (!f.exists()) {
      return 0;
    }
    f.open(Folder.READ_ONLY);
    try {
      return f.getMessageCount();
    } finally {
      f.close(false);
    }
  }

  @Override
  public void close() throws MessagingException {
    store.close();
  }
}
