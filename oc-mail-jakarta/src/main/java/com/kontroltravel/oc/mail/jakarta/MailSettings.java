package com.kontroltravel.oc.mail.jakarta;

import com.kontroltravel.oc.exception.ConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Everything {@link JakartaMailGateway} needs, immutable and checked when built: every problem is
 * reported at once in one {@link ConfigurationException}. Secrets are never part of {@link
 * #toString()}.
 *
 * <p>Safe defaults: IMAP over implicit TLS (993), SMTP with STARTTLS required (587), certificates
 * and host names checked, connection/read/write timeouts of 20 s/60 s/60 s, a 25 MB message size
 * limit, polling every 5 minutes, nothing done to a message after it is recorded, sender
 * authenticity not checked.
 */
public final class MailSettings {

  /** How a connection is protected. */
  public enum Security {
    /** TLS from the first byte (IMAPS 993, SMTPS 465). */
    IMPLICIT_TLS,
    /**
     * A plain connection upgraded with STARTTLS, which is required (IMAP 143, SMTP submission 587).
     */
    STARTTLS,
    /**
     * No encryption at all: only for loopback tests, and only with {@link
     * Builder#allowPlaintext(boolean)}.
     */
    PLAINTEXT
  }

  /** What to do to a message once the engine has durably recorded it. Nothing is ever deleted. */
  public enum PostRecordAction {
    /** Leave it as it is (the default). */
    NONE,
    /** Add the {@link #processedKeyword() keyword} flag. */
    KEYWORD,
    /**
     * Move it to the {@link #moveToFolder() folder} (IMAP MOVE; copied only, never deleted, without
     * MOVE).
     */
    MOVE
  }

  public static final int DEFAULT_IMAPS_PORT = 993;
  public static final int DEFAULT_IMAP_PORT = 143;
  public static final int DEFAULT_SUBMISSION_PORT = 587;
  public static final int DEFAULT_SMTPS_PORT = 465;
  public static final int DEFAULT_SMTP_PORT = 25;
  public static final String DEFAULT_FOLDER = "INBOX";
  public static final String DEFAULT_SENT_FOLDER = "Sent";
  public static final String DEFAULT_KEYWORD = "OcProcessed";
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(20);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(5);

  /** IDLE is re-issued this often; servers may drop an IDLE after 29 minutes and NATs sooner. */
  public static final Duration DEFAULT_IDLE_RENEWAL = Duration.ofMinutes(10);

  /** The longest IDLE renewal allowed (RFC 2177 asks clients to re-issue before 29 minutes). */
  public static final Duration MAX_IDLE_RENEWAL = Duration.ofMinutes(29);

  /** Authenticated SMTP sessions kept open for reuse, at most (one per concurrent send). */
  public static final int DEFAULT_SMTP_POOL_SIZE = 3;

  /** The largest SMTP pool allowed. */
  public static final int MAX_SMTP_POOL_SIZE = 16;

  /**
   * An SMTP session unused this long is closed (well below the 5 minutes after which servers such
   * as Postfix drop an idle client).
   */
  public static final Duration DEFAULT_SMTP_IDLE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Messages sent over one SMTP session before it is closed and a new one opened (servers limit
   * this, Exchange Online among them; 1 means a connection per message).
   */
  public static final int DEFAULT_SMTP_MESSAGES_PER_SESSION = 100;

  public static final long DEFAULT_MAX_MESSAGE_SIZE = 25L * 1024 * 1024;
  public static final long DEFAULT_SPOOL_THRESHOLD = 2L * 1024 * 1024;

  private final String imapHost;
  private final int imapPort;
  private final String imapUsername;
  private final Credentials imapCredentials;
  private final String folder;
  private final Security imapSecurity;
  private final String smtpHost;
  private final int smtpPort;
  private final String smtpUsername;
  private final Credentials smtpCredentials;
  private final Security smtpSecurity;
  private final String fromAddress;
  private final String fromName;
  private final Duration connectionTimeout;
  private final Duration readTimeout;
  private final Duration writeTimeout;
  private final int smtpPoolSize;
  private final Duration smtpIdleTimeout;
  private final int smtpMessagesPerSession;
  private final long maxMessageSize;
  private final long spoolThreshold;
  private final Duration pollInterval;
  private final Duration idleRenewal;
  private final PostRecordAction postRecordAction;
  private final String processedKeyword;
  private final String moveToFolder;
  private final Set<String> trustedAuthServIds;
  private final boolean checkSentFolder;
  private final String sentFolder;
  private final boolean allowPlaintext;
  private final Set<String> testOnlyTrustedHosts;

  private MailSettings(Builder b) {
    List<String> problems = new ArrayList<>();
    imapHost = trim(b.imapHost);
    imapSecurity = b.imapSecurity == null ? Security.IMPLICIT_TLS : b.imapSecurity;
    imapPort =
        b.imapPort != null
            ? b.imapPort
            : imapSecurity == Security.IMPLICIT_TLS ? DEFAULT_IMAPS_PORT : DEFAULT_IMAP_PORT;
    imapUsername = trim(b.imapUsername);
    imapCredentials = b.imapCredentials;
    folder = b.folder == null || b.folder.isBlank() ? DEFAULT_FOLDER : b.folder.trim();
    smtpHost = trim(b.smtpHost) == null ? imapHost : trim(b.smtpHost);
    smtpSecurity = b.smtpSecurity == null ? Security.STARTTLS : b.smtpSecurity;
    smtpPort =
        b.smtpPort != null
            ? b.smtpPort
            : switch (smtpSecurity) {
              case IMPLICIT_TLS -> DEFAULT_SMTPS_PORT;
              case STARTTLS -> DEFAULT_SUBMISSION_PORT;
              case PLAINTEXT -> DEFAULT_SMTP_PORT;
            };
    smtpUsername = trim(b.smtpUsername) == null ? imapUsername : trim(b.smtpUsername);
    smtpCredentials = b.smtpCredentials == null ? imapCredentials : b.smtpCredentials;
    fromAddress = trim(b.fromAddress) == null ? imapUsername : trim(b.fromAddress);
    fromName = trim(b.fromName);
    connectionTimeout = b.connectionTimeout;
    readTimeout = b.readTimeout;
    writeTimeout = b.writeTimeout;
    smtpPoolSize = b.smtpPoolSize;
    smtpIdleTimeout = b.smtpIdleTimeout;
    smtpMessagesPerSession = b.smtpMessagesPerSession;
    maxMessageSize = b.maxMessageSize;
    spoolThreshold = b.spoolThreshold;
    pollInterval = b.pollInterval;
    idleRenewal = b.idleRenewal;
    postRecordAction = b.postRecordAction == null ? PostRecordAction.NONE : b.postRecordAction;
    processedKeyword = trim(b.processedKeyword);
    moveToFolder = trim(b.moveToFolder);
    trustedAuthServIds = lowerSet(b.trustedAuthServIds);
    checkSentFolder = b.checkSentFolder;
    sentFolder =
        b.sentFolder == null || b.sentFolder.isBlank() ? DEFAULT_SENT_FOLDER : b.sentFolder.trim();
    allowPlaintext = b.allowPlaintext;
    testOnlyTrustedHosts = Set.copyOf(lowerSet(b.testOnlyTrustedHosts));

    if (imapHost == null) {
      problems.add("IMAP host is missing");
    }
    if (imapUsername == null) {
      problems.add("IMAP username is missing");
    }
    if (imapCredentials == null) {
      problems.add("IMAP password or OAuth2 token provider is missing");
    }
    checkPort("IMAP", imapPort, problems);
    checkPort("SMTP", smtpPort, problems);
    if (smtpHost == null) {
      problems.add("SMTP host is missing");
    }
    if (smtpUsername == null) {
      problems.add("SMTP username is missing");
    }
    if (smtpCredentials == null) {
      problems.add("SMTP password or OAuth2 token provider is missing");
    }
    if (fromAddress == null || fromAddress.indexOf('@') < 1) {
      problems.add("from address is missing or not an email address: " + fromAddress);
    }
    for (String[] hs : new String[][] {{"IMAP", imapHost}, {"SMTP", smtpHost}}) {
      Security s = hs[0].equals("IMAP") ? imapSecurity : smtpSecurity;
      if (s == Security.PLAINTEXT) {
        if (!allowPlaintext) {
          problems.add(
              hs[0] + " without TLS needs allowPlaintext(true) (meant for loopback tests only)");
        } else if (hs[1] != null && !isLoopback(hs[1])) {
          problems.add(hs[0] + " without TLS is only allowed on loopback, not " + hs[1]);
        }
      }
    }
    for (String h : testOnlyTrustedHosts) {
      if (!isLoopback(h)) {
        problems.add("testOnlyTrustedHosts may only name loopback hosts, not " + h);
      }
    }
    checkPositive("connection timeout", connectionTimeout, problems);
    checkPositive("read timeout", readTimeout, problems);
    checkPositive("write timeout", writeTimeout, problems);
    checkPositive("poll interval", pollInterval, problems);
    checkPositive("SMTP idle timeout", smtpIdleTimeout, problems);
    if (smtpPoolSize < 1 || smtpPoolSize > MAX_SMTP_POOL_SIZE) {
      problems.add("SMTP pool size must be 1.." + MAX_SMTP_POOL_SIZE + ": " + smtpPoolSize);
    }
    if (smtpMessagesPerSession < 1) {
      problems.add("SMTP messages per session must be at least 1: " + smtpMessagesPerSession);
    }
    checkPositive("IDLE renewal", idleRenewal, problems);
    if (idleRenewal != null && idleRenewal.compareTo(MAX_IDLE_RENEWAL) >= 0) {
      problems.add("IDLE renewal must be shorter than 29 minutes: " + idleRenewal);
    }
    if (maxMessageSize <= 0) {
      problems.add("max message size must be positive: " + maxMessageSize);
    }
    if (spoolThreshold <= 0) {
      problems.add("spool threshold must be positive: " + spoolThreshold);
    }
    if (postRecordAction == PostRecordAction.KEYWORD
        && (processedKeyword == null || !processedKeyword.matches("[A-Za-z0-9_$.-]+"))) {
      problems.add("KEYWORD needs a keyword of letters, digits, _ $ . -: " + processedKeyword);
    }
    if (postRecordAction == PostRecordAction.MOVE && moveToFolder == null) {
      problems.add("MOVE needs a folder to move to");
    }
    if (postRecordAction == PostRecordAction.MOVE
        && folder.equalsIgnoreCase(String.valueOf(moveToFolder))) {
      problems.add("MOVE folder is the monitored folder: " + moveToFolder);
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
  }

  /** A builder with the defaults described above. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.imapHost = imapHost;
    b.imapPort = imapPort;
    b.imapUsername = imapUsername;
    b.imapCredentials = imapCredentials;
    b.folder = folder;
    b.imapSecurity = imapSecurity;
    b.smtpHost = smtpHost;
    b.smtpPort = smtpPort;
    b.smtpUsername = smtpUsername;
    b.smtpCredentials = smtpCredentials;
    b.smtpSecurity = smtpSecurity;
    b.fromAddress = fromAddress;
    b.fromName = fromName;
    b.connectionTimeout = connectionTimeout;
    b.readTimeout = readTimeout;
    b.writeTimeout = writeTimeout;
    b.smtpPoolSize = smtpPoolSize;
    b.smtpIdleTimeout = smtpIdleTimeout;
    b.smtpMessagesPerSession = smtpMessagesPerSession;
    b.maxMessageSize = maxMessageSize;
    b.spoolThreshold = spoolThreshold;
    b.pollInterval = pollInterval;
    b.idleRenewal = idleRenewal;
    b.postRecordAction = postRecordAction;
    b.processedKeyword = processedKeyword;
    b.moveToFolder = moveToFolder;
    b.trustedAuthServIds = List.copyOf(trustedAuthServIds);
    b.checkSentFolder = checkSentFolder;
    b.sentFolder = sentFolder;
    b.allowPlaintext = allowPlaintext;
    b.testOnlyTrustedHosts = List.copyOf(testOnlyTrustedHosts);
    return b;
  }

  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
  }

  private static String trim(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static Set<String> lowerSet(List<String> values) {
    Set<String> out = new LinkedHashSet<>();
    if (values != null) {
      for (String v : values) {
        if (v != null && !v.isBlank()) {
          out.add(v.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    return out;
  }

  private static void checkPort(String what, int port, List<String> problems) {
    if (port < 1 || port > 65535) {
      problems.add(what + " port out of range: " + port);
    }
  }

  private static void checkPositive(String what, Duration d, List<String> problems) {
    if (d == null || d.isNegative() || d.isZero()) {
      problems.add(what + " must be positive: " + d);
    }
  }

  /** The IMAP server's host name. */
  public String imapHost() {
    return imapHost;
  }

  /** The IMAP port (default 993 with implicit TLS, else 143). */
  public int imapPort() {
    return imapPort;
  }

  /** The IMAP login name. */
  public String imapUsername() {
    return imapUsername;
  }

  /** The IMAP password or token provider (never printed). */
  public Credentials imapCredentials() {
    return imapCredentials;
  }

  /** The monitored folder (default {@code INBOX}). */
  public String folder() {
    return folder;
  }

  /** How the IMAP connection is protected (default implicit TLS). */
  public Security imapSecurity() {
    return imapSecurity;
  }

  /** The SMTP server's host name (default: the IMAP host). */
  public String smtpHost() {
    return smtpHost;
  }

  /** The SMTP port (default 587 with STARTTLS, 465 with implicit TLS). */
  public int smtpPort() {
    return smtpPort;
  }

  /** The SMTP login name (default: the IMAP one). */
  public String smtpUsername() {
    return smtpUsername;
  }

  /** The SMTP password or token provider (default: the IMAP one; never printed). */
  public Credentials smtpCredentials() {
    return smtpCredentials;
  }

  /** How the SMTP connection is protected (default STARTTLS, required). */
  public Security smtpSecurity() {
    return smtpSecurity;
  }

  /** The From address of sent mail (default: the IMAP username). */
  public String fromAddress() {
    return fromAddress;
  }

  /** The From display name, or null. */
  public String fromName() {
    return fromName;
  }

  /** How long to wait for a connection (default 20 s). */
  public Duration connectionTimeout() {
    return connectionTimeout;
  }

  /** How long to wait for a server's answer (default 60 s). */
  public Duration readTimeout() {
    return readTimeout;
  }

  /** How long a write to the server may block (default 60 s). */
  public Duration writeTimeout() {
    return writeTimeout;
  }

  /** Messages larger than this are reported as too large instead of being downloaded. */
  public long maxMessageSize() {
    return maxMessageSize;
  }

  /** Messages larger than this are spooled to a temporary file while they are decoded. */
  public long spoolThreshold() {
    return spoolThreshold;
  }

  /**
   * How often the host should poll (a safety net even with IDLE); read by the engine's
   * configuration.
   */
  public Duration pollInterval() {
    return pollInterval;
  }

  /**
   * How many authenticated SMTP sessions {@link JakartaMailGateway} keeps open for reuse (default
   * {@value #DEFAULT_SMTP_POOL_SIZE}); also how many sends run at once, the others wait.
   */
  public int smtpPoolSize() {
    return smtpPoolSize;
  }

  /** An SMTP session unused this long is closed (default 30 s). */
  public Duration smtpIdleTimeout() {
    return smtpIdleTimeout;
  }

  /**
   * Messages sent over one SMTP session before it is replaced (default {@value
   * #DEFAULT_SMTP_MESSAGES_PER_SESSION}).
   */
  public int smtpMessagesPerSession() {
    return smtpMessagesPerSession;
  }

  /** How often an IDLE command is re-issued. */
  public Duration idleRenewal() {
    return idleRenewal;
  }

  /** What {@link JakartaMailGateway#markProcessed} does (default nothing). */
  public PostRecordAction postRecordAction() {
    return postRecordAction;
  }

  /** The keyword for {@link PostRecordAction#KEYWORD}. */
  public String processedKeyword() {
    return processedKeyword;
  }

  /** The folder for {@link PostRecordAction#MOVE}, or null. */
  public String moveToFolder() {
    return moveToFolder;
  }

  /**
   * Authserv-ids (lower case) whose {@code Authentication-Results} headers are believed; a message
   * is {@link com.kontroltravel.oc.model.InboundMessage#authenticated() authenticated} when one of
   * them reports a pass aligned with its From. Empty (the default): nothing is authenticated. What
   * to do with an unauthenticated sender is the engine's decision ({@code OcConfig}).
   */
  public Set<String> trustedAuthServIds() {
    return trustedAuthServIds;
  }

  /** Whether {@link JakartaMailGateway#findSent} searches the Sent folder (default off). */
  public boolean checkSentFolder() {
    return checkSentFolder;
  }

  /** The folder searched by {@link JakartaMailGateway#findSent} (default {@code Sent}). */
  public String sentFolder() {
    return sentFolder;
  }

  /** Whether unencrypted connections to loopback hosts are allowed (tests only). */
  public boolean allowPlaintext() {
    return allowPlaintext;
  }

  /**
   * Loopback hosts whose certificates are trusted without checks (tests against a self-signed
   * server).
   */
  public Set<String> testOnlyTrustedHosts() {
    return testOnlyTrustedHosts;
  }

  @Override
  public String toString() {
    return "MailSettings[imap="
        + imapSecurity
        + "://"
        + imapUsername
        + "@"
        + imapHost
        + ":"
        + imapPort
        + "/"
        + folder
        + ", imapAuth="
        + (imapCredentials == null ? "none" : imapCredentials.isOAuth2() ? "oauth2" : "password")
        + ", smtp="
        + smtpSecurity
        + "://"
        + smtpUsername
        + "@"
        + smtpHost
        + ":"
        + smtpPort
        + ", from="
        + fromAddress
        + ", timeouts="
        + connectionTimeout
        + "/"
        + readTimeout
        + "/"
        + writeTimeout
        + ", smtpSessions="
        + smtpPoolSize
        + "x"
        + smtpMessagesPerSession
        + "/"
        + smtpIdleTimeout
        + ", maxMessageSize="
        + maxMessageSize
        + ", poll="
        + pollInterval
        + ", postRecord="
        + postRecordAction
        + ", checkSent="
        + checkSentFolder
        + "]";
  }

  /** Builds {@link MailSettings}; not thread safe. */
  public static final class Builder {
    private String imapHost;
    private Integer imapPort;
    private String imapUsername;
    private Credentials imapCredentials;
    private String folder;
    private Security imapSecurity;
    private String smtpHost;
    private Integer smtpPort;
    private String smtpUsername;
    private Credentials smtpCredentials;
    private Security smtpSecurity;
    private String fromAddress;
    private String fromName;
    private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
    private int smtpPoolSize = DEFAULT_SMTP_POOL_SIZE;
    private Duration smtpIdleTimeout = DEFAULT_SMTP_IDLE_TIMEOUT;
    private int smtpMessagesPerSession = DEFAULT_SMTP_MESSAGES_PER_SESSION;
    private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    private long spoolThreshold = DEFAULT_SPOOL_THRESHOLD;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration idleRenewal = DEFAULT_IDLE_RENEWAL;
    private PostRecordAction postRecordAction;
    private String processedKeyword = DEFAULT_KEYWORD;
    private String moveToFolder;
    private List<String> trustedAuthServIds = List.of();
    private boolean checkSentFolder;
    private String sentFolder;
    private boolean allowPlaintext;
    private List<String> testOnlyTrustedHosts = List.of();

    private Builder() {}

    /**
     * The IMAP server, its port (default by security) and how it is protected (default implicit
     * TLS).
     */
    public Builder imap(String host, Integer port, Security security) {
      imapHost = host;
      imapPort = port;
      imapSecurity = security;
      return this;
    }

    /** The IMAP login. */
    public Builder imapLogin(String username, Credentials credentials) {
      imapUsername = username;
      imapCredentials = credentials;
      return this;
    }

    /** The monitored folder (default {@code INBOX}). */
    public Builder folder(String v) {
      folder = v;
      return this;
    }

    /**
     * The SMTP server, its port (default by security) and how it is protected (default STARTTLS,
     * required).
     */
    public Builder smtp(String host, Integer port, Security security) {
      smtpHost = host;
      smtpPort = port;
      smtpSecurity = security;
      return this;
    }

    /** The SMTP login (default: the IMAP login). */
    public Builder smtpLogin(String username, Credentials credentials) {
      smtpUsername = username;
      smtpCredentials = credentials;
      return this;
    }

    /** The From address (default: the IMAP username) and display name. */
    public Builder from(String address, String name) {
      fromAddress = address;
      fromName = name;
      return this;
    }

    /** Connection, read and write timeouts (always set; defaults 20 s / 60 s / 60 s). */
    public Builder timeouts(Duration connection, Duration read, Duration write) {
      connectionTimeout = connection;
      readTimeout = read;
      writeTimeout = write;
      return this;
    }

    /**
     * SMTP session reuse: at most {@code poolSize} authenticated sessions kept open (1..16, default
     * 3), each closed after {@code idleTimeout} unused (default 30 s) or after {@code
     * messagesPerSession} messages (default 100; 1 opens a connection per message).
     */
    public Builder smtpSessions(int poolSize, Duration idleTimeout, int messagesPerSession) {
      smtpPoolSize = poolSize;
      smtpIdleTimeout = idleTimeout;
      smtpMessagesPerSession = messagesPerSession;
      return this;
    }

    public Builder maxMessageSize(long bytes) {
      maxMessageSize = bytes;
      return this;
    }

    public Builder spoolThreshold(long bytes) {
      spoolThreshold = bytes;
      return this;
    }

    public Builder pollInterval(Duration v) {
      pollInterval = v;
      return this;
    }

    public Builder idleRenewal(Duration v) {
      idleRenewal = v;
      return this;
    }

    /** Add a keyword flag to recorded messages. */
    public Builder flagProcessedWith(String keyword) {
      postRecordAction = PostRecordAction.KEYWORD;
      processedKeyword = keyword;
      return this;
    }

    /** Move recorded messages to {@code folder}. */
    public Builder moveProcessedTo(String folder) {
      postRecordAction = PostRecordAction.MOVE;
      moveToFolder = folder;
      return this;
    }

    /**
     * Believe {@code Authentication-Results} headers written by these authserv-ids (the receiving
     * server's own, which strips forged ones).
     */
    public Builder trustedAuthServIds(List<String> trustedAuthServIds) {
      this.trustedAuthServIds =
          trustedAuthServIds == null ? List.of() : List.copyOf(trustedAuthServIds);
      return this;
    }

    /**
     * Look for a Message-ID in {@code folder} before a resend whose outcome is unknown (off by
     * default).
     */
    public Builder checkSentFolder(boolean enabled, String folder) {
      checkSentFolder = enabled;
      sentFolder = folder;
      return this;
    }

    /** Allows {@link Security#PLAINTEXT} on loopback hosts (tests only). */
    public Builder allowPlaintext(boolean v) {
      allowPlaintext = v;
      return this;
    }

    /**
     * Trusts any certificate from these loopback hosts and skips host-name checks (tests against a
     * self-signed server such as GreenMail). Production leaves this empty: certificates and host
     * names are checked.
     */
    public Builder testOnlyTrustedHosts(List<String> hosts) {
      testOnlyTrustedHosts = hosts == null ? List.of() : List.copyOf(hosts);
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws ConfigurationException listing every problem found
     */
    public MailSettings build() {
      return new MailSettings(this);
    }
  }
}
