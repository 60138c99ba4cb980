package com.kontroltravel.oc.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link com.kontroltravel.oc.spi.ReservationParser} made of a document.
 *
 * @param details the details read, or null when not even the reservation id could be read
 * @param provenance where each field (by JSON name) came from
 * @param problems what could not be read or validated; empty when all is well
 */
public record ParseResult(
    ReservationDetails details,
    Map<String, FieldProvenance> provenance,
    List<ParseProblem> problems) {

  /** Copies the collections. */
  public ParseResult {
    provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  /** A result with no details and one document-level problem. */
  public static ParseResult failed(String reason) {
    return new ParseResult(null, Map.of(), List.of(ParseProblem.document(reason)));
  }

  /**
   * A result with no details because the document could not be read now (a time-out, an overloaded
   * parser): the engine tries again later rather than quarantining the message.
   */
  public static ParseResult failedForNow(String reason) {
    return new ParseResult(null, Map.of(), List.of(ParseProblem.transientFailure(reason)));
  }

  /** Whether reading failed for a passing reason (see {@link ParseProblem#isTransient()}). */
  public boolean isTransientFailure() {
    return details == null && problems.stream().anyMatch(ParseProblem::isTransient);
  }

  /** The details, when present. */
  public Optional<ReservationDetails> detailsIfPresent() {
    return Optional.ofNullable(details);
  }

  /** True when details are present and nothing was reported. */
  public boolean isClean() {
    return details != null && problems.isEmpty();
  }
}
