package com.kontroltravel.oc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.kontroltravel.oc.mail.jakarta.JakartaMailGateway;
import com.kontroltravel.oc.mail.jakarta.MailSettings;
import com.kontroltravel.oc.mail.oauth.GoogleRefreshTokenProvider;
import com.kontroltravel.oc.mail.oauth.GoogleServiceAccountTokenProvider;
import com.kontroltravel.oc.mail.oauth.MicrosoftClientCredentialsTokenProvider;
import com.kontroltravel.oc.mail.oauth.OAuth2TokenProvider;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.SendResult;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.testkit.SettableClock;
import com.kontroltravel.oc.testkit.mail.TestMails;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/**
 * The runner signs in to IMAP and SMTP with XOAUTH2 through each provider: tokens from a loopback
 * token endpoint stub ({@link OAuthTokenStub}), mail through GreenMail, which accepts only the
 * newest token the stub issued as the user's password (its SMTP speaks AUTH XOAUTH2 itself; its
 * IMAP gets AUTHENTICATE XOAUTH2 from {@link XOAuth2ImapFront}).
 */
class OAuthSignInTest {
  static final String MAILBOX = "oc@agencia-test.example";

  enum Provider {
    MICROSOFT,
    GOOGLE_REFRESH_TOKEN,
    GOOGLE_SERVICE_ACCOUNT
  }

  @TempDir Path dir;

  GreenMail greenMail;
  OAuthTokenStub stub;
  XOAuth2ImapFront front;
  int smtpPort;

  @BeforeEach
  void start() throws Exception {
    smtpPort = LoopbackMailServer.freePort();
    int imapPort = LoopbackMailServer.freePort();
    greenMail =
        new GreenMail(
            new ServerSetup[] {
              new ServerSetup(smtpPort, LoopbackMailServer.HOST, "smtp"),
              new ServerSetup(imapPort, LoopbackMailServer.HOST, "imap")
            });
    greenMail.start();
    // No password works until the stub issues a token: then only the newest token does.
    greenMail.setUser(MAILBOX, MAILBOX, "no-token-yet-" + System.nanoTime());
    greenMail.getUserManager().setAuthRequired(true);
    stub = new OAuthTokenStub(MAILBOX);
    stub.onIssue =
        i -> {
          if (i.subject() == null || i.subject().equals(MAILBOX)) {
            greenMail.getUserManager().getUserByEmail(MAILBOX).setPassword(i.token());
          }
        };
    front = new XOAuth2ImapFront(imapPort);
  }

  @AfterEach
  void stop() throws Exception {
    front.close();
    stub.close();
    greenMail.stop();
  }

  Map<String, String> env(Provider p) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("IMAP_HOST", LoopbackMailServer.HOST);
    env.put("IMAP_PORT", Integer.toString(front.port()));
    env.put("IMAP_USERNAME", MAILBOX);
    env.put("IMAP_SECURITY", "PLAINTEXT");
    env.put("SMTP_HOST", LoopbackMailServer.HOST);
    env.put("SMTP_PORT", Integer.toString(smtpPort));
    env.put("SMTP_SECURITY", "PLAINTEXT");
    env.put("SMTP_FROM_EMAIL", MAILBOX);
    env.put("OC_ALLOW_PLAINTEXT", "true");
    env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("oc.db"));
    switch (p) {
      case MICROSOFT -> {
        env.put("IMAP_AUTH", "oauth2-microsoft");
        env.put("AZURE_TENANT_ID", OAuthTokenStub.TENANT);
        env.put("AZURE_CLIENT_ID", OAuthTokenStub.MS_CLIENT_ID);
        env.put("AZURE_CLIENT_SECRET", OAuthTokenStub.MS_SECRET);
        env.put("OC_OAUTH_TOKEN_URL", stub.microsoftEndpoint().toString());
      }
      case GOOGLE_REFRESH_TOKEN -> {
        env.put("IMAP_AUTH", "oauth2-google");
        env.put("GOOGLE_CLIENT_ID", OAuthTokenStub.GOOGLE_CLIENT_ID);
        env.put("GOOGLE_CLIENT_SECRET", OAuthTokenStub.GOOGLE_SECRET);
        env.put("GOOGLE_REFRESH_TOKEN", OAuthTokenStub.GOOGLE_REFRESH);
        env.put("OC_OAUTH_TOKEN_URL", stub.googleEndpoint().toString());
      }
      case GOOGLE_SERVICE_ACCOUNT -> {
        // The key file names the stub as its token_uri, as a real one names Google's.
        Path key = dir.resolve("service-account.json");
        Files.writeString(key, stub.serviceAccountKeyJson());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        env.put("IMAP_AUTH", "oauth2-google");
        env.put("GOOGLE_SERVICE_ACCOUNT_FILE", key.toString());
      }
      default -> throw new IllegalArgumentException(p.name());
    }
    return env;
  }

  void deliver(String subject) throws Exception {
    MimeMessage m = new MimeMessage((jakarta.mail.Session) null);
    m.setFrom("reservas@proveedor.example");
    m.setRecipients(jakarta.mail.Message.RecipientType.TO, MAILBOX);
    m.setSubject(subject);
    m.setText("Confirmación adjunta.");
    m.saveChanges();
    greenMail.getUserManager().getUserByEmail(MAILBOX).deliver(m);
  }

  static OutboundMessage outbound(String id) {
    return TestMails.simpleOutbound(id + "@oc.kontroltravel.example");
  }

  /** Reads the folder from the start; the subjects found. */
  static List<String> subjects(MailGateway g) {
    return g.fetch(null, 50).messages().stream().map(InboundMessage::subject).toList();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Provider.class)
  @DisplayName(
      "signs in with XOAUTH2 through the provider, reads over IMAP and sends over SMTP; an expired"
          + " token is replaced before use, a rejected one causes one new sign-in")
  void readsAndSends(Provider p) throws Exception {
    MailSettings settings = RunnerSettings.of(env(p)).mailSettings();
    assertThat(settings.imapCredentials().isOAuth2()).isTrue();
    assertThat(settings.smtpCredentials())
        .as("IMAP and SMTP share one provider and its token")
        .isSameAs(settings.imapCredentials());
    OAuth2TokenProvider tokens =
        (OAuth2TokenProvider) settings.imapCredentials().tokenProvider().orElseThrow();
    assertThat(tokens)
        .isInstanceOf(
            switch (p) {
              case MICROSOFT -> MicrosoftClientCredentialsTokenProvider.class;
              case GOOGLE_REFRESH_TOKEN -> GoogleRefreshTokenProvider.class;
              case GOOGLE_SERVICE_ACCOUNT -> GoogleServiceAccountTokenProvider.class;
            });
    assertThat(stub.count()).as("nothing fetched before the first connection").isZero();
    deliver("Confirmación de reserva 4711");

    try (JakartaMailGateway g = JakartaMailGateway.create(settings)) {
      // 1. First sign-in: one token serves IMAP and SMTP.
      assertThat(subjects(g)).containsExactly("Confirmación de reserva 4711");
      SendResult sent = g.send(outbound("oc-1"));
      assertThat(sent.isSent()).as(sent.detail()).isTrue();
      assertThat(stub.count()).isEqualTo(1);
      assertThat(stub.refusals).isEmpty();
      assertThat(stub.issued.get(0).subject()).isEqualTo(p == Provider.MICROSOFT ? null : MAILBOX);
      assertThat(front.accepted.get()).isEqualTo(1);
      assertThat(front.saslUsers).containsOnly(MAILBOX);
      assertThat(greenMail.getReceivedMessagesForDomain("agencia.example")).hasSize(1);

      // 2. The server stops accepting the token (revoked, or expired on its side). New
      // connections (a new gateway: SMTP sessions are pooled) sign in again: IMAP is refused once
      // and signs in with a new token; SMTP then uses that new token.
      greenMail.getUserManager().getUserByEmail(MAILBOX).setPassword("revoked");
    }
    try (JakartaMailGateway g = JakartaMailGateway.create(settings)) {
      int rejectedBefore = front.rejected.get();
      assertThat(subjects(g)).hasSize(1);
      assertThat(front.rejected.get() - rejectedBefore).as("one refused sign-in").isEqualTo(1);
      assertThat(stub.count()).as("one new token after the refusal").isEqualTo(2);
      assertThat(g.send(outbound("oc-2")).isSent()).isTrue();
      assertThat(stub.count()).isEqualTo(2);
    }
    // SMTP refused: the same, once.
    greenMail.getUserManager().getUserByEmail(MAILBOX).setPassword("revoked-again");
    try (JakartaMailGateway g = JakartaMailGateway.create(settings)) {
      SendResult again = g.send(outbound("oc-3"));
      assertThat(again.isSent()).as(again.detail()).isTrue();
      assertThat(stub.count()).isEqualTo(3);
      assertThat(greenMail.getReceivedMessagesForDomain("agencia.example")).hasSize(3);
    }

    // 3. Short-lived tokens: one that has reached its refresh point is replaced before use, and
    // the server never sees it (no refusal).
    stub.expiresIn = 2;
    tokens.invalidate();
    Instant expires;
    int issuedBefore;
    try (JakartaMailGateway g = JakartaMailGateway.create(settings)) {
      assertThat(g.send(outbound("oc-4")).isSent()).isTrue();
      issuedBefore = stub.count();
      expires = tokens.expiresAt().orElseThrow();
      assertThat(expires).isBefore(Instant.now().plusSeconds(3));
    }
    // A 2 s token is replaced after half its life; wait past its expiry (bounded: at most 2.2 s).
    Thread.sleep(Math.max(0, expires.toEpochMilli() - System.currentTimeMillis()) + 200);
    int rejectedBefore = front.rejected.get();
    try (JakartaMailGateway g = JakartaMailGateway.create(settings)) {
      assertThat(subjects(g)).hasSize(1);
      assertThat(g.send(outbound("oc-5")).isSent()).isTrue();
    }
    assertThat(stub.count()).as("a new token after expiry").isGreaterThan(issuedBefore);
    assertThat(front.rejected.get()).as("never sent an expired token").isEqualTo(rejectedBefore);
    assertThat(tokens.expiresAt().orElseThrow()).isAfter(expires);
    assertThat(greenMail.getReceivedMessagesForDomain("agencia.example")).hasSize(5);
    assertThat(stub.refusals).isEmpty();
  }

  record Run(int code, String out, String err) {}

  Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl =
        Runner.commandLine(
            new Runner(env, SettableClock.at(Instant.parse("2026-12-01T13:00:00Z"))));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Provider.class)
  @DisplayName("check-mail shows each step of the sign-in and never a secret or a token")
  void checkMail(Provider p) throws Exception {
    Map<String, String> env = env(p);
    Run ok = run(env, "check-mail", "--timeout", "5");
    assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out())
        .contains("token endpoint http://127.0.0.1:" + stub.base().getPort())
        .contains("[ok]   TCP: connected to port " + stub.base().getPort())
        .contains("[ok]   token: obtained, expires at ")
        .contains("[ok]   token: the one obtained above (one token provider for IMAP and SMTP)")
        .contains("[ok]   authentication: AUTHENTICATE XOAUTH2 accepted for " + MAILBOX)
        .contains("[ok]   authentication: AUTH XOAUTH2 accepted for " + MAILBOX)
        .contains("[ok]   folder: INBOX opened read-only")
        .contains("RESULT: mail settings work");
    assertThat(stub.count()).isEqualTo(1);
    assertNoSecret(ok.out() + ok.err());
    if (p == Provider.GOOGLE_SERVICE_ACCOUNT) {
      Path key = Path.of(env.get("GOOGLE_SERVICE_ACCOUNT_FILE"));
      assertThat(ok.out())
          .contains("[warn] key file: GOOGLE_SERVICE_ACCOUNT_FILE " + key)
          .contains("readable by other users (rw-r--r--)");
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      assertThat(SignInSettings.keyFileWarning(RunnerSettings.of(env))).isEmpty();
    }

    // The token endpoint refuses the client: the step says why, nothing after it is tried.
    Map<String, String> wrong = new HashMap<>(env);
    switch (p) {
      case MICROSOFT -> wrong.put("AZURE_CLIENT_SECRET", "wrong-secret-value");
      case GOOGLE_REFRESH_TOKEN -> wrong.put("GOOGLE_REFRESH_TOKEN", "wrong-secret-value");
      case GOOGLE_SERVICE_ACCOUNT -> wrong.put("IMAP_USERNAME", "otro@agencia-test.example");
      default -> throw new IllegalArgumentException();
    }
    Run bad = run(wrong, "check-mail", "--timeout", "5");
    assertThat(bad.code()).as(bad.out() + bad.err()).isEqualTo(1);
    if (p == Provider.GOOGLE_SERVICE_ACCOUNT) {
      // A token for another user: the mail server refuses it.
      assertThat(bad.out())
          .contains("[FAIL] authentication: the server refused the access token")
          .contains("domain-wide delegation");
    } else {
      assertThat(bad.out())
          .contains("[FAIL] token: token endpoint")
          .contains(p == Provider.MICROSOFT ? "invalid_client" : "invalid_grant")
          .contains("[skip] authentication, folder, IDLE: not checked (no access token)");
    }
    assertThat(bad.out() + bad.err()).doesNotContain("wrong-secret-value");
    assertNoSecret(bad.out() + bad.err());
  }

  void assertNoSecret(String text) {
    assertThat(text)
        .doesNotContain(OAuthTokenStub.MS_SECRET)
        .doesNotContain(OAuthTokenStub.GOOGLE_SECRET)
        .doesNotContain(OAuthTokenStub.GOOGLE_REFRESH)
        .doesNotContain("PRIVATE KEY")
        .doesNotContain("at-1-")
        .doesNotContain("at-2-");
  }

  @Test
  @DisplayName("sign-in settings: every missing variable named at once, secrets masked")
  void settingsProblems() {
    Map<String, String> env = new HashMap<>();
    env.put("IMAP_HOST", "imap.gmail.com");
    env.put("IMAP_USERNAME", MAILBOX);
    env.put("SMTP_HOST", "smtp.gmail.com");
    env.put("IMAP_AUTH", "oauth2-google");
    env.put("GOOGLE_CLIENT_ID", OAuthTokenStub.GOOGLE_CLIENT_ID);
    Run r = run(env, "check-mail");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("GOOGLE_CLIENT_SECRET is missing (IMAP_AUTH=oauth2-google)")
        .contains("GOOGLE_REFRESH_TOKEN is missing (IMAP_AUTH=oauth2-google)")
        .doesNotContain("IMAP_PASSWORD is missing");

    env.put("IMAP_AUTH", "oauth");
    env.put("SMTP_AUTH", "password");
    Run r2 = run(env, "check-mail");
    assertThat(r2.code()).isEqualTo(2);
    assertThat(r2.err())
        .contains("IMAP_AUTH must be password, oauth2-microsoft or oauth2-google: oauth");

    env.put("IMAP_AUTH", "oauth2-microsoft");
    env.put("OC_OAUTH_TOKEN_URL", "http://login.example.com/");
    env.put("AZURE_TENANT_ID", "t");
    env.put("AZURE_CLIENT_ID", "c");
    env.put("AZURE_CLIENT_SECRET", OAuthTokenStub.MS_SECRET);
    Run r3 = run(env, "check-mail");
    assertThat(r3.code()).isEqualTo(2);
    assertThat(r3.err())
        .contains("SMTP_PASSWORD is missing (SMTP_AUTH=password)")
        .contains("OC_OAUTH_TOKEN_URL must be https (http only to loopback)");

    env.put("GOOGLE_SERVICE_ACCOUNT_FILE", dir.resolve("missing.json").toString());
    env.put("GOOGLE_REFRESH_TOKEN", OAuthTokenStub.GOOGLE_REFRESH);
    env.put("IMAP_AUTH", "oauth2-google");
    env.put("OC_OAUTH_TOKEN_URL", "https://oauth2.googleapis.com/token");
    Run r4 = run(env, "check-mail");
    assertThat(r4.code()).isEqualTo(2);
    assertThat(r4.err()).contains("set either GOOGLE_SERVICE_ACCOUNT_FILE");
    env.remove("GOOGLE_CLIENT_ID");
    env.remove("GOOGLE_REFRESH_TOKEN");
    Run r5 = run(env, "check-mail");
    assertThat(r5.code()).isEqualTo(2);
    assertThat(r5.err())
        .contains("GOOGLE_SERVICE_ACCOUNT_FILE: cannot read the service account key file");

    Map<String, String> shown = RunnerSettings.of(env).describe();
    assertThat(shown.get("AZURE_CLIENT_SECRET")).isEqualTo("****");
    assertThat(shown.toString())
        .doesNotContain(OAuthTokenStub.MS_SECRET)
        .doesNotContain(OAuthTokenStub.GOOGLE_REFRESH);
    for (Run x : List.of(r, r2, r3, r4, r5)) {
      assertNoSecret(x.out() + x.err());
    }
  }
}
