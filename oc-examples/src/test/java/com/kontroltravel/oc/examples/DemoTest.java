package com.kontroltravel.oc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.model.TrackingState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's scenario end to end: real GreenMail, SQLite, PDFBox, Jakarta Mail, engine. */
class DemoTest {
  @TempDir Path dir;

  @Test
  @DisplayName("the demo plays twelve bookings over two weeks and each ends as its scenario says")
  void demoEndsAsExpected() throws Exception {
    StringWriter text = new StringWriter();
    List<Demo.Row> rows = new Demo(new PrintWriter(text, true), false, dir).run();
    assertThat(rows).hasSize(12);
    for (Demo.Row r : rows) {
      assertThat(r.state()).as("%s (%s)", r.id(), r.scenario()).isEqualTo(r.scenario().expected);
    }
    Demo.Row afterReminder =
        rows.stream()
            .filter(r -> r.scenario() == Demo.Scenario.AFTER_REMINDER_1)
            .findFirst()
            .orElseThrow();
    assertThat(afterReminder.sent()).containsExactly("request", "reminder-1", "acknowledgement");
    assertThat(afterReminder.oc()).isNotBlank();
    Demo.Row never =
        rows.stream().filter(r -> r.scenario() == Demo.Scenario.NEVER).findFirst().orElseThrow();
    assertThat(never.sent()).containsExactly("request", "reminder-1", "reminder-2", "reminder-3");
    assertThat(rows.stream().filter(r -> r.state() == TrackingState.NOT_REQUIRED))
        .allMatch(r -> r.sent().isEmpty());
    String out = text.toString();
    assertThat(out)
        .contains("Mon 08 Dec (holiday)")
        .contains("MESSAGES SENT")
        .contains("Timeline of booking " + afterReminder.id())
        .contains("OC_RECEIVED")
        .contains("12 of 12 bookings ended as expected")
        .doesNotContain("no coincide")
        .doesNotContain("\r");
    assertThat(dir.resolve("oc_seguimiento.db")).exists();
  }
}
