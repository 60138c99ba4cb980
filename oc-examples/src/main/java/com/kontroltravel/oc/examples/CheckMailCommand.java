package com.kontroltravel.oc.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kontroltravel.oc.mail.graph.GraphSettings;
import com.kontroltravel.oc.mail.jakarta.MailSettings;
import com.kontroltravel.oc.mail.oauth.AccessTokenProvider;
import com.kontroltravel.oc.mail.oauth.GoogleRefreshTokenProvider;
import com.kontroltravel.oc.mail.oauth.GoogleServiceAccountTokenProvider;
import com.kontroltravel.oc.mail.oauth.MicrosoftClientCredentialsTokenProvider;
import com.kontroltravel.oc.mail.oauth.OAuth2TokenProvider;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.angus.mail.imap.IMAPStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code check-mail}: tries the configured IMAP and SMTP servers step by step (DNS, TCP, TLS,
 * authentication, folder, processed folder, IDLE; with OAuth2 also the token endpoint, the token
 * and its expiry, and the XOAUTH2 login), or with {@code USE_GRAPH_API=true} Microsoft Graph (DNS,
 * TCP, TLS, token, mailbox, folder, a delta round), then the OC-replies mailbox if one is
 * configured, and says plainly what works. Exit code 1 when something fails.
 */
@Command(
    name = "check-mail",
    mixinStandardHelpOptions = true,
    description = {
      "Checks the IMAP and SMTP settings: DNS, TCP, TLS, authentication, folder, the processed",
      "folder (IMAP_PROCESSED_FOLDER: exists, IMAP MOVE supported) and IDLE support;",
      "with IMAP_AUTH=oauth2-*, the sign-in step by step: token endpoint reached, token obtained",
      "(and when it expires; never shown), AUTHENTICATE XOAUTH2 and AUTH XOAUTH2 accepted;",
      "with USE_GRAPH_API=true, Microsoft Graph: DNS, TCP, TLS, token, mailbox, folder and a",
      "delta round. Then the OC-replies mailbox (OC_INBOX_*), if configured.",
      "Exit code 0 when everything needed works, 1 otherwise, 2 when the settings are invalid."
    })
final class CheckMailCommand implements Callable<Integer> {
  @ParentCommand Runner root;
  @Spec CommandSpec spec;

  @Option(
      names = "--timeout",
      defaultValue = "10",
      description = "Seconds to wait for each connection (default 10).")
  int timeoutSeconds;

  private PrintWriter out;
  private boolean failed;

  @Override
  public Integer call() {
    out = spec.commandLine().getOut();
    RunnerSettings s = root.settings();
    if (s.useGraphApi()) {
      GraphSettings g = s.graphSettings();
      var ocImap = s.ocInboxMailSettings(g.mailbox());
      var ocGraph = s.ocInboxGraphSettings();
      checkGraph(g, "confirmations mailbox, mail sent through it");
      out.println();
      ocImap.ifPresent(
          m -> {
            out.println("OC-replies mailbox:");
            checkImap(m, s.get("OC_INBOX_PASSWORD"));
            out.println();
          });
      ocGraph.ifPresent(
          o -> {
            checkGraph(o, "OC-replies mailbox");
            out.println();
          });
    } else {
      MailSettings m = s.mailSettings();
      SignInSettings.keyFileWarning(s).ifPresent(w -> warn("key file", w));
      var ocImap = s.ocInboxMailSettings(m.fromAddress());
      String imapPassword = s.get("IMAP_PASSWORD");
      String smtpPassword = s.get("SMTP_PASSWORD", imapPassword);
      checkImap(m, imapPassword);
      out.println();
      checkSmtp(m, smtpPassword);
      out.println();
      ocImap.ifPresent(
          o -> {
            out.println("OC-replies mailbox:");
            checkImap(o, s.get("OC_INBOX_PASSWORD"));
            out.println();
          });
    }
    out.println(failed ? "RESULT: some checks FAILED" : "RESULT: mail settings work");
    out.flush();
    return failed ? 1 : 0;
  }

  private void ok(String what, String detail) {
    out.println("  [ok]   " + what + ": " + detail);
  }

  private void warn(String what, String detail) {
    out.println("  [warn] " + what + ": " + detail);
  }

  private void fail(String what, String detail) {
    failed = true;
    out.println("  [FAIL] " + what + ": " + detail);
  }

  private void skip(String what, String why) {
    out.println("  [skip] " + what + ": " + why);
  }

  private boolean network(String host, int port, MailSettings.Security security) {
    InetAddress address;
    try {
      InetAddress[] all = InetAddress.getAllByName(host);
      address = all[0];
      ok("DNS", host + " -> " + address.getHostAddress());
    } catch (UnknownHostException e) {
      fail("DNS", "cannot resolve " + host);
      return false;
    }
    long t0 = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), timeoutSeconds * 1000);
      ok(
          "TCP",
          "connected to port " + port + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    } catch (java.io.IOException e) {
      fail("TCP", "cannot connect to " + host + ":" + port + " (" + e.getMessage() + ")");
      return false;
    }
    switch (security) {
      case IMPLICIT_TLS -> {
        try (SSLSocket tls = (SSLSocket) SSLSocketFactory.getDefault().createSocket()) {
          tls.connect(new InetSocketAddress(address, port), timeoutSeconds * 1000);
          tls.setSoTimeout(timeoutSeconds * 1000);
          SSLParameters p = tls.getSSLParameters();
          p.setEndpointIdentificationAlgorithm("HTTPS");
          p.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName(host)));
          tls.setSSLParameters(p);
          tls.startHandshake();
          ok(
              "TLS",
              tls.getSession().getProtocol()
                  + ", certificate valid for "
                  + host
                  + " ("
                  + tls.getSession().getCipherSuite()
                  + ")");
        } catch (IllegalArgumentException | java.io.IOException e) {
          fail("TLS", "handshake with " + host + ":" + port + " failed: " + e.getMessage());
          return false;
        }
      }
      case STARTTLS -> ok("TLS", "STARTTLS is required; negotiated during login below");
      case PLAINTEXT -> warn("TLS", "none: plaintext (allowed on loopback only)");
      default -> {}
    }
    return true;
  }

  private Properties props(String protocol, MailSettings.Security security) {
    Properties p = new Properties();
    String x = "mail." + protocol + ".";
    String ms = Integer.toString(timeoutSeconds * 1000);
    p.setProperty(x + "connectiontimeout", ms);
    p.setProperty(x + "timeout", ms);
    p.setProperty(x + "writetimeout", ms);
    if (security == MailSettings.Security.STARTTLS) {
      p.setProperty(x + "starttls.enable", "true");
      p.setProperty(x + "starttls.required", "true");
    }
    if (security != MailSettings.Security.PLAINTEXT) {
      p.setProperty(x + "ssl.checkserveridentity", "true");
    }
    return p;
  }

  private void checkImap(MailSettings m, String password) {
    out.println(
        "IMAP "
            + m.imapHost()
            + ":"
            + m.imapPort()
            + " ("
            + m.imapSecurity()
            + "), user "
            + m.imapUsername()
            + ", folder "
            + m.folder());
    if (!network(m.imapHost(), m.imapPort(), m.imapSecurity())) {
      skip("authentication, folder, IDLE", "not checked (the connection failed)");
      return;
    }
    AccessTokenProvider tokens = m.imapCredentials().tokenProvider().orElse(null);
    String secret = tokens == null ? password : token(tokens);
    if (secret == null) {
      skip("authentication, folder, IDLE", "not checked (no access token)");
      return;
    }
    if (tokens != null) {
      out.println(" IMAP sign-in:");
    }
    String protocol = m.imapSecurity() == MailSettings.Security.IMPLICIT_TLS ? "imaps" : "imap";
    Properties p = props(protocol, m.imapSecurity());
    if (tokens != null) {
      p.setProperty("mail." + protocol + ".auth.mechanisms", "XOAUTH2");
    }
    Session session = Session.getInstance(p);
    IMAPStore store = null;
    try {
      store = (IMAPStore) session.getStore(protocol);
      store.connect(m.imapHost(), m.imapPort(), m.imapUsername(), secret);
      ok(
          "authentication",
          tokens == null
              ? "logged in as " + m.imapUsername()
              : "AUTHENTICATE XOAUTH2 accepted for " + m.imapUsername());
    } catch (AuthenticationFailedException e) {
      fail(
          "authentication",
          "the server refused the "
              + (tokens == null ? "login" : "access token")
              + " ("
              + e.getMessage().trim()
              + ")"
              + (tokens == null ? "" : oauthHint(tokens)));
      skip("folder, IDLE", "not checked (not logged in)");
      return;
    } catch (MessagingException e) {
      fail("login", describe(e));
      skip("folder, IDLE", "not checked (not logged in)");
      return;
    }
    try {
      Folder f = store.getFolder(m.folder());
      if (!f.exists()) {
        fail("folder", m.folder() + " does not exist");
      } else {
        f.open(Folder.READ_ONLY);
        ok("folder", m.folder() + " opened read-only, " + f.getMessageCount() + " message(s)");
        f.close(false);
      }
      if (m.postRecordAction() == MailSettings.PostRecordAction.MOVE) {
        processedFolder(store, m);
      }
      if (store.hasCapability("IDLE")) {
        ok("IDLE", "supported: new mail is seen at once");
      } else {
        warn("IDLE", "not supported: the mailbox is polled every " + m.pollInterval());
      }
    } catch (MessagingException e) {
      fail("folder", describe(e));
    } finally {
      try {
        store.close();
      } catch (MessagingException e) {
        // closing after a check; nothing to report
      }
    }
  }

  /** Where recorded mail goes, and whether the server can move it there. */
  private void processedFolder(IMAPStore store, MailSettings m) throws MessagingException {
    Folder target = store.getFolder(m.moveToFolder());
    String where =
        target.exists()
            ? m.moveToFolder() + " exists, " + target.getMessageCount() + " message(s)"
            : m.moveToFolder() + " does not exist yet (created at the first move)";
    if (store.hasCapability("MOVE")) {
      ok("processed folder", where + "; recorded mail is moved there (IMAP MOVE)");
    } else {
      warn(
          "processed folder",
          where
              + "; the server lacks IMAP MOVE: recorded mail is copied there and also left in "
              + m.folder());
    }
  }

  private void checkSmtp(MailSettings m, String password) {
    out.println(
        "SMTP "
            + m.smtpHost()
            + ":"
            + m.smtpPort()
            + " ("
            + m.smtpSecurity()
            + "), user "
            + m.smtpUsername()
            + ", from "
            + m.fromAddress());
    if (!network(m.smtpHost(), m.smtpPort(), m.smtpSecurity())) {
      skip("authentication", "not checked (the connection failed)");
      return;
    }
    AccessTokenProvider tokens = m.smtpCredentials().tokenProvider().orElse(null);
    String secret = tokens == null ? password : token(tokens);
    if (secret == null) {
      skip("authentication", "not checked (no access token)");
      return;
    }
    if (tokens != null) {
      out.println(" SMTP sign-in:");
    }
    String protocol = m.smtpSecurity() == MailSettings.Security.IMPLICIT_TLS ? "smtps" : "smtp";
    Properties p = props(protocol, m.smtpSecurity());
    p.setProperty("mail." + protocol + ".auth", "true");
    if (tokens != null) {
      p.setProperty("mail." + protocol + ".auth.mechanisms", "XOAUTH2");
    }
    Session session = Session.getInstance(p);
    try (Transport t = session.getTransport(protocol)) {
      t.connect(m.smtpHost(), m.smtpPort(), m.smtpUsername(), secret);
      ok(
          "authentication",
          (tokens == null ? "logged in as " : "AUTH XOAUTH2 accepted for ")
              + m.smtpUsername()
              + (m.smtpSecurity() == MailSettings.Security.STARTTLS ? " over STARTTLS" : ""));
    } catch (AuthenticationFailedException e) {
      fail(
          "authentication",
          "the server refused the "
              + (tokens == null ? "login" : "access token")
              + " ("
              + e.getMessage().trim()
              + ")"
              + (tokens == null ? "" : oauthHint(tokens)));
    } catch (MessagingException e) {
      fail("login", describe(e));
    }
  }

  // ---------------------------------------------------------------- OAuth2 sign-in

  /** What to look at when the mail server refuses a token the endpoint issued. */
  private static String oauthHint(AccessTokenProvider tokens) {
    if (tokens instanceof MicrosoftClientCredentialsTokenProvider) {
      return " (is the application's service principal registered in Exchange Online"
          + " (New-ServicePrincipal) with FullAccess to this mailbox, and IMAP.AccessAsApp /"
          + " SMTP.SendAsApp granted with admin consent?)";
    }
    if (tokens instanceof GoogleServiceAccountTokenProvider) {
      return " (has the Workspace admin granted the service account's client id the scope"
          + " https://mail.google.com/ under domain-wide delegation, and is the user in that"
          + " domain?)";
    }
    if (tokens instanceof GoogleRefreshTokenProvider) {
      return " (was the refresh token granted by this user with the scope"
          + " https://mail.google.com/?)";
    }
    return "";
  }

  /**
   * Walks the sign-in's first steps: the token endpoint reached (DNS, TCP, TLS), a token obtained
   * and when it expires. Returns the token, or null after reporting the failure. Never prints it.
   */
  private String token(AccessTokenProvider tokens) {
    OAuth2TokenProvider o = tokens instanceof OAuth2TokenProvider x ? x : null;
    boolean cached = o != null && o.expiresAt().isPresent();
    if (o != null && !cached) {
      URI endpoint = o.tokenEndpoint();
      out.println(" OAuth2 " + o + ", token endpoint " + endpoint + ":");
      if (!network(endpoint.getHost(), port(endpoint), security(endpoint))) {
        skip("token", "not requested (the token endpoint cannot be reached)");
        return null;
      }
    }
    String token;
    try {
      token = tokens.accessToken(false);
    } catch (RuntimeException e) {
      // TokenRequestException keeps secrets out of its message.
      fail("token", e.getMessage());
      return null;
    }
    Instant expires = o == null ? null : o.expiresAt().orElse(null);
    ok(
        "token",
        (cached ? "the one obtained above (one token provider for IMAP and SMTP)" : "obtained")
            + (expires == null
                ? ""
                : ", expires at "
                    + expires
                    + " (in "
                    + Math.max(0, Duration.between(Instant.now(), expires).toSeconds())
                    + " s)"));
    return token;
  }

  // ---------------------------------------------------------------- Microsoft Graph

  /** Delta pages read at most by the check (ids only, up to 1000 per page). */
  private static final int MAX_DELTA_PAGES = 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private void checkGraph(GraphSettings g, String role) {
    URI base = g.baseUrl();
    URI tokenEndpoint =
        g.tokens() instanceof MicrosoftClientCredentialsTokenProvider p ? p.tokenEndpoint() : null;
    out.println(
        "Microsoft Graph "
            + base
            + " ("
            + role
            + "), mailbox "
            + g.mailbox()
            + ", folder "
            + g.folder()
            + (tokenEndpoint == null ? "" : ", token endpoint " + tokenEndpoint));
    if (tokenEndpoint != null && !tokenEndpoint.getHost().equalsIgnoreCase(base.getHost())) {
      out.println(" token endpoint " + tokenEndpoint.getHost() + ":");
      if (!network(tokenEndpoint.getHost(), port(tokenEndpoint), security(tokenEndpoint))) {
        skip("token, mailbox, folder, delta", "not checked (the connection failed)");
        return;
      }
      out.println(" Graph " + base.getHost() + ":");
    }
    if (!network(base.getHost(), port(base), security(base))) {
      skip("token, mailbox, folder, delta", "not checked (the connection failed)");
      return;
    }
    String token;
    try {
      token = g.tokens().accessToken(false);
      ok("token", "obtained for the application (client credentials)");
    } catch (RuntimeException e) {
      // TokenRequestException keeps secrets out of its message.
      fail("token", e.getMessage());
      skip("mailbox, folder, delta", "not checked (no token)");
      return;
    }
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(timeoutSeconds))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    String user = base + "/users/" + segment(g.mailbox());
    JsonNode folders = graphGet(http, token, user + "/mailFolders?$top=1&$select=id", "mailbox");
    if (folders == null) {
      skip("folder, delta", "not checked (the mailbox cannot be read)");
      return;
    }
    ok("mailbox", g.mailbox() + " readable by the application");
    JsonNode folder =
        graphGet(
            http,
            token,
            user + "/mailFolders/" + segment(g.folder()) + "?$select=displayName,totalItemCount",
            "folder");
    if (folder == null) {
      skip("delta", "not checked (the folder cannot be read)");
      return;
    }
    ok(
        "folder",
        folder.path("displayName").asText(g.folder())
            + ", "
            + folder.path("totalItemCount").asText("?")
            + " message(s)");
    String link = user + "/mailFolders/" + segment(g.folder()) + "/messages/delta?$select=id";
    int listed = 0;
    for (int page = 1; page <= MAX_DELTA_PAGES; page++) {
      JsonNode json = graphGet(http, token, link, "delta");
      if (json == null) {
        return;
      }
      listed += json.path("value").size();
      String next = json.path("@odata.nextLink").asText("");
      String delta = json.path("@odata.deltaLink").asText("");
      if (!next.isEmpty()) {
        if (!sameHost(next, base)) {
          fail("delta", "Graph returned a link to another host: " + URI.create(next).getHost());
          return;
        }
        link = next;
        continue;
      }
      if (!delta.isEmpty()) {
        ok(
            "delta",
            "a full round: "
                + listed
                + " message(s) in "
                + page
                + " page(s), delta link received (intake resumes from it)");
        skip("sending", "not tried (Mail.Send is checked by the first message sent)");
      } else {
        fail("delta", "an answer without @odata.nextLink or @odata.deltaLink");
      }
      return;
    }
    ok(
        "delta",
        "the query works; "
            + listed
            + " message(s) in the first "
            + MAX_DELTA_PAGES
            + " pages (the runner reads the rest)");
    skip("sending", "not tried (Mail.Send is checked by the first message sent)");
  }

  /** A GET with the token; the JSON answer, or null after reporting the failure as {@code step}. */
  private JsonNode graphGet(HttpClient http, String token, String url, String step) {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(timeoutSeconds))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json")
            .header("Prefer", "IdType=\"ImmutableId\", odata.maxpagesize=1000")
            .GET()
            .build();
    try {
      HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
      JsonNode json = null;
      try {
        json = JSON.readTree(r.body());
      } catch (java.io.IOException e) {
        // not JSON; reported below by status
      }
      if (r.statusCode() / 100 == 2 && json != null) {
        return json;
      }
      String code = json == null ? "" : json.path("error").path("code").asText("");
      String message = json == null ? "" : json.path("error").path("message").asText("");
      String hint =
          switch (r.statusCode()) {
            case 401 -> " (the token was refused: tenant or application?)";
            case 403 ->
                " (the application lacks Mail.Read / Mail.ReadWrite with admin consent, or an"
                    + " application access policy excludes this mailbox)";
            case 404 -> " (no such mailbox or folder)";
            default -> "";
          };
      fail(step, "HTTP " + r.statusCode() + " " + code + ": " + message + hint);
      return null;
    } catch (java.io.IOException e) {
      fail(step, "request failed: " + e);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(step, "interrupted");
      return null;
    }
  }

  private static boolean sameHost(String link, URI base) {
    try {
      URI u = URI.create(link);
      return base.getHost().equalsIgnoreCase(u.getHost()) && port(u) == port(base);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static int port(URI u) {
    return u.getPort() > 0 ? u.getPort() : "http".equalsIgnoreCase(u.getScheme()) ? 80 : 443;
  }

  private static MailSettings.Security security(URI u) {
    return "http".equalsIgnoreCase(u.getScheme())
        ? MailSettings.Security.PLAINTEXT
        : MailSettings.Security.IMPLICIT_TLS;
  }

  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%40", "@");
  }

  private static String describe(MessagingException e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String top = e.getMessage();
    return cause == e
        ? top
        : top + " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
  }
}
