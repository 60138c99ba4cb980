package com.kontroltravel.oc.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.examples.DemoPdfs;
import com.kontroltravel.oc.examples.LoopbackMailServer;
import com.kontroltravel.oc.metrics.micrometer.OcMetrics;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.spi.ReservationParser;
import com.kontroltravel.oc.spi.Store;
import com.kontroltravel.oc.store.jdbc.JdbcStore;
import com.kontroltravel.oc.store.memory.InMemoryStore;
import com.kontroltravel.oc.testkit.Await;
import com.kontroltravel.oc.testkit.RecordingMailGateway;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.internet.MimeMessage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

class OcStarterTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  static final String MAILBOX = "reservas@kontrol.demo";
  static final String BOOKING_SYSTEM = "sistema@kontrol.demo";
  static final String AGENCY = "Viajes Andes S.A.";
  static final String CONTACT = "compras@andes.demo";

  /** Monday 1 December 2025, 10:00 in Santiago: office hours, so the request goes out at once. */
  static final Instant OFFICE_HOURS = ZonedDateTime.of(2025, 12, 1, 10, 0, 0, 0, ZONE).toInstant();

  /** The started engine's threads. */
  static final List<String> LOOPS = List.of("oc-inbound", "oc-follow-up", "oc-dispatch");

  @TempDir Path dir;

  /** A minimal application: nothing but auto-configuration and a clock in office hours. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    Clock clock() {
      // Time flows (the engine's loops sleep and wake by it) from a Monday morning.
      return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), OFFICE_HOURS));
    }
  }

  /** A host with its own store and mail gateway: no database or mail properties needed. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class HostApp {
    @Bean
    Store hostStore() {
      return InMemoryStore.create();
    }

    @Bean
    MailGateway hostGateway() {
      return RecordingMailGateway.create();
    }

    @Bean
    ReservationParser hostParser() {
      return document -> {
        throw new UnsupportedOperationException("not used");
      };
    }
  }

  @Test
  @Timeout(120)
  @DisplayName(
      "a Spring Boot application with SQLite and GreenMail, configured by oc.* properties alone,"
          + " tracks a confirmation and delivers its OC request; health, metrics and shutdown"
          + " come with it")
  void bootsTracksAndRequests() throws Exception {
    Path db = dir.resolve("oc.db");
    String reservationId = "45215412";
    try (LoopbackMailServer mail = LoopbackMailServer.start(MAILBOX)) {
      Map<String, Object> props = new HashMap<>();
      // The runner's variables for this server, under their oc.* names.
      Map<String, String> byVariable = new HashMap<>();
      OcProperties.PROPERTIES.forEach((property, variable) -> byVariable.put(variable, property));
      mail.settings()
          .forEach(
              (variable, value) -> {
                assertThat(byVariable).as("an oc.* name for " + variable).containsKey(variable);
                props.put(byVariable.get(variable), value);
              });
      props.put("oc.database.url", "jdbc:sqlite:" + db);
      props.put("oc.allowed-confirmation-senders", BOOKING_SYSTEM);
      props.put("oc.imap.check-interval", "10");
      props.put("oc.node-id", "spring-test");
      SpringApplication app = new SpringApplication(App.class);
      app.setWebApplicationType(WebApplicationType.NONE);
      app.setDefaultProperties(props);
      app.setRegisterShutdownHook(false);
      OcEngine engine;
      try (ConfigurableApplicationContext context = app.run()) {
        engine = context.getBean(OcEngine.class);
        assertThat(context.getBean(Store.class)).isInstanceOf(JdbcStore.class);
        assertThat(context.getBean(OcEngineLifecycle.class).isRunning()).isTrue();
        engine.operations().putAgency(Agency.requiringOc(AGENCY, CONTACT), "test");

        confirm(mail, reservationId, context.getBean(Clock.class).instant());

        Await.await(
            "the confirmation tracked and its request delivered to the agency",
            () -> !mail.inboxOf(CONTACT).isEmpty(),
            Duration.ofSeconds(60));
        MimeMessage request = mail.inboxOf(CONTACT).get(0);
        assertThat(LoopbackMailServer.messageId(request)).contains(reservationId);
        Reservation r = engine.operations().reservation(reservationId).orElseThrow();
        assertThat(r.details().agencyName()).isEqualTo(AGENCY);
        Await.await(
            "the request recorded as sent",
            () ->
                engine.operations().reservation(reservationId).orElseThrow().state()
                    == TrackingState.REQUESTED,
            Duration.ofSeconds(30));

        HealthIndicator health = context.getBean("ocHealthIndicator", HealthIndicator.class);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(context.getBean(HealthContributorRegistry.class).getContributor("oc"))
            .as("Actuator's contributor 'oc'")
            .isSameAs(health);

        MeterRegistry registry = context.getBean(MeterRegistry.class);
        assertThat(
                registry.get(OcMetrics.INBOUND).tags("outcome", "confirmation").counter().count())
            .as("OcMetrics bound by Spring Boot's metrics auto-configuration")
            .isEqualTo(1);
        Await.await(
            "the send counted",
            () ->
                registry
                        .get(OcMetrics.SENDS)
                        .tags("step", "request", "result", "sent")
                        .counter()
                        .count()
                    == 1,
            Duration.ofSeconds(10));
      }
      // Closing the context closed the engine (its loops stopped) and then the store.
      Await.await(
          "the engine's loop threads ended",
          () ->
              Thread.getAllStackTraces().keySet().stream()
                  .noneMatch(t -> LOOPS.contains(t.getName()) && t.isAlive()),
          Duration.ofSeconds(30));
    }
    try (JdbcStore reopened = JdbcStore.sqlite(db)) {
      Optional<Reservation> kept = reopened.inTransaction(t -> t.reservation(reservationId));
      assertThat(kept).map(Reservation::state).contains(TrackingState.REQUESTED);
    }
  }

  @Test
  @Timeout(60)
  @DisplayName(
      "a host's own Store, MailGateway and ReservationParser beans replace the starter's, which"
          + " then needs no database or mail property; a failing mailbox makes the health DOWN")
  void hostBeansWin() {
    SpringApplication app = new SpringApplication(HostApp.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    app.setDefaultProperties(
        Map.of(
            "oc.mailbox-address",
            MAILBOX,
            "oc.node-id",
            "host-test",
            "oc.days-for-reminder-1",
            "3"));
    app.setRegisterShutdownHook(false);
    try (ConfigurableApplicationContext context = app.run()) {
      assertThat(context.getBeansOfType(Store.class).keySet()).containsExactly("hostStore");
      assertThat(context.getBeansOfType(MailGateway.class).keySet()).containsExactly("hostGateway");
      assertThat(context.getBeansOfType(ReservationParser.class).keySet())
          .containsExactly("hostParser");
      OcEngine engine = context.getBean(OcEngine.class);
      assertThat(engine.config().mailboxAddress()).isEqualTo(MAILBOX);
      assertThat(engine.config().nodeId()).isEqualTo("host-test");
      assertThat(engine.operations().statistics().total()).isZero();

      // The mailbox fails: the health indicator says DOWN and names it.
      ((RecordingMailGateway) context.getBean(MailGateway.class)).failFetches(true);
      engine.tick();
      Health health = context.getBean(OcHealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.DOWN);
      assertThat(health.getDetails()).containsEntry("engine", "DEGRADED").containsKey("mailbox");
    }
  }

  @Test
  @DisplayName("oc.enabled=false configures nothing")
  void disabled() {
    SpringApplication app = new SpringApplication(HostApp.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    app.setDefaultProperties(Map.of("oc.enabled", "false"));
    app.setRegisterShutdownHook(false);
    try (ConfigurableApplicationContext context = app.run()) {
      assertThat(context.getBeansOfType(OcEngine.class)).isEmpty();
      assertThat(context.getBeansOfType(OcEngineLifecycle.class)).isEmpty();
    }
  }

  private static void confirm(LoopbackMailServer mail, String id, Instant at) {
    LocalDate day = OFFICE_HOURS.atZone(ZONE).toLocalDate();
    DemoPdfs.Confirmation c =
        new DemoPdfs.Confirmation(
            id,
            "LAK3000",
            "723113",
            AGENCY,
            "Reservado",
            day,
            "Hotel Magnolia",
            day.plusDays(20),
            2,
            1,
            new BigDecimal("180000.00"));
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
}
