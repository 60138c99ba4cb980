package com.kontroltravel.oc.pdf.pdfbox.corpus;

import java.time.LocalDate;

/**
 * One test booking and how its confirmation writes each value.
 *
 * @param name short file name stem
 * @param reservationId "ID"
 * @param internalLocator "LOC Interno"
 * @param locator "Localizador"
 * @param agency "Agencia" (may be long enough to wrap)
 * @param status "Estado"
 * @param issueText how "Fecha Emision" is written
 * @param issueDate the issue date it means (null for INMEDIATO)
 * @param hotel hotel name
 * @param checkIn check-in date
 * @param checkOut check-out date
 * @param checkInText how check-in is written
 * @param checkOutText how check-out is written
 * @param rooms rooms
 * @param totalText how the total is written
 * @param totalAmount the total as a two-decimal string
 * @param currency ISO currency
 * @param cancellation cancellation deadline
 * @param cancellationText how the deadline is written
 * @param seed drives baseline offsets and drawing order
 */
public record Booking(
    String name,
    String reservationId,
    String internalLocator,
    String locator,
    String agency,
    String status,
    String issueText,
    LocalDate issueDate,
    String hotel,
    LocalDate checkIn,
    LocalDate checkOut,
    String checkInText,
    String checkOutText,
    int rooms,
    String totalText,
    String totalAmount,
    String currency,
    LocalDate cancellation,
    String cancellationText,
    long seed) {

  int nights() {
    return (int) java.time.temporal.ChronoUnit.DAYS.between(checkIn, checkOut);
  }
}
