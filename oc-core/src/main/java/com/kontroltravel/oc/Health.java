package com.kontroltravel.oc;

import java.time.Instant;
import java.util.Map;

/**
 * Whether the engine can do its work now.
 *
 * @param status UP, or DEGRADED while a component fails (the engine keeps retrying)
 * @param problems the failing components (mailbox, store, sending) and their last error, never a
 *     secret
 * @param checkedAt when this was taken
 */
public record Health(Status status, Map<String, String> problems, Instant checkedAt) {

  /** Overall status. */
  public enum Status {
    /** Everything works. */
    UP,
    /** Something fails; the engine backs off and retries by itself. */
    DEGRADED
  }

  /** Copies the map. */
  public Health {
    problems = Map.copyOf(problems);
  }
}
