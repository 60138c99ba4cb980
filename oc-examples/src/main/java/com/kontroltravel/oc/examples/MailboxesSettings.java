package com.kontroltravel.oc.examples;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.mail.graph.GraphSettings;
import com.kontroltravel.oc.mail.jakarta.Credentials;
import com.kontroltravel.oc.mail.jakarta.MailSettings;
import com.kontroltravel.oc.mail.oauth.MicrosoftClientCredentialsTokenProvider;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The runner's mailboxes besides the IMAP/SMTP pair, under the old deployment's names:
 *
 * <ul>
 *   <li><b>Microsoft Graph</b> ({@code USE_GRAPH_API=true}): the confirmations mailbox {@code
 *       GRAPH_MAILBOX_EMAIL} is read, and all mail is sent, through Graph with the Entra ID
 *       application {@code AZURE_TENANT_ID}, {@code AZURE_CLIENT_ID}, {@code AZURE_CLIENT_SECRET}.
 *       {@code OC_GRAPH_BASE_URL} and {@code OC_GRAPH_TOKEN_URL} point at other endpoints (a
 *       national cloud, or a loopback stub in tests; {@code http://} only to loopback).
 *   <li><b>The OC-replies mailbox</b>, read beside the confirmations one: IMAP ({@code
 *       OC_INBOX_HOST}, {@code OC_INBOX_PORT}, {@code OC_INBOX_USERNAME}, {@code
 *       OC_INBOX_PASSWORD}, {@code OC_INBOX_MAILBOX}, {@code OC_INBOX_USE_SSL}, {@code
 *       OC_INBOX_SECURITY}, {@code OC_INBOX_PROCESSED_FOLDER}), or, with Graph and no {@code
 *       OC_INBOX_HOST}, a second Graph mailbox {@code OC_INBOX_GRAPH_MAILBOX} under the same
 *       application. {@code OC_CHECK_INTERVAL} (seconds) shortens the polling interval. Outgoing
 *       mail carries the mailbox as Reply-To ({@code OC_REPLY_TO} overrides).
 * </ul>
 *
 * Secrets come from the variables and are never part of any message or {@code toString()}.
 */
final class MailboxesSettings {
  /** The Microsoft token endpoint's path under the authority, after the tenant. */
  private static final String TOKEN_PATH = "/oauth2/v2.0/token";

  private MailboxesSettings() {}

  /** Whether {@code USE_GRAPH_API} is true. */
  static boolean useGraph(RunnerSettings s) {
    List<String> problems = new ArrayList<>();
    Boolean v = s.bool("USE_GRAPH_API", problems);
    fail(problems);
    return Boolean.TRUE.equals(v);
  }

  /** The Graph gateway settings for the confirmations mailbox ({@code GRAPH_MAILBOX_EMAIL}). */
  static GraphSettings graph(RunnerSettings s) {
    return graph(s, s.get("GRAPH_MAILBOX_EMAIL"), "GRAPH_MAILBOX_EMAIL");
  }

  /**
   * Graph settings for {@code mailbox} with the application's credentials.
   *
   * @throws ConfigurationException listing every missing or invalid variable
   */
  static GraphSettings graph(RunnerSettings s, String mailbox, String mailboxVariable) {
    List<String> problems = new ArrayList<>();
    if (mailbox == null) {
      problems.add(mailboxVariable + " is missing (USE_GRAPH_API=true)");
    } else if (!mailbox.contains("@")) {
      problems.add(mailboxVariable + " must be the mailbox's address: " + mailbox);
    }
    String tenant = s.get("AZURE_TENANT_ID");
    String clientId = s.get("AZURE_CLIENT_ID");
    String secret = s.get("AZURE_CLIENT_SECRET");
    for (String[] v :
        new String[][] {
          {"AZURE_TENANT_ID", tenant},
          {"AZURE_CLIENT_ID", clientId},
          {"AZURE_CLIENT_SECRET", secret}
        }) {
      if (v[1] == null) {
        problems.add(v[0] + " is missing (USE_GRAPH_API=true)");
      }
    }
    URI baseUrl = url(s, "OC_GRAPH_BASE_URL", problems);
    URI tokenUrl = url(s, "OC_GRAPH_TOKEN_URL", problems);
    fail(problems);
    MicrosoftClientCredentialsTokenProvider.Builder tokens =
        MicrosoftClientCredentialsTokenProvider.builder()
            .tenant(tenant)
            .clientId(clientId)
            .clientSecret(secret)
            .scope(MicrosoftClientCredentialsTokenProvider.GRAPH_SCOPE);
    if (tokenUrl != null) {
      try {
        tokens.authority(authority(tokenUrl, tenant));
      } catch (IllegalArgumentException e) {
        problems.add(
            "OC_GRAPH_TOKEN_URL must be https (http only to loopback) and name the authority"
                + " (https://login.example) or its token endpoint"
                + " (https://login.example/<AZURE_TENANT_ID>/oauth2/v2.0/token): "
                + e.getMessage());
      }
    }
    fail(problems);
    GraphSettings.Builder b =
        GraphSettings.builder()
            .mailbox(mailbox)
            .tokens(tokens.build())
            .from(mailbox, s.get("SMTP_FROM_NAME", OcConfig.DEFAULT_SENDER_NAME))
            .trustedAuthServIds(RunnerSettings.list(s.get("OC_TRUSTED_AUTHSERV_IDS")));
    if (baseUrl != null) {
      b.baseUrl(baseUrl);
    }
    try {
      return b.build();
    } catch (ConfigurationException e) {
      List<String> named = new ArrayList<>();
      for (String p : e.problems()) {
        named.add(p.startsWith("baseUrl") ? "OC_GRAPH_BASE_URL: " + p : p);
      }
      throw new ConfigurationException(named);
    }
  }

  /**
   * The authority for a token URL given either as the authority itself or as the full endpoint
   * {@code <authority>/<tenant>/oauth2/v2.0/token}.
   */
  static URI authority(URI tokenUrl, String tenant) {
    String u = tokenUrl.toString().replaceAll("/+$", "");
    if (u.endsWith(TOKEN_PATH)) {
      String suffix = "/" + tenant + TOKEN_PATH;
      if (!u.endsWith(suffix)) {
        throw new IllegalArgumentException("the endpoint is not for tenant " + tenant);
      }
      u = u.substring(0, u.length() - suffix.length());
    }
    URI authority = URI.create(u);
    // Checks the scheme: https, or http to loopback only.
    MicrosoftClientCredentialsTokenProvider.builder().authority(authority);
    return authority;
  }

  private static URI url(RunnerSettings s, String name, List<String> problems) {
    String v = s.get(name);
    if (v == null) {
      return null;
    }
    try {
      URI u = new URI(v);
      if (u.getHost() == null) {
        problems.add(name + " must be an absolute URL: " + v);
        return null;
      }
      return u;
    } catch (java.net.URISyntaxException e) {
      problems.add(name + " is not a URL: " + v);
      return null;
    }
  }

  /** Whether the IMAP OC-replies mailbox is configured ({@code OC_INBOX_HOST}). */
  static boolean hasImapOcInbox(RunnerSettings s) {
    return s.get("OC_INBOX_HOST") != null;
  }

  /**
   * The OC-replies mailbox over IMAP, if {@code OC_INBOX_HOST} is set. Its SMTP part is never used
   * (the engine sends through the main gateway only) but the gateway's settings need one: the same
   * host with TLS.
   *
   * @param fromAddress an address for the settings' (unused) From
   */
  static Optional<MailSettings> imapOcInbox(RunnerSettings s, String fromAddress) {
    if (!hasImapOcInbox(s)) {
      return Optional.empty();
    }
    List<String> problems = new ArrayList<>();
    String host = s.get("OC_INBOX_HOST");
    String user = s.get("OC_INBOX_USERNAME");
    String password = s.get("OC_INBOX_PASSWORD");
    if (user == null) {
      problems.add("OC_INBOX_USERNAME is missing (OC_INBOX_HOST is set)");
    }
    if (password == null) {
      problems.add("OC_INBOX_PASSWORD is missing (OC_INBOX_HOST is set)");
    }
    Integer port = s.integer("OC_INBOX_PORT", problems);
    Boolean useSsl = s.bool("OC_INBOX_USE_SSL", problems);
    Boolean allowPlain = s.bool("OC_ALLOW_PLAINTEXT", problems);
    MailSettings.Security security =
        Boolean.FALSE.equals(useSsl)
            ? MailSettings.Security.STARTTLS
            : MailSettings.Security.IMPLICIT_TLS;
    String explicit = s.get("OC_INBOX_SECURITY");
    if (explicit != null) {
      try {
        security =
            MailSettings.Security.valueOf(explicit.toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        problems.add("OC_INBOX_SECURITY must be IMPLICIT_TLS, STARTTLS or PLAINTEXT: " + explicit);
      }
    }
    Duration interval = checkInterval(s, problems);
    fail(problems);
    String from = user.contains("@") ? user : fromAddress;
    MailSettings.Builder b =
        MailSettings.builder()
            .imap(host, port, security)
            .imapLogin(user, Credentials.password(password))
            .folder(s.get("OC_INBOX_MAILBOX", MailSettings.DEFAULT_FOLDER))
            .smtp(
                host,
                null,
                security == MailSettings.Security.IMPLICIT_TLS
                    ? MailSettings.Security.IMPLICIT_TLS
                    : MailSettings.Security.STARTTLS)
            .smtpLogin(user, Credentials.password(password))
            .from(from, s.get("SMTP_FROM_NAME", OcConfig.DEFAULT_SENDER_NAME))
            .allowPlaintext(Boolean.TRUE.equals(allowPlain))
            .trustedAuthServIds(RunnerSettings.list(s.get("OC_TRUSTED_AUTHSERV_IDS")));
    if (interval != null) {
      b.pollInterval(interval);
    }
    String processed = s.get("OC_INBOX_PROCESSED_FOLDER");
    if (processed != null) {
      b.moveProcessedTo(processed);
    }
    try {
      return Optional.of(b.build());
    } catch (ConfigurationException e) {
      List<String> named = new ArrayList<>();
      for (String p : e.problems()) {
        named.add("OC_INBOX_*: " + p);
      }
      throw new ConfigurationException(named);
    }
  }

  /**
   * The OC-replies mailbox over Graph ({@code OC_INBOX_GRAPH_MAILBOX}), read with the same
   * application as the main one; only with {@code USE_GRAPH_API=true} and no {@code OC_INBOX_HOST}.
   */
  static Optional<GraphSettings> graphOcInbox(RunnerSettings s) {
    String mailbox = s.get("OC_INBOX_GRAPH_MAILBOX");
    if (mailbox == null) {
      return Optional.empty();
    }
    List<String> problems = new ArrayList<>();
    if (!useGraph(s)) {
      problems.add("OC_INBOX_GRAPH_MAILBOX needs USE_GRAPH_API=true");
    }
    if (hasImapOcInbox(s)) {
      problems.add(
          "set either OC_INBOX_HOST (an IMAP OC-replies mailbox) or OC_INBOX_GRAPH_MAILBOX, not"
              + " both");
    }
    checkInterval(s, problems);
    fail(problems);
    if (mailbox.equalsIgnoreCase(s.get("GRAPH_MAILBOX_EMAIL", ""))) {
      throw new ConfigurationException(
          List.of("OC_INBOX_GRAPH_MAILBOX is the confirmations mailbox GRAPH_MAILBOX_EMAIL"));
    }
    return Optional.of(graph(s, mailbox, "OC_INBOX_GRAPH_MAILBOX"));
  }

  /** {@code OC_CHECK_INTERVAL} in seconds (at least 10), or null. */
  static Duration checkInterval(RunnerSettings s, List<String> problems) {
    Integer v = s.integer("OC_CHECK_INTERVAL", problems);
    if (v == null) {
      return null;
    }
    if (v < 10) {
      problems.add("OC_CHECK_INTERVAL must be at least 10 seconds: " + v);
      return null;
    }
    return Duration.ofSeconds(v);
  }

  /**
   * Where agencies should reply: {@code OC_REPLY_TO}, else the OC-replies mailbox's address ({@code
   * OC_INBOX_USERNAME} when it is an address, or {@code OC_INBOX_GRAPH_MAILBOX}); null when replies
   * go to the monitored mailbox.
   */
  static String replyTo(RunnerSettings s) {
    String explicit = s.get("OC_REPLY_TO");
    if (explicit != null) {
      return explicit;
    }
    if (hasImapOcInbox(s)) {
      String user = s.get("OC_INBOX_USERNAME");
      return user != null && user.contains("@") ? user : null;
    }
    return s.get("OC_INBOX_GRAPH_MAILBOX");
  }

  private static void fail(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new ConfigurationException(List.copyOf(problems));
    }
  }
}
