package com.kontroltravel.oc;

import com.kontroltravel.oc.spi.AgencyPolicy;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.spi.MessageTemplates;
import com.kontroltravel.oc.spi.OcListener;
import com.kontroltravel.oc.spi.ReminderPolicy;
import com.kontroltravel.oc.spi.ReservationParser;
import com.kontroltravel.oc.spi.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link OcEngine.Builder} and {@link OcOperations.Builder} both take: the configuration, the
 * store, the policies, templates, clock and listeners. Not thread safe.
 *
 * @param <B> the concrete builder, returned by every setter
 */
abstract class PartsBuilder<B extends PartsBuilder<B>> {
  OcConfig config;
  Store store;
  ReservationParser reservationParser;
  AgencyPolicy agencyPolicy;
  ReminderPolicy reminderPolicy = ReminderPolicy.DEFAULT;
  MessageTemplates templates = MessageTemplates.defaults();
  Clock clock = Clock.systemUTC();
  final List<OcListener> listeners = new ArrayList<>();

  abstract B self();

  /** The configuration (required). */
  public B config(OcConfig v) {
    config = v;
    return self();
  }

  /** Where state lives (required). */
  public B store(Store v) {
    store = v;
    return self();
  }

  /** Reads confirmation and OC documents. */
  public B reservationParser(ReservationParser v) {
    reservationParser = v;
    return self();
  }

  /** Agency lookup; defaults to the agencies kept in the store. */
  public B agencyPolicy(AgencyPolicy v) {
    agencyPolicy = v;
    return self();
  }

  /** Chase schedule; defaults to {@link ReminderPolicy#DEFAULT}. */
  public B reminderPolicy(ReminderPolicy v) {
    reminderPolicy = v;
    return self();
  }

  /** Email templates; defaults to {@link MessageTemplates#defaults()}. */
  public B templates(MessageTemplates v) {
    templates = v;
    return self();
  }

  /** The clock all time comes from; defaults to the system clock (UTC). */
  public B clock(Clock v) {
    clock = v;
    return self();
  }

  /** Adds a listener, told of every event after its unit of work commits. */
  public B listener(OcListener v) {
    listeners.add(Objects.requireNonNull(v, "listener == null"));
    return self();
  }

  /** The problems of the shared parts, for {@code build()} to report with its own. */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (config == null) {
      problems.add("config is required");
    }
    if (store == null) {
      problems.add("store is required");
    }
    if (reminderPolicy == null) {
      problems.add("reminderPolicy must not be null");
    }
    if (templates == null) {
      problems.add("templates must not be null");
    }
    if (clock == null) {
      problems.add("clock must not be null");
    }
    return problems;
  }

  /** The flow these parts make, sending through {@code gateway} (null: sends nothing). */
  Flow flow(MailGateway gateway) {
    return new Flow(
        new Flow.Parts(
            config,
            store,
            gateway,
            reservationParser,
            agencyPolicy,
            reminderPolicy,
            templates,
            clock,
            listeners));
  }
}
