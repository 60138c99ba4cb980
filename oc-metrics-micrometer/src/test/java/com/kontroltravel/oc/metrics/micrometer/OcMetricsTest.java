package com.kontroltravel.oc.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.OcOperations;
import com.kontroltravel.oc.Statistics;
import com.kontroltravel.oc.examples.DemoPdfs;
import com.kontroltravel.oc.examples.LoopbackMailServer;
import com.kontroltravel.oc.examples.RunnerSettings;
import com.kontroltravel.oc.mail.jakarta.JakartaMailGateway;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.FetchBatch;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.MailboxCursor;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.OutboxStatus;
import com.kontroltravel.oc.model.SendResult;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.pdf.pdfbox.PdfBoxReservationParser;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.store.jdbc.JdbcStore;
import com.kontroltravel.oc.testkit.Await;
import com.kontroltravel.oc.testkit.SettableClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.internet.MimeMessage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class OcMetricsTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  static final String MAILBOX = "reservas@kontrol.demo";
  static final String BOOKING_SYSTEM = "sistema@kontrol.demo";
  static final String AGENCY = "Viajes Andes S.A.";
  static final String CONTACT = "compras@andes.demo";

  @TempDir Path dir;

  @Test
  @Timeout(120)
  @DisplayName(
      "a SimpleMeterRegistry sees every counter and timer move in a demo-sized run: GreenMail,"
          + " SQLite, the demo's PDFs, one send failing transiently and retried, an OC filed")
  void everyCounterMovesInADemoSizedRun() throws Exception {
    SettableClock clock =
        SettableClock.at(ZonedDateTime.of(2025, 12, 1, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (LoopbackMailServer mail = LoopbackMailServer.start(MAILBOX);
        JdbcStore store = JdbcStore.sqlite(dir.resolve("oc.db"))) {
      RunnerSettings settings =
          RunnerSettings.of(mail.settings())
              .with(Map.of("ALLOWED_CONFIRMATION_SENDERS", BOOKING_SYSTEM, "OC_NODE_ID", "m1"));
      OcConfig config = settings.ocConfig(null);
      OcMetrics metrics = OcMetrics.create(OcOperations.create(store, config)::statistics);
      metrics.bindTo(registry);
      try (JakartaMailGateway smtp = JakartaMailGateway.create(settings.mailSettings());
          OcEngine engine =
              OcEngine.builder()
                  .config(config)
                  .store(store)
                  .mailGateway(new FirstSendFails(smtp))
                  .reservationParser(PdfBoxReservationParser.create())
                  .clock(clock)
                  .listener(metrics)
                  .listener(e -> {}) // a second listener beside it changes nothing
                  .build()) {
        engine.operations().putAgency(Agency.requiringOc(AGENCY, CONTACT), "test");
        List<String> ids = List.of("45215412", "45215449", "45215486");
        for (int i = 0; i < ids.size(); i++) {
          confirm(mail, clock.instant(), ids.get(i), i);
        }
        mail.send(
            "newsletter@elsewhere.demo",
            MAILBOX,
            "Ofertas de la semana",
            "Nada que ver con reservas.",
            clock.instant(),
            null,
            null,
            null);
        mail.send(
            BOOKING_SYSTEM,
            MAILBOX,
            "Confirmación de reserva 45215523",
            "Adjunto.",
            clock.instant(),
            null,
            "Resumen_45215523.pdf",
            "%PDF-1.4 truncated".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        // Three requests: the first send fails transiently, is retried after its backoff.
        Await.await(
            "three requests delivered to the agency",
            () -> {
              engine.tick();
              clock.advance(Duration.ofMinutes(2));
              return mail.inboxOf(CONTACT).size() >= 3;
            },
            Duration.ofSeconds(60));

        MimeMessage request = mail.inboxOf(CONTACT).get(0);
        String requestId = LoopbackMailServer.messageId(request);
        String bookingId = requestId.split("\\.")[1];
        mail.send(
            CONTACT,
            MAILBOX,
            "RE: " + request.getSubject(),
            "Adjuntamos la orden de compra.",
            clock.instant(),
            requestId,
            "OC_" + bookingId + ".pdf",
            DemoPdfs.purchaseOrder(AGENCY, "4500123456", bookingId, new BigDecimal("250000.00")));
        Await.await(
            "the OC filed",
            () -> {
              engine.tick();
              return engine.operations().reservation(bookingId).orElseThrow().state()
                  == TrackingState.RECEIVED;
            },
            Duration.ofSeconds(30));
      }

      assertThat(count(registry, OcMetrics.INBOUND, "outcome", "confirmation")).isEqualTo(3);
      assertThat(count(registry, OcMetrics.INBOUND, "outcome", "purchase_order")).isEqualTo(1);
      assertThat(count(registry, OcMetrics.INBOUND, "outcome", "ignored")).isEqualTo(1);
      assertThat(
              registry.find(OcMetrics.INBOUND).counters().stream()
                  .mapToDouble(c -> c.count())
                  .sum())
          .as(
              "a record per message (3 confirmations, a newsletter, a broken PDF, an OC), and one"
                  + " per further attempt where the engine retries one")
          .isGreaterThanOrEqualTo(6);
      assertThat(sends(registry, "request", "sent")).isEqualTo(3);
      assertThat(sends(registry, "request", "transient_failure")).isEqualTo(1);
      assertThat(count(registry, OcMetrics.RETRIES, "step", "request")).isEqualTo(1);
      assertThat(count(registry, OcMetrics.EVENTS, "kind", "tracked")).isEqualTo(3);
      assertThat(count(registry, OcMetrics.EVENTS, "kind", "oc_received")).isEqualTo(1);

      assertThat(timer(registry, OcMetrics.PARSE, "kind", "confirmation", "result", "ok"))
          .isEqualTo(3);
      assertThat(timer(registry, OcMetrics.PARSE, "kind", "confirmation", "result", "failed"))
          .as("the truncated PDF")
          .isGreaterThanOrEqualTo(1);
      assertThat(timer(registry, OcMetrics.PARSE, "kind", "purchase_order", "result", "ok"))
          .isEqualTo(1);
      assertThat(timer(registry, OcMetrics.SEND, "step", "request", "result", "sent")).isEqualTo(3);
      assertThat(timer(registry, OcMetrics.TICK, "round", "tick")).isGreaterThanOrEqualTo(2);
      assertThat(
              registry
                  .get(OcMetrics.PARSE)
                  .tags("kind", "confirmation", "result", "ok")
                  .timer()
                  .totalTime(TimeUnit.NANOSECONDS))
          .as("parse time is measured")
          .isPositive();

      // The gauges read the store (the engine is closed now; the statistics are still there).
      assertThat(gauge(registry, OcMetrics.BOOKINGS, "state", "received")).isEqualTo(1);
      assertThat(gauge(registry, OcMetrics.BOOKINGS, "state", "requested")).isEqualTo(2);
      assertThat(gauge(registry, OcMetrics.OUTBOX, "status", "sent"))
          .as("three requests and the acknowledgement")
          .isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  @DisplayName(
      "the gauges read the statistics at most once per refresh interval, keep the last values when"
          + " reading fails, and read again once the interval has passed")
  void gaugesAreCached() {
    AtomicInteger reads = new AtomicInteger();
    AtomicBoolean failing = new AtomicBoolean();
    Map<TrackingState, Long> byState = new EnumMap<>(TrackingState.class);
    for (TrackingState s : TrackingState.values()) {
      byState.put(s, 0L);
    }
    Map<OutboxStatus, Long> outbox = new EnumMap<>(OutboxStatus.class);
    for (OutboxStatus s : OutboxStatus.values()) {
      outbox.put(s, 0L);
    }
    MockClock clock = new MockClock();
    OcMetrics metrics =
        OcMetrics.builder(
                () -> {
                  if (failing.get()) {
                    throw new IllegalStateException("store down");
                  }
                  byState.put(TrackingState.PENDING, (long) reads.incrementAndGet());
                  return new Statistics(byState, 1, 0, 0, outbox);
                })
            .clock(clock)
            .build();
    MeterRegistry registry = new SimpleMeterRegistry();
    metrics.bindTo(registry);

    for (int i = 0; i < 50; i++) {
      assertThat(gauge(registry, OcMetrics.BOOKINGS, "state", "pending")).isEqualTo(1);
    }
    assertThat(reads).hasValue(1);
    clock.add(OcMetrics.DEFAULT_REFRESH.minusMillis(1));
    assertThat(gauge(registry, OcMetrics.BOOKINGS, "state", "pending")).isEqualTo(1);
    clock.add(Duration.ofMillis(1));
    assertThat(gauge(registry, OcMetrics.BOOKINGS, "state", "pending")).isEqualTo(2);
    failing.set(true);
    clock.add(OcMetrics.DEFAULT_REFRESH);
    assertThat(gauge(registry, OcMetrics.BOOKINGS, "state", "pending")).isEqualTo(2);
    failing.set(false);
    assertThat(gauge(registry, OcMetrics.BOOKINGS, "state", "pending"))
        .as("a failed reading is not retried before the interval passes")
        .isEqualTo(2);
    clock.add(OcMetrics.DEFAULT_REFRESH);
    assertThat(gauge(registry, OcMetrics.BOOKINGS, "state", "pending")).isEqualTo(3);
  }

  @Test
  @DisplayName("a gauge is NaN while the statistics were never read")
  void gaugeIsNanBeforeAnyReading() {
    OcMetrics metrics =
        OcMetrics.create(
            () -> {
              throw new IllegalStateException("store down");
            });
    MeterRegistry registry = new SimpleMeterRegistry();
    metrics.bindTo(registry);
    assertThat(gauge(registry, OcMetrics.ATTENTION)).isNaN();
  }

  private static void confirm(LoopbackMailServer mail, Instant at, String id, int i) {
    LocalDate day = at.atZone(ZONE).toLocalDate();
    DemoPdfs.Confirmation c =
        new DemoPdfs.Confirmation(
            id,
            "LAK" + (3000 + i),
            String.valueOf(723_113 + i * 11),
            AGENCY,
            "Reservado",
            day,
            "Hotel Magnolia",
            day.plusDays(20 + i),
            2,
            1,
            new BigDecimal(180_000 + i * 52_350).setScale(2));
    mail.send(
        BOOKING_SYSTEM,
        MAILBOX,
        "Confirmación de reserva " + id,
        "Adjuntamos el resumen de servicios de la reserva " + id + ".",
        at,
        null,
        "Resumen_" + id + ".pdf",
        DemoPdfs.confirmation(c));
  }

  private static double count(MeterRegistry r, String name, String tag, String value) {
    return r.get(name).tags(tag, value).counter().count();
  }

  private static double sends(MeterRegistry r, String step, String result) {
    return r.get(OcMetrics.SENDS).tags("step", step, "result", result).counter().count();
  }

  private static long timer(MeterRegistry r, String name, String... tags) {
    return Search.in(r).name(name).tags(tags).timers().stream().mapToLong(t -> t.count()).sum();
  }

  private static double gauge(MeterRegistry r, String name, String... tags) {
    return r.get(name).tags(tags).gauge().value();
  }

  /** The real gateway, except that its first send fails as a mail server's 4xx would. */
  private static final class FirstSendFails implements MailGateway {
    private final MailGateway real;
    private final AtomicBoolean failed = new AtomicBoolean();

    FirstSendFails(MailGateway real) {
      this.real = real;
    }

    @Override
    public String mailbox() {
      return real.mailbox();
    }

    @Override
    public FetchBatch fetch(MailboxCursor after, int maxMessages) {
      return real.fetch(after, maxMessages);
    }

    @Override
    public SendResult send(OutboundMessage message) {
      if (failed.compareAndSet(false, true)) {
        return SendResult.transientFailure("451 try again later");
      }
      return real.send(message);
    }

    @Override
    public SentCheck findSent(String messageId) {
      return real.findSent(messageId);
    }

    @Override
    public Optional<AutoCloseable> subscribe(Runnable onNewMail) {
      return real.subscribe(onNewMail);
    }

    @Override
    public void markProcessed(InboundMessage message) {
      real.markProcessed(message);
    }
  }
}
