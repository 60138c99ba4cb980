package com.kontroltravel.oc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The runner's default node id survives a restart, so the engine takes back its own claims. */
class NodeIdTest {
  static String nodeId(Map<String, String> env) {
    return RunnerSettings.of(env).ocConfig("oc@localhost.invalid").nodeId();
  }

  @Test
  @DisplayName("the default node id is stable per host and database, and OC_NODE_ID overrides it")
  void stableNodeId() {
    Map<String, String> pg =
        Map.of("DATABASE_URL", "jdbc:postgresql://db:5432/oc?user=oc&password=a");
    assertThat(nodeId(pg)).isEqualTo(nodeId(pg)).doesNotStartWith("node-");
    assertThat(nodeId(Map.of("DATABASE_URL", "jdbc:postgresql://db:5432/oc?user=oc&password=b")))
        .as("a new password is the same database")
        .isEqualTo(nodeId(pg));
    assertThat(nodeId(Map.of("DATABASE_URL", "jdbc:postgresql://db:5432/other")))
        .isNotEqualTo(nodeId(pg));
    assertThat(nodeId(Map.of("OC_NODE_ID", "ops-1"))).isEqualTo("ops-1");
  }
}
