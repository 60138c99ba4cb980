package com.kontroltravel.oc.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kontroltravel.oc.exception.StoreConflictException;
import com.kontroltravel.oc.exception.StoreException;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.AttentionReason;
import com.kontroltravel.oc.model.DocumentKind;
import com.kontroltravel.oc.model.EventKind;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.MailboxCursor;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.OutboxStatus;
import com.kontroltravel.oc.model.Page;
import com.kontroltravel.oc.model.PurchaseOrder;
import com.kontroltravel.oc.model.ReminderSchedule;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.ReservationQuery;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.StoredDocument;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.spi.Store;
import com.kontroltravel.oc.spi.StoreTransaction;
import java.io.IOException;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Store} and {@link com.kontroltravel.oc.spi.StoreTransaction}, as a test
 * class to extend:
 *
 * <pre>{@code
 * class MyStoreCompatibilityTest extends StoreCompatibilityKit {
 *   @Override
 *   protected Store createStore() {
 *     return MyStore.create(...); // fresh and empty for every test
 *   }
 * }
 * }</pre>
 *
 * <p>Every test gets a new store from {@link #createStore()} and hands it to {@link
 * #dispose(Store)} afterwards. Stores may keep instants at microsecond precision only (SQL
 * databases do), so the kit uses millisecond-precision instants throughout, as the engine does (its
 * clock values are truncated to milliseconds).
 *
 * <p>Every loop in the kit is bounded in count, and every concurrent test in time.
 */
public abstract class StoreCompatibilityKit {

  /** For the adapter's test class, which extends this kit. */
  protected StoreCompatibilityKit() {}

  /** A millisecond-precision instant every test counts from. */
  protected static final Instant T0 = Instant.parse("2026-03-02T12:00:00.123Z");

  private static final Duration CONCURRENCY_TIMEOUT = Duration.ofSeconds(120);

  /** The store under test, created before each test. */
  protected Store store;

  /**
   * A new, empty store. Called once per test.
   *
   * @return the store under test
   */
  protected abstract Store createStore();

  /**
   * Releases a store made by {@link #createStore()}. The default closes it.
   *
   * @param s the store
   */
  protected void dispose(Store s) {
    s.close();
  }

  @BeforeEach
  void createStoreUnderTest() {
    store = createStore();
    assertThat(store).as("createStore()").isNotNull();
  }

  @AfterEach
  void disposeStoreUnderTest() {
    if (store != null) {
      dispose(store);
    }
  }

  // ------------------------------------------------------------------------------------------
  // fixtures

  /** Details with every field set. */
  protected static ReservationDetails fullDetails(String id) {
    return ReservationDetails.builder(id)
        .internalLocator("LOC-" + id + "-Ab")
        .locator("Zx" + id)
        .agencyName("WALVIS S.A.")
        .status("Reservado")
        .issueDate(LocalDate.of(2026, 2, 27))
        .hotelName("Hotel Plaza San Francisco")
        .checkIn(LocalDate.of(2026, 4, 10))
        .checkOut(LocalDate.of(2026, 4, 13))
        .nights(3)
        .rooms(2)
        .totalAmount(new BigDecimal("1234567.50"))
        .currency("CLP")
        .cancellationDeadline(LocalDate.of(2026, 4, 7))
        .build();
  }

  /** A reservation with every field set (version 0, as the engine creates them). */
  protected static Reservation fullReservation(String id) {
    return Reservation.builder(fullDetails(id), LocalDate.of(2026, 2, 27), T0)
        .state(TrackingState.REMINDER_1)
        .lastStep(Step.REMINDER_1)
        .lastMessageAt(T0.plusMillis(1_001))
        .nextActionAt(T0.plus(Duration.ofDays(2)).plusMillis(7))
        .paused(true)
        .attention(AttentionReason.NO_CONTACT_ADDRESS, "no contact address for the agency")
        .confirmationDocumentId("doc-confirmation-" + id)
        .purchaseOrder(
            new PurchaseOrder(
                "4500123456", "doc-oc-" + id, "compras@walvis.cl", T0.plusMillis(999), "ana"))
        .updatedAt(T0.plusMillis(5))
        .build();
  }

  /** A reservation with only the required fields. */
  protected static Reservation minimalReservation(String id) {
    return Reservation.builder(ReservationDetails.builder(id).build(), LocalDate.of(2026, 3, 2), T0)
        .build();
  }

  /** A PENDING reservation of agency {@code agency}, with day 0 and next action as given. */
  protected static Reservation reservation(
      String id, String agency, TrackingState state, LocalDate dayZero, Instant nextActionAt) {
    return Reservation.builder(
            ReservationDetails.builder(id).agencyName(agency).locator("L" + id).build(),
            dayZero,
            T0)
        .state(state)
        .nextActionAt(nextActionAt)
        .build();
  }

  /** A PENDING outbox row due at {@code nextAttemptAt}, with every field set. */
  protected static OutboxMessage outboxRow(
      String reservationId, Step step, int generation, Instant nextAttemptAt) {
    String id = OutboxMessage.idOf(reservationId, step, generation);
    return new OutboxMessage(
        id,
        reservationId,
        step,
        generation,
        "oc." + reservationId + "." + step.token() + "." + generation + "@kontroltravel.test",
        "oc." + reservationId + ".request.0@kontroltravel.test",
        List.of("oc." + reservationId + ".request.0@kontroltravel.test", "other@x.test"),
        List.of("compras@walvis.cl", "jefe@walvis.cl"),
        List.of("ops@kontroltravel.test"),
        "Solicitud de OC – reserva " + reservationId + " (ñandú)",
        "Estimados,\nadjuntamos la confirmación.\n",
        "<p>Estimados,</p>",
        List.of("doc-1", "doc-2"),
        OutboxStatus.PENDING,
        0,
        nextAttemptAt,
        null,
        T0.plusMillis(generation),
        null);
  }

  /** An inbound record with every field set. */
  protected static InboundRecord inboundRecord(String key, InboundOutcome outcome, Instant at) {
    return new InboundRecord(
        key,
        "msg-" + key + "@mail.test",
        "reservas@booking.test",
        "Confirmación de reserva " + key,
        at.minusMillis(500),
        at,
        outcome,
        "parsed all required fields",
        "R-" + key,
        List.of("doc-a-" + key, "doc-b-" + key));
  }

  /** A document whose checksum and size match its content. */
  protected static StoredDocument document(
      String id, String reservationId, DocumentKind kind, byte[] content, Instant storedAt) {
    return new StoredDocument(
        id,
        reservationId,
        kind,
        "Confirmación ñ.pdf",
        "20260302_" + (reservationId == null ? "review" : reservationId) + ".pdf",
        "application/pdf",
        sha256(content),
        content.length,
        content,
        storedAt);
  }

  /** The hex SHA-256 of {@code bytes}. */
  protected static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code work} in a unit of work of the store under test. */
  protected <T> T tx(Store.Work<T> work) {
    return store.inTransaction(work);
  }

  private Reservation insert(Reservation r) {
    return tx((StoreTransaction t) -> t.insertReservation(r));
  }

  private void insertAll(Collection<Reservation> rs) {
    tx(
        (StoreTransaction t) -> {
          for (Reservation r : rs) {
            t.insertReservation(r);
          }
          return null;
        });
  }

  private static Reservation withVersion(Reservation r, long version) {
    return r.toBuilder().version(version).build();
  }

  // ------------------------------------------------------------------------------------- units of
  // work

  @Test
  @DisplayName("inTransaction returns what the work returned")
  void returnsTheResultOfTheWork() {
    assertThat(tx((StoreTransaction t) -> "result-42")).isEqualTo("result-42");
    assertThat(tx((StoreTransaction t) -> t.reservation("nope"))).isEmpty();
  }

  @Test
  @DisplayName(
      "a unit of work that throws keeps nothing it wrote, and its exception reaches the caller")
  void rollsBackWhenTheWorkThrows() {
    insert(minimalReservation("keep"));
    IllegalStateException boom = new IllegalStateException("boom");
    assertThatThrownBy(
            () ->
                tx(
                    (StoreTransaction t) -> {
                      t.insertReservation(minimalReservation("R1"));
                      Reservation kept = t.reservation("keep").orElseThrow();
                      t.updateReservation(kept.toBuilder().state(TrackingState.CANCELLED).build());
                      t.putAgency(Agency.requiringOc("Walvis S.A.", "a@walvis.cl"));
                      t.appendEvent(new TimelineEvent("keep", T0, EventKind.NOTE, "x", "ana"));
                      t.insertInbound(inboundRecord("k1", InboundOutcome.IGNORED, T0));
                      t.insertOutbox(outboxRow("R1", Step.REQUEST, 0, T0));
                      t.putCursor(new MailboxCursor("imap://INBOX", 7, 99));
                      t.putDocument(
                          document("d1", "R1", DocumentKind.CONFIRMATION, new byte[] {1, 2}, T0));
                      throw boom;
                    }))
        .isSameAs(boom);

    tx(
        (StoreTransaction t) -> {
          assertThat(t.reservation("R1")).isEmpty();
          assertThat(t.reservation("keep").orElseThrow().state()).isEqualTo(TrackingState.PENDING);
          assertThat(t.reservation("keep").orElseThrow().version()).isEqualTo(1);
          assertThat(t.agency("Walvis")).isEmpty();
          assertThat(t.agencies()).isEmpty();
          assertThat(t.timeline("keep")).isEmpty();
          assertThat(t.inbound("k1")).isEmpty();
          assertThat(t.outbox(OutboxMessage.idOf("R1", Step.REQUEST, 0))).isEmpty();
          assertThat(t.cursor("imap://INBOX")).isEmpty();
          assertThat(t.document("d1")).isEmpty();
          return null;
        });
  }

  @Test
  @DisplayName("a checked exception from the work reaches the caller wrapped in a StoreException")
  void wrapsCheckedExceptions() {
    IOException io = new IOException("disk on fire");
    assertThatThrownBy(
            () ->
                tx(
                    (StoreTransaction t) -> {
                      t.insertReservation(minimalReservation("R1"));
                      throw io;
                    }))
        .isInstanceOf(StoreException.class)
        .hasCause(io);
    assertThat(tx((StoreTransaction t) -> t.reservation("R1"))).isEmpty();
  }

  @Test
  @DisplayName("a unit of work sees its own writes before it commits")
  void seesItsOwnWrites() {
    Optional<Reservation> seen =
        tx(
            (StoreTransaction t) -> {
              t.insertReservation(minimalReservation("R1"));
              return t.reservation("R1");
            });
    assertThat(seen).isPresent();
    assertThat(seen.get().id()).isEqualTo("R1");
  }

  // -------------------------------------------------------------------------------------
  // reservations

  @Test
  @DisplayName(
      "an inserted reservation reads back with every field, exact decimals, dates and version 1")
  void reservationRoundTripsEveryField() {
    Reservation original = fullReservation("45215412");
    Reservation stored = insert(original);

    Reservation expected = withVersion(original, 1);
    assertThat(stored).isEqualTo(expected);
    Reservation read = tx((StoreTransaction t) -> t.reservation("45215412")).orElseThrow();
    assertThat(read).isEqualTo(expected);
    assertThat(read.details().totalAmount()).isEqualTo(new BigDecimal("1234567.50"));
    assertThat(read.details().totalAmount().scale()).isEqualTo(2);
    assertThat(read.purchaseOrder().receivedAt()).isEqualTo(T0.plusMillis(999));
  }

  @Test
  @DisplayName(
      "a reservation with only its required fields reads back with the absent values still null")
  void minimalReservationRoundTrips() {
    Reservation original = minimalReservation("R-min");
    insert(original);
    Reservation read = tx((StoreTransaction t) -> t.reservation("R-min")).orElseThrow();
    assertThat(read).isEqualTo(withVersion(original, 1));
    assertThat(read.details().totalAmount()).isNull();
    assertThat(read.purchaseOrder()).isNull();
    assertThat(read.nextActionAt()).isNull();
  }

  @Test
  @DisplayName("a purchase order whose values are all unknown still reads back as present")
  void emptyPurchaseOrderRoundTrips() {
    Reservation original =
        minimalReservation("R-po").toBuilder()
            .state(TrackingState.RECEIVED)
            .purchaseOrder(new PurchaseOrder(null, null, null, null, null))
            .build();
    insert(original);
    assertThat(tx((StoreTransaction t) -> t.reservation("R-po")).orElseThrow().purchaseOrder())
        .isEqualTo(new PurchaseOrder(null, null, null, null, null));
  }

  @Test
  @DisplayName(
      "inserting a reservation whose id exists raises StoreConflictException and keeps the first")
  void duplicateInsertConflicts() {
    insert(fullReservation("R1"));
    assertThatThrownBy(() -> insert(minimalReservation("R1")))
        .isInstanceOf(StoreConflictException.class);
    assertThat(tx((StoreTransaction t) -> t.reservation("R1")).orElseThrow())
        .isEqualTo(withVersion(fullReservation("R1"), 1));
  }

  @Test
  @DisplayName("an update with the current version replaces every field and increments the version")
  void updateWithCurrentVersion() {
    Reservation v1 = insert(minimalReservation("R1"));
    Reservation changed =
        fullReservation("R1").toBuilder()
            .version(v1.version())
            .state(TrackingState.REMINDER_2)
            .paused(false)
            .clearAttention()
            .build();
    Reservation v2 = tx((StoreTransaction t) -> t.updateReservation(changed));
    assertThat(v2).isEqualTo(withVersion(changed, 2));
    assertThat(tx((StoreTransaction t) -> t.reservation("R1")).orElseThrow())
        .isEqualTo(withVersion(changed, 2));

    Reservation v3 =
        tx((StoreTransaction t) -> t.updateReservation(v2.toBuilder().nextActionAt(null).build()));
    assertThat(v3.version()).isEqualTo(3);
    assertThat(tx((StoreTransaction t) -> t.reservation("R1")).orElseThrow().nextActionAt())
        .isNull();
  }

  @Test
  @DisplayName(
      "an update based on a stale version raises StoreConflictException and keeps the stored row")
  void staleUpdateConflicts() {
    Reservation v1 = insert(minimalReservation("R1"));
    Reservation v2 =
        tx(
            (StoreTransaction t) ->
                t.updateReservation(v1.toBuilder().state(TrackingState.REQUESTED).build()));
    assertThatThrownBy(
            () ->
                tx(
                    (StoreTransaction t) ->
                        t.updateReservation(v1.toBuilder().state(TrackingState.CANCELLED).build())))
        .isInstanceOf(StoreConflictException.class);
    Reservation read = tx((StoreTransaction t) -> t.reservation("R1")).orElseThrow();
    assertThat(read).isEqualTo(v2);
    assertThat(read.state()).isEqualTo(TrackingState.REQUESTED);
  }

  @Test
  @DisplayName("an update of a reservation that does not exist raises StoreConflictException")
  void updateOfMissingConflicts() {
    assertThatThrownBy(
            () ->
                tx(
                    (StoreTransaction t) ->
                        t.updateReservation(withVersion(minimalReservation("ghost"), 1))))
        .isInstanceOf(StoreConflictException.class);
    assertThat(tx((StoreTransaction t) -> t.reservation("ghost"))).isEmpty();
  }

  @Test
  @DisplayName(
      "of four concurrent updates from the same version exactly one wins, the others conflict")
  void concurrentUpdatesFromOneVersion() throws Exception {
    Reservation v1 = insert(minimalReservation("R1"));
    int threads = 4;
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger wins = new AtomicInteger();
    AtomicInteger conflicts = new AtomicInteger();
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      String reason = "writer " + i;
      tasks.add(
          () -> {
            start.await(30, TimeUnit.SECONDS);
            try {
              tx(
                  (StoreTransaction t) ->
                      t.updateReservation(
                          v1.toBuilder().attention(AttentionReason.OTHER, reason).build()));
              wins.incrementAndGet();
            } catch (StoreConflictException e) {
              conflicts.incrementAndGet();
            }
            return null;
          });
    }
    runConcurrently(tasks, start);
    assertThat(wins).hasValue(1);
    assertThat(conflicts).hasValue(threads - 1);
    Reservation read = tx((StoreTransaction t) -> t.reservation("R1")).orElseThrow();
    assertThat(read.version()).isEqualTo(2);
    assertThat(read.attentionReason()).startsWith("writer ");
  }

  @Test
  @DisplayName(
      "findByReference matches the id, the LOC interno ignoring case, and the localizador exactly")
  void findByReference() {
    insert(fullReservation("111"));
    insert(fullReservation("222"));
    insert(minimalReservation("333"));

    assertThat(tx((StoreTransaction t) -> t.findByReference("111")))
        .extracting(Reservation::id)
        .containsExactly("111");
    assertThat(tx((StoreTransaction t) -> t.findByReference("LOC-222-Ab")))
        .extracting(Reservation::id)
        .containsExactly("222");
    assertThat(tx((StoreTransaction t) -> t.findByReference("loc-222-ab")))
        .extracting(Reservation::id)
        .containsExactly("222");
    assertThat(tx((StoreTransaction t) -> t.findByReference("Zx111")))
        .extracting(Reservation::id)
        .containsExactly("111");
    assertThat(tx((StoreTransaction t) -> t.findByReference("zx111")))
        .as("localizador is matched exactly")
        .isEmpty();
    assertThat(tx((StoreTransaction t) -> t.findByReference("11")))
        .as("no partial matches")
        .isEmpty();
    assertThat(tx((StoreTransaction t) -> t.findByReference("999"))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.findByReference("111")).get(0))
        .isEqualTo(withVersion(fullReservation("111"), 1));
  }

  @Test
  @DisplayName("findByReference returns at most ten reservations, each once")
  void findByReferenceLimit() {
    List<Reservation> many = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      many.add(
          Reservation.builder(
                  ReservationDetails.builder("R" + i)
                      .locator("SHARED")
                      .internalLocator("shared")
                      .build(),
                  LocalDate.of(2026, 3, 2),
                  T0)
              .build());
    }
    insertAll(many);
    List<Reservation> found = tx((StoreTransaction t) -> t.findByReference("SHARED"));
    assertThat(found).hasSize(10);
    assertThat(found).extracting(Reservation::id).doesNotHaveDuplicates();
  }

  @Test
  @DisplayName(
      "list orders by day 0 descending then id, and pages with offset, limit and the full total")
  void listOrdersAndPages() {
    List<Reservation> rs = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      // Days repeat so that the id decides the order within a day.
      rs.add(
          reservation(
              "R" + (100 + i),
              "Walvis",
              TrackingState.PENDING,
              LocalDate.of(2026, 3, 1 + i % 5),
              null));
    }
    insertAll(rs);
    List<String> expectedOrder =
        rs.stream()
            .sorted(
                (a, b) -> {
                  int c = b.dayZero().compareTo(a.dayZero());
                  return c != 0 ? c : a.id().compareTo(b.id());
                })
            .map(Reservation::id)
            .toList();

    Page<Reservation> first =
        tx((StoreTransaction t) -> t.list(ReservationQuery.all().withPage(0, 10)));
    Page<Reservation> second =
        tx((StoreTransaction t) -> t.list(ReservationQuery.all().withPage(10, 10)));
    Page<Reservation> last =
        tx((StoreTransaction t) -> t.list(ReservationQuery.all().withPage(20, 10)));
    Page<Reservation> beyond =
        tx((StoreTransaction t) -> t.list(ReservationQuery.all().withPage(30, 10)));

    assertThat(first.total()).isEqualTo(25);
    assertThat(first.offset()).isZero();
    assertThat(second.offset()).isEqualTo(10);
    assertThat(last.total()).isEqualTo(25);
    assertThat(beyond.items()).isEmpty();
    assertThat(beyond.total()).isEqualTo(25);
    List<String> all = new ArrayList<>();
    for (Page<Reservation> p : List.of(first, second, last)) {
      p.items().forEach(r -> all.add(r.id()));
    }
    assertThat(all).containsExactlyElementsOf(expectedOrder);
    assertThat(last.items()).hasSize(5);
  }

  @Test
  @DisplayName(
      "list filters by states, by agency after normalisation, by attention and by day 0 inclusive")
  void listFilters() {
    insertAll(
        List.of(
            reservation("A1", "WALVIS S.A.", TrackingState.PENDING, LocalDate.of(2026, 3, 1), null),
            reservation("A2", "Walvis SA", TrackingState.REQUESTED, LocalDate.of(2026, 3, 5), null),
            reservation(
                "A3", "Turismo Cocha", TrackingState.REQUESTED, LocalDate.of(2026, 3, 10), null),
            reservation(
                "A4",
                "Turismo Cocha Ltda.",
                TrackingState.RECEIVED,
                LocalDate.of(2026, 3, 15),
                null),
            reservation("A5", null, TrackingState.CANCELLED, LocalDate.of(2026, 3, 20), null)
                .toBuilder()
                .attention(AttentionReason.OTHER, "bounced")
                .build(),
            reservation("A6", "Walvis", TrackingState.PENDING, LocalDate.of(2026, 3, 5), null)
                .toBuilder()
                .attention(AttentionReason.OTHER, "no contact")
                .build()));

    assertThat(ids(ReservationQuery.all().withStates(Set.of(TrackingState.REQUESTED))))
        .containsExactly("A3", "A2");
    assertThat(
            ids(
                ReservationQuery.all()
                    .withStates(Set.of(TrackingState.PENDING, TrackingState.RECEIVED))))
        .containsExactly("A4", "A6", "A1");
    assertThat(ids(ReservationQuery.all().withAgency("walvis s.a.")))
        .containsExactly("A2", "A6", "A1");
    assertThat(ids(ReservationQuery.all().withAgency("TURISMO COCHA"))).containsExactly("A4", "A3");
    assertThat(ids(ReservationQuery.all().withAgency("Nobody"))).isEmpty();
    assertThat(ids(ReservationQuery.all().withNeedsAttention(true))).containsExactly("A5", "A6");
    assertThat(ids(ReservationQuery.all().withNeedsAttention(false)))
        .containsExactly("A4", "A3", "A2", "A1");
    assertThat(
            ids(
                ReservationQuery.all()
                    .withDayZeroBetween(LocalDate.of(2026, 3, 5), LocalDate.of(2026, 3, 15))))
        .containsExactly("A4", "A3", "A2", "A6");
    assertThat(ids(ReservationQuery.all().withDayZeroBetween(LocalDate.of(2026, 3, 6), null)))
        .containsExactly("A5", "A4", "A3");
    assertThat(ids(ReservationQuery.all().withDayZeroBetween(null, LocalDate.of(2026, 3, 1))))
        .containsExactly("A1");
    assertThat(
            ids(
                ReservationQuery.all()
                    .withAgency("Walvis")
                    .withStates(Set.of(TrackingState.PENDING))
                    .withNeedsAttention(false)))
        .containsExactly("A1");

    Page<Reservation> page =
        tx(
            (StoreTransaction t) ->
                t.list(ReservationQuery.all().withAgency("walvis").withPage(1, 1)));
    assertThat(page.total()).isEqualTo(3);
    assertThat(page.items()).extracting(Reservation::id).containsExactly("A6");
  }

  private List<String> ids(ReservationQuery q) {
    Page<Reservation> page = tx((StoreTransaction t) -> t.list(q));
    assertThat(page.total()).as("total of %s", q).isEqualTo(page.items().size());
    return page.items().stream().map(Reservation::id).toList();
  }

  @Test
  @DisplayName(
      "countByState counts each state and countNeedingAttention counts flagged reservations")
  void counts() {
    assertThat(
            tx((StoreTransaction t) -> t.countByState()).values().stream()
                .mapToLong(Long::longValue)
                .sum())
        .isZero();
    assertThat(tx((StoreTransaction t) -> t.countNeedingAttention())).isZero();
    insertAll(
        List.of(
            reservation("C1", "x", TrackingState.PENDING, LocalDate.of(2026, 3, 1), null),
            reservation("C2", "x", TrackingState.PENDING, LocalDate.of(2026, 3, 1), null),
            reservation("C3", "x", TrackingState.REQUESTED, LocalDate.of(2026, 3, 1), null)
                .toBuilder()
                .attention(AttentionReason.OTHER, "bounce")
                .build(),
            reservation("C4", "x", TrackingState.EXPIRED, LocalDate.of(2026, 3, 1), null)
                .toBuilder()
                .attention(AttentionReason.OTHER, "expired")
                .build()));
    Map<TrackingState, Long> counts = tx((StoreTransaction t) -> t.countByState());
    assertThat(counts.getOrDefault(TrackingState.PENDING, 0L)).isEqualTo(2);
    assertThat(counts.getOrDefault(TrackingState.REQUESTED, 0L)).isEqualTo(1);
    assertThat(counts.getOrDefault(TrackingState.EXPIRED, 0L)).isEqualTo(1);
    assertThat(counts.getOrDefault(TrackingState.RECEIVED, 0L)).isZero();
    assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(4);
    assertThat(tx((StoreTransaction t) -> t.countNeedingAttention())).isEqualTo(2);
  }

  // -------------------------------------------------------------------------------------------
  // claims

  @Test
  @DisplayName(
      "claimDue claims only reservations due at or before now, ordered by next action, up to the limit")
  void claimDueOnlyDueInOrder() {
    insertAll(
        List.of(
            reservation(
                "D3", "x", TrackingState.PENDING, LocalDate.of(2026, 3, 1), T0.minusSeconds(10)),
            reservation(
                "D1", "x", TrackingState.REQUESTED, LocalDate.of(2026, 3, 1), T0.minusSeconds(30)),
            reservation(
                "D2", "x", TrackingState.PENDING, LocalDate.of(2026, 3, 1), T0.minusSeconds(20)),
            reservation("D4", "x", TrackingState.PENDING, LocalDate.of(2026, 3, 1), T0),
            reservation(
                "LATER", "x", TrackingState.PENDING, LocalDate.of(2026, 3, 1), T0.plusMillis(1)),
            reservation("NEVER", "x", TrackingState.RECEIVED, LocalDate.of(2026, 3, 1), null)));
    Instant lease = T0.plusSeconds(60);

    assertThat(tx((StoreTransaction t) -> t.claimDue(T0, 2, "engine-a", lease)))
        .containsExactly("D1", "D2");
    assertThat(tx((StoreTransaction t) -> t.claimDue(T0, 10, "engine-b", lease)))
        .containsExactly("D3", "D4");
    assertThat(tx((StoreTransaction t) -> t.claimDue(T0, 10, "engine-c", lease))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.claimDue(T0.plusMillis(1), 10, "engine-c", lease)))
        .containsExactly("LATER");
  }

  @Test
  @DisplayName(
      "a claimed reservation is not claimable by others until its lease ends, then it is again")
  void claimLeaseExpiry() {
    insert(reservation("R1", "x", TrackingState.PENDING, LocalDate.of(2026, 3, 1), T0));
    Instant lease = T0.plusSeconds(60);
    assertThat(tx((StoreTransaction t) -> t.claimDue(T0, 10, "engine-a", lease)))
        .containsExactly("R1");
    assertThat(
            tx(
                (StoreTransaction t) ->
                    t.claimDue(T0.plusSeconds(30), 10, "engine-b", T0.plusSeconds(90))))
        .isEmpty();
    assertThat(
            tx(
                (StoreTransaction t) ->
                    t.claimDue(T0.plusSeconds(61), 10, "engine-b", T0.plusSeconds(120))))
        .containsExactly("R1");
    assertThat(
            tx(
                (StoreTransaction t) ->
                    t.claimDue(T0.plusSeconds(62), 10, "engine-a", T0.plusSeconds(180))))
        .isEmpty();
  }

  @Test
  @DisplayName("updating a claimed reservation does not release its claim")
  void updateKeepsClaim() {
    Reservation r =
        insert(reservation("R1", "x", TrackingState.PENDING, LocalDate.of(2026, 3, 1), T0));
    tx((StoreTransaction t) -> t.claimDue(T0, 10, "engine-a", T0.plusSeconds(60)));
    tx(
        (StoreTransaction t) ->
            t.updateReservation(r.toBuilder().state(TrackingState.REQUESTED).build()));
    assertThat(
            tx(
                (StoreTransaction t) ->
                    t.claimDue(T0.plusSeconds(1), 10, "engine-b", T0.plusSeconds(60))))
        .isEmpty();
  }

  @Test
  @DisplayName(
      "releaseClaim frees the holder's claim only, and releaseClaims frees all of an owner's claims")
  void releaseClaims() {
    insertAll(
        List.of(
            reservation(
                "R1", "x", TrackingState.PENDING, LocalDate.of(2026, 3, 1), T0.minusSeconds(3)),
            reservation(
                "R2", "x", TrackingState.PENDING, LocalDate.of(2026, 3, 1), T0.minusSeconds(2)),
            reservation(
                "R3", "x", TrackingState.PENDING, LocalDate.of(2026, 3, 1), T0.minusSeconds(1))));
    tx((StoreTransaction t) -> t.insertOutbox(outboxRow("R1", Step.REQUEST, 0, T0)));
    Instant lease = T0.plusSeconds(600);
    assertThat(tx((StoreTransaction t) -> t.claimDue(T0, 10, "engine-a", lease)))
        .containsExactly("R1", "R2", "R3");
    assertThat(tx((StoreTransaction t) -> t.claimOutbox(T0, 10, "engine-a", lease))).hasSize(1);

    tx(
        (StoreTransaction t) -> {
          t.releaseClaim("R1", "engine-b"); // not the holder: no effect
          return null;
        });
    assertThat(tx((StoreTransaction t) -> t.claimDue(T0, 10, "engine-b", lease))).isEmpty();

    tx(
        (StoreTransaction t) -> {
          t.releaseClaim("R2", "engine-a");
          return null;
        });
    assertThat(tx((StoreTransaction t) -> t.claimDue(T0, 10, "engine-b", lease)))
        .containsExactly("R2");

    tx(
        (StoreTransaction t) -> {
          t.releaseClaims("engine-a");
          return null;
        });
    assertThat(tx((StoreTransaction t) -> t.claimDue(T0, 10, "engine-c", lease)))
        .containsExactly("R1", "R3");
    assertThat(tx((StoreTransaction t) -> t.claimOutbox(T0, 10, "engine-c", lease)))
        .extracting(OutboxMessage::id)
        .containsExactly(OutboxMessage.idOf("R1", Step.REQUEST, 0));
  }

  @Test
  @DisplayName("four threads claiming 500 due reservations concurrently claim each exactly once")
  void concurrentClaimDueIsDisjoint() throws Exception {
    int total = 500;
    List<Reservation> rs = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      rs.add(
          reservation(
              String.format(Locale.ROOT, "C%04d", i),
              "x",
              TrackingState.PENDING,
              LocalDate.of(2026, 3, 1),
              T0.minusMillis(total - i)));
    }
    insertAll(rs);

    Map<String, String> claimedBy = new ConcurrentHashMap<>();
    AtomicInteger duplicates = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      String owner = "engine-" + w;
      tasks.add(
          () -> {
            start.await(30, TimeUnit.SECONDS);
            for (int round = 0; round < total; round++) {
              List<String> got =
                  tx((StoreTransaction t) -> t.claimDue(T0, 7, owner, T0.plusSeconds(600)));
              if (got.isEmpty()) {
                break;
              }
              for (String id : got) {
                if (claimedBy.putIfAbsent(id, owner) != null) {
                  duplicates.incrementAndGet();
                }
              }
            }
            return null;
          });
    }
    runConcurrently(tasks, start);
    assertThat(duplicates).hasValue(0);
    assertThat(claimedBy.keySet())
        .containsExactlyInAnyOrderElementsOf(rs.stream().map(Reservation::id).toList());
  }

  @Test
  @DisplayName(
      "earliestNextAction is the smallest next-action time, ignoring reservations with none")
  void earliestNextAction() {
    assertThat(tx((StoreTransaction t) -> t.earliestNextAction())).isEmpty();
    insert(reservation("N", "x", TrackingState.RECEIVED, LocalDate.of(2026, 3, 1), null));
    assertThat(tx((StoreTransaction t) -> t.earliestNextAction())).isEmpty();
    insertAll(
        List.of(
            reservation(
                "E2", "x", TrackingState.PENDING, LocalDate.of(2026, 3, 1), T0.plusSeconds(50)),
            reservation(
                "E1", "x", TrackingState.PENDING, LocalDate.of(2026, 3, 1), T0.plusMillis(3))));
    assertThat(tx((StoreTransaction t) -> t.earliestNextAction())).contains(T0.plusMillis(3));
  }

  // ------------------------------------------------------------------------------------------
  // agencies

  @Test
  @DisplayName(
      "an agency reads back with every field, found by its name or an alias after normalisation")
  void agencyRoundTripAndLookup() {
    Agency walvis =
        new Agency(
            "WALVIS S.A.",
            List.of("Walvis Viajes Ltda.", "WV Corp"),
            List.of("walvis.cl", "viajes.walvis.cl"),
            true,
            List.of("compras@walvis.cl", "oc@walvis.cl"),
            List.of("jefe@walvis.cl"),
            ReminderSchedule.legacy(2, 4),
            Locale.forLanguageTag("en-GB"),
            false);
    tx(
        (StoreTransaction t) -> {
          t.putAgency(walvis);
          t.putAgency(Agency.notRequiringOc("Turismo Cocha"));
          return null;
        });
    assertThat(tx((StoreTransaction t) -> t.agency("WALVIS S.A."))).contains(walvis);
    assertThat(tx((StoreTransaction t) -> t.agency("walvis sa"))).contains(walvis);
    assertThat(tx((StoreTransaction t) -> t.agency("Walvis"))).contains(walvis);
    assertThat(tx((StoreTransaction t) -> t.agency("walvis viajes"))).contains(walvis);
    assertThat(tx((StoreTransaction t) -> t.agency("W.V. CORP"))).contains(walvis);
    assertThat(tx((StoreTransaction t) -> t.agency("wv corp"))).contains(walvis);
    assertThat(tx((StoreTransaction t) -> t.agency("TURISMO COCHA S.A.")))
        .contains(Agency.notRequiringOc("Turismo Cocha"));
    assertThat(tx((StoreTransaction t) -> t.agency("Unknown Tours"))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.agency("Turismo Cocha")).orElseThrow().schedule())
        .isNull();
    assertThat(tx((StoreTransaction t) -> t.agency("Turismo Cocha")).orElseThrow().locale())
        .isEqualTo(Agency.DEFAULT_LOCALE);
  }

  @Test
  @DisplayName("putAgency replaces the agency with the same normalised name, aliases included")
  void putAgencyReplaces() {
    tx(
        (StoreTransaction t) -> {
          t.putAgency(
              Agency.requiringOc("Walvis S.A.", "a@walvis.cl").withAliases(List.of("Old Alias")));
          return null;
        });
    Agency replacement =
        Agency.requiringOc("WALVIS SA", "b@walvis.cl").withAliases(List.of("New Alias"));
    tx(
        (StoreTransaction t) -> {
          t.putAgency(replacement);
          return null;
        });
    assertThat(tx((StoreTransaction t) -> t.agencies())).containsExactly(replacement);
    assertThat(tx((StoreTransaction t) -> t.agency("walvis"))).contains(replacement);
    assertThat(tx((StoreTransaction t) -> t.agency("new alias"))).contains(replacement);
    assertThat(tx((StoreTransaction t) -> t.agency("old alias"))).isEmpty();
  }

  @Test
  @DisplayName("removeAgency removes by normalised name and says whether it removed one")
  void removeAgency() {
    tx(
        (StoreTransaction t) -> {
          t.putAgency(Agency.requiringOc("Walvis S.A.", "a@walvis.cl").withAliases(List.of("WV")));
          t.putAgency(Agency.notRequiringOc("Cocha"));
          return null;
        });
    assertThat(tx((StoreTransaction t) -> t.removeAgency("walvis"))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.removeAgency("Walvis S.A."))).isFalse();
    assertThat(tx((StoreTransaction t) -> t.agency("wv"))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.agencies()))
        .containsExactly(Agency.notRequiringOc("Cocha"));
  }

  @Test
  @DisplayName("agencies lists every agency ordered by name")
  void agenciesByName() {
    tx(
        (StoreTransaction t) -> {
          t.putAgency(Agency.notRequiringOc("Delta Viajes"));
          t.putAgency(Agency.notRequiringOc("Alfa Tours"));
          t.putAgency(Agency.requiringOc("Charlie Travel", "c@charlie.test"));
          t.putAgency(Agency.notRequiringOc("Bravo Turismo"));
          return null;
        });
    assertThat(tx((StoreTransaction t) -> t.agencies()))
        .extracting(Agency::name)
        .containsExactly("Alfa Tours", "Bravo Turismo", "Charlie Travel", "Delta Viajes");
  }

  // ------------------------------------------------------------------------------------------
  // timeline

  @Test
  @DisplayName("a timeline lists a reservation's events in the order appended, with every field")
  void timelineInOrderAppended() {
    insert(minimalReservation("R1"));
    List<TimelineEvent> events =
        List.of(
            new TimelineEvent(
                "R1",
                T0.plusSeconds(10),
                EventKind.TRACKED,
                "tracked from mail",
                TimelineEvent.SYSTEM),
            // Earlier time, appended later: the order appended wins.
            new TimelineEvent("R1", T0, EventKind.NOTE, "clock moved back ñ", "ana"),
            new TimelineEvent("R1", T0, EventKind.NOTE, "same instant", "ana"),
            new TimelineEvent(
                "R1", T0.plusSeconds(20), EventKind.STATE_CHANGED, "PENDING -> REQUESTED", null));
    for (TimelineEvent e : events) {
      tx(
          (StoreTransaction t) -> {
            t.appendEvent(e);
            return null;
          });
    }
    tx(
        (StoreTransaction t) -> {
          t.appendEvent(new TimelineEvent("R2", T0, EventKind.NOTE, "other", "bob"));
          return null;
        });
    assertThat(tx((StoreTransaction t) -> t.timeline("R1"))).containsExactlyElementsOf(events);
    assertThat(tx((StoreTransaction t) -> t.timeline("R2"))).hasSize(1);
    assertThat(tx((StoreTransaction t) -> t.timeline("none"))).isEmpty();
  }

  // -------------------------------------------------------------------------------------------
  // inbound

  @Test
  @DisplayName(
      "an inbound message is recorded once by key, reads back with every field, and can be updated")
  void inboundOnceAndUpdate() {
    InboundRecord first = inboundRecord("k1", InboundOutcome.CONFIRMATION, T0);
    assertThat(tx((StoreTransaction t) -> t.insertInbound(first))).isTrue();
    InboundRecord second = inboundRecord("k1", InboundOutcome.IGNORED, T0.plusSeconds(5));
    assertThat(tx((StoreTransaction t) -> t.insertInbound(second))).isFalse();
    assertThat(tx((StoreTransaction t) -> t.inbound("k1"))).contains(first);

    InboundRecord minimal =
        new InboundRecord(
            "k2", null, null, null, null, T0, InboundOutcome.QUARANTINED, null, null, null);
    assertThat(tx((StoreTransaction t) -> t.insertInbound(minimal))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.inbound("k2"))).contains(minimal);

    InboundRecord updated =
        first.withOutcome(InboundOutcome.REVIEW, "matched two reservations", null);
    tx(
        (StoreTransaction t) -> {
          t.updateInbound(updated);
          return null;
        });
    assertThat(tx((StoreTransaction t) -> t.inbound("k1"))).contains(updated);
    assertThat(tx((StoreTransaction t) -> t.inbound("missing"))).isEmpty();
  }

  @Test
  @DisplayName(
      "inboundByOutcome lists records with that outcome, most recent first, up to the limit")
  void inboundByOutcome() {
    for (int i = 0; i < 6; i++) {
      InboundOutcome o = i % 2 == 0 ? InboundOutcome.QUARANTINED : InboundOutcome.IGNORED;
      InboundRecord r = inboundRecord("k" + i, o, T0.plusSeconds(i));
      tx((StoreTransaction t) -> t.insertInbound(r));
    }
    assertThat(tx((StoreTransaction t) -> t.inboundByOutcome(InboundOutcome.QUARANTINED, 10)))
        .extracting(InboundRecord::key)
        .containsExactly("k4", "k2", "k0");
    assertThat(tx((StoreTransaction t) -> t.inboundByOutcome(InboundOutcome.IGNORED, 2)))
        .extracting(InboundRecord::key)
        .containsExactly("k5", "k3");
    assertThat(tx((StoreTransaction t) -> t.inboundByOutcome(InboundOutcome.REVIEW, 10))).isEmpty();
  }

  @Test
  @DisplayName(
      "inboundLog filters by outcome and time (either may be absent), newest first, up to the"
          + " limit")
  void inboundLog() {
    for (int i = 0; i < 6; i++) {
      InboundOutcome o = i % 2 == 0 ? InboundOutcome.QUARANTINED : InboundOutcome.CONFIRMATION;
      InboundRecord r = inboundRecord("k" + i, o, T0.plusSeconds(i));
      tx((StoreTransaction t) -> t.insertInbound(r));
    }
    assertThat(tx((StoreTransaction t) -> t.inboundLog(null, null, 10)))
        .extracting(InboundRecord::key)
        .containsExactly("k5", "k4", "k3", "k2", "k1", "k0");
    assertThat(tx((StoreTransaction t) -> t.inboundLog(null, T0.plusSeconds(3), 10)))
        .extracting(InboundRecord::key)
        .containsExactly("k5", "k4", "k3");
    assertThat(
            tx(
                (StoreTransaction t) ->
                    t.inboundLog(InboundOutcome.QUARANTINED, T0.plusSeconds(1), 1)))
        .extracting(InboundRecord::key)
        .containsExactly("k4");
    assertThat(tx((StoreTransaction t) -> t.inboundLog(InboundOutcome.REVIEW, null, 10))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.inboundLog(null, null, 0))).isEmpty();
  }

  @Test
  @DisplayName(
      "a retrying record keeps its attempts and next try; dueInbound lists the due ones, earliest"
          + " first")
  void retryingInboundIsDue() {
    for (int i = 0; i < 3; i++) {
      InboundRecord r =
          new InboundRecord(
              "r" + i,
              "<r" + i + "@x>",
              "a@b.cl",
              "s",
              T0,
              T0,
              InboundOutcome.RETRYING,
              "timed out",
              null,
              List.of(),
              i + 1,
              T0.plusSeconds(60L * (3 - i)));
      tx((StoreTransaction t) -> t.insertInbound(r));
    }
    InboundRecord done = inboundRecord("q", InboundOutcome.QUARANTINED, T0);
    tx((StoreTransaction t) -> t.insertInbound(done));
    InboundRecord r0 = tx((StoreTransaction t) -> t.inbound("r0")).orElseThrow();
    assertThat(r0.attempts()).isEqualTo(1);
    assertThat(r0.nextAttemptAt()).isEqualTo(T0.plusSeconds(180));
    assertThat(done.nextAttemptAt()).isNull();
    assertThat(tx((StoreTransaction t) -> t.dueInbound(T0.plusSeconds(120), 10)))
        .extracting(InboundRecord::key)
        .containsExactly("r2", "r1");
    assertThat(tx((StoreTransaction t) -> t.dueInbound(T0.plusSeconds(600), 1)))
        .extracting(InboundRecord::key)
        .containsExactly("r2");
    assertThat(tx((StoreTransaction t) -> t.dueInbound(T0, 10))).isEmpty();
    InboundRecord given = r0.withOutcome(InboundOutcome.QUARANTINED, "gave up", null);
    tx(
        (StoreTransaction t) -> {
          t.updateInbound(given);
          return null;
        });
    assertThat(tx((StoreTransaction t) -> t.inbound("r0")).orElseThrow().nextAttemptAt()).isNull();
    assertThat(tx((StoreTransaction t) -> t.dueInbound(T0.plusSeconds(600), 10)))
        .extracting(InboundRecord::key)
        .containsExactly("r2", "r1");
  }

  @Test
  @DisplayName(
      "a kept message content reads back byte for byte, is replaced, and is purged after the"
          + " retention unless its record is still retrying")
  void keptInboundContent() {
    byte[] big = new byte[300_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    InboundRecord q = inboundRecord("q", InboundOutcome.QUARANTINED, T0);
    InboundRecord r =
        new InboundRecord(
            "r",
            null,
            null,
            null,
            null,
            T0,
            InboundOutcome.RETRYING,
            "timed out",
            null,
            List.of(),
            1,
            T0.plusSeconds(60));
    tx((StoreTransaction t) -> t.insertInbound(q));
    tx((StoreTransaction t) -> t.insertInbound(r));
    tx(
        (StoreTransaction t) -> {
          t.putInboundContent("q", new byte[] {1, 2, 3}, T0);
          t.putInboundContent("q", big, T0);
          t.putInboundContent("r", new byte[] {9}, T0);
          return null;
        });
    assertThat(tx((StoreTransaction t) -> t.inboundContent("q")))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(big));
    assertThat(tx((StoreTransaction t) -> t.inboundContent("none"))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.purgeInboundContent(T0))).isZero();
    assertThat(tx((StoreTransaction t) -> t.purgeInboundContent(T0.plusSeconds(1)))).isEqualTo(1);
    assertThat(tx((StoreTransaction t) -> t.inboundContent("q"))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.inboundContent("r")))
        .hasValueSatisfying(b -> assertThat(b).containsExactly(9));
  }

  @Test
  @DisplayName("a setting is written once: a second insert of the name keeps the first value")
  void settingsAreWrittenOnce() {
    assertThat(tx((StoreTransaction t) -> t.setting("message-id-key"))).isEmpty();
    assertThat(tx((StoreTransaction t) -> t.insertSetting("message-id-key", "first"))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.insertSetting("message-id-key", "second"))).isFalse();
    assertThat(tx((StoreTransaction t) -> t.setting("message-id-key"))).contains("first");
    assertThat(tx((StoreTransaction t) -> t.setting("other"))).isEmpty();
  }

  @Test
  @DisplayName("countInbound counts every record with that outcome, beyond any page size")
  void countInbound() {
    for (int i = 0; i < 7; i++) {
      InboundOutcome o = i % 3 == 0 ? InboundOutcome.REVIEW : InboundOutcome.IGNORED;
      InboundRecord r = inboundRecord("c" + i, o, T0.plusSeconds(i));
      tx((StoreTransaction t) -> t.insertInbound(r));
    }
    assertThat(tx((StoreTransaction t) -> t.countInbound(InboundOutcome.REVIEW))).isEqualTo(3);
    assertThat(tx((StoreTransaction t) -> t.countInbound(InboundOutcome.IGNORED))).isEqualTo(4);
    assertThat(tx((StoreTransaction t) -> t.countInbound(InboundOutcome.QUARANTINED))).isZero();
  }

  // --------------------------------------------------------------------------------------------
  // outbox

  @Test
  @DisplayName(
      "an outbox row is queued once per id and reads back with every field, also by Message-ID")
  void outboxOnceAndRoundTrip() {
    OutboxMessage row = outboxRow("R1", Step.REQUEST, 0, T0);
    assertThat(tx((StoreTransaction t) -> t.insertOutbox(row))).isTrue();
    OutboxMessage again =
        outboxRow("R1", Step.REQUEST, 0, T0.plusSeconds(9))
            .with(OutboxStatus.SENT, 3, null, "x", T0);
    assertThat(tx((StoreTransaction t) -> t.insertOutbox(again))).isFalse();
    assertThat(tx((StoreTransaction t) -> t.outbox(row.id()))).contains(row);
    assertThat(tx((StoreTransaction t) -> t.outboxByMessageId(row.messageId()))).contains(row);
    assertThat(tx((StoreTransaction t) -> t.outboxByMessageId("unknown@x"))).isEmpty();

    OutboxMessage digest =
        new OutboxMessage(
            OutboxMessage.idOf(null, Step.DIGEST, 0),
            null,
            Step.DIGEST,
            0,
            "digest.1@kontroltravel.test",
            null,
            null,
            null,
            null,
            "Resumen",
            "",
            null,
            null,
            OutboxStatus.SENT,
            1,
            null,
            "last: 421 try later",
            T0,
            T0.plusSeconds(1));
    assertThat(tx((StoreTransaction t) -> t.insertOutbox(digest))).isTrue();
    assertThat(tx((StoreTransaction t) -> t.outbox(digest.id()))).contains(digest);
  }

  @Test
  @DisplayName("outboxFor lists a reservation's rows in creation order")
  void outboxForInCreationOrder() {
    List<OutboxMessage> rows =
        List.of(
            outboxRow("R1", Step.REQUEST, 0, T0),
            outboxRow("R1", Step.REMINDER_1, 0, T0.plusSeconds(1)),
            outboxRow("R1", Step.REQUEST, 1, T0.plusSeconds(2)),
            outboxRow("R1", Step.ACKNOWLEDGEMENT, 0, T0.plusSeconds(3)));
    for (OutboxMessage m : rows) {
      tx((StoreTransaction t) -> t.insertOutbox(m));
    }
    tx((StoreTransaction t) -> t.insertOutbox(outboxRow("R2", Step.REQUEST, 0, T0)));
    assertThat(tx((StoreTransaction t) -> t.outboxFor("R1"))).containsExactlyElementsOf(rows);
    assertThat(tx((StoreTransaction t) -> t.outboxFor("R3"))).isEmpty();
  }

  @Test
  @DisplayName(
      "claimOutbox claims only due PENDING rows and increments and persists their attempt count")
  void claimOutbox() {
    OutboxMessage due1 = outboxRow("R1", Step.REQUEST, 0, T0.minusSeconds(5));
    OutboxMessage due2 =
        outboxRow("R2", Step.REQUEST, 0, T0).with(OutboxStatus.PENDING, 2, T0, "421", null);
    OutboxMessage later = outboxRow("R3", Step.REQUEST, 0, T0.plusMillis(1));
    OutboxMessage sent =
        outboxRow("R4", Step.REQUEST, 0, T0.minusSeconds(5))
            .with(OutboxStatus.SENT, 1, T0, null, T0);
    OutboxMessage failed =
        outboxRow("R5", Step.REQUEST, 0, T0.minusSeconds(5))
            .with(OutboxStatus.FAILED, 1, T0, "550", null);
    OutboxMessage cancelled =
        outboxRow("R6", Step.REQUEST, 0, T0.minusSeconds(5))
            .with(OutboxStatus.CANCELLED, 0, T0, null, null);
    tx(
        (StoreTransaction t) -> {
          for (OutboxMessage m : List.of(due1, due2, later, sent, failed, cancelled)) {
            t.insertOutbox(m);
          }
          return null;
        });

    List<OutboxMessage> claimed =
        tx((StoreTransaction t) -> t.claimOutbox(T0, 10, "engine-a", T0.plusSeconds(60)));
    assertThat(claimed)
        .containsExactlyInAnyOrder(
            due1.with(OutboxStatus.PENDING, 1, due1.nextAttemptAt(), null, null),
            due2.with(OutboxStatus.PENDING, 3, due2.nextAttemptAt(), "421", null));
    assertThat(tx((StoreTransaction t) -> t.outbox(due1.id())).orElseThrow().attempts())
        .isEqualTo(1);
    assertThat(tx((StoreTransaction t) -> t.outbox(due2.id())).orElseThrow().attempts())
        .isEqualTo(3);
    assertThat(
            tx(
                (StoreTransaction t) ->
                    t.claimOutbox(T0.plusSeconds(1), 10, "engine-b", T0.plusSeconds(60))))
        .extracting(OutboxMessage::id)
        .containsExactly(later.id());
    assertThat(
            tx(
                (StoreTransaction t) ->
                    t.claimOutbox(T0.plusSeconds(30), 10, "engine-b", T0.plusSeconds(60))))
        .isEmpty();

    // After the lease the rows are claimable again, with one more attempt.
    List<OutboxMessage> reclaimed =
        tx(
            (StoreTransaction t) ->
                t.claimOutbox(T0.plusSeconds(61), 10, "engine-c", T0.plusSeconds(120)));
    assertThat(reclaimed)
        .extracting(OutboxMessage::id)
        .containsExactlyInAnyOrder(due1.id(), due2.id(), later.id());
    assertThat(reclaimed).extracting(OutboxMessage::attempts).containsExactlyInAnyOrder(2, 4, 2);
  }

  @Test
  @DisplayName("claimOutbox honours its limit")
  void claimOutboxLimit() {
    tx(
        (StoreTransaction t) -> {
          for (int i = 0; i < 5; i++) {
            t.insertOutbox(outboxRow("R" + i, Step.REQUEST, 0, T0.minusSeconds(i)));
          }
          return null;
        });
    assertThat(tx((StoreTransaction t) -> t.claimOutbox(T0, 3, "a", T0.plusSeconds(60))))
        .hasSize(3);
    assertThat(tx((StoreTransaction t) -> t.claimOutbox(T0, 3, "b", T0.plusSeconds(60))))
        .hasSize(2);
  }

  @Test
  @DisplayName("updateOutbox replaces the row and releases its claim")
  void updateOutboxReleasesClaim() {
    OutboxMessage row = outboxRow("R1", Step.REQUEST, 0, T0);
    tx((StoreTransaction t) -> t.insertOutbox(row));
    OutboxMessage claimed =
        tx((StoreTransaction t) -> t.claimOutbox(T0, 10, "engine-a", T0.plusSeconds(600))).get(0);

    OutboxMessage retry =
        claimed.with(OutboxStatus.PENDING, claimed.attempts(), T0.plusSeconds(5), "421 busy", null);
    tx(
        (StoreTransaction t) -> {
          t.updateOutbox(retry);
          return null;
        });
    assertThat(tx((StoreTransaction t) -> t.outbox(row.id()))).contains(retry);
    List<OutboxMessage> again =
        tx(
            (StoreTransaction t) ->
                t.claimOutbox(T0.plusSeconds(5), 10, "engine-b", T0.plusSeconds(600)));
    assertThat(again)
        .containsExactly(retry.with(OutboxStatus.PENDING, 2, T0.plusSeconds(5), "421 busy", null));

    OutboxMessage done = again.get(0).with(OutboxStatus.SENT, 2, null, null, T0.plusSeconds(6));
    tx(
        (StoreTransaction t) -> {
          t.updateOutbox(done);
          return null;
        });
    assertThat(tx((StoreTransaction t) -> t.outbox(row.id()))).contains(done);
    assertThat(
            tx(
                (StoreTransaction t) ->
                    t.claimOutbox(T0.plusSeconds(700), 10, "engine-c", T0.plusSeconds(800))))
        .isEmpty();
  }

  @Test
  @DisplayName("four threads claiming 300 due outbox rows concurrently claim each exactly once")
  void concurrentClaimOutboxIsDisjoint() throws Exception {
    int total = 300;
    tx(
        (StoreTransaction t) -> {
          for (int i = 0; i < total; i++) {
            t.insertOutbox(
                outboxRow(
                    String.format(Locale.ROOT, "R%04d", i), Step.REQUEST, 0, T0.minusMillis(i)));
          }
          return null;
        });
    Map<String, String> claimedBy = new ConcurrentHashMap<>();
    AtomicInteger duplicates = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      String owner = "dispatcher-" + w;
      tasks.add(
          () -> {
            start.await(30, TimeUnit.SECONDS);
            for (int round = 0; round < total; round++) {
              List<OutboxMessage> got =
                  tx((StoreTransaction t) -> t.claimOutbox(T0, 5, owner, T0.plusSeconds(600)));
              if (got.isEmpty()) {
                break;
              }
              for (OutboxMessage m : got) {
                if (claimedBy.putIfAbsent(m.id(), owner) != null) {
                  duplicates.incrementAndGet();
                }
              }
            }
            return null;
          });
    }
    runConcurrently(tasks, start);
    assertThat(duplicates).hasValue(0);
    assertThat(claimedBy).hasSize(total);
    List<OutboxMessage> all = new ArrayList<>();
    for (int i = 0; i < total; i += 50) {
      int from = i;
      all.addAll(
          tx(
              (StoreTransaction t) ->
                  IntStream.range(from, Math.min(total, from + 50))
                      .mapToObj(
                          k ->
                              t.outbox(
                                      OutboxMessage.idOf(
                                          String.format(Locale.ROOT, "R%04d", k), Step.REQUEST, 0))
                                  .orElseThrow())
                      .toList()));
    }
    assertThat(all).extracting(OutboxMessage::attempts).containsOnly(1);
  }

  @Test
  @DisplayName("cancelPendingOutbox cancels only the reservation's PENDING rows and says how many")
  void cancelPendingOutbox() {
    OutboxMessage sent =
        outboxRow("R1", Step.REQUEST, 0, T0).with(OutboxStatus.SENT, 1, null, null, T0);
    OutboxMessage pending1 = outboxRow("R1", Step.REMINDER_1, 0, T0.plusSeconds(10));
    OutboxMessage pending2 = outboxRow("R1", Step.REMINDER_2, 0, T0.plusSeconds(20));
    OutboxMessage otherRes = outboxRow("R2", Step.REQUEST, 0, T0);
    tx(
        (StoreTransaction t) -> {
          for (OutboxMessage m : List.of(sent, pending1, pending2, otherRes)) {
            t.insertOutbox(m);
          }
          return null;
        });
    assertThat(tx((StoreTransaction t) -> t.cancelPendingOutbox("R1", "OC received"))).isEqualTo(2);
    assertThat(tx((StoreTransaction t) -> t.outboxFor("R1")))
        .extracting(OutboxMessage::status)
        .containsExactly(OutboxStatus.SENT, OutboxStatus.CANCELLED, OutboxStatus.CANCELLED);
    assertThat(tx((StoreTransaction t) -> t.outbox(otherRes.id())).orElseThrow().status())
        .isEqualTo(OutboxStatus.PENDING);
    assertThat(tx((StoreTransaction t) -> t.cancelPendingOutbox("R1", "again"))).isZero();
    assertThat(
            tx(
                (StoreTransaction t) ->
                    t.claimOutbox(T0.plusSeconds(60), 10, "a", T0.plusSeconds(600))))
        .extracting(OutboxMessage::id)
        .containsExactly(otherRes.id());
  }

  @Test
  @DisplayName(
      "countOutboxByStatus counts rows per status and earliestPendingOutbox ignores other statuses")
  void outboxCountsAndEarliest() {
    assertThat(tx((StoreTransaction t) -> t.earliestPendingOutbox())).isEmpty();
    assertThat(
            tx((StoreTransaction t) -> t.countOutboxByStatus()).values().stream()
                .mapToLong(Long::longValue)
                .sum())
        .isZero();
    tx(
        (StoreTransaction t) -> {
          t.insertOutbox(
              outboxRow("R1", Step.REQUEST, 0, T0.minusSeconds(100))
                  .with(OutboxStatus.SENT, 1, T0.minusSeconds(100), null, T0));
          t.insertOutbox(
              outboxRow("R2", Step.REQUEST, 0, T0.minusSeconds(90))
                  .with(OutboxStatus.FAILED, 5, T0.minusSeconds(90), "550", null));
          t.insertOutbox(outboxRow("R3", Step.REQUEST, 0, T0.plusMillis(250)));
          t.insertOutbox(outboxRow("R4", Step.REQUEST, 0, T0.plusSeconds(30)));
          t.insertOutbox(outboxRow("R5", Step.REQUEST, 0, T0.plusSeconds(40)));
          return null;
        });
    Map<OutboxStatus, Long> counts = tx((StoreTransaction t) -> t.countOutboxByStatus());
    assertThat(counts.getOrDefault(OutboxStatus.PENDING, 0L)).isEqualTo(3);
    assertThat(counts.getOrDefault(OutboxStatus.SENT, 0L)).isEqualTo(1);
    assertThat(counts.getOrDefault(OutboxStatus.FAILED, 0L)).isEqualTo(1);
    assertThat(counts.getOrDefault(OutboxStatus.CANCELLED, 0L)).isZero();
    assertThat(tx((StoreTransaction t) -> t.earliestPendingOutbox())).contains(T0.plusMillis(250));
  }

  // -------------------------------------------------------------------------------------------
  // cursors

  @Test
  @DisplayName("a mailbox cursor is saved, read back and replaced per mailbox")
  void cursors() {
    assertThat(tx((StoreTransaction t) -> t.cursor("imap://ops@kontrol/INBOX"))).isEmpty();
    MailboxCursor c1 = new MailboxCursor("imap://ops@kontrol/INBOX", 1_700_000_000L, 42);
    MailboxCursor other = new MailboxCursor("imap://ops@kontrol/Archive", 5, 0);
    tx(
        (StoreTransaction t) -> {
          t.putCursor(c1);
          t.putCursor(other);
          return null;
        });
    assertThat(tx((StoreTransaction t) -> t.cursor(c1.mailbox()))).contains(c1);
    MailboxCursor c2 = new MailboxCursor(c1.mailbox(), 4_294_967_295L, 9_000_000_000L);
    tx(
        (StoreTransaction t) -> {
          t.putCursor(c2);
          return null;
        });
    assertThat(tx((StoreTransaction t) -> t.cursor(c1.mailbox()))).contains(c2);
    assertThat(tx((StoreTransaction t) -> t.cursor(other.mailbox()))).contains(other);
  }

  @Test
  @DisplayName(
      "a cursor's opaque sync state (a long delta link) is kept exactly, and can be cleared")
  void cursorSyncState() {
    String link =
        "https://graph.microsoft.com/v1.0/users/oc%40kontrol.cl/mailFolders/Inbox/messages/delta?"
            + "$deltatoken="
            + "aZ-9_".repeat(MailboxCursor.MAX_SYNC_STATE / 5 - 40);
    MailboxCursor graph = new MailboxCursor("graph://oc@kontrol.cl/Inbox", 0, 0, link);
    tx(
        (StoreTransaction t) -> {
          t.putCursor(graph);
          return null;
        });
    assertThat(tx((StoreTransaction t) -> t.cursor(graph.mailbox()))).contains(graph);
    MailboxCursor cleared = new MailboxCursor(graph.mailbox(), 0, 0);
    tx(
        (StoreTransaction t) -> {
          t.putCursor(cleared);
          return null;
        });
    assertThat(tx((StoreTransaction t) -> t.cursor(graph.mailbox())))
        .get()
        .extracting(MailboxCursor::syncState)
        .isNull();
  }

  // -----------------------------------------------------------------------------------------
  // documents

  @Test
  @DisplayName("a document's bytes, checksum, size and metadata read back exactly")
  void documentRoundTrip() {
    byte[] content = new byte[256 * 1024 + 13];
    new Random(42).nextBytes(content);
    for (int i = 0; i < 256; i++) {
      content[i] = (byte) i;
    }
    StoredDocument doc = document("doc-1", "R1", DocumentKind.CONFIRMATION, content, T0);
    tx(
        (StoreTransaction t) -> {
          t.putDocument(doc);
          return null;
        });
    StoredDocument read = tx((StoreTransaction t) -> t.document("doc-1")).orElseThrow();
    assertThat(read).isEqualTo(doc);
    assertThat(read.content()).isEqualTo(content);
    assertThat(read.size()).isEqualTo(content.length);
    assertThat(read.sha256()).isEqualTo(sha256(read.content()));

    StoredDocument empty =
        new StoredDocument(
            "doc-0",
            null,
            DocumentKind.PURCHASE_ORDER,
            null,
            "review_0_oc.pdf",
            null,
            sha256(new byte[0]),
            0,
            new byte[0],
            T0);
    tx(
        (StoreTransaction t) -> {
          t.putDocument(empty);
          return null;
        });
    assertThat(tx((StoreTransaction t) -> t.document("doc-0"))).contains(empty);
    assertThat(tx((StoreTransaction t) -> t.document("missing"))).isEmpty();
  }

  @Test
  @DisplayName(
      "putDocument replaces by id and documentsFor lists a reservation's documents in the order stored")
  void documentsForAndReplace() {
    StoredDocument d1 = document("d1", "R1", DocumentKind.CONFIRMATION, new byte[] {1}, T0);
    StoredDocument d2 =
        document("d2", "R1", DocumentKind.PURCHASE_ORDER, new byte[] {2, 2}, T0.plusSeconds(1));
    StoredDocument d3 =
        document("d3", "R1", DocumentKind.CONFIRMATION, new byte[] {3, 3, 3}, T0.minusSeconds(1));
    StoredDocument other = document("d4", "R2", DocumentKind.CONFIRMATION, new byte[] {4}, T0);
    for (StoredDocument d : List.of(d1, d2, d3, other)) {
      tx(
          (StoreTransaction t) -> {
            t.putDocument(d);
            return null;
          });
    }
    assertThat(tx((StoreTransaction t) -> t.documentsFor("R1"))).containsExactly(d1, d2, d3);

    // An OC from the review queue gets tied to a reservation: same id, new content of the record.
    StoredDocument review =
        document("d5", null, DocumentKind.PURCHASE_ORDER, new byte[] {5, 5}, T0);
    tx(
        (StoreTransaction t) -> {
          t.putDocument(review);
          return null;
        });
    assertThat(tx((StoreTransaction t) -> t.documentsFor("R2"))).containsExactly(other);
    StoredDocument filed = review.withReservation("R2", "20260302_R2_oc.pdf");
    tx(
        (StoreTransaction t) -> {
          t.putDocument(filed);
          return null;
        });
    assertThat(tx((StoreTransaction t) -> t.document("d5"))).contains(filed);
    assertThat(tx((StoreTransaction t) -> t.documentsFor("R2")))
        .extracting(StoredDocument::id)
        .containsExactlyInAnyOrder("d4", "d5");
  }

  // -------------------------------------------------------------------------------------------
  // helpers

  /**
   * Runs {@code tasks} on their own threads, opens {@code start}, and waits (bounded) for all;
   * rethrows the first failure.
   */
  protected static void runConcurrently(List<Callable<Void>> tasks, CountDownLatch start)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      List<Future<Void>> futures = tasks.stream().map(pool::submit).collect(Collectors.toList());
      start.countDown();
      long deadline = System.nanoTime() + CONCURRENCY_TIMEOUT.toNanos();
      for (Future<Void> f : futures) {
        long left = Math.max(1, deadline - System.nanoTime());
        f.get(left, TimeUnit.NANOSECONDS);
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).as("workers stopped").isTrue();
    }
  }
}
