package com.kontroltravel.oc.spring.boot;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.mail.jakarta.Credentials;
import com.kontroltravel.oc.mail.jakarta.MailSettings;
import com.kontroltravel.oc.model.ReminderSchedule;
import com.kontroltravel.oc.settings.EngineSettings;
import com.kontroltravel.oc.settings.Variables;
import com.kontroltravel.oc.store.jdbc.JdbcStore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The engine's settings from {@code oc.*} properties: the runner's settings under Spring names (see
 * {@link #PROPERTIES} and {@link #propertyName(String)}). The name of a runner variable loses a
 * leading {@code OC_}; a leading {@code IMAP_}, {@code SMTP_} or {@code DATABASE_} becomes the
 * section {@code oc.imap.}, {@code oc.smtp.} or {@code oc.database.}; the rest is lower case with
 * {@code -} between words: {@code IMAP_HOST} is {@code oc.imap.host}, {@code IMAP_START_FROM} is
 * {@code oc.imap.start-from}, {@code OC_SMTP_SESSIONS} is {@code oc.smtp.sessions}, {@code
 * OC_NODE_ID} is {@code oc.node-id}, {@code OC_MAX_SEND_ATTEMPTS} is {@code oc.max-send-attempts},
 * {@code DAYS_FOR_REMINDER_1} is {@code oc.days-for-reminder-1}. Spring's relaxed binding also
 * reads them from environment variables such as {@code OC_IMAP_HOST}. Lists take a comma-separated
 * value or a YAML list. Secrets are never shown by {@link #toString()}.
 *
 * <p>The engine settings (calendar, chase schedule, keywords, sending, inbound, first start, Sent
 * folder, SMTP sessions) are read by oc-core's {@link EngineSettings}, as the runner reads them:
 * the same values, defaults and checks, problems naming the {@code oc.*} property.
 *
 * <p>The rules are the runner's: the monitored mailbox is {@code oc.mailbox-address}, else {@code
 * oc.smtp.from-email}, else an address-like {@code oc.imap.username}; IMAP uses implicit TLS unless
 * {@code oc.imap.use-ssl=false}; SMTP uses implicit TLS on port 465 and STARTTLS otherwise;
 * plaintext needs {@code oc.imap.security/oc.smtp.security=PLAINTEXT}, {@code
 * oc.allow-plaintext=true} and a loopback host.
 */
public final class OcProperties {

  /** The runner's variables that have a property: the mailbox, database and reply settings. */
  private static final List<String> MAILBOX_VARIABLES =
      List.of(
          "IMAP_HOST",
          "IMAP_PORT",
          "IMAP_USERNAME",
          "IMAP_PASSWORD",
          "IMAP_MAILBOX",
          "IMAP_SECURITY",
          "IMAP_USE_SSL",
          "IMAP_CHECK_INTERVAL",
          "IMAP_PROCESSED_FOLDER",
          "SMTP_HOST",
          "SMTP_PORT",
          "SMTP_USERNAME",
          "SMTP_PASSWORD",
          "SMTP_SECURITY",
          "SMTP_FROM_EMAIL",
          "SMTP_FROM_NAME",
          "ALLOWED_CONFIRMATION_SENDERS",
          "EMAIL_CC_RECIPIENTS",
          "DATABASE_URL",
          "DATABASE_USER",
          "DATABASE_PASSWORD",
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
          "OC_REPLY_TO");

  private static final List<String> SECTIONS = List.of("IMAP_", "SMTP_", "DATABASE_");

  /** Every property read, with the runner's variable it stands for. */
  public static final Map<String, String> PROPERTIES = properties();

  /** The property of each runner variable read. */
  private static final Map<String, String> BY_VARIABLE = byVariable();

  /** The database when {@code oc.database.url} is unset, as the runner's. */
  public static final String DEFAULT_DATABASE_URL = "jdbc:sqlite:data/oc_seguimiento.db";

  private static final List<String> SECRETS =
      List.of("oc.imap.password", "oc.smtp.password", "oc.database.password");

  private static final List<String> LISTS =
      List.of(
          "oc.allowed-confirmation-senders",
          "oc.email-cc-recipients",
          "oc.digest-recipients",
          "oc.trusted-authserv-ids",
          "oc.working-days",
          "oc.extra-holidays",
          "oc.schedule",
          "oc.confirmation-keywords");

  private final Map<String, String> values;

  private OcProperties(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** The {@code oc.*} properties of {@code environment}. */
  public static OcProperties from(Environment environment) {
    Binder binder = Binder.get(environment);
    Map<String, String> v = new LinkedHashMap<>();
    for (String name : PROPERTIES.keySet()) {
      if (LISTS.contains(name)) {
        // A YAML list or a comma-separated value.
        binder
            .bind(name, Bindable.listOf(String.class))
            .map(l -> String.join(",", l).trim())
            .ifBound(s -> v.put(name, s));
      } else {
        binder.bind(name, String.class).ifBound(s -> v.put(name, s));
      }
    }
    return new OcProperties(v);
  }

  /** Properties from a map of {@code oc.*} names (tests). */
  public static OcProperties of(Map<String, String> values) {
    return new OcProperties(values);
  }

  /**
   * The property of a runner variable: without a leading {@code OC_}; a leading {@code IMAP_},
   * {@code SMTP_} or {@code DATABASE_} becomes a section ({@code oc.imap.}); the rest lower case,
   * {@code -} between words. {@code OC_SMTP_SESSIONS} is {@code oc.smtp.sessions}.
   */
  public static String propertyName(String variable) {
    String v = variable.startsWith("OC_") ? variable.substring(3) : variable;
    String section = "";
    for (String s : SECTIONS) {
      if (v.startsWith(s)) {
        section = s.substring(0, s.length() - 1).toLowerCase(Locale.ROOT) + ".";
        v = v.substring(s.length());
        break;
      }
    }
    return "oc." + section + v.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static Map<String, String> properties() {
    Map<String, String> m = new LinkedHashMap<>();
    List<String> variables = new ArrayList<>(MAILBOX_VARIABLES);
    variables.addAll(EngineSettings.VARIABLES);
    for (String variable : variables) {
      String previous = m.put(propertyName(variable), variable);
      if (previous != null && !previous.equals(variable)) {
        throw new IllegalStateException(variable + " and " + previous + " make one property");
      }
    }
    return Collections.unmodifiableMap(m);
  }

  private static Map<String, String> byVariable() {
    Map<String, String> m = new LinkedHashMap<>();
    PROPERTIES.forEach((property, variable) -> m.put(variable, property));
    return Collections.unmodifiableMap(m);
  }

  // ------------------------------------------------------------------ raw access

  /** A property, or null when unset or blank. */
  public String get(String name) {
    String v = values.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private String get(String name, String dflt) {
    String v = get(name);
    return v == null ? dflt : v;
  }

  private Integer integer(String name, List<String> problems) {
    return Variables.of(this::get).integer(name, problems);
  }

  private Boolean bool(String name, List<String> problems) {
    return Variables.of(this::get).bool(name, problems);
  }

  private static List<String> list(String v) {
    return Variables.list(v);
  }

  /**
   * The engine settings of these properties, read by the runner's variable names and named by their
   * properties in problems.
   */
  private EngineSettings engine() {
    return EngineSettings.of(
        Variables.of(
            variable -> {
              String property = BY_VARIABLE.get(variable);
              return property == null ? null : get(property);
            },
            variable -> BY_VARIABLE.getOrDefault(variable, variable)));
  }

  private static <T extends Enum<T>> T enumValue(
      Class<T> type, String name, String v, List<String> problems) {
    try {
      return Enum.valueOf(type, v.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      problems.add(name + " must be one of " + List.of(type.getEnumConstants()) + ": " + v);
      return null;
    }
  }

  // ------------------------------------------------------------------ typed views

  /** The JDBC URL, translating the old system's {@code sqlite:///./x.db} form. */
  public String databaseUrl() {
    String url = get("oc.database.url", DEFAULT_DATABASE_URL);
    if (url.startsWith("sqlite:///")) {
      return "jdbc:sqlite:" + url.substring("sqlite:///".length());
    }
    return url;
  }

  /** The monitored mailbox address, or null. */
  public String mailboxAddress() {
    String v = get("oc.mailbox-address");
    if (v == null) {
      v = get("oc.smtp.from-email");
    }
    String login = get("oc.imap.username");
    if (v == null && login != null && login.contains("@")) {
      v = login;
    }
    return v;
  }

  /**
   * The engine's configuration, the engine settings ({@code oc.time-zone}, {@code
   * oc.confirmation-keywords}, {@code oc.max-send-attempts}, {@code oc.imap.start-from}, ...)
   * included with the runner's defaults.
   *
   * @throws ConfigurationException listing every missing or invalid property
   */
  public OcConfig ocConfig() {
    List<String> problems = new ArrayList<>();
    OcConfig.Builder b = OcConfig.builder();
    String mailbox = mailboxAddress();
    if (mailbox == null) {
      problems.add(
          "the monitored mailbox address is missing: set oc.mailbox-address or oc.smtp.from-email");
    }
    b.mailboxAddress(mailbox);
    if (get("oc.smtp.from-name") != null) {
      b.senderName(get("oc.smtp.from-name"));
    }
    if (get("oc.reply-to") != null) {
      b.replyToAddress(get("oc.reply-to"));
    }
    b.allowedSenders(list(get("oc.allowed-confirmation-senders")));
    b.ccRecipients(list(get("oc.email-cc-recipients")));
    b.digestRecipients(list(get("oc.digest-recipients")));
    Integer interval = integer("oc.imap.check-interval", problems);
    if (interval != null) {
      if (interval < 10) {
        problems.add("oc.imap.check-interval must be at least 10 seconds: " + interval);
      } else {
        b.pollInterval(Duration.ofSeconds(interval));
      }
    }
    Boolean ack = bool("oc.send-acknowledgement", problems);
    if (ack != null) {
      b.sendAcknowledgement(ack);
    }
    String unknown = get("oc.unknown-agency");
    if (unknown != null) {
      OcConfig.UnknownAgencyAction a =
          enumValue(OcConfig.UnknownAgencyAction.class, "oc.unknown-agency", unknown, problems);
      if (a != null) {
        b.unknownAgency(a);
      }
    }
    String auth = get("oc.sender-authentication");
    if (auth != null) {
      OcConfig.SenderAuthentication a =
          enumValue(
              OcConfig.SenderAuthentication.class, "oc.sender-authentication", auth, problems);
      if (a != null) {
        b.senderAuthentication(a);
      }
    }
    b.nodeId(get("oc.node-id", stableNodeId()));
    engine().apply(b, problems);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return b.build();
  }

  /**
   * The chase schedule: {@code oc.schedule} (the reminders' business days, {@code 2,4,6}) or the
   * old system's {@code oc.days-for-reminder-1/2}, never both, else the engine's default; {@code
   * oc.min-gap-days} and {@code oc.expiry-days} apply to any of them.
   *
   * @throws ConfigurationException listing every problem
   */
  public ReminderSchedule schedule() {
    return engine().schedule();
  }

  /**
   * Opens the configured store (migrating its schema), mirroring documents as files under {@code
   * oc.documents-dir} when set, else beside a SQLite file.
   */
  public JdbcStore openStore() {
    String url = databaseUrl();
    JdbcStore.Builder b = JdbcStore.builder(url);
    String user = get("oc.database.user");
    if (user != null) {
      b.credentials(user, get("oc.database.password", ""));
    }
    documentsDir().ifPresent(b::mirrorDocumentsTo);
    return b.build();
  }

  private Optional<Path> documentsDir() {
    String dir = get("oc.documents-dir");
    if (dir != null) {
      return Optional.of(Path.of(dir));
    }
    String url = databaseUrl();
    if (url.startsWith("jdbc:sqlite:") && !url.contains(":memory:")) {
      String file = url.substring("jdbc:sqlite:".length());
      int q = file.indexOf('?');
      return Optional.ofNullable(
          Path.of(q < 0 ? file : file.substring(0, q)).toAbsolutePath().getParent());
    }
    return Optional.empty();
  }

  /**
   * The Jakarta Mail gateway's settings, with the Sent-folder check ({@code oc.check-sent-folder},
   * {@code oc.sent-folder}), the SMTP session pool ({@code oc.smtp.sessions}) and the folder
   * recorded messages are moved to ({@code oc.imap.processed-folder}).
   *
   * @throws ConfigurationException listing every missing or invalid property
   */
  public MailSettings mailSettings() {
    List<String> problems = new ArrayList<>();
    String imapHost = get("oc.imap.host");
    String imapUser = get("oc.imap.username");
    String imapPassword = get("oc.imap.password");
    String smtpHost = get("oc.smtp.host");
    for (String[] required :
        new String[][] {
          {"oc.imap.host", imapHost},
          {"oc.imap.username", imapUser},
          {"oc.imap.password", imapPassword},
          {"oc.smtp.host", smtpHost}
        }) {
      if (required[1] == null) {
        problems.add(required[0] + " is missing");
      }
    }
    Integer imapPort = integer("oc.imap.port", problems);
    Integer smtpPort = integer("oc.smtp.port", problems);
    Boolean useSsl = bool("oc.imap.use-ssl", problems);
    Boolean allowPlain = bool("oc.allow-plaintext", problems);
    EngineSettings engine = engine();
    boolean checkSent = engine.checkSentFolder(problems);
    Integer smtpSessions = engine.smtpSessions(problems);
    MailSettings.Security imapSecurity =
        security(
            "oc.imap.security",
            Boolean.FALSE.equals(useSsl)
                ? MailSettings.Security.STARTTLS
                : MailSettings.Security.IMPLICIT_TLS,
            problems);
    MailSettings.Security smtpSecurity =
        security(
            "oc.smtp.security",
            smtpPort != null && smtpPort == 465
                ? MailSettings.Security.IMPLICIT_TLS
                : MailSettings.Security.STARTTLS,
            problems);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    MailSettings.Builder b =
        MailSettings.builder()
            .imap(imapHost, imapPort, imapSecurity)
            .imapLogin(imapUser, Credentials.password(imapPassword))
            .folder(get("oc.imap.mailbox", MailSettings.DEFAULT_FOLDER))
            .smtp(smtpHost, smtpPort, smtpSecurity)
            .smtpLogin(
                get("oc.smtp.username", imapUser),
                Credentials.password(get("oc.smtp.password", imapPassword)))
            .from(
                get("oc.smtp.from-email", mailboxAddress()),
                get("oc.smtp.from-name", OcConfig.DEFAULT_SENDER_NAME))
            .allowPlaintext(Boolean.TRUE.equals(allowPlain))
            .trustedAuthServIds(list(get("oc.trusted-authserv-ids")))
            .checkSentFolder(checkSent, engine.sentFolder());
    String processed = get("oc.imap.processed-folder");
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

  private MailSettings.Security security(
      String name, MailSettings.Security dflt, List<String> problems) {
    String v = get(name);
    if (v == null) {
      return dflt;
    }
    MailSettings.Security s = enumValue(MailSettings.Security.class, name, v, problems);
    return s == null ? dflt : s;
  }

  /**
   * The default node id: this host's name and a digest of the database URL, so a restarted
   * application comes back under the same id and takes back its own claims at once.
   */
  String stableNodeId() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "host";
      }
    }
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(databaseUrl().getBytes(StandardCharsets.UTF_8));
      return host.replaceAll("[^A-Za-z0-9.-]", "") + "-" + HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  /** The properties set, secrets masked and never the database URL's parameters. */
  @Override
  public String toString() {
    Map<String, String> shown = new LinkedHashMap<>();
    values.forEach(
        (k, v) ->
            shown.put(
                k,
                SECRETS.contains(k)
                    ? "****"
                    : k.equals("oc.database.url") && v.contains("?")
                        ? v.substring(0, v.indexOf('?')) + "?****"
                        : v));
    return "OcProperties" + shown;
  }
}
