package com.kontroltravel.oc.spi;

import com.kontroltravel.oc.model.ParseResult;
import com.kontroltravel.oc.model.PurchaseOrderInfo;

/**
 * Reads booking confirmations (and, as a best effort, purchase-order documents).
 *
 * <p>Implementations are thread safe and never throw on bad input: any byte array, including an
 * empty one, gives a result whose problems say what was wrong. They may throw {@link
 * NullPointerException} for a null argument.
 */
@FunctionalInterface
public interface ReservationParser {

  /**
   * Reads a confirmation document.
   *
   * @param document the document's bytes (not modified)
   * @return the details with per-field provenance, and the problems found; never null
   */
  ParseResult parse(byte[] document);

  /**
   * Reads what can be read from an agency's purchase-order document. Never blocks filing the
   * document: the engine files it whatever this returns. The default reads nothing.
   *
   * @param document the document's bytes (not modified)
   * @return the information read; never null
   */
  default PurchaseOrderInfo readPurchaseOrder(byte[] document) {
    return PurchaseOrderInfo.unreadable("this parser does not read purchase orders");
  }

  /**
   * Prepares the parser so that the first real document is read as fast as later ones (class
   * loading, font caches, thread pools). The engine calls it once when it starts, in the
   * background; a failure is logged and ignored. Does nothing by default.
   */
  default void warmUp() {}
}
