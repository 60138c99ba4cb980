package com.kontroltravel.oc.model;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What a booking confirmation says about a reservation. Every value except {@code reservationId}
 * may be null when the document did not carry it.
 *
 * @param reservationId the booking's primary key ("ID"), digits
 * @param internalLocator "LOC Interno"
 * @param locator "Localizador"
 * @param agencyName the agency as written on the document
 * @param status the booking status word ("Reservado", "Cancelado", ...)
 * @param issueDate "Fecha Emision", null for "INMEDIATO"
 * @param hotelName the hotel
 * @param checkIn check-in date
 * @param checkOut check-out date
 * @param nights number of nights
 * @param rooms number of rooms
 * @param totalAmount exact total
 * @param currency ISO 4217 code of the total
 * @param cancellationDeadline last day to cancel without penalty
 */
public record ReservationDetails(
    String reservationId,
    String internalLocator,
    String locator,
    String agencyName,
    String status,
    LocalDate issueDate,
    String hotelName,
    LocalDate checkIn,
    LocalDate checkOut,
    Integer nights,
    Integer rooms,
    BigDecimal totalAmount,
    String currency,
    LocalDate cancellationDeadline) {

  private static final Set<String> CANCELLED_WORDS =
      Set.of("cancelado", "cancelada", "anulado", "anulada", "cancelled", "canceled", "void");

  /** Checks the reservation id. */
  public ReservationDetails {
    Objects.requireNonNull(reservationId, "reservationId == null");
    if (reservationId.isBlank()) {
      throw new IllegalArgumentException("reservationId is blank");
    }
  }

  /** True when the booking status says the booking is cancelled or void. */
  public boolean isCancelled() {
    if (status == null) {
      return false;
    }
    String s =
        Normalizer.normalize(status, Normalizer.Form.NFD)
            .replaceAll("\\p{M}", "")
            .trim()
            .toLowerCase(Locale.ROOT);
    return CANCELLED_WORDS.contains(s);
  }

  /** A builder starting from nothing. */
  public static Builder builder(String reservationId) {
    return new Builder().reservationId(reservationId);
  }

  /** A builder starting from these details. */
  public Builder toBuilder() {
    return new Builder()
        .reservationId(reservationId)
        .internalLocator(internalLocator)
        .locator(locator)
        .agencyName(agencyName)
        .status(status)
        .issueDate(issueDate)
        .hotelName(hotelName)
        .checkIn(checkIn)
        .checkOut(checkOut)
        .nights(nights)
        .rooms(rooms)
        .totalAmount(totalAmount)
        .currency(currency)
        .cancellationDeadline(cancellationDeadline);
  }

  /** Builds {@link ReservationDetails}; not thread safe. */
  public static final class Builder {
    private String reservationId;
    private String internalLocator;
    private String locator;
    private String agencyName;
    private String status;
    private LocalDate issueDate;
    private String hotelName;
    private LocalDate checkIn;
    private LocalDate checkOut;
    private Integer nights;
    private Integer rooms;
    private BigDecimal totalAmount;
    private String currency;
    private LocalDate cancellationDeadline;

    private Builder() {}

    /** Sets {@code reservationId}. */
    public Builder reservationId(String v) {
      reservationId = v;
      return this;
    }

    /** Sets {@code internalLocator}. */
    public Builder internalLocator(String v) {
      internalLocator = v;
      return this;
    }

    /** Sets {@code locator}. */
    public Builder locator(String v) {
      locator = v;
      return this;
    }

    /** Sets {@code agencyName}. */
    public Builder agencyName(String v) {
      agencyName = v;
      return this;
    }

    /** Sets {@code status}. */
    public Builder status(String v) {
      status = v;
      return this;
    }

    /** Sets {@code issueDate}. */
    public Builder issueDate(LocalDate v) {
      issueDate = v;
      return this;
    }

    /** Sets {@code hotelName}. */
    public Builder hotelName(String v) {
      hotelName = v;
      return this;
    }

    /** Sets {@code checkIn}. */
    public Builder checkIn(LocalDate v) {
      checkIn = v;
      return this;
    }

    /** Sets {@code checkOut}. */
    public Builder checkOut(LocalDate v) {
      checkOut = v;
      return this;
    }

    /** Sets {@code nights}. */
    public Builder nights(Integer v) {
      nights = v;
      return this;
    }

    /** Sets {@code rooms}. */
    public Builder rooms(Integer v) {
      rooms = v;
      return this;
    }

    /** Sets {@code totalAmount}. */
    public Builder totalAmount(BigDecimal v) {
      totalAmount = v;
      return this;
    }

    /** Sets {@code currency}. */
    public Builder currency(String v) {
      currency = v;
      return this;
    }

    /** Sets {@code cancellationDeadline}. */
    public Builder cancellationDeadline(LocalDate v) {
      cancellationDeadline = v;
      return this;
    }

    /** Builds the value. */
    public ReservationDetails build() {
      return new ReservationDetails(
          reservationId,
          internalLocator,
          locator,
          agencyName,
          status,
          issueDate,
          hotelName,
          checkIn,
          checkOut,
          nights,
          rooms,
          totalAmount,
          currency,
          cancellationDeadline);
    }
  }
}
