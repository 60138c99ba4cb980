package com.kontroltravel.oc.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kontroltravel.oc.model.FetchBatch;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.MailboxCursor;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.SendResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MailGatewayDefaultsTest {

  /**
   * A gateway that only marks, failing on the Message-IDs that start with "bad". Fetching and
   * sending are abstract in the SPI but outside what these tests exercise; they throw so that a
   * default method reaching them would fail the test.
   */
  static final class Marking implements MailGateway {
    final List<String> marked = new ArrayList<>();

    @Override
    public String mailbox() {
      return "INBOX";
    }

    @Override
    public FetchBatch fetch(MailboxCursor after, int maxMessages) {
      throw new UnsupportedOperationException("markAllProcessed must not fetch");
    }

    @Override
    public SendResult send(OutboundMessage message) {
      throw new UnsupportedOperationException("markAllProcessed must not send");
    }

    @Override
    public void markProcessed(InboundMessage message) {
      if (message.messageId().startsWith("bad")) {
        throw new IllegalStateException("cannot mark " + message.messageId());
      }
      marked.add(message.messageId());
    }
  }

  static InboundMessage message(String id) {
    return InboundMessage.builder().messageId(id).build();
  }

  @Test
  @DisplayName("markAllProcessed marks each message in order by default")
  void marksEach() {
    Marking g = new Marking();
    g.markAllProcessed(List.of(message("a@x"), message("b@x"), message("c@x")));
    assertThat(g.marked).containsExactly("a@x", "b@x", "c@x");
  }

  @Test
  @DisplayName(
      "markAllProcessed goes on past failures and throws the first one, the others suppressed")
  void goesOnPastFailures() {
    Marking g = new Marking();
    assertThatThrownBy(
            () ->
                g.markAllProcessed(
                    List.of(message("bad1@x"), message("a@x"), message("bad2@x"), message("b@x"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot mark bad1@x")
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .extracting(Throwable::getMessage)
                    .containsExactly("cannot mark bad2@x"));
    assertThat(g.marked).containsExactly("a@x", "b@x");
  }
}
