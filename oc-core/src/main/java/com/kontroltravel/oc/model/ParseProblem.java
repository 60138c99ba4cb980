package com.kontroltravel.oc.model;

import java.util.Objects;

/**
 * Something a parser could not read or validate, or read with doubt.
 *
 * @param field the JSON name of the field concerned, or null for the whole document
 * @param message a human-readable reason, in English
 * @param kind whether the value is missing or unreadable, or read but uncertain
 */
public record ParseProblem(String field, String message, Kind kind) {

  /** What kind of problem it is. */
  public enum Kind {
    /** The value (or the document) could not be read or validated. */
    UNREADABLE,
    /**
     * A value was read but may be wrong (word breaks judged from glyph gaps, two readings that
     * disagree): the engine flags the booking for a person before mailing anything about it.
     */
    LOW_CONFIDENCE,
    /**
     * The document could not be read now for a passing reason (the reading timed out, the parser
     * was overloaded or interrupted): the engine tries the message again later instead of
     * quarantining it.
     */
    TRANSIENT
  }

  /** Checks the message; a missing kind is {@link Kind#UNREADABLE}. */
  public ParseProblem {
    Objects.requireNonNull(message, "message == null");
    kind = kind == null ? Kind.UNREADABLE : kind;
  }

  /** An unreadable or invalid value. */
  public ParseProblem(String field, String message) {
    this(field, message, Kind.UNREADABLE);
  }

  /** A problem with the whole document. */
  public static ParseProblem document(String message) {
    return new ParseProblem(null, message);
  }

  /** A value read with doubt. */
  public static ParseProblem lowConfidence(String field, String message) {
    return new ParseProblem(field, message, Kind.LOW_CONFIDENCE);
  }

  /** Whether the document could not be read now but may be later (see {@link Kind#TRANSIENT}). */
  public boolean isTransient() {
    return kind == Kind.TRANSIENT;
  }

  /** A passing failure to read the whole document (try again later). */
  public static ParseProblem transientFailure(String message) {
    return new ParseProblem(null, message, Kind.TRANSIENT);
  }

  /** Whether the value may be wrong (see {@link Kind#LOW_CONFIDENCE}). */
  public boolean isLowConfidence() {
    return kind == Kind.LOW_CONFIDENCE;
  }

  @Override
  public String toString() {
    return field == null ? message : field + ": " + message;
  }
}
