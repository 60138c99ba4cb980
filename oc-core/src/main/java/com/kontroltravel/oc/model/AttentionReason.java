package com.kontroltravel.oc.model;

import java.util.Locale;

/**
 * Why a person must look at a booking. Code branches on these values, never on the text shown to
 * people, which {@link #label(Locale)} gives in Spanish (the default) or English.
 */
public enum AttentionReason {
  /** The booking's agency is not in the agency list. */
  AGENCY_NOT_CONFIGURED("Agencia no configurada", "Agency not configured"),
  /** The agency owes an OC but has no valid contact address to ask. */
  NO_CONTACT_ADDRESS("La agencia no tiene correo de contacto", "The agency has no contact address"),
  /** A message could not be sent (permanently, or after every retry). */
  SEND_FAILED("No se pudo enviar", "Could not send"),
  /** The agency replied to our request without an OC document. */
  REPLY_WITHOUT_OC(
      "Respuesta de la agencia sin OC adjunta", "The agency replied without an OC document"),
  /** An OC arrived for a booking that was cancelled. */
  OC_FOR_CANCELLED_BOOKING(
      "OC recibida para una reserva cancelada", "OC received for a cancelled booking"),
  /** The ultimatum went unanswered: a person decides whether to suspend the booking. */
  NO_OC_AFTER_ULTIMATUM(
      "Sin OC tras el ultimátum; revisar suspensión de la reserva",
      "No OC after the ultimatum; decide whether to suspend the booking"),
  /** The booking expired without an OC. */
  EXPIRED_WITHOUT_OC("Sin OC al vencer el plazo", "No OC by the deadline"),
  /**
   * A confirmation that would cancel or amend the booking came from a sender no trusted server
   * authenticated; it was held, not applied.
   */
  UNVERIFIED_CONFIRMATION(
      "Confirmación de remitente no verificado retenida",
      "Confirmation from an unauthenticated sender held"),
  /**
   * The confirmation PDF was read with doubt (a low-confidence field): a person checks it before
   * the agency is written to.
   */
  UNCERTAIN_READING(
      "Lectura dudosa del PDF; revisar antes de escribir a la agencia",
      "Uncertain PDF reading; check before writing to the agency"),
  /**
   * The OC's total differs from the booking's (beyond the configured tolerance, or in another
   * currency): the OC was filed and the booking received, and a person checks the amounts.
   */
  OC_AMOUNT_MISMATCH(
      "El monto de la OC no coincide con el de la reserva",
      "The OC's amount differs from the booking's"),
  /** Processing the booking failed unexpectedly. */
  PROCESSING_ERROR("Error al procesar la reserva", "Processing the booking failed"),
  /** Any other reason, given in the text (also what older stored flags read as). */
  OTHER("Revisar", "Review");

  private final String spanish;
  private final String english;

  AttentionReason(String spanish, String english) {
    this.spanish = spanish;
    this.english = english;
  }

  /** The Spanish label, used in stored text and user-facing pages. */
  public String label() {
    return spanish;
  }

  /** The label in {@code locale}'s language: English for {@code en}, Spanish otherwise. */
  public String label(Locale locale) {
    return locale != null && "en".equals(locale.getLanguage()) ? english : spanish;
  }

  /** The text shown for this reason with an optional detail, in Spanish. */
  public String describe(String detail) {
    if (detail == null || detail.isBlank()) {
      return spanish;
    }
    return this == OTHER ? detail : spanish + ": " + detail;
  }
}
