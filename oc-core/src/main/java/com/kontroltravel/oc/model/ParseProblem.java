package com.kontroltravel.oc.model;

import java.util.Objects;

/**
 * Something a parser could not read or validate.
 *
 * @param field the JSON name of the field concerned, or null for the whole document
 * @param message a human-readable reason, in English
 */
public record ParseProblem(String field, String message) {
  /** Checks the message. */
  public ParseProblem {
    Objects.requireNonNull(message, "message == null");
  }

  /** A problem with the whole document. */
  public static ParseProblem document(String message) {
    return new ParseProblem(null, message);
  }

  @Override
  public String toString() {
    return field == null ? message : field + ": " + message;
  }
}
