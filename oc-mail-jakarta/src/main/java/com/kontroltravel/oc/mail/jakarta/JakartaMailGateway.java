package com.kontroltravel.oc.mail.jakarta;

import com.kontroltravel.oc.exception.MailAccessException;
import com.kontroltravel.oc.mail.mime.MimeComposer;
import com.kontroltravel.oc.mail.mime.MimeDecoder;
import com.kontroltravel.oc.mail.mime.SenderAuthenticityCheck;
import com.kontroltravel.oc.model.FetchBatch;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.MailboxCursor;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.SendResult;
import com.kontroltravel.oc.spi.MailGateway;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.HeaderTerm;
import jakarta.mail.util.SharedFileInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MailGateway} over Jakarta Mail and Angus Mail: IMAP intake by UID after a durable cursor
 * (never by the \Seen flag, which it leaves untouched), IMAP IDLE push, and SMTP sending with the
 * engine's Message-ID.
 *
 * <p>Thread safe: mailbox reads share one IMAP connection under a lock, sends reuse a small pool of
 * authenticated SMTP sessions ({@link MailSettings#smtpPoolSize()}; a session that fails is closed
 * and replaced, a send is never repeated here), and IDLE runs on its own connection and thread. A
 * dead connection is reopened on the next call. Secrets never reach a log line or an exception
 * message.
 */
public final class JakartaMailGateway implements MailGateway {
  private static final Logger log = LoggerFactory.getLogger(JakartaMailGateway.class);
  private static final String[] HEADERS = {
    "Message-ID",
    "In-Reply-To",
    "References",
    "Authentication-Results",
    "Content-Type",
    "From",
    "Subject",
    "Date"
  };

  /** Bodies fetched per round trip, at most (plus one message). */
  private static final long PREFETCH_BYTES = 8L * 1024 * 1024;

  private final MailSettings settings;
  private final String mailboxName;
  private final String imapProtocol;
  private final String smtpProtocol;
  private final Session imapSession;
  private final Session idleSession;
  private final Session smtpSession;
  private final MimeDecoder decoder;
  private final MimeComposer composer;
  private final SmtpSessions smtpSessions;
  private final Object imapLock = new Object();
  private final List<IdleWatcher> watchers = new CopyOnWriteArrayList<>();
  private IMAPStore store;
  private IMAPFolder folder;

  /** The MOVE folder was seen to exist, or created, since the last connect. Under imapLock. */
  private boolean moveTargetReady;

  private volatile boolean closed;

  private JakartaMailGateway(MailSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings == null");
    this.mailboxName =
        "imap://" + settings.imapUsername() + "@" + settings.imapHost() + "/" + settings.folder();
    this.imapProtocol =
        settings.imapSecurity() == MailSettings.Security.IMPLICIT_TLS ? "imaps" : "imap";
    this.smtpProtocol =
        settings.smtpSecurity() == MailSettings.Security.IMPLICIT_TLS ? "smtps" : "smtp";
    this.decoder = new MimeDecoder(settings.maxMessageSize());
    this.imapSession = Session.getInstance(imapProperties(settings.readTimeout()));
    // IDLE waits for minutes without traffic: its read timeout must outlast one IDLE round.
    this.idleSession =
        Session.getInstance(imapProperties(settings.idleRenewal().plus(settings.readTimeout())));
    this.smtpSession = Session.getInstance(smtpProperties());
    this.composer = new MimeComposer(smtpSession);
    this.smtpSessions =
        new SmtpSessions(
            this::connectTransport,
            settings.smtpPoolSize(),
            settings.smtpIdleTimeout(),
            settings.smtpMessagesPerSession(),
            settings.connectionTimeout());
  }

  /** A gateway for these settings. Connects lazily, on the first call that needs the server. */
  public static JakartaMailGateway create(MailSettings settings) {
    return new JakartaMailGateway(settings);
  }

  /** The settings this gateway was built with. */
  public MailSettings settings() {
    return settings;
  }

  private Properties imapProperties(Duration readTimeout) {
    Properties p = MimeDecoder.parsingProperties();
    String x = "mail." + imapProtocol + ".";
    p.setProperty("mail.store.protocol", imapProtocol);
    p.setProperty(x + "host", settings.imapHost());
    p.setProperty(x + "port", Integer.toString(settings.imapPort()));
    p.setProperty(x + "connectiontimeout", millis(settings.connectionTimeout()));
    p.setProperty(x + "timeout", millis(readTimeout));
    p.setProperty(x + "writetimeout", millis(settings.writeTimeout()));
    p.setProperty(x + "peek", "true");
    p.setProperty(x + "fetchsize", Integer.toString(1024 * 1024));
    if (settings.imapSecurity() == MailSettings.Security.STARTTLS) {
      p.setProperty(x + "starttls.enable", "true");
      p.setProperty(x + "starttls.required", "true");
    }
    tls(p, x);
    if (settings.imapCredentials().isOAuth2()) {
      p.setProperty(x + "auth.mechanisms", "XOAUTH2");
    }
    return p;
  }

  private Properties smtpProperties() {
    Properties p = new Properties();
    String x = "mail." + smtpProtocol + ".";
    p.setProperty("mail.transport.protocol", smtpProtocol);
    p.setProperty(x + "host", settings.smtpHost());
    p.setProperty(x + "port", Integer.toString(settings.smtpPort()));
    p.setProperty(x + "auth", "true");
    p.setProperty(x + "connectiontimeout", millis(settings.connectionTimeout()));
    p.setProperty(x + "timeout", millis(settings.readTimeout()));
    p.setProperty(x + "writetimeout", millis(settings.writeTimeout()));
    p.setProperty(x + "from", settings.fromAddress());
    if (settings.smtpSecurity() == MailSettings.Security.STARTTLS) {
      p.setProperty(x + "starttls.enable", "true");
      p.setProperty(x + "starttls.required", "true");
    }
    tls(p, x);
    if (settings.smtpCredentials().isOAuth2()) {
      p.setProperty(x + "auth.mechanisms", "XOAUTH2");
    }
    p.setProperty("mail.mime.encodefilename", "false");
    p.setProperty("mail.mime.encodeparameters", "true");
    return p;
  }

  private void tls(Properties p, String x) {
    if (x.equals("mail.imap.") || x.equals("mail.smtp.")) {
      p.put(x + "socketFactory", new NoDelaySocketFactory());
      p.setProperty(x + "socketFactory.fallback", "false");
    }
    p.setProperty(x + "ssl.protocols", "TLSv1.3 TLSv1.2");
    if (settings.testOnlyTrustedHosts().isEmpty()) {
      p.setProperty(x + "ssl.checkserveridentity", "true");
    } else {
      p.setProperty(x + "ssl.trust", String.join(" ", settings.testOnlyTrustedHosts()));
      p.setProperty(x + "ssl.checkserveridentity", "false");
    }
  }

  private static String millis(Duration d) {
    return Long.toString(d.toMillis());
  }

  @Override
  public String mailbox() {
    return mailboxName;
  }

  // ---------------------------------------------------------------- IMAP connection

  private IMAPStore connectStore(Session session) throws MessagingException {
    IMAPStore s = (IMAPStore) session.getStore(imapProtocol);
    Credentials credentials = settings.imapCredentials();
    try {
      s.connect(
          settings.imapHost(),
          settings.imapPort(),
          settings.imapUsername(),
          credentials.secret(false));
    } catch (AuthenticationFailedException e) {
      if (!credentials.isOAuth2()) {
        throw e;
      }
      log.info("IMAP server rejected the access token for {}; refreshing it once", mailboxName);
      s.connect(
          settings.imapHost(),
          settings.imapPort(),
          settings.imapUsername(),
          credentials.secret(true));
    }
    return s;
  }

  private int openMode() {
    return settings.postRecordAction() == MailSettings.PostRecordAction.NONE
        ? Folder.READ_ONLY
        : Folder.READ_WRITE;
  }

  /** The open monitored folder, (re)connecting as needed. Caller holds {@link #imapLock}. */
  private IMAPFolder openFolder() throws MessagingException {
    if (closed) {
      throw new MailAccessException("gateway closed: " + mailboxName);
    }
    if (store == null || !store.isConnected()) {
      disconnect();
      store = connectStore(imapSession);
    }
    if (folder == null || !folder.isOpen()) {
      IMAPFolder f = (IMAPFolder) store.getFolder(settings.folder());
      f.open(openMode());
      folder = f;
    }
    return folder;
  }

  /** Drops the connection so the next call opens a fresh one. Caller holds {@link #imapLock}. */
  private void disconnect() {
    moveTargetReady = false;
    if (folder != null) {
      try {
        if (folder.isOpen()) {
          folder.close(false);
        }
      } catch (MessagingException | RuntimeException e) {
        log.debug("closing folder of {} failed", mailboxName, e);
      }
      folder = null;
    }
    if (store != null) {
      try {
        store.close();
      } catch (MessagingException | RuntimeException e) {
        log.debug("closing store of {} failed", mailboxName, e);
      }
      store = null;
    }
  }

  // ---------------------------------------------------------------- fetch

  /** {@inheritDoc} One a pooled SMTP session ({@link MailSettings} {@code smtpSessions}). */
  @Override
  public int maxConcurrentSends() {
    return settings.smtpPoolSize();
  }

  /**
   * {@inheritDoc}
   *
   * <p>One {@code UID SEARCH SENTSINCE} (the day before {@code since}, as IMAP dates have no time):
   * the position is just before the lowest UID it finds, or after the last message when none is
   * that recent. Older messages with higher UIDs are left to the engine, which skips them by date.
   */
  @Override
  public Optional<com.kontroltravel.oc.model.StartPosition> startPosition(java.time.Instant since) {
    synchronized (imapLock) {
      try {
        if (folder != null && folder.isOpen()) {
          folder.close(false);
        }
        IMAPFolder f = openFolder();
        long uidValidity = f.getUIDValidity();
        int total = f.getMessageCount();
        java.util.Date day = java.util.Date.from(since.minus(java.time.Duration.ofDays(1)));
        Message[] recent =
            f.search(
                new jakarta.mail.search.SentDateTerm(jakarta.mail.search.ComparisonTerm.GE, day));
        long first = Long.MAX_VALUE;
        for (Message m : recent) {
          first = Math.min(first, f.getUID(m));
        }
        long before;
        if (first == Long.MAX_VALUE) {
          long next = f.getUIDNext();
          before = next > 0 ? next - 1 : lastUid(f);
        } else {
          before = first - 1;
        }
        long skipped = 0;
        if (before > 0) {
          Message[] passed = f.getMessagesByUID(1, before);
          for (Message m : passed) {
            if (m != null) {
              skipped++;
            }
          }
        }
        log.info(
            "first read of {}: {} of {} message(s) are before {}; starting after UID {}",
            mailboxName,
            skipped,
            total,
            since,
            before);
        return Optional.of(
            new com.kontroltravel.oc.model.StartPosition(
                new MailboxCursor(mailboxName, uidValidity, before), skipped));
      } catch (MessagingException | IllegalStateException e) {
        disconnect();
        throw new MailAccessException(
            "cannot search " + mailboxName + ": " + MimeDecoder.describe(e), e);
      }
    }
  }

  private static long lastUid(IMAPFolder f) throws MessagingException {
    int n = f.getMessageCount();
    return n == 0 ? 0 : f.getUID(f.getMessage(n));
  }

  @Override
  public FetchBatch fetch(MailboxCursor after, int maxMessages) {
    if (maxMessages < 1) {
      throw new IllegalArgumentException("maxMessages < 1: " + maxMessages);
    }
    synchronized (imapLock) {
      for (int attempt = 0; ; attempt++) {
        try {
          return fetchOnce(after, maxMessages);
        } catch (MessagingException | IOException | IllegalStateException e) {
          disconnect();
          if (attempt >= 1 || closed) {
            throw new MailAccessException(
                "cannot read " + mailboxName + ": " + MimeDecoder.describe(e), e);
          }
          log.info(
              "reading {} failed ({}); reconnecting once", mailboxName, MimeDecoder.describe(e));
        }
      }
    }
  }

  private FetchBatch fetchOnce(MailboxCursor after, int maxMessages)
      throws MessagingException, IOException {
    // A fresh SELECT on every read: it reports mail that arrived since the last one, and a
    // UIDVALIDITY changed by a folder deleted and re-created behind our back.
    if (folder != null && folder.isOpen()) {
      folder.close(false);
    }
    IMAPFolder f = openFolder();
    long uidValidity = f.getUIDValidity();
    long from = 0;
    if (after != null
        && after.uidValidity() == uidValidity
        && after.mailbox().equals(mailboxName)) {
      from = after.uid();
    } else if (after != null) {
      log.info(
          "UIDVALIDITY of {} changed ({} -> {}) or another mailbox's cursor: reading from the start",
          mailboxName,
          after.uidValidity(),
          uidValidity);
    }
    List<Message> candidates = UidWindows.after(f, from, maxMessages);
    candidates.sort(Comparator.comparingLong(m -> uidOf(f, m)));
    boolean hasMore = candidates.size() > maxMessages;
    List<Message> batch = candidates.subList(0, Math.min(maxMessages, candidates.size()));
    if (batch.isEmpty()) {
      return new FetchBatch(List.of(), new MailboxCursor(mailboxName, uidValidity, from), false);
    }
    FetchProfile headersFirst = new FetchProfile();
    headersFirst.add(UIDFolder.FetchProfileItem.UID);
    headersFirst.add(FetchProfile.Item.ENVELOPE);
    headersFirst.add(FetchProfile.Item.SIZE);
    for (String h : HEADERS) {
      headersFirst.add(h);
    }
    Message[] array = batch.toArray(new Message[0]);
    try {
      f.fetch(array, headersFirst);
      prefetchBodies(f, batch);
    } catch (MessagingException e) {
      // One message the client cannot parse (a poison message) must not stall intake for good:
      // read the batch one message at a time, so only that message is recorded as unreadable.
      if (connectionLost(f)) {
        throw e;
      }
      log.warn(
          "fetching a batch of {} failed ({}); reading its messages one by one",
          mailboxName,
          MimeDecoder.describe(e));
    }

    List<InboundMessage> out = new ArrayList<>(batch.size());
    for (Message m : batch) {
      long uid = f.getUID(m);
      MailboxCursor position = new MailboxCursor(mailboxName, uidValidity, uid);
      try {
        out.add(read((IMAPMessage) m, position, f));
      } catch (MessagingException | IOException | RuntimeException e) {
        if (connectionLost(f)) {
          throw e;
        }
        out.add(unreadable(position, e));
      }
    }
    return new FetchBatch(out, out.get(out.size() - 1).position(), hasMore);
  }

  /** True when the connection is gone (the caller reconnects), false when only a message failed. */
  private boolean connectionLost(IMAPFolder f) {
    return !f.isOpen() || !store.isConnected();
  }

  /**
   * A message that cannot be read at all, recorded rather than lost: a Message-ID derived from its
   * place in the mailbox keeps two such messages apart, and the problem quarantines it with the
   * reason.
   */
  private InboundMessage unreadable(MailboxCursor position, Exception e) {
    log.warn(
        "message UID {} of {} cannot be read ({}); recording it as unreadable",
        position.uid(),
        mailboxName,
        MimeDecoder.describe(e));
    return InboundMessage.builder()
        .messageId(
            "unreadable." + position.uidValidity() + "." + position.uid() + "@oc-intake.invalid")
        .position(position)
        .problems(
            List.of("unreadable message (UID " + position.uid() + "): " + MimeDecoder.describe(e)))
        .build();
  }

  /**
   * Downloads the bodies of the messages that will be decoded in memory, a few megabytes per round
   * trip. Messages above the spool threshold are streamed to a file later instead; those above the
   * size limit are never downloaded.
   */
  private void prefetchBodies(IMAPFolder f, List<Message> batch) throws MessagingException {
    FetchProfile bodies = new FetchProfile();
    bodies.add(IMAPFolder.FetchProfileItem.MESSAGE);
    List<Message> group = new ArrayList<>();
    long groupBytes = 0;
    for (Message m : batch) {
      int size = m.getSize();
      if (size > settings.spoolThreshold() || size > settings.maxMessageSize()) {
        continue;
      }
      group.add(m);
      groupBytes += Math.max(size, 0);
      if (groupBytes >= PREFETCH_BYTES) {
        f.fetch(group.toArray(new Message[0]), bodies);
        group.clear();
        groupBytes = 0;
      }
    }
    if (!group.isEmpty()) {
      f.fetch(group.toArray(new Message[0]), bodies);
    }
  }

  private static long uidOf(IMAPFolder f, Message m) {
    try {
      return f.getUID(m);
    } catch (MessagingException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * Reads one message. Connection failures propagate (the whole fetch is retried); anything wrong
   * with the message itself becomes a problem on the returned record.
   */
  private InboundMessage read(IMAPMessage m, MailboxCursor position, IMAPFolder f)
      throws MessagingException, IOException {
    int size = m.getSize();
    InboundMessage.Builder b;
    List<String> problems = new ArrayList<>();
    String[] authResults;
    // The raw bytes' digest identifies a message that carries no Message-ID; taken only for those.
    String rawDigest = null;
    if (size > settings.maxMessageSize()) {
      b = decoder.headers(m);
      problems.add("too large (" + size + " bytes > " + settings.maxMessageSize() + ")");
      authResults = m.getHeader("Authentication-Results");
    } else {
      MimeMessage copy;
      Path spool = null;
      SharedFileInputStream spooled = null;
      try {
        if (size > settings.spoolThreshold()) {
          spool = Files.createTempFile("oc-mail-", ".eml");
          try (OutputStream out = Files.newOutputStream(spool)) {
            m.writeTo(out);
          }
          spooled = new SharedFileInputStream(spool.toFile());
          copy = new MimeMessage(decoder.session(), spooled);
          if (copy.getMessageID() == null) {
            rawDigest = sha256(spool);
          }
        } else {
          ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(size, 1024));
          m.writeTo(out);
          byte[] bytes = out.toByteArray();
          copy = new MimeMessage(decoder.session(), new ByteArrayInputStream(bytes));
          if (copy.getMessageID() == null) {
            rawDigest = HexFormat.of().formatHex(sha256().digest(bytes));
          }
        }
        b = decoder.decode(copy);
        authResults = copy.getHeader("Authentication-Results");
      } catch (MessagingException | IOException e) {
        if (connectionLost(f)) {
          throw e;
        }
        b = decoder.headers(m);
        problems.add("unreadable message: " + MimeDecoder.describe(e));
        authResults = m.getHeader("Authentication-Results");
      } finally {
        if (spooled != null) {
          try {
            spooled.close();
          } catch (IOException e) {
            log.debug("closing spool file failed", e);
          }
        }
        if (spool != null) {
          try {
            Files.deleteIfExists(spool);
          } catch (IOException e) {
            log.warn("could not delete spool file {}", spool);
          }
        }
      }
    }
    InboundMessage partial = b.build();
    problems.addAll(0, partial.problems());
    if (partial.messageId() == null && rawDigest != null) {
      // Without this, two different messages lacking a Message-ID could share the engine's hash of
      // their decoded fields; the raw bytes keep them apart and stay the same across a UIDVALIDITY
      // change.
      b.messageId(MimeDecoder.digestMessageId(rawDigest));
    }
    // The verdict only; what an unauthenticated sender may do is the engine's rule.
    boolean authenticated =
        !settings.trustedAuthServIds().isEmpty()
            && SenderAuthenticityCheck.check(
                    authResults, partial.from(), settings.trustedAuthServIds())
                .authentic();
    return b.position(position).problems(problems).authenticated(authenticated).build();
  }

  private static String sha256(Path file) throws IOException {
    java.security.MessageDigest d = sha256();
    try (java.io.InputStream in =
        new java.security.DigestInputStream(Files.newInputStream(file), d)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(d.digest());
  }

  private static java.security.MessageDigest sha256() {
    try {
      return java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  // ---------------------------------------------------------------- after recording

  @Override
  public void markProcessed(InboundMessage message) {
    markAllProcessed(List.of(message));
  }

  /**
   * {@inheritDoc}
   *
   * <p>One {@code STORE} of the keyword, or one {@code MOVE}, for all the messages of this mailbox
   * whose UIDVALIDITY still holds; messages already gone are skipped. Never deletes: without the
   * server's MOVE the messages are copied and the originals left.
   */
  @Override
  public void markAllProcessed(List<InboundMessage> messages) {
    if (settings.postRecordAction() == MailSettings.PostRecordAction.NONE) {
      return;
    }
    List<InboundMessage> mine = new ArrayList<>(messages.size());
    for (InboundMessage m : messages) {
      MailboxCursor p = m.position();
      if (p != null && p.mailbox().equals(mailboxName)) {
        mine.add(m);
      }
    }
    if (mine.isEmpty()) {
      return;
    }
    synchronized (imapLock) {
      try {
        IMAPFolder f = openFolder();
        long uidValidity = f.getUIDValidity();
        long[] uids = new long[mine.size()];
        int n = 0;
        for (InboundMessage m : mine) {
          MailboxCursor p = m.position();
          if (p.uidValidity() != uidValidity) {
            log.info("not marking {}: UIDVALIDITY of {} changed", m.messageId(), mailboxName);
            continue;
          }
          uids[n++] = p.uid();
        }
        if (n == 0) {
          return;
        }
        List<Message> found = new ArrayList<>(n);
        for (Message m : f.getMessagesByUID(Arrays.copyOf(uids, n))) {
          // Moved away earlier on this connection: Jakarta Mail still knows the UID, as expunged.
          if (m != null && !m.isExpunged()) {
            found.add(m);
          }
        }
        if (found.isEmpty()) {
          return;
        }
        Message[] array = found.toArray(new Message[0]);
        if (settings.postRecordAction() == MailSettings.PostRecordAction.KEYWORD) {
          f.setFlags(array, new Flags(settings.processedKeyword()), true);
          return;
        }
        Folder target = store.getFolder(settings.moveToFolder());
        if (!moveTargetReady) {
          if (!target.exists() && !target.create(Folder.HOLDS_MESSAGES)) {
            throw new MailAccessException("cannot create folder " + settings.moveToFolder());
          }
          moveTargetReady = true;
        }
        if (store.hasCapability("MOVE")) {
          f.moveMessages(array, target);
        } else {
          // Without MOVE a move is copy + delete + expunge; this gateway never deletes.
          f.copyMessages(array, target);
          log.warn(
              "server lacks IMAP MOVE: copied {} message(s) to {} and left the originals",
              array.length,
              settings.moveToFolder());
        }
      } catch (MessagingException | IllegalStateException e) {
        disconnect();
        throw new MailAccessException(
            "cannot mark "
                + messages.size()
                + " message(s) in "
                + mailboxName
                + ": "
                + MimeDecoder.describe(e),
            e);
      }
    }
  }

  @Override
  public SentCheck findSent(String messageId) {
    Objects.requireNonNull(messageId, "messageId == null");
    if (!settings.checkSentFolder()) {
      return SentCheck.UNKNOWN;
    }
    String bare = MimeDecoder.firstId(messageId);
    synchronized (imapLock) {
      Folder sent = null;
      try {
        openFolder();
        sent = store.getFolder(settings.sentFolder());
        if (!sent.exists()) {
          return SentCheck.UNKNOWN;
        }
        sent.open(Folder.READ_ONLY);
        Message[] hits = sent.search(new HeaderTerm("Message-ID", bare));
        for (Message m : hits) {
          String[] ids = m.getHeader("Message-ID");
          if (ids != null && Arrays.stream(ids).map(MimeDecoder::firstId).anyMatch(bare::equals)) {
            return SentCheck.SENT;
          }
        }
        return SentCheck.NOT_SENT;
      } catch (MessagingException | RuntimeException e) {
        log.info(
            "could not search {} for a sent message: {}",
            settings.sentFolder(),
            MimeDecoder.describe(e));
        return SentCheck.UNKNOWN;
      } finally {
        if (sent != null && sent.isOpen()) {
          try {
            sent.close(false);
          } catch (MessagingException e) {
            log.debug("closing {} failed", settings.sentFolder(), e);
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- push

  @Override
  public Optional<AutoCloseable> subscribe(Runnable onNewMail) {
    Objects.requireNonNull(onNewMail, "onNewMail == null");
    synchronized (imapLock) {
      try {
        openFolder();
        if (!store.hasCapability("IDLE")) {
          return Optional.empty();
        }
      } catch (MessagingException | RuntimeException e) {
        // The watcher keeps trying to connect; if the server turns out to lack IDLE it stops.
        log.info("cannot check IDLE support of {} now: {}", mailboxName, MimeDecoder.describe(e));
      }
    }
    IdleWatcher w = new IdleWatcher(onNewMail);
    watchers.add(w);
    w.start();
    return Optional.of(
        () -> {
          watchers.remove(w);
          w.stop();
        });
  }

  /**
   * One IDLE connection on its own thread: re-issued every renewal period, reconnected with
   * backoff.
   */
  private final class IdleWatcher implements Runnable {
    private final Runnable onNewMail;
    private final Thread thread;
    private final Object sleepLock = new Object();
    private volatile boolean stopped;
    private volatile IMAPFolder current;

    IdleWatcher(Runnable onNewMail) {
      this.onNewMail = onNewMail;
      this.thread = new Thread(this, "oc-imap-idle-" + settings.folder());
      this.thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    void stop() {
      stopped = true;
      synchronized (sleepLock) {
        sleepLock.notifyAll();
      }
      IMAPFolder f = current;
      if (f != null) {
        Thread closer =
            new Thread(
                () -> {
                  try {
                    f.close(false); // aborts a running IDLE
                  } catch (MessagingException | RuntimeException e) {
                    log.debug("closing IDLE folder failed", e);
                  }
                },
                "oc-imap-idle-close");
        closer.setDaemon(true);
        closer.start();
      }
      try {
        thread.join(settings.connectionTimeout().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void fire() {
      if (stopped || closed) {
        return; // the handle was closed: no callback after close() returned
      }
      try {
        onNewMail.run();
      } catch (RuntimeException e) {
        log.warn("new-mail callback failed", e);
      }
    }

    @Override
    public void run() {
      long backoff = 1000;
      while (!stopped && !closed) {
        IMAPStore s = null;
        try {
          s = connectStore(idleSession);
          if (!s.hasCapability("IDLE")) {
            log.info("{} does not support IDLE; the engine polls instead", mailboxName);
            return;
          }
          IMAPFolder f = (IMAPFolder) s.getFolder(settings.folder());
          f.open(Folder.READ_ONLY);
          f.addMessageCountListener(
              new jakarta.mail.event.MessageCountAdapter() {
                @Override
                public void messagesAdded(jakarta.mail.event.MessageCountEvent e) {
                  fire();
                }
              });
          current = f;
          backoff = 1000;
          fire(); // mail may have arrived while we were not listening
          while (!stopped && !closed) {
            long deadline = System.nanoTime() + settings.idleRenewal().toNanos();
            Thread renew = renewer(f, deadline);
            f.idle(true);
            renew.interrupt();
          }
        } catch (MessagingException | RuntimeException e) {
          if (stopped || closed) {
            break;
          }
          log.info(
              "IDLE on {} interrupted ({}); reconnecting in {} ms",
              mailboxName,
              MimeDecoder.describe(e),
              backoff);
          sleep(backoff);
          backoff = Math.min(backoff * 2, 60_000);
        } finally {
          current = null;
          if (s != null) {
            try {
              s.close();
            } catch (MessagingException | RuntimeException e) {
              log.debug("closing IDLE store failed", e);
            }
          }
        }
      }
    }

    /**
     * Ends the IDLE at {@code deadline} by touching the folder from another thread, so it is
     * re-issued.
     */
    private Thread renewer(IMAPFolder f, long deadline) {
      Thread t =
          new Thread(
              () -> {
                try {
                  long wait = deadline - System.nanoTime();
                  if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                  }
                  f.getMessageCount();
                } catch (InterruptedException e) {
                  // the IDLE ended by itself
                } catch (MessagingException | RuntimeException e) {
                  log.debug("IDLE renewal failed", e);
                }
              },
              "oc-imap-idle-renew");
      t.setDaemon(true);
      t.start();
      return t;
    }

    private void sleep(long millis) {
      synchronized (sleepLock) {
        try {
          if (!stopped) {
            sleepLock.wait(millis);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          stopped = true;
        }
      }
    }
  }

  // ---------------------------------------------------------------- send

  @Override
  public SendResult send(OutboundMessage message) {
    Objects.requireNonNull(message, "message == null");
    MimeMessage mime;
    try {
      mime = composer.compose(message, settings.fromAddress(), settings.fromName());
    } catch (AddressException e) {
      return SendResult.permanentFailure("invalid address: " + MimeDecoder.describe(e));
    } catch (MessagingException e) {
      return SendResult.permanentFailure("cannot build the message: " + MimeDecoder.describe(e));
    }
    SmtpSessions.Lease lease = null;
    try {
      lease = smtpSessions.acquire();
      // Exactly one attempt: once DATA may have reached the server, only the engine may decide
      // to send again (under the same Message-ID), never this gateway.
      lease.transport().sendMessage(mime, mime.getAllRecipients());
      String answer = lease.transport().getLastServerResponse();
      lease.release();
      return SendResult.sent(answer == null ? "accepted" : answer.trim());
    } catch (MessagingException e) {
      SendResult r = classify(e);
      log.info("sending {} failed: {} {}", message.messageId(), r.status(), r.detail());
      return r;
    } catch (RuntimeException e) {
      return SendResult.transientFailure("unexpected: " + MimeDecoder.describe(e));
    } finally {
      if (lease != null) {
        lease.discard(); // after a failure the session is closed; after release() a no-op
      }
    }
  }

  /** A new SMTP session, connected and authenticated (for {@link SmtpSessions}). */
  private SMTPTransport connectTransport() throws MessagingException {
    Credentials credentials = settings.smtpCredentials();
    SMTPTransport transport = (SMTPTransport) smtpSession.getTransport(smtpProtocol);
    try {
      try {
        transport.connect(
            settings.smtpHost(),
            settings.smtpPort(),
            settings.smtpUsername(),
            credentials.secret(false));
      } catch (AuthenticationFailedException e) {
        if (!credentials.isOAuth2()) {
          throw e;
        }
        log.info("SMTP server rejected the access token; refreshing it once");
        transport.connect(
            settings.smtpHost(),
            settings.smtpPort(),
            settings.smtpUsername(),
            credentials.secret(true));
      }
      return transport;
    } catch (MessagingException | RuntimeException e) {
      try {
        transport.close();
      } catch (MessagingException | RuntimeException suppressed) {
        log.debug("closing SMTP connection failed", suppressed);
      }
      throw e;
    }
  }

  /**
   * 5xx and refused addresses are permanent; 4xx, connection problems and timeouts are transient.
   */
  static SendResult classify(MessagingException e) {
    int worst = 0;
    StringBuilder detail = new StringBuilder();
    for (Exception x = e; x != null; ) {
      int code = 0;
      if (x instanceof SMTPAddressFailedException a) {
        code = a.getReturnCode();
      } else if (x instanceof SMTPSendFailedException s) {
        code = s.getReturnCode();
      }
      if (code > 0) {
        worst = Math.max(worst, code);
      }
      String m = MimeDecoder.describe(x).trim();
      if (detail.indexOf(m) < 0) {
        detail.append(detail.length() == 0 ? "" : "; ").append(m);
      }
      x = x instanceof MessagingException me ? me.getNextException() : null;
    }
    String d = detail.toString();
    if (worst >= 500) {
      return SendResult.permanentFailure(d);
    }
    if (worst >= 400) {
      return SendResult.transientFailure(d);
    }
    if (e instanceof SendFailedException sfe
        && sfe.getInvalidAddresses() != null
        && sfe.getInvalidAddresses().length > 0) {
      return SendResult.permanentFailure(d);
    }
    return SendResult.transientFailure(d);
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public void close() {
    closed = true;
    for (IdleWatcher w : watchers) {
      w.stop();
    }
    watchers.clear();
    smtpSessions.close();
    synchronized (imapLock) {
      disconnect();
    }
  }

  /** SMTP sessions opened so far (tests and diagnostics). */
  long smtpSessionsOpened() {
    return smtpSessions.opened();
  }

  /** SMTP sessions open and idle now (tests and diagnostics). */
  int smtpSessionsIdle() {
    return smtpSessions.idleCount();
  }

  @Override
  public String toString() {
    return "JakartaMailGateway[" + mailboxName + "]";
  }
}
