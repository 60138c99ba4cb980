package com.kontroltravel.oc.spring.boot;

import com.kontroltravel.oc.OcEngine;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Actuator's view of {@link OcEngine#health()}: UP, or DOWN while the engine is DEGRADED (it keeps
 * retrying by itself), with each failing component (mailbox, store, sending) and its last error as
 * details (never a secret; Actuator shows details only as configured by {@code
 * management.endpoint.health.show-details}).
 */
public final class OcHealthIndicator implements HealthIndicator {
  private final OcEngine engine;

  /** The indicator of {@code engine}. */
  public OcHealthIndicator(OcEngine engine) {
    this.engine = Objects.requireNonNull(engine, "engine == null");
  }

  @Override
  public Health health() {
    com.kontroltravel.oc.Health h = engine.health();
    Health.Builder b =
        h.status() == com.kontroltravel.oc.Health.Status.UP ? Health.up() : Health.down();
    b.withDetail("engine", h.status().name()).withDetail("checkedAt", h.checkedAt().toString());
    h.problems().forEach(b::withDetail);
    return b.build();
  }
}
