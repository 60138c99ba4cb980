package com.kontroltravel.oc.examples;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.mail.jakarta.JakartaMailGateway;
import com.kontroltravel.oc.mail.jakarta.MailSettings;
import com.kontroltravel.oc.pdf.pdfbox.PdfBoxReservationParser;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.spi.MessageTemplates;
import com.kontroltravel.oc.spi.ReminderPolicy;
import com.kontroltravel.oc.spi.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's wiring: the JDBC store, the Jakarta Mail gateway, the PDFBox parser and the engine,
 * built from {@link RunnerSettings}. Closing it closes the engine, then the gateway, then the
 * store.
 */
public final class OcApplication implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OcApplication.class);

  private final Store store;
  private final MailGateway gateway;
  private final OcEngine engine;

  private OcApplication(Store store, MailGateway gateway, OcEngine engine) {
    this.store = store;
    this.gateway = gateway;
    this.engine = engine;
  }

  /**
   * Everything for {@code run}: the real mail gateway. The engine is built, not started.
   *
   * @throws ConfigurationException listing every missing or invalid setting
   */
  public static OcApplication open(RunnerSettings settings, Clock clock) {
    List<String> problems = new ArrayList<>();
    OcConfig config = null;
    MailSettings mail = null;
    try {
      config = settings.ocConfig(null);
    } catch (ConfigurationException e) {
      problems.addAll(e.problems());
    }
    try {
      mail = settings.mailSettings();
    } catch (ConfigurationException e) {
      problems.addAll(e.problems());
    }
    try {
      settings.schedule();
    } catch (ConfigurationException e) {
      problems.addAll(e.problems());
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    Store store = settings.openStore();
    try {
      return assemble(settings, config, store, JakartaMailGateway.create(mail), clock);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** Wires given parts (the demo and tests bring their own store or gateway). */
  public static OcApplication assemble(
      RunnerSettings settings, OcConfig config, Store store, MailGateway gateway, Clock clock) {
    OcEngine.Builder b =
        OcEngine.builder()
            .config(config)
            .store(store)
            .mailGateway(gateway)
            .reservationParser(PdfBoxReservationParser.create())
            .reminderPolicy(ReminderPolicy.of(settings.schedule()))
            .clock(clock);
    String templates = settings.get("OC_TEMPLATES_DIR");
    if (templates != null) {
      b.templates(MessageTemplates.withOverrides(Path.of(templates)));
    }
    return new OcApplication(store, gateway, b.build());
  }

  /** The engine. */
  public OcEngine engine() {
    return engine;
  }

  /** The store. */
  public Store store() {
    return store;
  }

  /** The mail gateway. */
  public MailGateway gateway() {
    return gateway;
  }

  /** Closes the engine (finishing in-flight sends), the gateway and the store. Idempotent. */
  @Override
  public void close() {
    try {
      engine.close();
    } catch (RuntimeException e) {
      log.warn("closing the engine: {}", e.toString());
    }
    try {
      gateway.close();
    } catch (Exception e) {
      log.warn("closing the mail gateway: {}", e.toString());
    }
    try {
      store.close();
    } catch (RuntimeException e) {
      log.warn("closing the store: {}", e.toString());
    }
  }
}
