package com.kontroltravel.oc.exception;

import java.util.List;

/**
 * The engine's configuration is invalid; {@link #problems()} lists every problem found, not just
 * the first.
 */
public class ConfigurationException extends OcException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  /** An exception listing {@code problems}. */
  public ConfigurationException(List<String> problems) {
    super("invalid configuration: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found. */
  public List<String> problems() {
    return problems;
  }
}
