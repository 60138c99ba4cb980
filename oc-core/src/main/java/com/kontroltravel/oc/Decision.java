package com.kontroltravel.oc;

import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.ParseProblem;
import com.kontroltravel.oc.model.PurchaseOrderInfo;
import com.kontroltravel.oc.model.ReservationDetails;
import java.util.List;

/** What the {@link Classifier} made of an inbound message, before its unit of work acts on it. */
final class Decision {
  final InboundOutcome outcome;
  final String reason;
  String reservationId;
  ReservationDetails details;
  Attachment pdf;
  List<ParseProblem> parseProblems = List.of();
  PurchaseOrderInfo ocInfo;

  /** A note for the booking's timeline (a reply without a document, say). */
  String note;

  private Decision(InboundOutcome outcome, String reason) {
    this.outcome = outcome;
    this.reason = reason;
  }

  static Decision of(InboundOutcome outcome, String reason) {
    return new Decision(outcome, reason);
  }

  Decision about(String reservationId) {
    this.reservationId = reservationId;
    return this;
  }
}
