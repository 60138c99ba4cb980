package com.kontroltravel.oc.spring.boot;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.OcOperations;
import com.kontroltravel.oc.mail.jakarta.JakartaMailGateway;
import com.kontroltravel.oc.metrics.micrometer.OcMetrics;
import com.kontroltravel.oc.pdf.pdfbox.PdfBoxReservationParser;
import com.kontroltravel.oc.spi.AgencyPolicy;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.spi.MessageTemplates;
import com.kontroltravel.oc.spi.OcListener;
import com.kontroltravel.oc.spi.ReminderPolicy;
import com.kontroltravel.oc.spi.ReservationParser;
import com.kontroltravel.oc.spi.Store;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The OC tracking engine for a Spring Boot application, from {@code oc.*} properties ({@link
 * OcProperties}): the JDBC store, the Jakarta Mail gateway, the PDFBox parser, the engine, its
 * lifecycle (started with the context, closed before the beans it uses), an Actuator health
 * indicator named {@code oc} when {@code spring-boot-health} is present, and {@link OcMetrics} when
 * {@code oc-metrics-micrometer} and Micrometer are (Spring Boot's metrics auto-configuration binds
 * it to the registries).
 *
 * <p>Every bean gives way to the host's own of the same type: a {@link Store}, {@link MailGateway},
 * {@link ReservationParser}, {@link ReminderPolicy}, {@link OcConfig} or {@link OcEngine} bean
 * replaces the one built here; an {@link AgencyPolicy}, {@link MessageTemplates} or {@link Clock}
 * bean is used by the engine when there is one, and every {@link OcListener} bean is registered on
 * it. {@code oc.enabled=false} turns all of it off.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "oc", name = "enabled", havingValue = "true", matchIfMissing = true)
public class OcAutoConfiguration {

  /** Creates the auto-configuration (Spring does). */
  public OcAutoConfiguration() {}

  /** The {@code oc.*} properties. */
  @Bean
  @ConditionalOnMissingBean
  public OcProperties ocProperties(Environment environment) {
    return OcProperties.from(environment);
  }

  /** The engine's configuration from the properties. */
  @Bean
  @ConditionalOnMissingBean
  public OcConfig ocConfig(OcProperties properties) {
    return properties.ocConfig();
  }

  /** The JDBC store of {@code oc.database.url} (SQLite by default), closed with the context. */
  @Bean
  @ConditionalOnMissingBean
  public Store ocStore(OcProperties properties) {
    return properties.openStore();
  }

  /**
   * The Jakarta Mail gateway of {@code oc.imap.*} and {@code oc.smtp.*}, closed with the context.
   */
  @Bean
  @ConditionalOnMissingBean
  public MailGateway ocMailGateway(OcProperties properties) {
    return JakartaMailGateway.create(properties.mailSettings());
  }

  /** The PDFBox parser. */
  @Bean
  @ConditionalOnMissingBean
  public ReservationParser ocReservationParser() {
    return PdfBoxReservationParser.create();
  }

  /**
   * The chase schedule of {@code oc.schedule} or {@code oc.days-for-reminder-1/2}, else the
   * engine's default, with {@code oc.min-gap-days} and {@code oc.expiry-days}.
   */
  @Bean
  @ConditionalOnMissingBean
  public ReminderPolicy ocReminderPolicy(OcProperties properties) {
    return ReminderPolicy.of(properties.schedule());
  }

  /** The engine, built (not started: {@link OcEngineLifecycle} starts it). */
  @Bean
  @ConditionalOnMissingBean
  public OcEngine ocEngine(
      OcProperties properties,
      OcConfig config,
      Store store,
      MailGateway mailGateway,
      ReservationParser parser,
      ReminderPolicy reminderPolicy,
      ObjectProvider<AgencyPolicy> agencyPolicy,
      ObjectProvider<MessageTemplates> templates,
      ObjectProvider<Clock> clock,
      ObjectProvider<OcListener> listeners) {
    OcEngine.Builder b =
        OcEngine.builder()
            .config(config)
            .store(store)
            .mailGateway(mailGateway)
            .reservationParser(parser)
            .reminderPolicy(reminderPolicy)
            .agencyPolicy(agencyPolicy.getIfUnique());
    MessageTemplates t = templates.getIfUnique();
    String dir = properties.get("oc.templates-dir");
    if (t != null) {
      b.templates(t);
    } else if (dir != null) {
      b.templates(MessageTemplates.withOverrides(Path.of(dir)));
    }
    Clock c = clock.getIfUnique();
    if (c != null) {
      b.clock(c);
    }
    listeners.orderedStream().forEach(b::listener);
    return b.build();
  }

  /** Starts the engine with the context and closes it on shutdown. */
  @Bean
  @ConditionalOnMissingBean
  public OcEngineLifecycle ocEngineLifecycle(OcEngine engine) {
    return new OcEngineLifecycle(engine);
  }

  /** The health indicator, when Spring Boot's health support is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  public static class HealthConfiguration {
    /** Creates the configuration (Spring does). */
    public HealthConfiguration() {}

    /** The engine's health as Actuator's contributor {@code oc}. */
    @Bean
    @ConditionalOnMissingBean(name = "ocHealthIndicator")
    public OcHealthIndicator ocHealthIndicator(OcEngine engine) {
      return new OcHealthIndicator(engine);
    }
  }

  /** The metrics, when Micrometer and {@code oc-metrics-micrometer} are present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {
        "io.micrometer.core.instrument.MeterRegistry",
        "com.kontroltravel.oc.metrics.micrometer.OcMetrics"
      })
  public static class MetricsConfiguration {
    /** Creates the configuration (Spring does). */
    public MetricsConfiguration() {}

    /**
     * The engine's meters: a listener of the engine and a {@code MeterBinder}, its gauges read from
     * the store's statistics at most every {@link OcMetrics#DEFAULT_REFRESH}.
     */
    @Bean
    @ConditionalOnMissingBean
    public OcMetrics ocMetrics(Store store, OcConfig config) {
      return OcMetrics.create(OcOperations.create(store, config)::statistics);
    }
  }
}
