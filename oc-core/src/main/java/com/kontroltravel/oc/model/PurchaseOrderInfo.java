package com.kontroltravel.oc.model;

import java.math.BigDecimal;
import java.util.List;

/**
 * A best-effort reading of an agency's purchase-order document. Reading never blocks filing the
 * document.
 *
 * @param ocNumber the OC number, for example {@code 4500123456}, or null
 * @param totalAmount the total, or null
 * @param currency the ISO currency of the total, or null
 * @param references tokens that may name a reservation (ids, locators) found in the text
 * @param text the extracted text (possibly truncated), empty when there is none
 * @param hasTextLayer false for a scanned document with no text layer
 * @param problems what could not be read
 */
public record PurchaseOrderInfo(
    String ocNumber,
    BigDecimal totalAmount,
    String currency,
    List<String> references,
    String text,
    boolean hasTextLayer,
    List<ParseProblem> problems) {

  /** Copies the collections. */
  public PurchaseOrderInfo {
    references = references == null ? List.of() : List.copyOf(references);
    text = text == null ? "" : text;
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  /** Nothing could be read, for the given reason. */
  public static PurchaseOrderInfo unreadable(String reason) {
    return new PurchaseOrderInfo(
        null, null, null, List.of(), "", false, List.of(ParseProblem.document(reason)));
  }

  /**
   * A document that could not be read now (a time-out, an overloaded reader): the engine tries the
   * message again later.
   *
   * @param reason why, for people
   * @return the info, with one {@link ParseProblem.Kind#TRANSIENT} problem
   */
  public static PurchaseOrderInfo unreadableForNow(String reason) {
    return new PurchaseOrderInfo(
        null, null, null, List.of(), "", false, List.of(ParseProblem.transientFailure(reason)));
  }

  /**
   * Whether reading failed for a passing reason.
   *
   * @return true when a problem is {@link ParseProblem.Kind#TRANSIENT}
   */
  public boolean isTransientFailure() {
    return problems.stream().anyMatch(ParseProblem::isTransient);
  }
}
