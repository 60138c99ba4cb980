package com.kontroltravel.oc.exception;

/** An operation named a reservation the store does not hold. */
public class ReservationNotFoundException extends OcException {
  private static final long serialVersionUID = 1L;

  /** For the given reservation id. */
  public ReservationNotFoundException(String reservationId) {
    super("no reservation with id " + reservationId);
  }
}
