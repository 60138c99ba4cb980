package com.kontroltravel.oc.examples;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.mail.jakarta.Credentials;
import com.kontroltravel.oc.mail.jakarta.JakartaMailGateway;
import com.kontroltravel.oc.mail.jakarta.MailSettings;
import com.kontroltravel.oc.model.FetchBatch;
import com.kontroltravel.oc.model.MailboxCursor;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.SendResult;
import com.kontroltravel.oc.pdf.pdfbox.PdfBoxReservationParser;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.spi.MessageTemplates;
import com.kontroltravel.oc.spi.ReminderPolicy;
import com.kontroltravel.oc.spi.Store;
import com.kontroltravel.oc.store.jdbc.JdbcStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's wiring: the JDBC store, the Jakarta Mail gateway, the PDFBox parser and the engine,
 * built from {@link RunnerSettings}. Closing it closes the engine, then the gateway, then the
 * store.
 */
public final class OcApplication implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OcApplication.class);

  private final Store store;
  private final MailGateway gateway;
  private final OcEngine engine;

  private OcApplication(Store store, MailGateway gateway, OcEngine engine) {
    this.store = store;
    this.gateway = gateway;
    this.engine = engine;
  }

  /**
   * Everything for {@code run}: the real mail gateway. The engine is built, not started.
   *
   * @throws ConfigurationException listing every missing or invalid setting
   */
  public static OcApplication open(RunnerSettings settings, Clock clock) {
    List<String> problems = new ArrayList<>();
    OcConfig config = null;
    MailSettings mail = null;
    try {
      config = settings.ocConfig(null);
    } catch (ConfigurationException e) {
      problems.addAll(e.problems());
    }
    try {
      mail = mailSettings(settings);
    } catch (ConfigurationException e) {
      problems.addAll(e.problems());
    }
    try {
      settings.schedule();
    } catch (ConfigurationException e) {
      problems.addAll(e.problems());
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    Store store = openStore(settings);
    try {
      return assemble(settings, config, store, JakartaMailGateway.create(mail), clock);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * For admin commands: the configured store, and a gateway that neither reads nor sends (the
   * running service sends what these commands queue).
   */
  public static OcApplication openOffline(RunnerSettings settings, Clock clock) {
    return openOffline(settings, clock, false);
  }

  /**
   * Like {@link #openOffline(RunnerSettings, Clock)}; with {@code queuesMail} the monitored mailbox
   * address must be configured, because the messages queued carry Message-IDs in its domain.
   */
  public static OcApplication openOffline(
      RunnerSettings settings, Clock clock, boolean queuesMail) {
    OcConfig config = settings.ocConfig(queuesMail ? null : "oc@localhost.invalid");
    Store store = openStore(settings);
    try {
      return assemble(settings, config, store, new OfflineMailGateway(), clock);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** Wires given parts (the demo and tests bring their own store or gateway). */
  public static OcApplication assemble(
      RunnerSettings settings, OcConfig config, Store store, MailGateway gateway, Clock clock) {
    OcEngine.Builder b =
        OcEngine.builder()
            .config(config)
            .store(store)
            .mailGateway(gateway)
            .reservationParser(PdfBoxReservationParser.create())
            .reminderPolicy(ReminderPolicy.of(settings.schedule()))
            .clock(clock);
    String templates = settings.get("OC_TEMPLATES_DIR");
    if (templates != null) {
      b.templates(MessageTemplates.withOverrides(Path.of(templates)));
    }
    return new OcApplication(store, gateway, b.build());
  }

  /**
   * Opens the configured store (migrating its schema). Documents always live in the database; they
   * are also mirrored as files ({@code confirmaciones/YYYYMMDD_<id>.pdf}, {@code
   * oc/YYYYMMDD_<id>_oc.pdf}) under {@code OC_DOCUMENTS_DIR}, which defaults to the SQLite file's
   * folder (single node) and to none for PostgreSQL.
   */
  public static Store openStore(RunnerSettings settings) {
    String url = settings.databaseUrl();
    JdbcStore.Builder b = JdbcStore.builder(url);
    String user = settings.get("DATABASE_USER");
    if (user != null) {
      b.credentials(user, Objects.toString(settings.get("DATABASE_PASSWORD"), ""));
    }
    documentsDir(settings).ifPresent(b::mirrorDocumentsTo);
    return b.build();
  }

  /** Where stored documents are mirrored as files, if anywhere. */
  static java.util.Optional<java.nio.file.Path> documentsDir(RunnerSettings settings) {
    String dir = settings.get("OC_DOCUMENTS_DIR");
    if (dir != null) {
      return java.util.Optional.of(java.nio.file.Path.of(dir));
    }
    String url = settings.databaseUrl();
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
  public static MailSettings mailSettings(RunnerSettings s) {
    List<String> problems = new ArrayList<>();
    String imapHost = s.get("IMAP_HOST");
    String imapUser = s.get("IMAP_USERNAME");
    String imapPassword = s.get("IMAP_PASSWORD");
    if (imapHost == null) {
      problems.add("IMAP_HOST is missing");
    }
    if (imapUser == null) {
      problems.add("IMAP_USERNAME is missing");
    }
    if (imapPassword == null) {
      problems.add("IMAP_PASSWORD is missing");
    }
    String smtpHost = s.get("SMTP_HOST");
    if (smtpHost == null) {
      problems.add("SMTP_HOST is missing");
    }
    Integer imapPort = s.integer("IMAP_PORT", problems);
    Integer smtpPort = s.integer("SMTP_PORT", problems);
    Boolean useSsl = s.bool("IMAP_USE_SSL", problems);
    Boolean allowPlain = s.bool("OC_ALLOW_PLAINTEXT", problems);
    MailSettings.Security imapSecurity =
        security(
            s.get("IMAP_SECURITY"),
            Boolean.FALSE.equals(useSsl)
                ? MailSettings.Security.STARTTLS
                : MailSettings.Security.IMPLICIT_TLS,
            "IMAP_SECURITY",
            problems);
    MailSettings.Security smtpSecurity =
        security(
            s.get("SMTP_SECURITY"),
            smtpPort != null && smtpPort == 465
                ? MailSettings.Security.IMPLICIT_TLS
                : MailSettings.Security.STARTTLS,
            "SMTP_SECURITY",
            problems);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    String smtpUser = s.get("SMTP_USERNAME", imapUser);
    String smtpPassword = s.get("SMTP_PASSWORD", imapPassword);
    MailSettings.Builder b =
        MailSettings.builder()
            .imap(imapHost, imapPort, imapSecurity)
            .imapLogin(imapUser, Credentials.password(imapPassword))
            .folder(s.get("IMAP_MAILBOX", MailSettings.DEFAULT_FOLDER))
            .smtp(smtpHost, smtpPort, smtpSecurity)
            .smtpLogin(smtpUser, Credentials.password(smtpPassword))
            .from(
                s.get("SMTP_FROM_EMAIL", s.mailboxAddress()),
                s.get("SMTP_FROM_NAME", OcConfig.DEFAULT_SENDER_NAME))
            .allowPlaintext(Boolean.TRUE.equals(allowPlain));
    if (s.get("IMAP_CHECK_INTERVAL") != null) {
      b.pollInterval(java.time.Duration.ofSeconds(Long.parseLong(s.get("IMAP_CHECK_INTERVAL"))));
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

  /** The engine. */
  public OcEngine engine() {
    return engine;
  }

  /** The store. */
  public Store store() {
    return store;
  }

  /** The mail gateway. */
  public MailGateway gateway() {
    return gateway;
  }

  /** Closes the engine (finishing in-flight sends), the gateway and the store. Idempotent. */
  @Override
  public void close() {
    try {
      engine.close();
    } catch (RuntimeException e) {
      log.warn("closing the engine: {}", e.toString());
    }
    try {
      gateway.close();
    } catch (Exception e) {
      log.warn("closing the mail gateway: {}", e.toString());
    }
    try {
      store.close();
    } catch (RuntimeException e) {
      log.warn("closing the store: {}", e.toString());
    }
  }

  /** A gateway for admin commands: reads nothing and sends nothing. */
  static final class OfflineMailGateway implements MailGateway {
    @Override
    public String mailbox() {
      return "offline";
    }

    @Override
    public FetchBatch fetch(MailboxCursor after, int maxMessages) {
      return new FetchBatch(
          List.of(), after == null ? new MailboxCursor("offline", 0, 0) : after, false);
    }

    @Override
    public SendResult send(OutboundMessage message) {
      return SendResult.transientFailure("the admin command does not send; the service will");
    }
  }
}
