package com.kontroltravel.oc.model;

/** What a stored document is. */
public enum DocumentKind {
  /** The booking system's confirmation PDF. */
  CONFIRMATION,
  /** An agency's purchase-order document. */
  PURCHASE_ORDER
}
