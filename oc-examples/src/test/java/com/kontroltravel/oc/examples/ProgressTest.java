package com.kontroltravel.oc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  @DisplayName("a terminal gets one bar redrawn in place; a pipe gets a plain line per tenth")
  void barOrLines() {
    StringWriter tty = new StringWriter();
    Progress bar = new Progress(new PrintWriter(tty), true, "importing", 4);
    for (int i = 1; i <= 4; i++) {
      bar.update(i, "row " + i);
    }
    bar.finish();
    assertThat(tty.toString()).contains("\r").contains("[###############...............]  50%");
    assertThat(tty.toString()).contains("100% row 4").endsWith(System.lineSeparator());
    assertThat(tty.toString().chars().filter(c -> c == '\n').count()).isEqualTo(1);

    StringWriter pipe = new StringWriter();
    Progress plain = new Progress(new PrintWriter(pipe), false, "importing", 100);
    for (int i = 1; i <= 100; i++) {
      plain.update(i, "row " + i);
    }
    assertThat(pipe.toString()).doesNotContain("\r").doesNotContain("\u001b");
    assertThat(pipe.toString().lines().toList())
        .hasSize(10)
        .first()
        .isEqualTo("importing: 10/100 (10%) row 10");
  }
}
