package com.kontroltravel.oc;

import com.kontroltravel.oc.model.DocumentKind;
import com.kontroltravel.oc.model.ParseResult;
import com.kontroltravel.oc.model.PurchaseOrderInfo;
import com.kontroltravel.oc.spi.ReservationParser;
import java.time.Duration;

/**
 * The host's parser, telling the listeners how long each reading took and whether it read what it
 * was asked ({@link com.kontroltravel.oc.spi.OcListener#onParse}). The stages call it as they would
 * the parser itself.
 */
final class ListenedParser implements ReservationParser {
  private final ReservationParser parser;
  private final Transactions transactions;

  private ListenedParser(ReservationParser parser, Transactions transactions) {
    this.parser = parser;
    this.transactions = transactions;
  }

  /** {@code parser} told about, or null when it is null. */
  static ReservationParser of(ReservationParser parser, Transactions transactions) {
    return parser == null ? null : new ListenedParser(parser, transactions);
  }

  @Override
  public ParseResult parse(byte[] document) {
    long started = System.nanoTime();
    boolean ok = false;
    try {
      ParseResult r = parser.parse(document);
      ok = r != null && r.details() != null;
      return r;
    } finally {
      tell(DocumentKind.CONFIRMATION, started, ok);
    }
  }

  @Override
  public PurchaseOrderInfo readPurchaseOrder(byte[] document) {
    long started = System.nanoTime();
    boolean ok = false;
    try {
      PurchaseOrderInfo info = parser.readPurchaseOrder(document);
      ok = info != null && info.hasTextLayer();
      return info;
    } finally {
      tell(DocumentKind.PURCHASE_ORDER, started, ok);
    }
  }

  @Override
  public void warmUp() {
    parser.warmUp();
  }

  private void tell(DocumentKind kind, long started, boolean ok) {
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    transactions.tell(l -> l.onParse(kind, took, ok));
  }
}
