package com.kontroltravel.oc.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kontroltravel.oc.exception.ConfigurationException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineLockTest {
  @TempDir Path dir;

  @Test
  @DisplayName("a second runner on the same SQLite file is refused with a clear message")
  void oneEnginePerSqliteFile() {
    RunnerSettings s =
        RunnerSettings.of(Map.of("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("oc.db")));
    try (EngineLock first = EngineLock.acquire(s)) {
      assertThatThrownBy(() -> EngineLock.acquire(s))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("another oc-runner is running on")
          .hasMessageContaining("oc.db");
    }
    try (EngineLock again = EngineLock.acquire(s)) {
      assertThat(dir.resolve("oc.db.engine.lock")).exists();
    }
    RunnerSettings pg = RunnerSettings.of(Map.of("DATABASE_URL", "jdbc:postgresql://db/oc"));
    try (EngineLock a = EngineLock.acquire(pg);
        EngineLock b = EngineLock.acquire(pg)) {
      assertThat(a).isNotSameAs(b); // PostgreSQL: several engines, no lock
    }
  }
}
