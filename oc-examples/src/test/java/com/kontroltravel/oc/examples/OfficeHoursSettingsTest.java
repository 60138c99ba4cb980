package com.kontroltravel.oc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.mail.jakarta.JakartaMailGateway;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.store.jdbc.JdbcStore;
import com.kontroltravel.oc.testkit.SettableClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The calendar variables change when the demo's flow sends: the demo's wiring (GreenMail on
 * loopback, SQLite, PDFBox, Jakarta Mail, {@link OcApplication#assemble}) on a settable clock, one
 * confirmation mailed on Monday 1 December 2025 at 10:00 in Santiago, and the engine ticked then
 * and later. The request leaves at the first moment the configured calendar allows, never before.
 */
class OfficeHoursSettingsTest {
  static final String MAILBOX = "oc@kontroltravel.demo";
  static final String BOOKING_SYSTEM = "reservas@booking.demo";
  static final Instant MONDAY_10 =
      ZonedDateTime.of(2025, 12, 1, 10, 0, 0, 0, Demo.ZONE).toInstant();

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}={1}: first request at {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "OC_OFFICE_HOURS   | 08:30-18:30 | 2025-12-01T10:00",
        "OC_OFFICE_HOURS   | 14:00-18:30 | 2025-12-01T14:00",
        "OC_OFFICE_HOURS   | 07:00-09:30 | 2025-12-02T07:00",
        "OC_WORKING_DAYS   | TUE-FRI     | 2025-12-02T09:00",
        "OC_EXTRA_HOLIDAYS | 2025-12-01  | 2025-12-02T09:00",
        // 10:00 in Santiago (UTC-3 in December) is 13:00 UTC, after closing; 06:00 UTC is 03:00
        // there.
        "OC_TIME_ZONE      | UTC         | 2025-12-02T03:00",
      })
  @DisplayName("a calendar setting holds the request until its window opens, and no longer")
  void requestLeavesWhenTheCalendarAllows(String variable, String value, String firstSend)
      throws Exception {
    Map<String, String> extra = new HashMap<>(Map.of(variable, value));
    if (variable.equals("OC_TIME_ZONE")) {
      extra.put("OC_OFFICE_HOURS", "06:00-12:00");
    }
    Instant expected = java.time.LocalDateTime.parse(firstSend).atZone(Demo.ZONE).toInstant();
    assertThat(firstRequestAt(extra)).isEqualTo(expected);
  }

  /**
   * Mails one confirmation at Monday 10:00 and ticks every 30 minutes for two days; returns the
   * clock's time at the first tick after which the request had reached GreenMail.
   */
  private Instant firstRequestAt(Map<String, String> calendar) throws Exception {
    SettableClock clock = SettableClock.at(MONDAY_10, Demo.ZONE);
    try (LoopbackMailServer mail = LoopbackMailServer.start(MAILBOX)) {
      Map<String, String> vars = new HashMap<>(mail.settings());
      vars.put("ALLOWED_CONFIRMATION_SENDERS", BOOKING_SYSTEM);
      vars.put("OC_NODE_ID", "office-hours");
      vars.putAll(calendar);
      RunnerSettings settings = RunnerSettings.of(vars);
      try (JdbcStore store = JdbcStore.sqlite(dir.resolve("oc-" + System.nanoTime() + ".db"));
          JakartaMailGateway gateway = JakartaMailGateway.create(settings.mailSettings())) {
        OcConfig config = settings.ocConfig(null);
        OcApplication app = OcApplication.assemble(settings, config, store, gateway, clock);
        OcEngine engine = app.engine();
        try {
          engine.operations().putAgency(Agency.requiringOc("CAJA 18", "oc@caja18.demo"), "test");
          mail.send(
              BOOKING_SYSTEM,
              MAILBOX,
              "Confirmación de reserva 45215412",
              "Adjuntamos el resumen de servicios.",
              clock.instant(),
              null,
              "Resumen_45215412.pdf",
              DemoPdfs.confirmation(
                  new DemoPdfs.Confirmation(
                      "45215412",
                      "LAK3000",
                      "723113",
                      "CAJA 18",
                      "Reservado",
                      null,
                      "Hotel Magnolia",
                      LocalDate.of(2025, 12, 20),
                      2,
                      1,
                      new BigDecimal("180000.00"))));
          // Two days of ticks, every 30 minutes: 96 ticks at most.
          for (int i = 0; i < 2 * 24 * 2; i++) {
            engine.tick();
            List<String> sent =
                mail.inboxOf("oc@caja18.demo").stream().map(LoopbackMailServer::messageId).toList();
            if (!sent.isEmpty()) {
              assertThat(sent).hasSize(1).allMatch(id -> id.startsWith("oc.45215412.request."));
              return clock.instant();
            }
            clock.advance(java.time.Duration.ofMinutes(30));
          }
          throw new AssertionError("no request within two days under " + calendar);
        } finally {
          engine.close();
        }
      }
    }
  }
}
