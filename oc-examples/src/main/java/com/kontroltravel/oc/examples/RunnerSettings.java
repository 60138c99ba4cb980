package com.kontroltravel.oc.examples;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.mail.jakarta.MailSettings;
import com.kontroltravel.oc.model.ReminderSchedule;
import com.kontroltravel.oc.settings.EngineSettings;
import com.kontroltravel.oc.settings.Variables;
import com.kontroltravel.oc.spi.Store;
import com.kontroltravel.oc.store.jdbc.JdbcStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The runner's settings: a YAML file ({@code --config oc.yaml}) overlaid by environment variables
 * that keep the names of the existing deployment's {@code .env} ({@code IMAP_HOST}, {@code
 * SMTP_PASSWORD}, {@code DATABASE_URL}, ...), so that file works unchanged.
 *
 * <p>A YAML key maps to the variable of the same name in upper snake case, sections joined with an
 * underscore: {@code imap: {host: x}} is {@code IMAP_HOST}, {@code daysForReminder1} is {@code
 * DAYS_FOR_REMINDER_1}. Lists are joined with commas. Environment variables win over the file.
 * Secrets belong in the environment; {@link #toString()} never shows them.
 */
public final class RunnerSettings {
  /** The default database: a SQLite file next to the working directory, as the old system had. */
  public static final String DEFAULT_DATABASE_URL = "jdbc:sqlite:data/oc_seguimiento.db";

  /** The admin web port of the old system. */
  public static final int DEFAULT_WEB_PORT = 8001;

  /** Passwords the admin web refuses to start with. */
  public static final Set<String> DEFAULT_PASSWORDS =
      Set.of("admin", "password", "changeme", "changeme123", "123456", "secret");

  /** Every variable the runner reads, for {@code --help} and documentation. */
  public static final List<String> KNOWN =
      List.of(
          "IMAP_HOST",
          "IMAP_PORT",
          "IMAP_USERNAME",
          "IMAP_PASSWORD",
          "IMAP_MAILBOX",
          "IMAP_USE_SSL",
          "IMAP_SECURITY",
          "IMAP_CHECK_INTERVAL",
          "IMAP_PROCESSED_FOLDER",
          "SMTP_HOST",
          "SMTP_PORT",
          "SMTP_USERNAME",
          "SMTP_PASSWORD",
          "SMTP_FROM_EMAIL",
          "SMTP_FROM_NAME",
          "SMTP_USE_TLS",
          "SMTP_SECURITY",
          // Sign-in (SignInSettings): password or OAuth2 for IMAP and SMTP.
          "IMAP_AUTH",
          "SMTP_AUTH",
          "GOOGLE_CLIENT_ID",
          "GOOGLE_CLIENT_SECRET",
          "GOOGLE_REFRESH_TOKEN",
          "GOOGLE_SERVICE_ACCOUNT_FILE",
          "OC_OAUTH_TOKEN_URL",
          "ALLOWED_CONFIRMATION_SENDERS",
          "EMAIL_CC_RECIPIENTS",
          "DAYS_FOR_REMINDER_1",
          "DAYS_FOR_REMINDER_2",
          "DATABASE_URL",
          "DATABASE_USER",
          "DATABASE_PASSWORD",
          "ADMIN_USERNAME",
          "ADMIN_PASSWORD",
          "WEB_HOST",
          "WEB_PORT",
          "OC_MAILBOX_ADDRESS",
          "OC_NODE_ID",
          "OC_DIGEST_RECIPIENTS",
          "OC_SEND_ACKNOWLEDGEMENT",
          "OC_UNKNOWN_AGENCY",
          "OC_TEMPLATES_DIR",
          "OC_DOCUMENTS_DIR",
          "OC_ALLOW_PLAINTEXT",
          "OC_SENDER_AUTHENTICATION",
          "OC_TRUSTED_AUTHSERV_IDS",
          "USE_GRAPH_API",
          "AZURE_CLIENT_ID",
          "AZURE_CLIENT_SECRET",
          "AZURE_TENANT_ID",
          "GRAPH_MAILBOX_EMAIL",
          "OC_GRAPH_BASE_URL",
          "OC_GRAPH_TOKEN_URL",
          "OC_INBOX_HOST",
          "OC_INBOX_PORT",
          "OC_INBOX_USERNAME",
          "OC_INBOX_PASSWORD",
          "OC_INBOX_MAILBOX",
          "OC_INBOX_USE_SSL",
          "OC_INBOX_SECURITY",
          "OC_INBOX_PROCESSED_FOLDER",
          "OC_CHECK_INTERVAL",
          "OC_INBOX_GRAPH_MAILBOX",
          "OC_REPLY_TO",
          // Engine settings (oc-core EngineSettings): calendar, chase, intake and sending.
          "OC_TIME_ZONE",
          "OC_OFFICE_HOURS",
          "OC_WORKING_DAYS",
          "OC_EXTRA_HOLIDAYS",
          "OC_HOLIDAYS_FILE",
          "OC_CHILEAN_HOLIDAYS",
          "OC_SCHEDULE",
          "OC_MIN_GAP_DAYS",
          "OC_EXPIRY_DAYS",
          "OC_CONFIRMATION_KEYWORDS",
          "OC_MAX_SEND_ATTEMPTS",
          "OC_RETRY_BACKOFF",
          "OC_RETRY_MAX_BACKOFF",
          "OC_BATCH_SIZE",
          "OC_CLAIM_LEASE",
          "OC_MESSAGE_ID_DOMAIN",
          "OC_CHECK_SENT_FOLDER",
          // First start, logging (lead).
          "IMAP_START_FROM",
          "OC_SMTP_SESSIONS",
          "OC_LOG_FORMAT",
          "OC_LOG_LEVEL",
          "OC_SENT_FOLDER",
          "OC_MAX_INBOUND_ATTEMPTS",
          "OC_INBOUND_RETENTION",
          "OC_AMOUNT_TOLERANCE",
          "OC_CRITICAL_AFTER_DAYS");

  private final Map<String, String> values;
  private final List<String> secretsInFile;

  private RunnerSettings(Map<String, String> values) {
    this(values, List.of());
  }

  private RunnerSettings(Map<String, String> values, List<String> secretsInFile) {
    this.values = Map.copyOf(values);
    this.secretsInFile = List.copyOf(secretsInFile);
  }

  /** Secrets that were read from the file rather than the environment (worth a warning). */
  public List<String> secretsInFile() {
    return secretsInFile;
  }

  /**
   * Reads the file (may be null) and overlays the environment.
   *
   * @throws ConfigurationException when the file cannot be read or parsed
   */
  public static RunnerSettings load(Path yaml, Map<String, String> env) {
    Map<String, String> v = yaml == null ? new TreeMap<>() : YamlSettings.read(yaml);
    List<String> fromFile = v.keySet().stream().filter(Secrets::isSecret).sorted().toList();
    // Only documented variables are read. An OC_* name the runner does not know is a typo (or a
    // setting meant for another program): refuse to start rather than ignore it silently, and
    // never show its value.
    List<String> unknown = new ArrayList<>();
    for (String k : v.keySet()) {
      if (k.startsWith("OC_") && !KNOWN.contains(k) && !AdminServer.VARIABLES.contains(k)) {
        unknown.add(k + " (in the configuration file)");
      }
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      String k = e.getKey();
      if (e.getValue() == null) {
        continue;
      }
      if (KNOWN.contains(k) || AdminServer.VARIABLES.contains(k)) {
        v.put(k, e.getValue());
      } else if (k.startsWith("OC_")) {
        unknown.add(k);
      }
    }
    if (!unknown.isEmpty()) {
      List<String> problems = new ArrayList<>();
      for (String k : unknown.stream().sorted().toList()) {
        problems.add(
            "unknown variable "
                + k
                + ": not a setting of the runner (a typo?); remove it or use one of "
                + KNOWN.stream().filter(n -> n.startsWith("OC_")).toList());
      }
      throw new ConfigurationException(problems);
    }
    List<String> stillFromFile = fromFile.stream().filter(k -> !env.containsKey(k)).toList();
    return new RunnerSettings(v, stillFromFile);
  }

  /** Settings from a map of variables (tests, the demo). */
  public static RunnerSettings of(Map<String, String> values) {
    return new RunnerSettings(new TreeMap<>(values));
  }

  /** A copy with some variables replaced. */
  public RunnerSettings with(Map<String, String> overrides) {
    Map<String, String> v = new TreeMap<>(values);
    v.putAll(overrides);
    return new RunnerSettings(v, secretsInFile);
  }

  // ------------------------------------------------------------------ raw access

  /** A variable, or null when unset or blank. */
  public String get(String name) {
    String v = values.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  String get(String name, String dflt) {
    String v = get(name);
    return v == null ? dflt : v;
  }

  Integer integer(String name, List<String> problems) {
    return variables().integer(name, problems);
  }

  Boolean bool(String name, List<String> problems) {
    return variables().bool(name, problems);
  }

  static List<String> list(String v) {
    return Variables.list(v);
  }

  /** These settings as the engine's settings read them (oc-core's {@link Variables}). */
  private Variables variables() {
    return Variables.of(this::get);
  }

  private EngineSettings engine() {
    return EngineSettings.of(variables());
  }

  // ------------------------------------------------------------------ typed views

  /** The JDBC URL, translating the old system's SQLAlchemy URLs ({@code sqlite:///./x.db}). */
  public String databaseUrl() {
    return jdbcUrl(get("DATABASE_URL", DEFAULT_DATABASE_URL));
  }

  static String jdbcUrl(String url) {
    if (url.startsWith("jdbc:")) {
      return url;
    }
    if (url.startsWith("sqlite:///")) {
      return "jdbc:sqlite:" + url.substring("sqlite:///".length());
    }
    if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
      // SQLAlchemy's postgresql://user:password@host:port/db: the driver wants URL parameters.
      String rest = url.substring(url.indexOf("://") + 3);
      int at = rest.lastIndexOf('@');
      if (at < 0) {
        return "jdbc:postgresql://" + rest;
      }
      String userInfo = rest.substring(0, at);
      String hostPart = rest.substring(at + 1);
      int colon = userInfo.indexOf(':');
      String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
      String params = "user=" + user;
      if (colon >= 0) {
        params += "&password=" + userInfo.substring(colon + 1);
      }
      return "jdbc:postgresql://" + hostPart + (hostPart.contains("?") ? "&" : "?") + params;
    }
    return url;
  }

  /** The monitored mailbox address (Reply-To of every message). */
  public String mailboxAddress() {
    String v = get("OC_MAILBOX_ADDRESS");
    if (v == null) {
      v = get("SMTP_FROM_EMAIL");
    }
    if (v == null && Boolean.TRUE.equals(bool("USE_GRAPH_API", new ArrayList<>()))) {
      v = get("GRAPH_MAILBOX_EMAIL"); // Graph reads and sends as this mailbox
    }
    if (v == null && get("IMAP_USERNAME") != null && get("IMAP_USERNAME").contains("@")) {
      v = get("IMAP_USERNAME");
    }
    return v;
  }

  /** The admin web user, default {@code admin}. */
  public String adminUsername() {
    return get("ADMIN_USERNAME", "admin");
  }

  /** The admin web password, or null. Never logged. */
  public String adminPassword() {
    return get("ADMIN_PASSWORD");
  }

  /** The admin web bind address, default loopback. */
  public String webHost() {
    return get("WEB_HOST", "127.0.0.1");
  }

  /** The admin web port, default 8001. */
  public int webPort() {
    List<String> p = new ArrayList<>();
    Integer v = integer("WEB_PORT", p);
    if (!p.isEmpty()) {
      throw new ConfigurationException(p);
    }
    return v == null ? DEFAULT_WEB_PORT : v;
  }

  /** The engine configuration. */
  public OcConfig ocConfig(String fallbackMailbox) {
    List<String> problems = new ArrayList<>();
    OcConfig.Builder b = OcConfig.builder();
    String mailbox = mailboxAddress();
    if (mailbox == null) {
      if (fallbackMailbox == null) {
        problems.add(
            "the monitored mailbox address is missing: set SMTP_FROM_EMAIL or OC_MAILBOX_ADDRESS");
      }
      mailbox = fallbackMailbox;
    }
    b.mailboxAddress(mailbox);
    if (get("SMTP_FROM_NAME") != null) {
      b.senderName(get("SMTP_FROM_NAME"));
    }
    b.allowedSenders(list(get("ALLOWED_CONFIRMATION_SENDERS")));
    b.ccRecipients(list(get("EMAIL_CC_RECIPIENTS")));
    b.digestRecipients(list(get("OC_DIGEST_RECIPIENTS")));
    Integer interval = integer("IMAP_CHECK_INTERVAL", problems);
    if (interval != null) {
      if (interval < 10) {
        problems.add("IMAP_CHECK_INTERVAL must be at least 10 seconds: " + interval);
      } else {
        b.pollInterval(Duration.ofSeconds(interval));
      }
    }
    Boolean ack = bool("OC_SEND_ACKNOWLEDGEMENT", problems);
    if (ack != null) {
      b.sendAcknowledgement(ack);
    }
    String unknown = get("OC_UNKNOWN_AGENCY");
    if (unknown != null) {
      try {
        b.unknownAgency(OcConfig.UnknownAgencyAction.valueOf(unknown.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        problems.add("OC_UNKNOWN_AGENCY must be ATTENTION or NOT_REQUIRED: " + unknown);
      }
    }
    b.nodeId(get("OC_NODE_ID") != null ? get("OC_NODE_ID") : stableNodeId());
    String auth = get("OC_SENDER_AUTHENTICATION");
    if (auth != null) {
      try {
        b.senderAuthentication(
            OcConfig.SenderAuthentication.valueOf(auth.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        problems.add("OC_SENDER_AUTHENTICATION must be off, warn or enforce: " + auth);
      }
    }
    engine().apply(b, problems);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return b.build();
  }

  /**
   * The chase schedule of agencies without their own: {@code OC_SCHEDULE} (the reminders' business
   * days, {@code 2,4,6}), or the old system's (request, reminder on day {@code
   * DAYS_FOR_REMINDER_1}, ultimatum on day {@code DAYS_FOR_REMINDER_2}) when either is set, else
   * the engine's default; {@code OC_MIN_GAP_DAYS} and {@code OC_EXPIRY_DAYS} apply to any of them.
   *
   * @throws ConfigurationException listing every problem
   */
  public ReminderSchedule schedule() {
    return engine().schedule();
  }

  /**
   * Opens the configured store (migrating its schema). Documents always live in the database; they
   * are also mirrored as files ({@code confirmaciones/YYYYMMDD_<id>.pdf}, {@code
   * oc/YYYYMMDD_<id>_oc.pdf}) under {@code OC_DOCUMENTS_DIR}, which defaults to the SQLite file's
   * folder (single node) and to none for PostgreSQL.
   */
  public Store openStore() {
    String url = databaseUrl();
    JdbcStore.Builder b = JdbcStore.builder(url);
    String user = get("DATABASE_USER");
    if (user != null) {
      b.credentials(user, Objects.toString(get("DATABASE_PASSWORD"), ""));
    }
    documentsDir().ifPresent(b::mirrorDocumentsTo);
    return b.build();
  }

  /** Where stored documents are mirrored as files, if anywhere. */
  java.util.Optional<java.nio.file.Path> documentsDir() {
    String dir = get("OC_DOCUMENTS_DIR");
    if (dir != null) {
      return java.util.Optional.of(java.nio.file.Path.of(dir));
    }
    String url = databaseUrl();
    if (url.startsWith("jdbc:sqlite:") && !url.contains(":memory:")) {
      String file = url.substring("jdbc:sqlite:".length());
      int q = file.indexOf('?');
      java.nio.file.Path parent =
          java.nio.file.Path.of(q < 0 ? file : file.substring(0, q)).toAbsolutePath().getParent();
      return java.util.Optional.ofNullable(parent);
    }
    return java.util.Optional.empty();
  }

  /**
   * The gateway's settings. IMAP uses implicit TLS unless {@code IMAP_USE_SSL=false} (then
   * STARTTLS); SMTP uses implicit TLS on port 465 and required STARTTLS otherwise. Plaintext only
   * with {@code IMAP_SECURITY/SMTP_SECURITY=PLAINTEXT} and {@code OC_ALLOW_PLAINTEXT=true}, and
   * only on loopback (the gateway enforces it).
   */
  public MailSettings mailSettings() {
    List<String> problems = new ArrayList<>();
    String imapHost = get("IMAP_HOST");
    String imapUser = get("IMAP_USERNAME");
    String imapPassword = get("IMAP_PASSWORD");
    if (imapHost == null) {
      problems.add("IMAP_HOST is missing");
    }
    if (imapUser == null) {
      problems.add("IMAP_USERNAME is missing");
    }
    if (imapPassword == null && SignInSettings.imapUsesPassword(this)) {
      problems.add("IMAP_PASSWORD is missing");
    }
    String smtpHost = get("SMTP_HOST");
    if (smtpHost == null) {
      problems.add("SMTP_HOST is missing");
    }
    Integer imapPort = integer("IMAP_PORT", problems);
    Integer smtpPort = integer("SMTP_PORT", problems);
    Boolean useSsl = bool("IMAP_USE_SSL", problems);
    Boolean allowPlain = bool("OC_ALLOW_PLAINTEXT", problems);
    Boolean smtpTls = bool("SMTP_USE_TLS", problems);
    boolean checkSent = engine().checkSentFolder(problems);
    Integer smtpSessions = engine().smtpSessions(problems);
    MailSettings.Security imapSecurity =
        security(
            get("IMAP_SECURITY"),
            Boolean.FALSE.equals(useSsl)
                ? MailSettings.Security.STARTTLS
                : MailSettings.Security.IMPLICIT_TLS,
            "IMAP_SECURITY",
            problems);
    // SMTP_USE_TLS=false is the old .env's "no STARTTLS": plaintext, which the gateway allows only
    // to loopback with OC_ALLOW_PLAINTEXT; SMTP_SECURITY, when set, wins.
    MailSettings.Security smtpSecurity =
        security(
            get("SMTP_SECURITY"),
            Boolean.FALSE.equals(smtpTls)
                ? MailSettings.Security.PLAINTEXT
                : smtpPort != null && smtpPort == 465
                    ? MailSettings.Security.IMPLICIT_TLS
                    : MailSettings.Security.STARTTLS,
            "SMTP_SECURITY",
            problems);
    if (Boolean.FALSE.equals(smtpTls)
        && get("SMTP_SECURITY") == null
        && !Boolean.TRUE.equals(allowPlain)) {
      problems.add(
          "SMTP_USE_TLS=false asks for SMTP without encryption, allowed only to a loopback host"
              + " with OC_ALLOW_PLAINTEXT=true; remove it (STARTTLS is required by default,"
              + " implicit TLS on port 465)");
    }
    String smtpUser = get("SMTP_USERNAME", imapUser);
    String smtpPassword = get("SMTP_PASSWORD", imapPassword);
    SignInSettings.Logins logins =
        SignInSettings.logins(this, imapUser, imapPassword, smtpUser, smtpPassword, problems);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    MailSettings.Builder b =
        MailSettings.builder()
            .imap(imapHost, imapPort, imapSecurity)
            .imapLogin(imapUser, logins.imap())
            .folder(get("IMAP_MAILBOX", MailSettings.DEFAULT_FOLDER))
            .smtp(smtpHost, smtpPort, smtpSecurity)
            .smtpLogin(smtpUser, logins.smtp())
            .from(
                get("SMTP_FROM_EMAIL", mailboxAddress()),
                get("SMTP_FROM_NAME", OcConfig.DEFAULT_SENDER_NAME))
            .allowPlaintext(Boolean.TRUE.equals(allowPlain))
            .trustedAuthServIds(list(get("OC_TRUSTED_AUTHSERV_IDS")))
            .checkSentFolder(checkSent, engine().sentFolder());
    String processed = get("IMAP_PROCESSED_FOLDER");
    if (processed != null) {
      b.moveProcessedTo(processed);
    }
    if (smtpSessions != null) {
      b.smtpSessions(
          smtpSessions,
          MailSettings.DEFAULT_SMTP_IDLE_TIMEOUT,
          MailSettings.DEFAULT_SMTP_MESSAGES_PER_SESSION);
    }
    return b.build();
  }

  private static MailSettings.Security security(
      String v, MailSettings.Security dflt, String name, List<String> problems) {
    if (v == null) {
      return dflt;
    }
    try {
      return MailSettings.Security.valueOf(v.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      problems.add(name + " must be IMPLICIT_TLS, STARTTLS or PLAINTEXT: " + v);
      return dflt;
    }
  }

  /**
   * The default node id: this host's name and a digest of the database (without credentials), so a
   * restarted runner comes back under the same id and takes back its own claims at once.
   */
  String stableNodeId() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        host = "host";
      }
    }
    String db = Secrets.maskUrl(databaseUrl());
    try {
      byte[] d =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(db.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return host.replaceAll("[^A-Za-z0-9.-]", "")
          + "-"
          + java.util.HexFormat.of().formatHex(d, 0, 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  /** The variables in effect, secrets masked. */
  public Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
      out.put(
          e.getKey(), Secrets.isSecret(e.getKey()) ? Secrets.MASK : Secrets.maskUrl(e.getValue()));
    }
    return out;
  }

  @Override
  public String toString() {
    return "RunnerSettings" + describe();
  }

  // ------------------------------------------------------------------ Graph, OC-replies mailbox

  /**
   * Whether {@code USE_GRAPH_API} is true: the confirmations mailbox is read and all mail is sent
   * through Microsoft Graph ({@link #graphSettings()}) instead of IMAP and SMTP.
   */
  public boolean useGraphApi() {
    return MailboxesSettings.useGraph(this);
  }

  /**
   * The Graph gateway's settings: {@code GRAPH_MAILBOX_EMAIL}, {@code AZURE_TENANT_ID}, {@code
   * AZURE_CLIENT_ID}, {@code AZURE_CLIENT_SECRET}, and the endpoints {@code OC_GRAPH_BASE_URL},
   * {@code OC_GRAPH_TOKEN_URL} (default Microsoft's public cloud; {@code http://} only to
   * loopback).
   */
  public com.kontroltravel.oc.mail.graph.GraphSettings graphSettings() {
    com.kontroltravel.oc.mail.graph.GraphSettings g = MailboxesSettings.graph(this);
    List<String> problems = new ArrayList<>();
    boolean checkSent = engine().checkSentFolder(problems);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return g.checkSentItems() == checkSent ? g : g.toBuilder().checkSentItems(checkSent).build();
  }

  /**
   * The OC-replies mailbox over IMAP ({@code OC_INBOX_HOST}, {@code OC_INBOX_PORT}, {@code
   * OC_INBOX_USERNAME}, {@code OC_INBOX_PASSWORD}, {@code OC_INBOX_MAILBOX}, {@code
   * OC_INBOX_USE_SSL}, {@code OC_INBOX_SECURITY}, {@code OC_CHECK_INTERVAL}), if configured.
   */
  public java.util.Optional<MailSettings> ocInboxMailSettings(String fromAddress) {
    return MailboxesSettings.imapOcInbox(this, fromAddress);
  }

  /** The OC-replies mailbox over Graph ({@code OC_INBOX_GRAPH_MAILBOX}), if configured. */
  public java.util.Optional<com.kontroltravel.oc.mail.graph.GraphSettings> ocInboxGraphSettings() {
    return MailboxesSettings.graphOcInbox(this);
  }

  /**
   * Where agencies reply (Reply-To): {@code OC_REPLY_TO}, else the OC-replies mailbox's address;
   * null when they reply to the monitored mailbox.
   */
  public String replyToAddress() {
    return MailboxesSettings.replyTo(this);
  }
}
