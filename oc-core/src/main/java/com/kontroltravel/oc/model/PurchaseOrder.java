package com.kontroltravel.oc.model;

import java.time.Instant;

/**
 * The purchase order received for a booking.
 *
 * @param ocNumber the OC number, or null when unknown (for example a scanned document)
 * @param documentId the stored OC document, or null when marked received without one
 * @param receivedFrom the sender's address, or the operator who marked it
 * @param receivedAt when it arrived
 * @param actor {@link TimelineEvent#SYSTEM} or the operator
 */
public record PurchaseOrder(
    String ocNumber, String documentId, String receivedFrom, Instant receivedAt, String actor) {}
