package com.kontroltravel.oc.mail.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.SendResult;
import com.kontroltravel.oc.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * SMTP session reuse: messages share authenticated sessions, a session that fails is closed and
 * replaced without the gateway sending anything twice, idle sessions are closed. A TCP proxy in
 * front of GreenMail (or of the scripted server) counts the connections.
 */
class SmtpSessionReuseTest {
  private TestMailServer server;
  private CountingProxy proxy;

  @BeforeEach
  void start() throws Exception {
    server = TestMailServer.start(false);
    proxy = new CountingProxy(server.smtpPort());
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    server.close();
  }

  private MailSettings.Builder viaProxy() {
    return server
        .settings()
        .smtp(TestMailServer.HOST, proxy.port(), MailSettings.Security.PLAINTEXT);
  }

  private static OutboundMessage message(int i) {
    return new OutboundMessage(
        "oc-reuse-" + i + "@oc.example",
        null,
        List.of("compras" + (i % 3) + "@agencia.example"),
        List.of(),
        "Solicitud de orden de compra " + i,
        "Estimados: favor enviar la orden de compra " + i + ".\n",
        null,
        null,
        List.of(),
        List.of());
  }

  private List<String> deliveredIds() {
    return server.sentMessages().stream()
        .map(
            m -> {
              try {
                return m.getMessageID();
              } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  @Test
  @DisplayName("twenty messages sent one after another go over one SMTP connection")
  void manyMessagesOneSession() {
    try (JakartaMailGateway g = JakartaMailGateway.create(viaProxy().build())) {
      for (int i = 0; i < 20; i++) {
        SendResult r = g.send(message(i));
        assertThat(r.isSent()).as(r.detail()).isTrue();
      }
      assertThat(proxy.connections()).isEqualTo(1);
      assertThat(g.smtpSessionsOpened()).isEqualTo(1);
      assertThat(deliveredIds()).hasSize(20);
    }
  }

  @Test
  @DisplayName("concurrent senders share at most the pool's sessions, and every message arrives")
  void concurrentSendersStayWithinThePool() throws Exception {
    MailSettings s = viaProxy().smtpSessions(2, Duration.ofSeconds(30), 100).build();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (JakartaMailGateway g = JakartaMailGateway.create(s)) {
      List<Future<SendResult>> results = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        int n = i;
        results.add(pool.submit(() -> g.send(message(n))));
      }
      for (Future<SendResult> f : results) {
        SendResult r = f.get(30, TimeUnit.SECONDS);
        assertThat(r.isSent()).as(r.detail()).isTrue();
      }
      assertThat(proxy.connections()).isBetween(1, 2);
      assertThat(deliveredIds()).hasSize(40);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("a session is replaced after the messages allowed per session")
  void sessionReplacedAfterItsMessageLimit() {
    MailSettings s = viaProxy().smtpSessions(2, Duration.ofSeconds(30), 3).build();
    try (JakartaMailGateway g = JakartaMailGateway.create(s)) {
      for (int i = 0; i < 7; i++) {
        assertThat(g.send(message(i)).isSent()).isTrue();
      }
      assertThat(proxy.connections()).isEqualTo(3);
      assertThat(deliveredIds()).hasSize(7);
    }
  }

  @Test
  @DisplayName(
      "when the server drops a session the failing send is reported, not repeated, and the next"
          + " send opens a new session")
  void recoveryAfterTheServerDropsTheSession() {
    try (JakartaMailGateway g = JakartaMailGateway.create(viaProxy().build())) {
      assertThat(g.send(message(1)).isSent()).isTrue();
      proxy.dropAll();
      Await.await(
          "the proxy's connections closed",
          () -> proxy.openConnections() == 0,
          Duration.ofSeconds(5));
      SendResult failed = g.send(message(2));
      assertThat(failed.status()).isEqualTo(SendResult.Status.TRANSIENT_FAILURE);
      SendResult next = g.send(message(3));
      assertThat(next.isSent()).as(next.detail()).isTrue();
      assertThat(proxy.connections()).isEqualTo(2);
      // the gateway never resent message 2 by itself: only the engine decides that
      assertThat(deliveredIds())
          .containsExactlyInAnyOrder("<oc-reuse-1@oc.example>", "<oc-reuse-3@oc.example>");
      // the engine's retry, under the same Message-ID, goes through
      assertThat(g.send(message(2)).isSent()).isTrue();
      assertThat(deliveredIds()).hasSize(3);
    }
  }

  @Test
  @DisplayName("a session dropped while idle is noticed before the next send, which goes through")
  void deadIdleSessionIsCheckedBeforeReuse() throws Exception {
    try (JakartaMailGateway g = JakartaMailGateway.create(viaProxy().build())) {
      assertThat(g.send(message(1)).isSent()).isTrue();
      proxy.dropAll();
      // past the quiet time after which an idle session is checked with NOOP before reuse
      Thread.sleep(SmtpSessions.CHECK_AFTER.toMillis() + 300);
      SendResult r = g.send(message(2));
      assertThat(r.isSent()).as(r.detail()).isTrue();
      assertThat(proxy.connections()).isEqualTo(2);
      assertThat(deliveredIds()).hasSize(2);
    }
  }

  @Test
  @DisplayName("a send refused by the server closes that session; the next one opens another")
  void failedSendClosesTheSession() throws Exception {
    try (ScriptedSmtpServer smtp = new ScriptedSmtpServer();
        CountingProxy p = new CountingProxy(smtp.port())) {
      smtp.rcptReply =
          a -> a.startsWith("compras1") ? "550 5.1.1 <" + a + ">: user unknown" : "250 2.1.5 ok";
      MailSettings s =
          server
              .settings()
              .smtp(TestMailServer.HOST, p.port(), MailSettings.Security.PLAINTEXT)
              .build();
      try (JakartaMailGateway g = JakartaMailGateway.create(s)) {
        assertThat(g.send(message(0)).isSent()).isTrue();
        assertThat(g.send(message(1)).status()).isEqualTo(SendResult.Status.PERMANENT_FAILURE);
        assertThat(g.send(message(3)).isSent()).isTrue();
        assertThat(p.connections()).isEqualTo(2);
        assertThat(smtp.accepted).hasSize(2);
      }
    }
  }

  @Test
  @DisplayName("idle sessions are closed after the idle timeout, and close() closes the rest")
  void idleSessionsClosed() {
    MailSettings s = viaProxy().smtpSessions(2, Duration.ofMillis(500), 100).build();
    try (JakartaMailGateway g = JakartaMailGateway.create(s)) {
      assertThat(g.send(message(1)).isSent()).isTrue();
      assertThat(proxy.openConnections()).isEqualTo(1);
      Await.await(
          "the idle session closed", () -> proxy.openConnections() == 0, Duration.ofSeconds(10));
      assertThat(g.smtpSessionsIdle()).isZero();
      assertThat(g.send(message(2)).isSent()).isTrue();
      assertThat(proxy.connections()).isEqualTo(2);
    }
    MailSettings longIdle = viaProxy().build();
    JakartaMailGateway g = JakartaMailGateway.create(longIdle);
    assertThat(g.send(message(3)).isSent()).isTrue();
    assertThat(proxy.openConnections()).isEqualTo(1);
    g.close();
    Await.await(
        "close() closed the session", () -> proxy.openConnections() == 0, Duration.ofSeconds(10));
    SendResult afterClose = g.send(message(4));
    assertThat(afterClose.isSent()).isFalse();
  }

  @Test
  @DisplayName("the SMTP session settings are checked when built")
  void settingsChecked() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> viaProxy().smtpSessions(0, Duration.ZERO, 0).build())
        .hasMessageContaining("SMTP pool size")
        .hasMessageContaining("SMTP idle timeout")
        .hasMessageContaining("messages per session");
    MailSettings d = viaProxy().build();
    assertThat(d.smtpPoolSize()).isEqualTo(MailSettings.DEFAULT_SMTP_POOL_SIZE);
    assertThat(d.toBuilder().build().smtpMessagesPerSession())
        .isEqualTo(MailSettings.DEFAULT_SMTP_MESSAGES_PER_SESSION);
  }
}
