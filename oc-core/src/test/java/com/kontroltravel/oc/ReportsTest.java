package com.kontroltravel.oc;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.OutboxStatus;
import com.kontroltravel.oc.model.PurchaseOrder;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.store.memory.InMemoryStore;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The dashboards' reports over an in-memory store, at a fixed time. */
class ReportsTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  // Friday 2025-12-05, 10:00 in Santiago; Monday 2025-12-08 is the Immaculate Conception holiday.
  static final Instant NOW = ZonedDateTime.of(2025, 12, 5, 10, 0, 0, 0, ZONE).toInstant();

  InMemoryStore store;
  OcOperations ops;

  @BeforeEach
  void setUp() {
    store = InMemoryStore.create();
    ops =
        OcOperations.builder()
            .store(store)
            .config(OcConfig.builder().mailboxAddress("oc@kontroltravel.test").build())
            .clock(Clock.fixed(NOW, ZONE))
            .build();
    ops.putAgency(
        Agency.requiringOc("Viajes Andes S.A.", "oc@andes.test").withAliases(List.of("VA Travel")),
        "test");
  }

  static Instant at(int month, int day, int hour) {
    return ZonedDateTime.of(2025, month, day, hour, 0, 0, 0, ZONE).toInstant();
  }

  /** A booking tracked on {@code day0} whose request was sent at {@code sent} (null: none). */
  Reservation booking(String id, String agency, LocalDate day0, Instant sent, TrackingState s) {
    Instant tracked = day0.atTime(9, 30).atZone(ZONE).toInstant();
    Reservation r =
        Reservation.builder(
                ReservationDetails.builder(id).agencyName(agency).build(), day0, tracked)
            .state(s)
            .lastStep(sent == null ? null : Step.REQUEST)
            .lastMessageAt(sent)
            .build();
    Reservation stored = store.inTransaction(t -> t.insertReservation(r));
    if (sent != null) {
      store.inTransaction(
          t ->
              t.insertOutbox(
                  new OutboxMessage(
                      OutboxMessage.idOf(id, Step.REQUEST, 0),
                      id,
                      Step.REQUEST,
                      0,
                      id + ".request.0@kontroltravel.test",
                      null,
                      List.of(),
                      List.of("oc@andes.test"),
                      List.of(),
                      "Solicitud",
                      "text",
                      null,
                      List.of(),
                      OutboxStatus.SENT,
                      1,
                      null,
                      null,
                      tracked,
                      sent)));
    }
    return stored;
  }

  @Test
  @DisplayName("critical bookings are those chased for N business days or more, the longest first")
  void critical() {
    // Requested Mon 1 Dec: Tue..Fri = 4 business days by Fri 5.
    booking(
        "1",
        "Viajes Andes S.A.",
        LocalDate.of(2025, 12, 1),
        at(12, 1, 10),
        TrackingState.REQUESTED);
    // Requested Tue 2 Dec: 3 business days.
    booking(
        "2",
        "Viajes Andes S.A.",
        LocalDate.of(2025, 12, 2),
        at(12, 2, 10),
        TrackingState.REMINDER_1);
    // Requested Wed 26 Nov: 7 business days.
    booking("3", "VA Travel", LocalDate.of(2025, 11, 26), at(11, 26, 10), TrackingState.REMINDER_2);
    // Old but received: not chasing.
    booking(
        "4", "Viajes Andes S.A.", LocalDate.of(2025, 11, 3), at(11, 3, 10), TrackingState.RECEIVED);
    // Tracked long ago, request sent only yesterday (agency configured late): not critical.
    booking(
        "5",
        "Viajes Andes S.A.",
        LocalDate.of(2025, 11, 3),
        at(12, 4, 10),
        TrackingState.REQUESTED);

    List<Chase> critical = ops.critical(4);
    assertThat(critical).extracting(c -> c.reservation().id()).containsExactly("3", "1");
    assertThat(critical.get(0).businessDays()).isEqualTo(7);
    assertThat(critical.get(0).days()).isEqualTo(9);
    assertThat(critical.get(1).businessDays()).isEqualTo(4);
    assertThat(ops.critical(3))
        .extracting(c -> c.reservation().id())
        .containsExactly("3", "1", "2");
    assertThat(ops.critical(8)).isEmpty();
  }

  @Test
  @DisplayName(
      "days since the request come with every requested row; never-requested rows have none")
  void chases() {
    Reservation requested =
        booking(
            "1",
            "Viajes Andes S.A.",
            LocalDate.of(2025, 12, 1),
            at(12, 1, 10),
            TrackingState.REQUESTED);
    Reservation pending =
        booking("2", "Viajes Andes S.A.", LocalDate.of(2025, 12, 5), null, TrackingState.PENDING);
    // Imported from the old system: chasing with no request on record counts from day 0.
    Reservation imported =
        booking("3", "Otra Agencia", LocalDate.of(2025, 11, 28), null, TrackingState.REQUESTED);
    Map<String, Chase> chases = ops.chases(List.of(requested, pending, imported));
    assertThat(chases).containsOnlyKeys("1", "3");
    assertThat(chases.get("1").days()).isEqualTo(4);
    assertThat(chases.get("3").days()).isEqualTo(7);
    assertThat(chases.get("3").businessDays()).isEqualTo(5);
  }

  @Test
  @DisplayName("the per-agency summary groups aliases under the agency and lists unknown agencies")
  void agencySummary() {
    booking(
        "1",
        "Viajes Andes S.A.",
        LocalDate.of(2025, 12, 1),
        at(12, 1, 10),
        TrackingState.REQUESTED);
    booking("2", "VA Travel", LocalDate.of(2025, 12, 1), at(12, 1, 10), TrackingState.RECEIVED);
    Reservation r =
        booking("3", "Desconocida Ltda", LocalDate.of(2025, 12, 1), null, TrackingState.PENDING);
    store.inTransaction(
        t ->
            t.updateReservation(
                r.toBuilder()
                    .attention(
                        com.kontroltravel.oc.model.AttentionReason.AGENCY_NOT_CONFIGURED, null)
                    .build()));
    ops.putAgency(Agency.notRequiringOc("Sin Reservas"), "test");

    assertThat(ops.agencySummary())
        .containsExactly(
            new AgencySummary("Desconocida Ltda", false, 1, 0, 0, 1),
            new AgencySummary("Sin Reservas", true, 0, 0, 0, 0),
            new AgencySummary("Viajes Andes S.A.", true, 2, 1, 1, 0));
  }

  @Test
  @DisplayName("the daily series counts tracked, requested and received per day, oldest first")
  void dailySeries() {
    booking(
        "1",
        "Viajes Andes S.A.",
        LocalDate.of(2025, 12, 1),
        at(12, 1, 10),
        TrackingState.REQUESTED);
    booking(
        "2",
        "Viajes Andes S.A.",
        LocalDate.of(2025, 12, 1),
        at(12, 3, 10),
        TrackingState.REQUESTED);
    Reservation r =
        booking(
            "3",
            "Viajes Andes S.A.",
            LocalDate.of(2025, 12, 4),
            at(12, 4, 10),
            TrackingState.REQUESTED);
    store.inTransaction(
        t ->
            t.updateReservation(
                r.toBuilder()
                    .state(TrackingState.RECEIVED)
                    .purchaseOrder(
                        new PurchaseOrder("45001", null, "oc@andes.test", at(12, 5, 9), "system"))
                    .build()));
    // Outside the window.
    booking(
        "4",
        "Viajes Andes S.A.",
        LocalDate.of(2025, 10, 1),
        at(10, 1, 10),
        TrackingState.REQUESTED);

    List<DailyCount> series = ops.dailySeries(30);
    assertThat(series).hasSize(30);
    assertThat(series.get(0).day()).isEqualTo(LocalDate.of(2025, 11, 6));
    assertThat(series.get(29)).isEqualTo(new DailyCount(LocalDate.of(2025, 12, 5), 0, 0, 1));
    Map<LocalDate, DailyCount> byDay =
        series.stream().collect(java.util.stream.Collectors.toMap(DailyCount::day, d -> d));
    assertThat(byDay.get(LocalDate.of(2025, 12, 1)))
        .isEqualTo(new DailyCount(LocalDate.of(2025, 12, 1), 2, 1, 0));
    assertThat(byDay.get(LocalDate.of(2025, 12, 3)))
        .isEqualTo(new DailyCount(LocalDate.of(2025, 12, 3), 0, 1, 0));
    assertThat(byDay.get(LocalDate.of(2025, 12, 4)))
        .isEqualTo(new DailyCount(LocalDate.of(2025, 12, 4), 1, 1, 0));
    assertThat(series.stream().mapToLong(DailyCount::tracked).sum()).isEqualTo(3);
  }

  @Test
  @DisplayName("the next follow-up is the earliest next action of any booking")
  void nextFollowUp() {
    assertThat(ops.nextFollowUp()).isEmpty();
    Reservation r =
        booking(
            "1",
            "Viajes Andes S.A.",
            LocalDate.of(2025, 12, 1),
            at(12, 1, 10),
            TrackingState.REQUESTED);
    store.inTransaction(t -> t.updateReservation(r.toBuilder().nextActionAt(at(12, 9, 9)).build()));
    assertThat(ops.nextFollowUp()).contains(at(12, 9, 9));
  }
}
