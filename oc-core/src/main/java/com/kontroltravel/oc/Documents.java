package com.kontroltravel.oc;

import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.DocumentKind;
import com.kontroltravel.oc.model.PurchaseOrderInfo;
import com.kontroltravel.oc.model.StoredDocument;
import com.kontroltravel.oc.spi.ReservationParser;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/** Files documents (confirmations and OCs) in the store, and reads OC documents. */
final class Documents {
  /** Longest original file name kept. */
  static final int MAX_FILE_NAME = 255;

  private final ReservationParser parser;
  private final BusinessCalendar calendar;

  Documents(ReservationParser parser, BusinessCalendar calendar) {
    this.parser = parser;
    this.calendar = calendar;
  }

  /**
   * Stores {@code a} as a document of {@code kind} for a booking ({@code reservationId} null for
   * one waiting in the review queue), named by day, booking and checksum.
   */
  StoredDocument store(UnitOfWork u, String reservationId, DocumentKind kind, Attachment a) {
    String sha = Text.sha256(a.content());
    boolean oc = kind == DocumentKind.PURCHASE_ORDER;
    String id =
        (oc ? "oc-" : "conf-")
            + (reservationId == null ? "review" : Text.safeToken(reservationId))
            + "-"
            + sha.substring(0, 16);
    LocalDate day = calendar.dateOf(u.now);
    String safeName =
        reservationId == null
            ? day.format(DateTimeFormatter.BASIC_ISO_DATE)
                + "_review_"
                + sha.substring(0, 12)
                + ".pdf"
            : Text.documentName(day, reservationId, oc);
    StoredDocument doc =
        new StoredDocument(
            id,
            reservationId,
            kind,
            a.fileName() == null ? null : Text.truncate(Headers.clean(a.fileName()), MAX_FILE_NAME),
            safeName,
            "application/pdf",
            sha,
            a.content().length,
            a.content(),
            u.now);
    u.tx.putDocument(doc);
    return doc;
  }

  /** A best-effort reading of an OC document; null for no document or no parser; never throws. */
  PurchaseOrderInfo readPurchaseOrder(Attachment pdf) {
    if (pdf == null || parser == null) {
      return null;
    }
    try {
      return parser.readPurchaseOrder(pdf.content());
    } catch (RuntimeException e) {
      return PurchaseOrderInfo.unreadableForNow("reader failed: " + e);
    }
  }
}
