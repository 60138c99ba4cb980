package com.kontroltravel.oc.mail.graph;

import com.fasterxml.jackson.databind.JsonNode;
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
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MailGateway} over the Microsoft Graph v1.0 REST API with the JDK's HTTP client:
 *
 * <ul>
 *   <li><b>Intake by delta query</b> on the folder ({@code GET
 *       /users/{mailbox}/mailFolders/{folder}/messages/delta}), following {@code @odata.nextLink}
 *       to the {@code @odata.deltaLink}, which starts the next round. The read flag is never used
 *       or changed. Each message's raw MIME ({@code GET /users/{mailbox}/messages/{id}/$value}) is
 *       decoded by the same {@link MimeDecoder} the IMAP gateway uses.
 *   <li><b>Sending as MIME</b> ({@code POST /users/{mailbox}/sendMail}, {@code Content-Type:
 *       text/plain}, the base64 MIME built by {@link MimeComposer}), so the engine's Message-ID,
 *       In-Reply-To, References and Reply-To arrive unchanged; Exchange saves the copy in Sent
 *       Items where the mailbox keeps one, and {@link #findSent} searches there by Message-ID.
 *   <li><b>Failures</b>: 429 and 503 wait for {@code Retry-After} (bounded), other 5xx are retried
 *       for reads and transient for sends, 401 gets a new token once, other 4xx are permanent with
 *       Graph's {@code error.code} in the reason.
 *   <li><b>A stale delta link</b> (410 Gone, {@code syncStateNotFound}, {@code resyncRequired})
 *       starts a new round over the whole folder; messages this gateway already listed are skipped
 *       here, and the engine's Message-ID-keyed intake skips the rest.
 * </ul>
 *
 * <p><b>The cursor.</b> The gateway numbers the messages it lists ({@code uid}, under a random
 * {@code uidValidity} per gateway instance) and keeps the recent rounds' message ids in memory: a
 * cursor of this instance resumes exactly, and fetching again from an older one repeats what came
 * after it. Every cursor it hands out (each message's position and each batch's cursor) also
 * carries, in {@link MailboxCursor#syncState()}, the delta link to resume from: the link that
 * starts the round the next message belongs to, or the round's {@code @odata.deltaLink} once every
 * message of a complete round was handed out. A cursor this instance does not know (saved before a
 * restart, or by another node sharing the store) resumes from that link: only the changes since
 * then are listed, and anything of a round in flight that is listed again is skipped by the
 * engine's Message-ID-keyed intake. A cursor without a usable link (none, too long, another host)
 * reads the whole folder again, as does a link Graph no longer holds.
 *
 * <p>No push: Graph change notifications need a public HTTPS endpoint; the engine polls. Thread
 * safe: reads are serialised under one lock, sends run concurrently. Tokens and secrets are never
 * logged.
 */
public final class GraphMailGateway implements MailGateway {
  private static final Logger log = LoggerFactory.getLogger(GraphMailGateway.class);

  /** Delta pages read by one fetch at most, before it returns (with hasMore) to the engine. */
  static final int MAX_PAGES_PER_FETCH = 200;

  /** Delta rounds whose message ids are kept, so that an older cursor can be fetched again. */
  static final int MAX_ROUNDS_KEPT = 16;

  /** Graph ids remembered to skip changes (read, flagged, moved) to messages already listed. */
  static final int MAX_KNOWN_IDS = 200_000;

  /** Prefix of the {@link MailboxCursor#syncState()} this gateway writes: a delta link follows. */
  static final String SYNC_STATE_PREFIX = "graph-delta:";

  /** The most bytes read from a sendMail or error answer. */
  private static final long SMALL_ANSWER = 1024 * 1024;

  private final GraphSettings settings;
  private final GraphClient client;
  private final MimeDecoder decoder;
  private final MimeComposer composer;
  private final String mailboxName;
  private final String userPath;
  private final SecureRandom random = new SecureRandom();
  private final Object intakeLock = new Object();
  private volatile boolean closed;

  // Intake state, guarded by intakeLock.
  private long lineage;
  private final List<Round> rounds = new ArrayList<>();
  private long nextOrdinal = 1;
  private final LinkedHashSet<String> known = new LinkedHashSet<>();
  private String tooLongWarned;

  /** One delta round: the message ids it listed (numbered from firstOrdinal) and its links. */
  private static final class Round {
    final long firstOrdinal;
    final List<String> ids = new ArrayList<>();

    /** The link the round started from: reading it again lists at least what the round lists. */
    String startLink;

    /** The page still to read, or null when the round reached its delta link. */
    String nextLink;

    /** The delta link that starts the next round, once reached. */
    String deltaLink;

    Round(long firstOrdinal, String startLink) {
      this.firstOrdinal = firstOrdinal;
      this.startLink = startLink;
      this.nextLink = startLink;
    }

    boolean contains(long ordinal) {
      return ordinal >= firstOrdinal && ordinal < firstOrdinal + ids.size();
    }
  }

  private GraphMailGateway(GraphSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings == null");
    this.client = new GraphClient(settings);
    this.decoder = new MimeDecoder(settings.maxMessageSize());
    this.composer = new MimeComposer();
    this.mailboxName = "graph://" + settings.mailbox() + "/" + settings.folder();
    this.userPath = settings.baseUrl() + "/users/" + segment(settings.mailbox());
  }

  /** A gateway for these settings. Contacts Graph lazily, on the first call that needs it. */
  public static GraphMailGateway create(GraphSettings settings) {
    return new GraphMailGateway(settings);
  }

  /** The settings this gateway was built with. */
  public GraphSettings settings() {
    return settings;
  }

  @Override
  public String mailbox() {
    return mailboxName;
  }

  // ---------------------------------------------------------------- fetch

  @Override
  public FetchBatch fetch(MailboxCursor after, int maxMessages) {
    if (maxMessages < 1) {
      throw new IllegalArgumentException("maxMessages < 1: " + maxMessages);
    }
    if (closed) {
      throw new MailAccessException("gateway for " + mailboxName + " is closed");
    }
    synchronized (intakeLock) {
      try {
        return fetchLocked(after, maxMessages);
      } catch (GraphException e) {
        throw new MailAccessException("cannot read " + mailboxName + ": " + e.getMessage(), e);
      }
    }
  }

  private FetchBatch fetchLocked(MailboxCursor after, int maxMessages) throws GraphException {
    if (!knows(after)) {
      String resume = after == null ? null : resumeLink(after);
      if (resume != null) {
        log.info(
            "cursor {}/{} of {} is not from this gateway instance (a restart, or another node):"
                + " resuming from the delta link it carries",
            after.uidValidity(),
            after.uid(),
            mailboxName);
      } else if (after != null) {
        log.info(
            "cursor {}/{} of {} is not from this gateway instance and carries no usable delta"
                + " link: reading the folder again; the engine skips what it recorded",
            after.uidValidity(),
            after.uid(),
            mailboxName);
      }
      reset(resume == null ? initialDeltaUrl() : resume);
      after = new MailboxCursor(mailboxName, lineage, 0, syncStateAfter(0));
    }
    long next = after.uid() + 1;
    long wanted = next + maxMessages; // list messages up to (excluding) this number
    if (next >= nextOrdinal || (wanted > nextOrdinal && lastRound().nextLink != null)) {
      discover(wanted);
    }
    List<InboundMessage> out = new ArrayList<>();
    long last = after.uid();
    for (long o = next; o < nextOrdinal && o < next + maxMessages; o++) {
      String id = idAt(o);
      MailboxCursor position = new MailboxCursor(mailboxName, lineage, o, syncStateAfter(o));
      InboundMessage m = read(id, position);
      if (m != null) {
        out.add(m);
      }
      last = o;
    }
    boolean hasMore = last + 1 < nextOrdinal || lastRound().nextLink != null;
    return new FetchBatch(
        out, new MailboxCursor(mailboxName, lineage, last, syncStateAfter(last)), hasMore);
  }

  /**
   * The cursor state for "every message up to {@code handled} was handed out": the link starting
   * the round that holds the next message, or, when every listed message was handed out and the
   * last round reached its delta link, that delta link. Null when the link does not fit.
   */
  private String syncStateAfter(long handled) {
    long next = handled + 1;
    String link = null;
    for (Round r : rounds) {
      if (r.contains(next)) {
        link = r.startLink;
        break;
      }
    }
    if (link == null) {
      Round last = lastRound();
      link = last.nextLink == null && next >= nextOrdinal ? last.deltaLink : last.startLink;
    }
    if (link == null) {
      return null;
    }
    String state = SYNC_STATE_PREFIX + link;
    if (state.length() > MailboxCursor.MAX_SYNC_STATE) {
      if (link.equals(tooLongWarned)) {
        return null;
      }
      tooLongWarned = link;
      log.warn(
          "the delta link of {} is longer than a cursor keeps ({} chars): a restart reads the"
              + " folder again",
          mailboxName,
          link.length());
      return null;
    }
    return state;
  }

  /** The delta link a foreign cursor carries, if this gateway can resume from it; else null. */
  private String resumeLink(MailboxCursor c) {
    String state = c.syncState();
    if (!c.mailbox().equals(mailboxName) || state == null || !state.startsWith(SYNC_STATE_PREFIX)) {
      return null;
    }
    String link = state.substring(SYNC_STATE_PREFIX.length());
    try {
      checkLink(link);
      String path = URI.create(link).getPath();
      if (path == null || !path.endsWith("/messages/delta")) {
        log.warn("the stored delta link of {} is not a delta link: ignored", mailboxName);
        return null;
      }
      return link;
    } catch (GraphException | IllegalArgumentException e) {
      log.warn("the stored delta link of {} cannot be used: {}", mailboxName, e.getMessage());
      return null;
    }
  }

  private boolean knows(MailboxCursor c) {
    if (c == null || lineage == 0 || rounds.isEmpty()) {
      return false;
    }
    if (!c.mailbox().equals(mailboxName) || c.uidValidity() != lineage) {
      return false;
    }
    long next = c.uid() + 1;
    return next == nextOrdinal || (next < nextOrdinal && next >= rounds.get(0).firstOrdinal);
  }

  /** A new numbering and a delta round from {@code startLink}. */
  private void reset(String startLink) {
    long l;
    do {
      l = random.nextLong() & Long.MAX_VALUE;
    } while (l == 0 || l == lineage);
    lineage = l;
    rounds.clear();
    known.clear();
    nextOrdinal = 1;
    rounds.add(new Round(1, startLink));
  }

  private Round lastRound() {
    return rounds.get(rounds.size() - 1);
  }

  private String idAt(long ordinal) {
    for (Round r : rounds) {
      if (r.contains(ordinal)) {
        return r.ids.get((int) (ordinal - r.firstOrdinal));
      }
    }
    throw new IllegalStateException("no message numbered " + ordinal);
  }

  private String initialDeltaUrl() {
    return userPath + "/mailFolders/" + segment(settings.folder()) + "/messages/delta?$select=id";
  }

  /**
   * Reads delta pages until messages up to {@code wanted} are listed or the round reaches its delta
   * link, at most {@link #MAX_PAGES_PER_FETCH} pages. A complete last round starts the next one
   * from its delta link; a round that lists nothing only replaces the previous round's delta link.
   */
  private void discover(long wanted) throws GraphException {
    Round previous = lastRound();
    boolean newRound = previous.nextLink == null;
    Round current = previous;
    if (newRound) {
      // Kept at once: if a page fails below, the next fetch continues this round where it stopped.
      current = new Round(nextOrdinal, previous.deltaLink);
      rounds.add(current);
    }
    int recoveries = 0;
    for (int page = 0; page < MAX_PAGES_PER_FETCH && current.nextLink != null; page++) {
      JsonNode json;
      try {
        json = getDeltaPage(current.nextLink);
      } catch (GraphException e) {
        if (!e.isStaleDeltaState() || recoveries++ > 0) {
          throw e;
        }
        log.warn(
            "the delta state of {} is gone ({}); starting a new delta round over the whole folder;"
                + " messages already listed are skipped, the engine skips the rest by Message-ID",
            mailboxName,
            e.getMessage());
        current.nextLink = initialDeltaUrl();
        current.startLink = current.nextLink;
        continue;
      }
      for (JsonNode item : json.path("value")) {
        if (item.has("@removed")) {
          continue;
        }
        String id = item.path("id").asText("");
        if (id.isEmpty() || known.contains(id)) {
          continue;
        }
        remember(id);
        current.ids.add(id);
        nextOrdinal++;
      }
      String nextLink = text(json, "@odata.nextLink");
      String deltaLink = text(json, "@odata.deltaLink");
      if (nextLink != null) {
        current.nextLink = checkLink(nextLink);
      } else if (deltaLink != null) {
        current.nextLink = null;
        current.deltaLink = checkLink(deltaLink);
      } else {
        throw new GraphException(
            "delta answer without @odata.nextLink or @odata.deltaLink", 200, "", true, null);
      }
      if (nextOrdinal >= wanted) {
        break;
      }
    }
    if (newRound && current.ids.isEmpty() && current.nextLink == null) {
      // Nothing new: the round only moves the delta link on.
      rounds.remove(rounds.size() - 1);
      previous.deltaLink = current.deltaLink;
    }
    while (rounds.size() > MAX_ROUNDS_KEPT) {
      rounds.remove(0);
    }
  }

  private void remember(String id) {
    known.add(id);
    if (known.size() > MAX_KNOWN_IDS) {
      Iterator<String> it = known.iterator();
      it.next();
      it.remove();
    }
  }

  private JsonNode getDeltaPage(String link) throws GraphException {
    URI uri = URI.create(link);
    return client
        .send(
            token -> GraphClient.base(uri, token, "odata.maxpagesize=" + settings.pageSize()).GET(),
            GraphClient.Retry.IDEMPOTENT,
            64L * 1024 * 1024)
        .json();
  }

  private static String text(JsonNode json, String field) {
    JsonNode v = json.get(field);
    return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
  }

  /** Links Graph hands back must point at Graph itself: the bearer token goes with them. */
  private String checkLink(String link) throws GraphException {
    URI u;
    try {
      u = URI.create(link);
    } catch (IllegalArgumentException e) {
      throw new GraphException("unusable link from Graph: " + e.getMessage(), 200, "", false, e);
    }
    URI base = settings.baseUrl();
    if (u.getScheme() == null
        || !u.getScheme().equalsIgnoreCase(base.getScheme())
        || u.getHost() == null
        || !u.getHost().equalsIgnoreCase(base.getHost())
        || u.getPort() != base.getPort()) {
      throw new GraphException(
          "Graph returned a link to another host: " + u.getScheme() + "://" + u.getHost(),
          200,
          "",
          false,
          null);
    }
    return link;
  }

  /**
   * Downloads and decodes one message. Returns null for a message deleted before it was read;
   * throws for a failure worth retrying (the engine fetches again from its cursor).
   */
  private InboundMessage read(String id, MailboxCursor position) throws GraphException {
    URI uri = URI.create(userPath + "/messages/" + segment(id) + "/$value");
    byte[] raw;
    try {
      raw =
          client
              .send(
                  token -> GraphClient.base(uri, token).GET(),
                  GraphClient.Retry.IDEMPOTENT,
                  settings.maxMessageSize())
              .body();
    } catch (GraphException e) {
      if (e.status() == 404) {
        log.warn(
            "message {} left {} before it could be read ({}); nothing to record",
            id,
            mailboxName,
            e.code());
        return null;
      }
      if (e.code().equals("tooLarge")) {
        return tooLarge(id, position);
      }
      if (e.isTransient()) {
        throw e;
      }
      return unreadable(id, position, e.getMessage());
    }
    MimeDecoder.Decoded d = decoder.decode(raw);
    InboundMessage partial = d.builder().build();
    boolean authenticated = false;
    if (!settings.trustedAuthServIds().isEmpty()) {
      authenticated =
          SenderAuthenticityCheck.check(
                  d.authenticationResults(), partial.from(), settings.trustedAuthServIds())
              .authentic();
    }
    return d.builder().position(position).authenticated(authenticated).build();
  }

  /** A message above the size limit: its headers from Graph's properties, with the problem. */
  private InboundMessage tooLarge(String id, MailboxCursor position) throws GraphException {
    URI uri =
        URI.create(
            userPath
                + "/messages/"
                + segment(id)
                + "?$select=internetMessageId,subject,from,receivedDateTime");
    JsonNode m;
    try {
      m =
          client
              .send(
                  token -> GraphClient.base(uri, token).GET(),
                  GraphClient.Retry.IDEMPOTENT,
                  SMALL_ANSWER)
              .json();
    } catch (GraphException e) {
      if (e.isTransient()) {
        throw e;
      }
      return unreadable(id, position, e.getMessage());
    }
    String messageId = MimeDecoder.firstId(m.path("internetMessageId").asText(null));
    JsonNode from = m.path("from").path("emailAddress");
    Instant date = null;
    try {
      date = Instant.parse(m.path("receivedDateTime").asText(""));
    } catch (RuntimeException e) {
      // no date
    }
    return InboundMessage.builder()
        .messageId(messageId == null ? graphId(id) : messageId)
        .from(from.path("address").asText(null))
        .fromName(from.path("name").asText(null))
        .subject(m.path("subject").asText(""))
        .date(date)
        .position(position)
        .problems(List.of("too large (> " + settings.maxMessageSize() + " bytes)"))
        .build();
  }

  private InboundMessage unreadable(String id, MailboxCursor position, String why) {
    log.warn(
        "message {} of {} cannot be read ({}); recording it as unreadable", id, mailboxName, why);
    return InboundMessage.builder()
        .messageId(graphId(id))
        .position(position)
        .problems(List.of("unreadable message: " + why))
        .build();
  }

  /** A stable Message-ID for a message known only by its Graph id. */
  private static String graphId(String id) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return "graph-" + HexFormat.of().formatHex(d, 0, 16) + "@oc-intake.invalid";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  // ---------------------------------------------------------------- send

  @Override
  public SendResult send(OutboundMessage message) {
    Objects.requireNonNull(message, "message == null");
    byte[] mime;
    try {
      mime = composer.composeBytes(message, settings.fromAddress(), settings.fromName());
    } catch (AddressException e) {
      return SendResult.permanentFailure("invalid address: " + MimeDecoder.describe(e));
    } catch (MessagingException e) {
      return SendResult.permanentFailure("cannot build the message: " + MimeDecoder.describe(e));
    }
    String body = Base64.getEncoder().encodeToString(mime);
    URI uri = URI.create(userPath + "/sendMail");
    try {
      GraphClient.Answer a =
          client.send(
              token ->
                  GraphClient.base(uri, token)
                      .header("Content-Type", "text/plain")
                      .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.US_ASCII)),
              GraphClient.Retry.NOT_PROCESSED_ONLY,
              SMALL_ANSWER);
      return SendResult.sent("HTTP " + a.status() + " accepted by Microsoft Graph");
    } catch (GraphException e) {
      SendResult r =
          e.isTransient()
              ? SendResult.transientFailure(e.getMessage())
              : SendResult.permanentFailure(e.getMessage());
      log.info("sending {} failed: {} {}", message.messageId(), r.status(), r.detail());
      return r;
    } catch (RuntimeException e) {
      return SendResult.transientFailure("unexpected: " + MimeDecoder.describe(e));
    }
  }

  @Override
  public SentCheck findSent(String messageId) {
    Objects.requireNonNull(messageId, "messageId == null");
    if (!settings.checkSentItems()) {
      return SentCheck.UNKNOWN;
    }
    String bare = MimeDecoder.firstId(messageId);
    if (bare == null) {
      return SentCheck.UNKNOWN;
    }
    String filter = "internetMessageId eq '<" + bare.replace("'", "''") + ">'";
    URI uri =
        URI.create(
            userPath
                + "/mailFolders/SentItems/messages?$filter="
                + query(filter)
                + "&$select=id,internetMessageId&$top=5");
    try {
      JsonNode json =
          client
              .send(
                  token -> GraphClient.base(uri, token).GET(),
                  GraphClient.Retry.IDEMPOTENT,
                  SMALL_ANSWER)
              .json();
      for (JsonNode m : json.path("value")) {
        if (bare.equals(MimeDecoder.firstId(m.path("internetMessageId").asText(null)))) {
          return SentCheck.SENT;
        }
      }
      return SentCheck.NOT_SENT;
    } catch (GraphException | RuntimeException e) {
      log.info("could not search Sent Items of {}: {}", settings.mailbox(), e.getMessage());
      return SentCheck.UNKNOWN;
    }
  }

  // ---------------------------------------------------------------- helpers

  /** A path segment: unreserved characters and {@code @} kept, everything else escaped. */
  static String segment(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~'
          || c == '@') {
        out.append(c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static String query(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "GraphMailGateway[" + mailboxName + "]";
  }
}
