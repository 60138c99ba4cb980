package com.kontroltravel.oc.examples;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcOperations;
import com.kontroltravel.oc.pdf.pdfbox.PdfBoxReservationParser;
import com.kontroltravel.oc.spi.MessageTemplates;
import com.kontroltravel.oc.spi.ReminderPolicy;
import com.kontroltravel.oc.spi.Store;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What the admin commands work with: the configured store and {@link OcOperations} over it. No
 * mailbox and no engine: messages an action queues are sent by the running service. Closing it
 * closes the store.
 */
public final class AdminSession implements AutoCloseable {
  private final Store store;
  private final OcConfig config;
  private final OcOperations operations;

  private AdminSession(Store store, OcConfig config, OcOperations operations) {
    this.store = store;
    this.config = config;
    this.operations = operations;
  }

  /**
   * Opens the configured store. With {@code queuesMail} the monitored mailbox address must be
   * configured, because the messages an action queues carry Message-IDs in its domain.
   */
  public static AdminSession open(RunnerSettings settings, Clock clock, boolean queuesMail) {
    OcConfig config = settings.ocConfig(queuesMail ? null : "oc@localhost.invalid");
    Store store = settings.openStore();
    try {
      OcOperations.Builder b =
          OcOperations.builder()
              .store(store)
              .config(config)
              .reservationParser(PdfBoxReservationParser.create())
              .reminderPolicy(ReminderPolicy.of(settings.schedule()))
              .clock(clock);
      String templates = settings.get("OC_TEMPLATES_DIR");
      if (templates != null) {
        b.templates(MessageTemplates.withOverrides(Path.of(templates)));
      }
      return new AdminSession(store, config, b.build());
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** Queries and operator actions. */
  public OcOperations operations() {
    return operations;
  }

  /** The store. */
  public Store store() {
    return store;
  }

  /** The engine configuration the settings give. */
  public OcConfig config() {
    return config;
  }

  @Override
  public void close() {
    store.close();
  }
}
