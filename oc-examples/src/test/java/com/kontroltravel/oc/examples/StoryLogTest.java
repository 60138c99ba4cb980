package com.kontroltravel.oc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcOperations;
import com.kontroltravel.oc.model.EventKind;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.OutboxStatus;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.store.jdbc.JdbcStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The log tells the story of a demo-sized run: the test reads the story logger's lines and checks
 * them against what the store says happened (every booking's intake, every message sent, every
 * state change), so the log cannot drift from the engine's record.
 */
class StoryLogTest {
  @TempDir Path dir;
  ListAppender<ILoggingEvent> lines;
  Logger story;
  Level before;

  @BeforeEach
  void capture() {
    story = (Logger) LoggerFactory.getLogger("com.kontroltravel.oc.story");
    before = story.getLevel();
    story.setLevel(Level.INFO);
    lines = new ListAppender<>();
    lines.start();
    story.addAppender(lines);
  }

  @AfterEach
  void release() {
    story.detachAppender(lines);
    story.setLevel(before);
  }

  @Test
  @DisplayName(
      "a demo run's log names every booking's intake, every message sent and every state change,"
          + " with the booking id and the Message-ID")
  void demoLogTellsTheStory() throws Exception {
    List<Demo.Row> rows = new Demo(new PrintWriter(new StringWriter(), true), false, dir).run();
    assertThat(rows).hasSize(12);
    String log =
        lines.list.stream()
            .map(ILoggingEvent::getFormattedMessage)
            .collect(Collectors.joining("\n"));
    assertThat(log).doesNotContain("\r");
    // The demo's agencies send OCs for the booking's total: no amount is flagged.
    assertThat(log).doesNotContain("OC_AMOUNT_MISMATCH").doesNotContain("no coincide");

    try (JdbcStore store = JdbcStore.sqlite(dir.resolve("oc_seguimiento.db"))) {
      OcOperations ops =
          OcOperations.create(
              store, OcConfig.builder().mailboxAddress("seguimiento@kontrol.test").build());
      List<InboundRecord> confirmations = ops.inbound(InboundOutcome.CONFIRMATION, null, 1000);
      assertThat(confirmations).isNotEmpty();
      for (InboundRecord r : confirmations) {
        assertThat(log)
            .as("intake of %s", r.messageId())
            .contains(
                "inbound <"
                    + r.messageId()
                    + "> from "
                    + r.from()
                    + ": CONFIRMATION (booking "
                    + r.reservationId()
                    + ")");
      }
      int sent = 0;
      int changes = 0;
      for (Demo.Row row : rows) {
        assertThat(log).as("intake of booking %s", row.id()).contains("(booking " + row.id() + ")");
        for (OutboxMessage m : ops.messages(row.id())) {
          if (m.status() == OutboxStatus.SENT) {
            sent++;
            assertThat(log)
                .as("send of %s", m.messageId())
                .contains("booking " + row.id() + " message sent: ")
                .contains("(Message-ID " + m.messageId() + ")");
          }
        }
        for (TimelineEvent e : ops.timeline(row.id())) {
          if (e.kind() == EventKind.STATE_CHANGED || e.kind() == EventKind.TRACKED) {
            changes++;
            assertThat(log)
                .as("%s of booking %s", e.kind(), row.id())
                .contains(
                    "booking "
                        + row.id()
                        + " "
                        + e.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                        + ": "
                        + e.detail());
          }
        }
      }
      assertThat(sent).isGreaterThanOrEqualTo(20);
      assertThat(changes).isGreaterThanOrEqualTo(12);
    }
    // Each line carries the booking as a key-value pair for structured logs.
    assertThat(lines.list)
        .filteredOn(e -> e.getFormattedMessage().startsWith("booking "))
        .allSatisfy(
            e ->
                assertThat(e.getKeyValuePairs())
                    .anySatisfy(kv -> assertThat(kv.key).isEqualTo("booking")));
  }
}
