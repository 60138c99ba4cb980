package com.kontroltravel.oc.store.jdbc;

import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.OutboxStatus;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.TrackingState;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/** Rows for the module's own tests. */
final class StoreFixtures {
  static final Instant T0 = Instant.parse("2026-03-02T12:00:00.123Z");

  private StoreFixtures() {}

  static String id(int i) {
    return String.format(Locale.ROOT, "%08d", i);
  }

  static Reservation due(int i, Instant nextActionAt) {
    return Reservation.builder(
            ReservationDetails.builder(id(i))
                .internalLocator("LOC" + i)
                .locator("Z" + i)
                .agencyName("Agency " + (i % 50))
                .totalAmount(new BigDecimal("100.50"))
                .currency("CLP")
                .build(),
            LocalDate.of(2026, 3, 2),
            T0)
        .state(TrackingState.REQUESTED)
        .nextActionAt(nextActionAt)
        .build();
  }

  static OutboxMessage outbox(int i, Instant nextAttemptAt) {
    String rid = id(i);
    return new OutboxMessage(
        OutboxMessage.idOf(rid, Step.REQUEST, 0),
        rid,
        Step.REQUEST,
        0,
        "oc." + rid + ".request.0@test",
        null,
        List.of(),
        List.of("a@agency.test"),
        List.of(),
        "Solicitud",
        "body",
        null,
        List.of(),
        OutboxStatus.PENDING,
        0,
        nextAttemptAt,
        null,
        T0,
        null);
  }
}
