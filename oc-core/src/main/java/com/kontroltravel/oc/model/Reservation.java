package com.kontroltravel.oc.model;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A tracked booking: its details and where the chase stands. Immutable; the engine writes new
 * versions through the store, which rejects a write based on a stale {@code version}.
 *
 * @param details what the confirmation says
 * @param state the tracking state
 * @param dayZero the day the business-day schedule counts from
 * @param trackedAt when the engine first tracked it
 * @param lastStep the last chase step queued, or null
 * @param lastMessageAt when the last chase message was queued, or null
 * @param nextActionAt when the engine should look at it again, or null when nothing is scheduled
 * @param paused true while an operator paused the chase
 * @param attention why a person must look at it, or null when nothing needs a person
 * @param attentionReason the text shown for {@code attention} (its Spanish label and any detail),
 *     null exactly when {@code attention} is
 * @param confirmationDocumentId the stored confirmation PDF, or null
 * @param purchaseOrder the OC once received, or null
 * @param version the store's version, incremented on every write
 * @param updatedAt when it last changed
 */
public record Reservation(
    ReservationDetails details,
    TrackingState state,
    LocalDate dayZero,
    Instant trackedAt,
    Step lastStep,
    Instant lastMessageAt,
    Instant nextActionAt,
    boolean paused,
    AttentionReason attention,
    String attentionReason,
    String confirmationDocumentId,
    PurchaseOrder purchaseOrder,
    long version,
    Instant updatedAt) {

  /** Checks the required values. */
  public Reservation {
    Objects.requireNonNull(details, "details == null");
    Objects.requireNonNull(state, "state == null");
    Objects.requireNonNull(dayZero, "dayZero == null");
    Objects.requireNonNull(trackedAt, "trackedAt == null");
    Objects.requireNonNull(updatedAt, "updatedAt == null");
    if (attention == null && attentionReason != null) {
      attention = AttentionReason.OTHER;
    } else if (attention != null && attentionReason == null) {
      attentionReason = attention.label();
    }
  }

  /** The reservation id. */
  public String id() {
    return details.reservationId();
  }

  /** True when a person must look at it. */
  public boolean needsAttention() {
    return attention != null;
  }

  /** A builder starting from this reservation. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A builder for a new reservation. */
  public static Builder builder(ReservationDetails details, LocalDate dayZero, Instant trackedAt) {
    return new Builder(
        new Reservation(
            details,
            TrackingState.PENDING,
            dayZero,
            trackedAt,
            null,
            null,
            null,
            false,
            null,
            null,
            null,
            null,
            0,
            trackedAt));
  }

  /** Builds {@link Reservation}; not thread safe. */
  public static final class Builder {
    private ReservationDetails details;
    private TrackingState state;
    private LocalDate dayZero;
    private Instant trackedAt;
    private Step lastStep;
    private Instant lastMessageAt;
    private Instant nextActionAt;
    private boolean paused;
    private AttentionReason attention;
    private String attentionReason;
    private String confirmationDocumentId;
    private PurchaseOrder purchaseOrder;
    private long version;
    private Instant updatedAt;

    private Builder(Reservation r) {
      details = r.details;
      state = r.state;
      dayZero = r.dayZero;
      trackedAt = r.trackedAt;
      lastStep = r.lastStep;
      lastMessageAt = r.lastMessageAt;
      nextActionAt = r.nextActionAt;
      paused = r.paused;
      attention = r.attention;
      attentionReason = r.attentionReason;
      confirmationDocumentId = r.confirmationDocumentId;
      purchaseOrder = r.purchaseOrder;
      version = r.version;
      updatedAt = r.updatedAt;
    }

    /** Sets {@code details}. */
    public Builder details(ReservationDetails v) {
      details = v;
      return this;
    }

    /** Sets {@code state}. */
    public Builder state(TrackingState v) {
      state = v;
      return this;
    }

    /** Sets {@code dayZero}. */
    public Builder dayZero(LocalDate v) {
      dayZero = v;
      return this;
    }

    /** Sets {@code lastStep}. */
    public Builder lastStep(Step v) {
      lastStep = v;
      return this;
    }

    /** Sets {@code lastMessageAt}. */
    public Builder lastMessageAt(Instant v) {
      lastMessageAt = v;
      return this;
    }

    /** Sets {@code nextActionAt}. */
    public Builder nextActionAt(Instant v) {
      nextActionAt = v;
      return this;
    }

    /** Sets {@code paused}. */
    public Builder paused(boolean v) {
      paused = v;
      return this;
    }

    /**
     * Flags the booking for a person: {@code reason}, with an optional detail appended to its label
     * (see {@link AttentionReason#describe}).
     */
    public Builder attention(AttentionReason reason, String detail) {
      attention = Objects.requireNonNull(reason, "reason == null");
      attentionReason = reason.describe(detail);
      return this;
    }

    /** Clears the attention flag. */
    public Builder clearAttention() {
      attention = null;
      attentionReason = null;
      return this;
    }

    /** Sets {@code confirmationDocumentId}. */
    public Builder confirmationDocumentId(String v) {
      confirmationDocumentId = v;
      return this;
    }

    /** Sets {@code purchaseOrder}. */
    public Builder purchaseOrder(PurchaseOrder v) {
      purchaseOrder = v;
      return this;
    }

    /** Sets {@code version}. */
    public Builder version(long v) {
      version = v;
      return this;
    }

    /** Sets {@code updatedAt}. */
    public Builder updatedAt(Instant v) {
      updatedAt = v;
      return this;
    }

    /** Builds the value. */
    public Reservation build() {
      return new Reservation(
          details,
          state,
          dayZero,
          trackedAt,
          lastStep,
          lastMessageAt,
          nextActionAt,
          paused,
          attention,
          attentionReason,
          confirmationDocumentId,
          purchaseOrder,
          version,
          updatedAt);
    }
  }
}
