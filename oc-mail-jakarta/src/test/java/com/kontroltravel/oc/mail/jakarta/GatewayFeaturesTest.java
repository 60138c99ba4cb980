package com.kontroltravel.oc.mail.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.mail.mime.SenderAuthenticityCheck;
import com.kontroltravel.oc.mail.oauth.AccessTokenProvider;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.MailboxCursor;
import com.kontroltravel.oc.model.SendResult;
import com.kontroltravel.oc.spi.MailGateway.SentCheck;
import com.kontroltravel.oc.testkit.mail.TestMails;
import jakarta.mail.Flags;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Sent-folder check, post-record actions, sender authenticity, XOAUTH2 and settings validation. */
class GatewayFeaturesTest {

  @Test
  @DisplayName(
      "findSent finds a Message-ID in the Sent folder, reports NOT_SENT otherwise, UNKNOWN when off")
  void findSent() throws Exception {
    try (TestMailServer server = TestMailServer.start(false);
        ImapClient client = new ImapClient(server)) {
      client.create("Sent");
      MimeMessage copy =
          TestMails.to(TestMailServer.USER)
              .toMime(
                  InboundMessage.builder()
                      .messageId("oc-7-request@oc.kontroltravel.example")
                      .from(TestMailServer.USER)
                      .subject("Solicitud")
                      .textBody("x")
                      .build());
      client.append("Sent", copy);
      try (JakartaMailGateway on =
              JakartaMailGateway.create(server.settings().checkSentFolder(true, "Sent").build());
          JakartaMailGateway off = JakartaMailGateway.create(server.settings().build());
          JakartaMailGateway missing =
              JakartaMailGateway.create(
                  server.settings().checkSentFolder(true, "Enviados").build())) {
        assertThat(on.findSent("oc-7-request@oc.kontroltravel.example")).isEqualTo(SentCheck.SENT);
        assertThat(on.findSent("<oc-7-request@oc.kontroltravel.example>"))
            .isEqualTo(SentCheck.SENT);
        assertThat(on.findSent("oc-7-request@oc.kontroltravel")).isEqualTo(SentCheck.NOT_SENT);
        assertThat(on.findSent("oc-8-request@oc.kontroltravel.example"))
            .isEqualTo(SentCheck.NOT_SENT);
        assertThat(off.findSent("oc-7-request@oc.kontroltravel.example"))
            .isEqualTo(SentCheck.UNKNOWN);
        assertThat(missing.findSent("oc-7-request@oc.kontroltravel.example"))
            .isEqualTo(SentCheck.UNKNOWN);
      }
    }
  }

  @Test
  @DisplayName(
      "markProcessed adds the keyword when asked, and otherwise leaves the mailbox untouched")
  void keywordFlag() throws Exception {
    try (TestMailServer server = TestMailServer.start(false);
        ImapClient client = new ImapClient(server);
        JakartaMailGateway plain = JakartaMailGateway.create(server.settings().build());
        JakartaMailGateway flagging =
            JakartaMailGateway.create(server.settings().flagProcessedWith("OcProcessed").build())) {
      server.deliverRaw(ImapIntakeTest.mixed(0));
      server.deliverRaw(ImapIntakeTest.mixed(5));
      List<InboundMessage> got = plain.fetch(null, 10).messages();
      plain.markProcessed(got.get(0));
      assertThat(client.flags("INBOX").get(0).getUserFlags()).isEmpty();

      List<InboundMessage> again = flagging.fetch(null, 10).messages();
      flagging.markProcessed(again.get(1));
      List<Flags> flags = client.flags("INBOX");
      assertThat(flags).hasSize(2);
      assertThat(flags.get(0).contains("OcProcessed")).isFalse();
      assertThat(flags.get(1).contains("OcProcessed")).isTrue();
      assertThat(flags.get(1).contains(Flags.Flag.SEEN)).isFalse();
      assertThat(flags.get(1).contains(Flags.Flag.DELETED)).isFalse();
    }
  }

  @Test
  @DisplayName("markProcessed moves the message to the configured folder (created if missing)")
  void moveToFolder() throws Exception {
    try (TestMailServer server = TestMailServer.start(false);
        ImapClient client = new ImapClient(server);
        JakartaMailGateway gateway =
            JakartaMailGateway.create(server.settings().moveProcessedTo("Procesados").build())) {
      server.deliverRaw(ImapIntakeTest.mixed(0));
      server.deliverRaw(ImapIntakeTest.mixed(5));
      List<InboundMessage> got = gateway.fetch(null, 10).messages();
      gateway.markProcessed(got.get(0));
      assertThat(client.count("Procesados")).isEqualTo(1);
      assertThat(client.count("INBOX")).isEqualTo(1);
      // the cursor still moves on: the remaining message is not fetched twice
      assertThat(gateway.fetch(got.get(1).position(), 10).messages()).isEmpty();
    }
  }

  @Test
  @DisplayName(
      "markAllProcessed moves a whole batch at once, skips messages already gone, of a changed"
          + " UIDVALIDITY or of another mailbox, and can be repeated harmlessly")
  void moveBatch() throws Exception {
    try (TestMailServer server = TestMailServer.start(false);
        ImapClient client = new ImapClient(server);
        JakartaMailGateway gateway =
            JakartaMailGateway.create(server.settings().moveProcessedTo("Procesados").build())) {
      for (int i = 0; i < 6; i++) {
        server.deliverRaw(ImapIntakeTest.mixed(i * 5));
      }
      List<InboundMessage> got = gateway.fetch(null, 10).messages();
      assertThat(got).hasSize(6);
      MailboxCursor fifth = got.get(4).position();
      List<InboundMessage> batch = new ArrayList<>(got.subList(0, 4));
      batch.add(
          InboundMessage.builder()
              .messageId("stale@x")
              .position(new MailboxCursor(fifth.mailbox(), fifth.uidValidity() + 1, fifth.uid()))
              .build());
      batch.add(
          InboundMessage.builder()
              .messageId("gone@x")
              .position(new MailboxCursor(fifth.mailbox(), fifth.uidValidity(), 9_999))
              .build());
      batch.add(
          InboundMessage.builder()
              .messageId("elsewhere@x")
              .position(new MailboxCursor("Otra", fifth.uidValidity(), fifth.uid()))
              .build());
      batch.add(InboundMessage.builder().messageId("nowhere@x").build());

      gateway.markAllProcessed(batch);
      gateway.markAllProcessed(batch); // on the same connection: the moved ones are now expunged
      assertThat(client.count("Procesados")).isEqualTo(4);
      List<String> left = new ArrayList<>();
      for (InboundMessage m : gateway.fetch(null, 10).messages()) {
        left.add(m.messageId());
      }
      assertThat(left).containsExactly(got.get(4).messageId(), got.get(5).messageId());

      gateway.markAllProcessed(batch);
      assertThat(client.count("Procesados")).isEqualTo(4);
      assertThat(client.count("INBOX")).isEqualTo(2);
    }
  }

  @Test
  @DisplayName("markAllProcessed flags a whole batch with the keyword, and only that batch")
  void keywordBatch() throws Exception {
    try (TestMailServer server = TestMailServer.start(false);
        ImapClient client = new ImapClient(server);
        JakartaMailGateway gateway =
            JakartaMailGateway.create(server.settings().flagProcessedWith("OcProcessed").build())) {
      for (int i = 0; i < 4; i++) {
        server.deliverRaw(ImapIntakeTest.mixed(i * 5));
      }
      List<InboundMessage> got = gateway.fetch(null, 10).messages();
      gateway.markAllProcessed(List.of(got.get(0), got.get(2), got.get(3)));
      List<Flags> flags = client.flags("INBOX");
      assertThat(flags).hasSize(4);
      assertThat(flags.get(0).contains("OcProcessed")).isTrue();
      assertThat(flags.get(1).contains("OcProcessed")).isFalse();
      assertThat(flags.get(2).contains("OcProcessed")).isTrue();
      assertThat(flags.get(3).contains("OcProcessed")).isTrue();
      assertThat(flags.get(3).contains(Flags.Flag.SEEN)).isFalse();
    }
  }

  private static byte[] withAuthResults(String id, String from, String... results) {
    StringBuilder h = new StringBuilder();
    for (String r : results) {
      h.append("Authentication-Results: ").append(r).append("\r\n");
    }
    return (h
            + "From: "
            + from
            + "\r\nSubject: Confirmación\r\nMessage-ID: <"
            + id
            + ">\r\n"
            + "Content-Type: text/plain\r\n\r\nhola\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName(
      "the gateway reports whether a trusted dmarc/dkim pass vouches for the sender, and adds no"
          + " problem: what an unauthenticated sender may do is the engine's rule")
  void senderAuthenticityVerdict() throws Exception {
    try (TestMailServer server = TestMailServer.start(false);
        JakartaMailGateway gateway =
            JakartaMailGateway.create(
                server.settings().trustedAuthServIds(List.of("mx.kontrol.example")).build())) {
      server.deliverRaw(
          withAuthResults(
              "ok-dmarc@x",
              "reservas@booking.example",
              "mx.kontrol.example; spf=pass smtp.mailfrom=booking.example; dkim=pass header.d=booking.example;"
                  + " dmarc=pass (p=REJECT) header.from=booking.example"));
      server.deliverRaw(
          withAuthResults(
              "ok-dkim@x",
              "reservas@mail.booking.example",
              "mx.kontrol.example; dkim=pass header.i=@booking.example; dmarc=none"));
      server.deliverRaw(
          withAuthResults(
              "forged@x",
              "reservas@booking.example",
              "mx.kontrol.example; spf=fail; dkim=pass header.d=evil.example; dmarc=fail header.from=booking.example",
              "mx.kontrol.example; dmarc=pass header.from=booking.example"));
      server.deliverRaw(
          withAuthResults(
              "untrusted@x",
              "reservas@booking.example",
              "mx.evil.example; dmarc=pass header.from=booking.example"));
      server.deliverRaw(withAuthResults("other@x", "compras@agencia.example"));
      List<InboundMessage> got = gateway.fetch(null, 10).messages();
      assertThat(got)
          .extracting(InboundMessage::messageId)
          .containsExactly("ok-dmarc@x", "ok-dkim@x", "forged@x", "untrusted@x", "other@x");
      assertThat(got)
          .extracting(InboundMessage::authenticated)
          .as("only the topmost trusted header counts; an untrusted server's is ignored")
          .containsExactly(true, true, false, false, false);
      assertThat(got).allSatisfy(m -> assertThat(m.problems()).isEmpty());
    }
  }

  @Test
  @DisplayName("without trusted authserv-ids nothing is authenticated, whatever the headers say")
  void noTrustedServersNothingAuthenticated() throws Exception {
    try (TestMailServer server = TestMailServer.start(false);
        JakartaMailGateway gateway = JakartaMailGateway.create(server.settings().build())) {
      server.deliverRaw(
          withAuthResults(
              "w@x",
              "reservas@booking.example",
              "mx.kontrol.example; dmarc=pass header.from=booking.example"));
      InboundMessage m = gateway.fetch(null, 10).messages().get(0);
      assertThat(m.authenticated()).isFalse();
      assertThat(m.problems()).isEmpty();
    }
  }

  @Test
  @DisplayName(
      "the authenticity check reads RFC 8601 headers with comments, versions and alignment")
  void authenticityParsing() {
    Set<String> trusted = Set.of("mx.google.com");
    assertThat(
            SenderAuthenticityCheck.check(
                    new String[] {
                      "mx.google.com;\r\n       dkim=pass header.i=@booking.example header.s=s1 header.b=abc;\r\n"
                          + "       spf=pass (google.com: domain of x designates 1.2.3.4) smtp.mailfrom=x;\r\n"
                          + "       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=booking.example"
                    },
                    "a@booking.example",
                    trusted)
                .authentic())
        .isTrue();
    assertThat(
            SenderAuthenticityCheck.check(
                    new String[] {"mx.google.com 1; dkim=pass header.d=other.example; dmarc=fail"},
                    "a@booking.example",
                    trusted)
                .authentic())
        .as("dkim for an unaligned domain does not count")
        .isFalse();
    assertThat(SenderAuthenticityCheck.check(null, "a@booking.example", trusted).authentic())
        .isFalse();
    assertThat(
            SenderAuthenticityCheck.check(
                    new String[] {"MX.Google.COM; dmarc=pass header.from=Booking.Example"},
                    "a@booking.example",
                    trusted)
                .authentic())
        .isTrue();
  }

  @Test
  @DisplayName("XOAUTH2 on SMTP: a rejected token is refreshed once and the message goes out")
  void xoauth2RefreshesOnce() throws Exception {
    try (TestMailServer server = TestMailServer.start(false)) {
      AtomicInteger calls = new AtomicInteger();
      List<Boolean> refreshFlags = new ArrayList<>();
      AccessTokenProvider tokens =
          refresh -> {
            calls.incrementAndGet();
            refreshFlags.add(refresh);
            return refresh ? TestMailServer.PASSWORD : "expired-token";
          };
      MailSettings s =
          server.settings().smtpLogin(TestMailServer.USER, Credentials.oauth2(tokens)).build();
      try (JakartaMailGateway g = JakartaMailGateway.create(s)) {
        SendResult r = g.send(TestMails.simpleOutbound("oauth-1@oc.example"));
        assertThat(r.isSent()).as(r.detail()).isTrue();
      }
      assertThat(refreshFlags).containsExactly(false, true);
      assertThat(server.sentMessages()).hasSize(1);

      AccessTokenProvider alwaysBad = refresh -> "bad-" + refresh;
      try (JakartaMailGateway g =
          JakartaMailGateway.create(
              server
                  .settings()
                  .smtpLogin(TestMailServer.USER, Credentials.oauth2(alwaysBad))
                  .build())) {
        SendResult r = g.send(TestMails.simpleOutbound("oauth-2@oc.example"));
        assertThat(r.status()).isEqualTo(SendResult.Status.TRANSIENT_FAILURE);
        assertThat(r.detail()).doesNotContain("bad-");
      }
    }
  }

  @Test
  @DisplayName(
      "XOAUTH2 on IMAP: a rejected token is refreshed once; a server without IDLE offers no push")
  void imapXoauth2AndNoIdle() throws Exception {
    try (ScriptedImapServer imap = new ScriptedImapServer("fresh-token")) {
      List<Boolean> refreshFlags = new ArrayList<>();
      AccessTokenProvider tokens =
          refresh -> {
            refreshFlags.add(refresh);
            return refresh ? "fresh-token" : "stale-token";
          };
      MailSettings s =
          MailSettings.builder()
              .imap(TestMailServer.HOST, imap.port(), MailSettings.Security.PLAINTEXT)
              .imapLogin(TestMailServer.USER, Credentials.oauth2(tokens))
              .allowPlaintext(true)
              .timeouts(
                  java.time.Duration.ofSeconds(2),
                  java.time.Duration.ofSeconds(5),
                  java.time.Duration.ofSeconds(5))
              .build();
      try (JakartaMailGateway g = JakartaMailGateway.create(s)) {
        var batch = g.fetch(null, 10);
        assertThat(batch.messages()).isEmpty();
        assertThat(batch.cursor().uidValidity()).isEqualTo(7);
        assertThat(refreshFlags).containsExactly(false, true);
        assertThat(imap.saslStrings)
            .hasSize(2)
            .allMatch(x -> x.startsWith("user=" + TestMailServer.USER + "\u0001auth=Bearer "));
        assertThat(g.subscribe(() -> {})).isEmpty();
      }
    }
  }

  @Test
  @DisplayName("settings report every problem at once and never print secrets")
  void settingsValidation() {
    assertThatThrownBy(
            () ->
                MailSettings.builder()
                    .imap("mail.example.com", 143, MailSettings.Security.PLAINTEXT)
                    .smtp("mail.example.com", 99999, null)
                    .idleRenewal(java.time.Duration.ofMinutes(30))
                    .testOnlyTrustedHosts(List.of("mail.example.com"))
                    .moveProcessedTo(null)
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .satisfies(
            e ->
                assertThat(((ConfigurationException) e).problems())
                    .anyMatch(p -> p.contains("IMAP username is missing"))
                    .anyMatch(p -> p.contains("IMAP password"))
                    .anyMatch(p -> p.contains("without TLS needs allowPlaintext"))
                    .anyMatch(p -> p.contains("SMTP port out of range"))
                    .anyMatch(p -> p.contains("29 minutes"))
                    .anyMatch(p -> p.contains("testOnlyTrustedHosts"))
                    .anyMatch(p -> p.contains("MOVE needs a folder")));
    assertThatThrownBy(
            () ->
                MailSettings.builder()
                    .imap("mail.example.com", null, MailSettings.Security.PLAINTEXT)
                    .imapLogin("ops@example.com", Credentials.password("pw"))
                    .allowPlaintext(true)
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("only allowed on loopback");

    MailSettings ok =
        MailSettings.builder()
            .imap("imap.gmail.com", null, null)
            .imapLogin("ops@example.com", Credentials.password("super-secret-app-password"))
            .smtp("smtp.gmail.com", null, null)
            .build();
    assertThat(ok.imapPort()).isEqualTo(993);
    assertThat(ok.imapSecurity()).isEqualTo(MailSettings.Security.IMPLICIT_TLS);
    assertThat(ok.smtpPort()).isEqualTo(587);
    assertThat(ok.smtpSecurity()).isEqualTo(MailSettings.Security.STARTTLS);
    assertThat(ok.fromAddress()).isEqualTo("ops@example.com");
    assertThat(ok.connectionTimeout()).isEqualTo(MailSettings.DEFAULT_CONNECTION_TIMEOUT);
    assertThat(ok.postRecordAction()).isEqualTo(MailSettings.PostRecordAction.NONE);
    assertThat(ok.toString()).doesNotContain("super-secret-app-password");
    assertThat(ok.imapCredentials().toString()).doesNotContain("super-secret-app-password");
    assertThat(JakartaMailGateway.create(ok).mailbox())
        .isEqualTo("imap://ops@example.com@imap.gmail.com/INBOX");
  }

  @Test
  @DisplayName("the production default checks certificates: GreenMail's self-signed one is refused")
  void certificatesChecked() throws Exception {
    try (TestMailServer server = TestMailServer.start(true);
        JakartaMailGateway strict =
            JakartaMailGateway.create(server.settings().testOnlyTrustedHosts(List.of()).build())) {
      assertThatThrownBy(() -> strict.fetch(null, 10))
          .isInstanceOf(com.kontroltravel.oc.exception.MailAccessException.class);
      assertThat(strict.send(TestMails.simpleOutbound("tls@oc.example")).status())
          .isEqualTo(SendResult.Status.TRANSIENT_FAILURE);
      assertThat(server.sentMessages()).isEmpty();
    }
  }
}
