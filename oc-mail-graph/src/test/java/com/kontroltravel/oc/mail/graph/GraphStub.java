package com.kontroltravel.oc.mail.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Microsoft Graph v1.0 and the Microsoft identity platform token endpoint, as far as the gateway
 * uses them, over real HTTP on loopback. The request and response shapes follow Microsoft's
 * documentation:
 *
 * <ul>
 *   <li>Delta query on a folder's messages, paging with {@code @odata.nextLink} ({@code
 *       $skiptoken}) to a final page with {@code @odata.deltaLink} ({@code $deltatoken}), page size
 *       from {@code Prefer: odata.maxpagesize}, deleted items as {@code "@removed": {"reason":
 *       "deleted"}}: https://learn.microsoft.com/en-us/graph/api/message-delta and
 *       https://learn.microsoft.com/en-us/graph/delta-query-messages
 *   <li>A delta token the service no longer holds answers {@code 410 Gone} and the client starts a
 *       full synchronisation: https://learn.microsoft.com/en-us/graph/delta-query-overview (section
 *       "Synchronization reset"); Outlook drops old delta tokens once its token cache is full (same
 *       page, token duration); an expired token may also answer {@code 400} with code {@code
 *       syncStateNotFound}:
 *       https://devblogs.microsoft.com/microsoft365dev/duration-of-change-tracking-tokens-for-identity-and-education-resources/
 *       . The stub answers either, in Graph's error shape.
 *   <li>Raw MIME of a message from {@code GET /users/{id}/messages/{id}/$value}:
 *       https://learn.microsoft.com/en-us/graph/outlook-get-mime-message
 *   <li>{@code POST /users/{id}/sendMail} with {@code Content-Type: text/plain} and the base64 MIME
 *       as the body, {@code 202 Accepted} with no body, {@code 400} for malformed base64, and the
 *       copy saved to Sent Items: https://learn.microsoft.com/en-us/graph/api/user-sendmail and
 *       https://learn.microsoft.com/en-us/graph/outlook-send-mime-message
 *   <li>{@code $filter=internetMessageId eq '...'} on a folder's messages:
 *       https://learn.microsoft.com/en-us/graph/api/user-list-messages
 *   <li>Errors as {@code {"error": {"code": ..., "message": ..., "innerError": {...}}}}:
 *       https://learn.microsoft.com/en-us/graph/errors ; {@code 401 InvalidAuthenticationToken} for
 *       an expired token; {@code 429 TooManyRequests} with {@code Retry-After} in seconds:
 *       https://learn.microsoft.com/en-us/graph/throttling
 *   <li>Tokens: {@code POST /{tenant}/oauth2/v2.0/token} with {@code
 *       grant_type=client_credentials}, answering {@code
 *       {"token_type":"Bearer","expires_in":3599,"access_token":"..."}}:
 *       https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 * </ul>
 *
 * <p>State tokens encode positions in one change log, so re-using an old delta link works as it
 * does on Graph, and {@link #expireDeltaLinks()} makes every issued token stale.
 *
 * <p>Public, and shipped in this module's test jar, so that the runner's tests (oc-examples) drive
 * the same stub.
 */
public final class GraphStub implements AutoCloseable {
  public static final String MAILBOX = "oc@kontroltravel.example";
  public static final String TENANT = "contoso.example";
  public static final String CLIENT_ID = "app-1";
  public static final String CLIENT_SECRET = "graph-client-s3cret";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern USER = Pattern.compile("^/v1\\.0/users/([^/]+)(/.*)$");

  /** A message in a folder. */
  static final class Item {
    final String id;
    final byte[] raw;
    final String internetMessageId;
    final long createdSeq;
    final List<Long> touchedSeqs = new CopyOnWriteArrayList<>();
    volatile long deletedSeq;
    volatile boolean vanished;

    Item(String id, byte[] raw, String internetMessageId, long createdSeq) {
      this.id = id;
      this.raw = raw;
      this.internetMessageId = internetMessageId;
      this.createdSeq = createdSeq;
    }

    /** Present in the folder as of change {@code seq}. */
    boolean liveAt(long seq) {
      return createdSeq <= seq && (deletedSeq == 0 || deletedSeq > seq);
    }

    /** Created, changed or deleted in (from, upTo]. */
    boolean changedIn(long from, long upTo) {
      if (createdSeq > from && createdSeq <= upTo) {
        return true;
      }
      if (deletedSeq > from && deletedSeq <= upTo) {
        return true;
      }
      return touchedSeqs.stream().anyMatch(t -> t > from && t <= upTo);
    }
  }

  /** A request the stub answered. */
  public record Call(
      String method, String path, String query, Map<String, List<String>> headers, int status) {}

  private final HttpServer server;
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final Object lock = new Object();
  private long changeSeq;
  private long tokenEpoch = 1;
  private int staleStatus = 410;
  private final List<Item> inbox = new ArrayList<>();

  /** Further mailboxes ({@link #addMailbox}), each with its own Inbox, by lower-case address. */
  private final Map<String, List<Item>> otherInboxes = new ConcurrentHashMap<>();

  private final List<Item> sentItems = new ArrayList<>();
  public final List<byte[]> sentMime = new CopyOnWriteArrayList<>();
  public final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
  private final Set<String> rejectedRecipients = ConcurrentHashMap.newKeySet();

  // Scripted failures: the next N matching requests answer this status.
  private volatile int failCount;
  private volatile int failStatus;
  private volatile String failRetryAfter;
  private volatile String failPathContains = "";
  private volatile boolean keepSentCopies = true;

  public GraphStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", this::handle);
    server.start();
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1.0");
  }

  public URI authority() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  // ------------------------------------------------------------------ test controls

  /** Puts a raw message into the Inbox, as if it arrived. */
  public String deliver(byte[] raw) {
    return deliver(MAILBOX, raw);
  }

  /** Another mailbox the application may read (an OC-replies mailbox), with an empty Inbox. */
  public void addMailbox(String address) {
    otherInboxes.putIfAbsent(address.toLowerCase(Locale.ROOT), new CopyOnWriteArrayList<>());
  }

  /** Puts a raw message into {@code mailbox}'s Inbox, as if it arrived. */
  public String deliver(String mailbox, byte[] raw) {
    String internetId = header(raw, "Message-ID");
    synchronized (lock) {
      String id = "AAMkAD" + ids.incrementAndGet() + "-ImmutableId/+=";
      inboxOf(mailbox).add(new Item(id, raw, internetId, ++changeSeq));
      return id;
    }
  }

  private List<Item> inboxOf(String mailbox) {
    if (mailbox.equalsIgnoreCase(MAILBOX)) {
      return inbox;
    }
    List<Item> other = otherInboxes.get(mailbox.toLowerCase(Locale.ROOT));
    if (other == null) {
      throw new IllegalArgumentException("no such mailbox in the stub: " + mailbox);
    }
    return other;
  }

  /** A change to a message already there (a person read or flagged it). */
  public void touch(String id) {
    synchronized (lock) {
      for (Item i : inbox) {
        if (i.id.equals(id)) {
          i.touchedSeqs.add(++changeSeq);
        }
      }
    }
  }

  /** A person deleted a message. */
  public void delete(String id) {
    synchronized (lock) {
      for (Item i : inbox) {
        if (i.id.equals(id)) {
          i.deletedSeq = ++changeSeq;
        }
      }
    }
  }

  /**
   * The message disappears between listing and download: $value answers 404, delta still lists it.
   */
  public void vanish(String id) {
    synchronized (lock) {
      for (Item i : inbox) {
        if (i.id.equals(id)) {
          i.vanished = true;
        }
      }
    }
  }

  /** Every delta and skip token issued so far is forgotten: they answer 410 Gone. */
  public void expireDeltaLinks() {
    expireDeltaLinks(410);
  }

  /** Every delta and skip token issued so far is forgotten: they answer {@code status}. */
  public void expireDeltaLinks(int status) {
    synchronized (lock) {
      tokenEpoch++;
      staleStatus = status;
    }
  }

  /** Every access token issued so far is expired: Graph answers 401. */
  public void expireAccessTokens() {
    validTokens.clear();
  }

  /**
   * The next {@code count} requests whose path and query contain {@code pathPart} answer {@code
   * status}.
   */
  public void failNext(int count, int status, String retryAfter, String pathPart) {
    failStatus = status;
    failRetryAfter = retryAfter;
    failPathContains = pathPart;
    failCount = count;
  }

  public void rejectRecipient(String address) {
    rejectedRecipients.add(address.toLowerCase(Locale.ROOT));
  }

  public void keepSentCopies(boolean v) {
    keepSentCopies = v;
  }

  public int tokensIssued() {
    return tokensIssued.get();
  }

  public List<Call> calls(String method, String pathPart) {
    return calls.stream()
        .filter(c -> c.method().equals(method) && c.path().contains(pathPart))
        .toList();
  }

  // ------------------------------------------------------------------ HTTP

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      URI uri = ex.getRequestURI();
      String path = uri.getRawPath();
      String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
      byte[] body = ex.getRequestBody().readAllBytes();
      Answer a;
      try {
        a = answer(ex, method, path, query, body);
      } catch (RuntimeException e) {
        a = error(500, "generalException", e.toString());
      }
      calls.add(new Call(method, path, query, Map.copyOf(ex.getRequestHeaders()), a.status));
      a.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      if (a.body == null) {
        ex.sendResponseHeaders(a.status, -1);
      } else {
        ex.sendResponseHeaders(a.status, a.body.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(a.body);
        }
      }
    }
  }

  private static final class Answer {
    final int status;
    final byte[] body;
    final Map<String, String> headers = new LinkedHashMap<>();

    Answer(int status, byte[] body, String contentType) {
      this.status = status;
      this.body = body;
      if (contentType != null) {
        headers.put("Content-Type", contentType);
      }
    }
  }

  private static Answer json(int status, Object node) {
    try {
      return new Answer(status, JSON.writeValueAsBytes(node), "application/json; charset=utf-8");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Answer error(int status, String code, String message) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode err = root.putObject("error");
    err.put("code", code);
    err.put("message", message);
    ObjectNode inner = err.putObject("innerError");
    inner.put("date", Instant.now().toString());
    inner.put("request-id", "00000000-0000-0000-0000-000000000000");
    return json(status, root);
  }

  private Answer answer(HttpExchange ex, String method, String path, String query, byte[] body) {
    if (method.equals("POST") && path.equals("/" + TENANT + "/oauth2/v2.0/token")) {
      return token(new String(body, StandardCharsets.UTF_8));
    }
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth == null || !auth.startsWith("Bearer ")) {
      return error(401, "InvalidAuthenticationToken", "Access token is empty.");
    }
    if (!validTokens.contains(auth.substring("Bearer ".length()))) {
      return error(
          401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.");
    }
    if (failCount > 0 && (path + "?" + query).contains(failPathContains)) {
      synchronized (this) {
        if (failCount > 0) {
          failCount--;
          Answer a =
              failStatus == 429
                  ? error(429, "TooManyRequests", "Too many requests. Please retry later.")
                  : error(
                      failStatus, "ServiceUnavailable", "The service is temporarily unavailable.");
          if (failRetryAfter != null) {
            a.headers.put("Retry-After", failRetryAfter);
          }
          return a;
        }
      }
    }
    Matcher m = USER.matcher(path);
    if (!m.matches()) {
      return error(400, "BadRequest", "Resource not found for the segment '" + path + "'.");
    }
    String user = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
    if (!user.equalsIgnoreCase(MAILBOX)
        && !otherInboxes.containsKey(user.toLowerCase(Locale.ROOT))) {
      return error(404, "ErrorInvalidUser", "The requested user '" + user + "' is invalid.");
    }
    List<Item> inbox = inboxOf(user);
    String rest = m.group(2);
    Map<String, String> q = params(query);
    if (method.equals("GET")
        && rest.matches("(?i)/mailFolders(/Inbox|\\('Inbox'\\))/messages/delta")) {
      return delta(ex, q, user, inbox);
    }
    if (method.equals("GET") && rest.startsWith("/messages/") && rest.endsWith("/$value")) {
      String id =
          URLDecoder.decode(
              rest.substring("/messages/".length(), rest.length() - "/$value".length()),
              StandardCharsets.UTF_8);
      synchronized (lock) {
        for (Item i : inbox) {
          if (i.id.equals(id) && i.deletedSeq == 0 && !i.vanished) {
            return new Answer(200, i.raw, "text/plain");
          }
        }
      }
      return error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
    }
    if (method.equals("GET") && rest.matches("/messages/[^/]+") && q.containsKey("$select")) {
      // https://learn.microsoft.com/en-us/graph/api/message-get: the selected properties only.
      String id = URLDecoder.decode(rest.substring("/messages/".length()), StandardCharsets.UTF_8);
      synchronized (lock) {
        for (Item i : inbox) {
          if (i.id.equals(id) && i.deletedSeq == 0 && !i.vanished) {
            ObjectNode n = JSON.createObjectNode();
            n.put("id", i.id);
            n.put("internetMessageId", i.internetMessageId);
            n.put("subject", header(i.raw, "Subject"));
            n.put("receivedDateTime", "2026-12-01T10:00:00Z");
            ObjectNode from = n.putObject("from").putObject("emailAddress");
            from.put("name", "Sistema de Reservas");
            from.put("address", "reservas@booking.example");
            return json(200, n);
          }
        }
      }
      return error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
    }
    if (method.equals("GET") && rest.equals("/mailFolders")) {
      // https://learn.microsoft.com/en-us/graph/api/user-list-mailfolders
      ObjectNode root = JSON.createObjectNode();
      root.putArray("value").add(inboxFolder(inbox));
      return json(200, root);
    }
    if (method.equals("GET") && rest.matches("(?i)/mailFolders(/Inbox|\\('Inbox'\\))")) {
      // https://learn.microsoft.com/en-us/graph/api/mailfolder-get
      return json(200, inboxFolder(inbox));
    }
    if (method.equals("GET") && rest.matches("/mailFolders/[^/]+")) {
      return error(404, "ErrorInvalidIdMalformed", "Id is malformed.");
    }
    if (method.equals("POST") && rest.equals("/sendMail")) {
      return sendMail(ex, body);
    }
    if (method.equals("GET") && rest.equalsIgnoreCase("/mailFolders/SentItems/messages")) {
      return sentItemsSearch(q);
    }
    return error(400, "BadRequest", "Unsupported in the stub: " + method + " " + rest);
  }

  private ObjectNode inboxFolder(List<Item> inbox) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", "AAMkADInboxFolderId=");
    n.put("displayName", "Inbox");
    synchronized (lock) {
      n.put("totalItemCount", inbox.stream().filter(i -> i.deletedSeq == 0).count());
    }
    return n;
  }

  private Answer token(String form) {
    Map<String, String> f = params(form);
    if (!"client_credentials".equals(f.get("grant_type"))
        || !CLIENT_ID.equals(f.get("client_id"))
        || !CLIENT_SECRET.equals(f.get("client_secret"))) {
      ObjectNode e = JSON.createObjectNode();
      e.put("error", "invalid_client");
      e.put("error_description", "AADSTS7000215: Invalid client secret provided.");
      return json(401, e);
    }
    if (!"https://graph.microsoft.com/.default".equals(f.get("scope"))) {
      ObjectNode e = JSON.createObjectNode();
      e.put("error", "invalid_scope");
      e.put("error_description", "AADSTS70011: The provided value for scope is not valid.");
      return json(400, e);
    }
    String token = "eyJ0eXAi.graph-token-" + tokensIssued.incrementAndGet();
    validTokens.add(token);
    ObjectNode ok = JSON.createObjectNode();
    ok.put("token_type", "Bearer");
    ok.put("expires_in", 3599);
    ok.put("ext_expires_in", 3599);
    ok.put("access_token", token);
    return json(200, ok);
  }

  /**
   * Tokens: {@code s.<epoch>.<from>.<upTo>.<offset>} (a page inside a round) and {@code
   * d.<epoch>.<upTo>} (a delta link: changes after {@code upTo}).
   */
  private Answer delta(HttpExchange ex, Map<String, String> q, String user, List<Item> inbox) {
    int pageSize = 10;
    for (String p : ex.getRequestHeaders().getOrDefault("Prefer", List.of())) {
      for (String part : p.split(",")) {
        String t = part.trim();
        if (t.startsWith("odata.maxpagesize=")) {
          pageSize = Integer.parseInt(t.substring("odata.maxpagesize=".length()));
        }
      }
    }
    synchronized (lock) {
      long from;
      long upTo;
      int offset;
      if (q.containsKey("$skiptoken")) {
        String[] t = q.get("$skiptoken").split("\\.");
        if (Long.parseLong(t[1]) != tokenEpoch) {
          return error(
              staleStatus,
              "syncStateNotFound",
              "The sync state generation is not found. The delta token is expired and data must be"
                  + " synchronized again.");
        }
        from = Long.parseLong(t[2]);
        upTo = Long.parseLong(t[3]);
        offset = Integer.parseInt(t[4]);
      } else if (q.containsKey("$deltatoken")) {
        String[] t = q.get("$deltatoken").split("\\.");
        if (Long.parseLong(t[1]) != tokenEpoch) {
          return error(
              staleStatus,
              "syncStateNotFound",
              "The sync state generation is not found. The delta token is expired and data must be"
                  + " synchronized again.");
        }
        from = Long.parseLong(t[2]);
        upTo = changeSeq;
        offset = 0;
      } else {
        from = 0;
        upTo = changeSeq;
        offset = 0;
      }
      // The round's set depends only on (from, upTo]: later changes cannot shift its pages.
      List<Item> changed = new ArrayList<>();
      for (Item i : inbox) {
        if (from == 0 ? i.liveAt(upTo) : i.changedIn(from, upTo)) {
          changed.add(i);
        }
      }
      ObjectNode root = JSON.createObjectNode();
      root.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#Collection(message)");
      ArrayNode value = root.putArray("value");
      int end = Math.min(changed.size(), offset + pageSize);
      for (Item i : changed.subList(offset, end)) {
        ObjectNode n = value.addObject();
        n.put("@odata.type", "#microsoft.graph.message");
        n.put("@odata.etag", "W/\"CQAAABYAAAA" + i.createdSeq + "\"");
        n.put("id", i.id);
        if (!i.liveAt(upTo)) {
          n.putObject("@removed").put("reason", "deleted");
        }
      }
      String base = baseUrl() + "/users/" + user + "/mailFolders('Inbox')/messages/delta";
      if (end < changed.size()) {
        root.put(
            "@odata.nextLink",
            base + "?$skiptoken=s." + tokenEpoch + "." + from + "." + upTo + "." + end);
      } else {
        root.put("@odata.deltaLink", base + "?$deltatoken=d." + tokenEpoch + "." + upTo);
      }
      return json(200, root);
    }
  }

  private Answer sendMail(HttpExchange ex, byte[] body) {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("text/plain")) {
      return error(415, "UnsupportedMediaType", "MIME content must be sent as text/plain.");
    }
    byte[] mime;
    try {
      mime = Base64.getDecoder().decode(new String(body, StandardCharsets.US_ASCII).trim());
    } catch (IllegalArgumentException e) {
      return error(
          400, "ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content.");
    }
    String to = header(mime, "To") + "," + header(mime, "Cc");
    for (String r : rejectedRecipients) {
      if (to.toLowerCase(Locale.ROOT).contains(r)) {
        return error(400, "ErrorInvalidRecipients", "At least one recipient isn't valid.");
      }
    }
    sentMime.add(mime);
    if (keepSentCopies) {
      synchronized (lock) {
        sentItems.add(
            new Item("SENT" + ids.incrementAndGet(), mime, header(mime, "Message-ID"), 0));
      }
    }
    return new Answer(202, null, null);
  }

  private Answer sentItemsSearch(Map<String, String> q) {
    String filter = q.getOrDefault("$filter", "");
    Matcher m = Pattern.compile("^internetMessageId eq '(.*)'$").matcher(filter);
    if (!m.matches()) {
      return error(400, "BadRequest", "Invalid filter clause");
    }
    String wanted = m.group(1).replace("''", "'");
    ObjectNode root = JSON.createObjectNode();
    ArrayNode value = root.putArray("value");
    synchronized (lock) {
      for (Item i : sentItems) {
        if (wanted.equals(i.internetMessageId)) {
          value.addObject().put("id", i.id).put("internetMessageId", i.internetMessageId);
        }
      }
    }
    return json(200, root);
  }

  private static Map<String, String> params(String query) {
    Map<String, String> out = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) {
      return out;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  private static String header(byte[] raw, String name) {
    try {
      MimeMessage m =
          new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
      String v = m.getHeader(name, ",");
      return v == null ? "" : v.trim();
    } catch (Exception e) {
      return "";
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
