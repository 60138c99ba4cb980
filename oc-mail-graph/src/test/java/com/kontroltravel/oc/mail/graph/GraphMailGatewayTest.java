package com.kontroltravel.oc.mail.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.exception.MailAccessException;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.FetchBatch;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.MailboxCursor;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.SendResult;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.store.memory.InMemoryStore;
import com.kontroltravel.oc.testkit.mail.TestMails;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GraphMailGatewayTest {
  private GraphStub stub;
  private GraphMailGateway gateway;

  @BeforeEach
  void start() throws Exception {
    stub = new GraphStub();
    gateway = GraphMailGateway.create(GraphTestSupport.settings(stub).build());
  }

  @AfterEach
  void stop() {
    gateway.close();
    stub.close();
  }

  private static int counter;

  private static InboundMessage mail(String tag) {
    int n = ++counter;
    return InboundMessage.builder()
        .messageId("graph-" + tag + "-" + n + "." + System.nanoTime() + "@booking.example")
        .from("reservas@booking.example")
        .subject("Confirmación " + tag + " " + n)
        .textBody("texto " + n)
        .date(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .attachment(
            Attachment.pdf("r" + n + ".pdf", ("%PDF-1.4 " + n).getBytes(StandardCharsets.US_ASCII)))
        .build();
  }

  private List<String> deliver(int count, String tag) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      InboundMessage m = mail(tag);
      stub.deliver(TestMails.to(GraphStub.MAILBOX).raw(m));
      ids.add(m.messageId());
    }
    return ids;
  }

  /**
   * What the engine does (Workflow.intake): fetch from the saved cursor until hasMore is false,
   * keep the cursor after each batch, record each Message-ID once; a MailAccessException leaves the
   * cursor where it was and the next round tries again. Bounded in rounds.
   */
  private static final class SimulatedEngine {
    final MailGateway gateway;
    MailboxCursor cursor;
    final List<String> handedOut = new ArrayList<>();
    final Set<String> recorded = new HashSet<>();
    int failures;

    SimulatedEngine(MailGateway gateway) {
      this.gateway = gateway;
    }

    int intake() {
      int fresh = 0;
      for (int round = 0; round < 50; round++) {
        FetchBatch b;
        try {
          b = gateway.fetch(cursor, 3);
        } catch (MailAccessException e) {
          failures++;
          continue;
        }
        for (InboundMessage m : b.messages()) {
          handedOut.add(m.messageId());
          if (recorded.add(m.dedupKey())) {
            fresh++;
          }
        }
        cursor = b.cursor();
        if (!b.hasMore()) {
          return fresh;
        }
      }
      throw new AssertionError("intake did not finish in 50 rounds");
    }
  }

  @Test
  @DisplayName(
      "delta paging: nextLink pages to the deltaLink, which the next fetch follows; the read flag"
          + " and changes to known messages play no part")
  void deltaPaging() {
    List<String> first = deliver(5, "page");
    FetchBatch all = gateway.fetch(null, 100);
    assertThat(all.messages())
        .extracting(InboundMessage::messageId)
        .containsExactlyElementsOf(first);
    assertThat(all.hasMore()).isFalse();

    List<GraphStub.Call> delta = stub.calls("GET", "/messages/delta");
    assertThat(delta).hasSize(3); // 2 + 2 + 1 with odata.maxpagesize=2
    assertThat(delta.get(0).path())
        .isEqualTo("/v1.0/users/" + GraphStub.MAILBOX + "/mailFolders/Inbox/messages/delta");
    assertThat(delta.get(0).query()).isEqualTo("$select=id");
    assertThat(delta.get(0).headers().get("Prefer"))
        .containsExactly("IdType=\"ImmutableId\", odata.maxpagesize=2");
    assertThat(delta.get(1).query()).startsWith("$skiptoken=");
    assertThat(delta.get(2).query()).startsWith("$skiptoken=");
    assertThat(stub.calls("GET", "/$value")).hasSize(5);

    // A person reads one message and deletes another; two new messages arrive.
    List<String> graphIds = new ArrayList<>();
    stub.calls("GET", "/$value").forEach(c -> graphIds.add(c.path()));
    stub.touch(idFromValuePath(graphIds.get(0)));
    stub.delete(idFromValuePath(graphIds.get(1)));
    List<String> more = deliver(2, "later");
    FetchBatch next = gateway.fetch(all.cursor(), 100);
    assertThat(next.messages())
        .extracting(InboundMessage::messageId)
        .containsExactlyElementsOf(more);
    List<GraphStub.Call> after = stub.calls("GET", "/messages/delta");
    assertThat(after.get(3).query()).startsWith("$deltatoken=");
    assertThat(next.messages().get(0).position().uid()).isGreaterThan(all.cursor().uid());
    assertThat(stub.calls("PATCH", "/")).as("never marks anything read").isEmpty();
    assertThat(stub.calls("GET", "/$value")).as("no second download of a known message").hasSize(7);
  }

  private static String idFromValuePath(String path) {
    String id =
        path.substring(
            path.indexOf("/messages/") + "/messages/".length(), path.length() - "/$value".length());
    return java.net.URLDecoder.decode(id, StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("a burst of 429s with Retry-After delays intake but loses and repeats nothing")
  void throttlingBurst() {
    List<String> delivered = deliver(7, "burst");
    stub.failNext(3, 429, "1", "/$value");
    long start = System.nanoTime();
    SimulatedEngine engine = new SimulatedEngine(gateway);
    engine.intake();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took)
        .as("Retry-After: 1 honoured three times")
        .isGreaterThanOrEqualTo(Duration.ofMillis(2900));
    assertThat(engine.handedOut).containsExactlyElementsOf(delivered);
    assertThat(stub.calls("GET", "/$value").stream().filter(c -> c.status() == 429)).hasSize(3);

    // A burst longer than the retries fails the fetch; the engine's next rounds pick up from its
    // cursor and still take every message in exactly once.
    List<String> more = deliver(5, "burst2");
    stub.failNext(6, 429, "0", "/messages/");
    engine.intake();
    assertThat(engine.failures).isGreaterThanOrEqualTo(1);
    List<String> all = new ArrayList<>(delivered);
    all.addAll(more);
    assertThat(engine.handedOut).containsExactlyElementsOf(all);
    assertThat(engine.recorded).hasSize(12);
  }

  @Test
  @DisplayName("a delta page that keeps failing fails the fetch; the next one resumes the round")
  void pageFailureMidRound() {
    List<String> first = deliver(2, "mid");
    SimulatedEngine engine = new SimulatedEngine(gateway);
    engine.intake();
    List<String> more = deliver(5, "mid2");
    stub.failNext(4, 503, "0", "$skiptoken");
    assertThat(
            catchThrowableOfType(
                MailAccessException.class, () -> gateway.fetch(engine.cursor, 100)))
        .hasMessageContaining("503");
    engine.intake();
    List<String> all = new ArrayList<>(first);
    all.addAll(more);
    assertThat(engine.handedOut).containsExactlyElementsOf(all);
  }

  @Test
  @DisplayName("an expired access token (401) is refreshed once and the call goes through")
  void expiredToken() {
    deliver(1, "tok");
    FetchBatch first = gateway.fetch(null, 10);
    assertThat(first.messages()).hasSize(1);
    assertThat(stub.tokensIssued()).isEqualTo(1);
    stub.expireAccessTokens();
    List<String> more = deliver(1, "tok");
    FetchBatch b = gateway.fetch(first.cursor(), 10);
    assertThat(b.messages()).extracting(InboundMessage::messageId).containsExactlyElementsOf(more);
    assertThat(stub.tokensIssued()).isEqualTo(2);
    assertThat(stub.calls("GET", "/messages/delta").stream().filter(c -> c.status() == 401))
        .hasSize(1);

    stub.expireAccessTokens();
    SendResult r =
        gateway.send(TestMails.simpleOutbound("tok-send." + System.nanoTime() + "@oc.example"));
    assertThat(r.isSent()).as(r.detail()).isTrue();
    assertThat(stub.tokensIssued()).isEqualTo(3);
    assertThat(stub.sentMime).hasSize(1);
  }

  @Test
  @DisplayName(
      "a stale delta link (410 syncStateNotFound) starts a new round; known messages are skipped"
          + " here, and after a restart by the engine's Message-ID check")
  void staleDeltaLink() {
    List<String> old = deliver(3, "stale");
    SimulatedEngine engine = new SimulatedEngine(gateway);
    engine.intake();
    assertThat(engine.handedOut).containsExactlyElementsOf(old);

    List<String> fresh = deliver(2, "fresh");
    stub.expireDeltaLinks();
    assertThat(engine.intake()).isEqualTo(2);
    assertThat(stub.calls("GET", "/messages/delta").stream().filter(c -> c.status() == 410))
        .hasSize(1);
    List<String> expected = new ArrayList<>(old);
    expected.addAll(fresh);
    assertThat(engine.handedOut)
        .as("nothing lost, nothing repeated")
        .containsExactlyElementsOf(expected);

    // Expired tokens may also answer 400 syncStateNotFound.
    List<String> third = deliver(1, "third");
    stub.expireDeltaLinks(400);
    assertThat(engine.intake()).isEqualTo(1);
    expected.addAll(third);
    assertThat(engine.handedOut).containsExactlyElementsOf(expected);

    // A restart whose stored delta link has gone stale meanwhile: the new gateway starts a new
    // round over the whole folder, and the engine records nothing twice.
    stub.expireDeltaLinks();
    try (GraphMailGateway restarted = GraphMailGateway.create(gateway.settings())) {
      SimulatedEngine again = new SimulatedEngine(restarted);
      again.cursor = engine.cursor;
      again.recorded.addAll(engine.recorded);
      List<String> late = deliver(1, "late");
      int stale = staleAnswers();
      assertThat(again.intake()).as("only the new message is new to the engine").isEqualTo(1);
      assertThat(staleAnswers()).as("the stored link was tried, then dropped").isEqualTo(stale + 1);
      assertThat(again.handedOut).containsAll(late).containsAll(expected);
    }
  }

  private int staleAnswers() {
    return (int)
        stub.calls("GET", "/messages/delta").stream().filter(c -> c.status() == 410).count();
  }

  /** Saves a cursor in a store and reads it back, as the engine does across a restart. */
  private static MailboxCursor throughStore(InMemoryStore store, MailboxCursor c) {
    store.inTransaction(
        tx -> {
          tx.putCursor(c);
          return null;
        });
    return store.inTransaction(tx -> tx.cursor(c.mailbox())).orElseThrow();
  }

  @Test
  @DisplayName(
      "a restart resumes from the delta link in the stored cursor: only new messages are listed"
          + " and downloaded; a restart inside a round reads that round again, not the folder")
  void restartResumesFromStoredDeltaLink() {
    InMemoryStore store = InMemoryStore.create();
    List<String> old = deliver(5, "before");
    SimulatedEngine engine = new SimulatedEngine(gateway);
    engine.intake();
    assertThat(engine.handedOut).containsExactlyElementsOf(old);
    assertThat(engine.cursor.syncState())
        .as("a complete round: the cursor carries its delta link")
        .startsWith(GraphMailGateway.SYNC_STATE_PREFIX)
        .contains("$deltatoken=");
    MailboxCursor saved = throughStore(store, engine.cursor);
    gateway.close();

    // Process 2: a new gateway instance, the cursor from the store.
    List<String> fresh = deliver(2, "after");
    int downloads = stub.calls("GET", "/$value").size();
    int deltaCalls = stub.calls("GET", "/messages/delta").size();
    List<String> burst;
    try (GraphMailGateway second = GraphMailGateway.create(gateway.settings())) {
      SimulatedEngine again = new SimulatedEngine(second);
      again.cursor = saved;
      again.intake();
      assertThat(again.handedOut).as("only the new messages").containsExactlyElementsOf(fresh);
      assertThat(stub.calls("GET", "/$value")).hasSize(downloads + 2);
      List<GraphStub.Call> delta = stub.calls("GET", "/messages/delta");
      assertThat(delta.get(deltaCalls).query())
          .as("resumed from the stored delta link, not the whole folder")
          .startsWith("$deltatoken=");
      saved = throughStore(store, again.cursor);

      // Seven more arrive; this process stops after handing out three of them (mid-round).
      burst = deliver(7, "burst");
      FetchBatch part = second.fetch(saved, 3);
      assertThat(part.messages())
          .extracting(InboundMessage::messageId)
          .containsExactlyElementsOf(burst.subList(0, 3));
      assertThat(part.hasMore()).isTrue();
      // The engine stores each message's position, then the batch cursor; a crash may leave
      // either. Both name the round's start, never the whole folder.
      MailboxCursor position = part.messages().get(1).position();
      assertThat(position.syncState()).isEqualTo(part.cursor().syncState());
      saved = throughStore(store, part.cursor());
    }

    // Process 3, after a crash mid-round: that round is read again (the engine skips the three
    // it recorded), nothing older is downloaded again.
    downloads = stub.calls("GET", "/$value").size();
    try (GraphMailGateway third = GraphMailGateway.create(gateway.settings())) {
      SimulatedEngine again = new SimulatedEngine(third);
      again.cursor = saved;
      again.intake();
      assertThat(again.handedOut).containsExactlyElementsOf(burst);
      assertThat(stub.calls("GET", "/$value")).hasSize(downloads + 7);

      // A cursor naming another host is not followed (the token stays with Graph): full read.
      MailboxCursor forged =
          new MailboxCursor(
              saved.mailbox(),
              saved.uidValidity(),
              saved.uid(),
              GraphMailGateway.SYNC_STATE_PREFIX
                  + "https://evil.example/v1.0/users/x/mailFolders/Inbox/messages/delta");
      int before = stub.calls("GET", "/messages/delta").size();
      try (GraphMailGateway fourth = GraphMailGateway.create(gateway.settings())) {
        FetchBatch b = fourth.fetch(forged, 100);
        assertThat(b.messages()).hasSize(old.size() + fresh.size() + 7);
        assertThat(stub.calls("GET", "/messages/delta").get(before).query())
            .isEqualTo("$select=id");
      }
    }
  }

  @Test
  @DisplayName(
      "sendMail carries the engine's Message-ID, In-Reply-To, References and Reply-To byte for byte;"
          + " findSent finds the Sent Items copy")
  void headersUnchanged() {
    String id = "oc-45215412-reminder-2." + System.nanoTime() + "@oc.kontroltravel.example";
    OutboundMessage out =
        new OutboundMessage(
            id,
            "oc@kontroltravel.example",
            List.of("compras@agencia.example"),
            List.of("finanzas@kontroltravel.example"),
            "Recordatorio – reserva 45215412",
            "Estimados:\nLes recordamos la orden de compra.",
            "<p>Estimados</p>",
            "oc-45215412-request@oc.kontroltravel.example",
            List.of(
                "conf-45215412@booking.example", "oc-45215412-request@oc.kontroltravel.example"),
            List.of());
    SendResult r = gateway.send(out);
    assertThat(r.isSent()).as(r.detail()).isTrue();
    assertThat(r.detail()).contains("202");
    GraphStub.Call call = stub.calls("POST", "/sendMail").get(0);
    assertThat(call.headers().get("Content-type")).containsExactly("text/plain");
    String raw = new String(stub.sentMime.get(0), StandardCharsets.US_ASCII);
    String headers =
        "\r\n" + raw.substring(0, raw.indexOf("\r\n\r\n") + 2).replaceAll("\r\n[ \t]+", " ");
    assertThat(headers).contains("\r\nMessage-ID: <" + id + ">\r\n");
    assertThat(headers)
        .contains("\r\nIn-Reply-To: <oc-45215412-request@oc.kontroltravel.example>\r\n");
    assertThat(headers)
        .contains(
            "\r\nReferences: <conf-45215412@booking.example> <oc-45215412-request@oc.kontroltravel.example>");
    assertThat(headers).contains("\r\nReply-To: oc@kontroltravel.example\r\n");
    assertThat(headers).contains("\r\nAuto-Submitted: auto-generated\r\n");
    assertThat(TestMails.to(GraphStub.MAILBOX).toOutbound(stub.sentMime.get(0)).cc())
        .containsExactly("finanzas@kontroltravel.example");

    assertThat(gateway.findSent(id)).isEqualTo(MailGateway.SentCheck.SENT);
    assertThat(gateway.findSent("<" + id + ">")).isEqualTo(MailGateway.SentCheck.SENT);
    assertThat(gateway.findSent("never-sent@oc.example")).isEqualTo(MailGateway.SentCheck.NOT_SENT);
    stub.keepSentCopies(false);
    String id2 = "no-copy." + System.nanoTime() + "@oc.example";
    assertThat(gateway.send(TestMails.simpleOutbound(id2)).isSent()).isTrue();
    assertThat(gateway.findSent(id2))
        .as("a mailbox that keeps no copy")
        .isEqualTo(MailGateway.SentCheck.NOT_SENT);
    try (GraphMailGateway noCheck =
        GraphMailGateway.create(gateway.settings().toBuilder().checkSentItems(false).build())) {
      assertThat(noCheck.findSent(id)).isEqualTo(MailGateway.SentCheck.UNKNOWN);
    }
  }

  @Test
  @DisplayName(
      "send failures: 429/503 retried after Retry-After and sent once; other 5xx transient at once;"
          + " 4xx permanent with Graph's error code")
  void sendFailures() {
    stub.failNext(2, 429, "0", "/sendMail");
    assertThat(
            gateway
                .send(TestMails.simpleOutbound("a." + System.nanoTime() + "@oc.example"))
                .isSent())
        .isTrue();
    assertThat(stub.sentMime).hasSize(1);

    stub.failNext(1, 503, "0", "/sendMail");
    assertThat(
            gateway
                .send(TestMails.simpleOutbound("b." + System.nanoTime() + "@oc.example"))
                .isSent())
        .isTrue();
    assertThat(stub.sentMime).hasSize(2);

    stub.failNext(1, 500, null, "/sendMail");
    SendResult fiveHundred =
        gateway.send(TestMails.simpleOutbound("c." + System.nanoTime() + "@oc.example"));
    assertThat(fiveHundred.status()).isEqualTo(SendResult.Status.TRANSIENT_FAILURE);
    assertThat(fiveHundred.detail()).contains("500").contains("ServiceUnavailable");
    assertThat(stub.calls("POST", "/sendMail").stream().filter(c -> c.status() == 500)).hasSize(1);

    stub.failNext(1, 429, "3600", "/sendMail");
    SendResult longWait =
        gateway.send(TestMails.simpleOutbound("d." + System.nanoTime() + "@oc.example"));
    assertThat(longWait.status()).isEqualTo(SendResult.Status.TRANSIENT_FAILURE);
    assertThat(longWait.detail())
        .contains("429")
        .contains("TooManyRequests")
        .contains("Retry-After");

    stub.rejectRecipient("compras@agencia.example");
    SendResult rejected =
        gateway.send(TestMails.simpleOutbound("e." + System.nanoTime() + "@oc.example"));
    assertThat(rejected.status()).isEqualTo(SendResult.Status.PERMANENT_FAILURE);
    assertThat(rejected.detail()).contains("400").contains("ErrorInvalidRecipients");
    assertThat(stub.sentMime).hasSize(2);
  }

  @Test
  @DisplayName(
      "a wrong mailbox fails the fetch with Graph's code; no secret or token in any message")
  void readFailuresAndSecrets() {
    try (GraphMailGateway wrong =
        GraphMailGateway.create(
            GraphTestSupport.settings(stub).mailbox("nobody@kontroltravel.example").build())) {
      MailAccessException e =
          catchThrowableOfType(MailAccessException.class, () -> wrong.fetch(null, 5));
      assertThat(e.getMessage()).contains("404").contains("ErrorInvalidUser");
      assertThat(e.getMessage())
          .doesNotContain(GraphStub.CLIENT_SECRET)
          .doesNotContain("graph-token");
      assertThat(wrong.toString() + wrong.settings()).doesNotContain(GraphStub.CLIENT_SECRET);
    }
    stub.failNext(10, 503, "0", "/messages/delta");
    MailAccessException busy =
        catchThrowableOfType(MailAccessException.class, () -> gateway.fetch(null, 5));
    assertThat(busy.getMessage()).contains("503");
    assertThat(stub.calls("GET", "/messages/delta")).hasSize(4 + 1);
  }

  @Test
  @DisplayName(
      "a message above the size limit is recorded as too large with its Graph properties; one gone"
          + " before its download is skipped")
  void tooLargeAndVanished() {
    List<String> ids = deliver(1, "big");
    try (GraphMailGateway small =
        GraphMailGateway.create(GraphTestSupport.settings(stub).maxMessageSize(200).build())) {
      FetchBatch b = small.fetch(null, 10);
      assertThat(b.messages()).hasSize(1);
      InboundMessage m = b.messages().get(0);
      assertThat(m.messageId()).isEqualTo(ids.get(0));
      assertThat(m.from()).isEqualTo("reservas@booking.example");
      assertThat(m.problems()).singleElement().asString().startsWith("too large");
      assertThat(m.attachments()).isEmpty();
    }
    String graphId = stub.deliver(TestMails.to(GraphStub.MAILBOX).raw(mail("gone")));
    List<String> kept = deliver(1, "kept");
    stub.vanish(graphId);
    FetchBatch b = gateway.fetch(null, 10);
    assertThat(b.messages())
        .extracting(InboundMessage::messageId)
        .containsExactly(ids.get(0), kept.get(0));
    assertThat(b.cursor().uid()).isEqualTo(b.messages().get(1).position().uid());
  }

  @Test
  @DisplayName("settings: https only (http to loopback for tests), every problem listed at once")
  void settings() {
    assertThatThrownBy(
            () ->
                GraphSettings.builder()
                    .mailbox("oc@x.example")
                    .tokens(r -> "t")
                    .baseUrl(URI.create("http://graph.example.com/v1.0"))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("https");
    assertThatThrownBy(() -> GraphSettings.builder().pageSize(0).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("mailbox")
        .hasMessageContaining("token")
        .hasMessageContaining("pageSize");
    GraphSettings s =
        GraphSettings.builder()
            .mailbox("oc@x.example")
            .clientCredentials("t", "c", "s3cr3t")
            .build();
    assertThat(s.folder()).isEqualTo("Inbox");
    assertThat(s.baseUrl()).hasToString("https://graph.microsoft.com/v1.0");
    assertThat(s.toString()).doesNotContain("s3cr3t");
    assertThat(GraphMailGateway.create(s).mailbox()).isEqualTo("graph://oc@x.example/Inbox");
  }
}
