package com.kontroltravel.oc;

import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.OutboxStatus;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.spi.MessageTemplates;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds outbox rows: recipients, deterministic Message-IDs, threading, rendered templates,
 * attachments.
 */
final class Composer {
  private final OcConfig config;
  private final MessageTemplates templates;
  private final Planner planner;

  Composer(OcConfig config, MessageTemplates templates, Planner planner) {
    this.config = config;
    this.templates = templates;
    this.planner = planner;
  }

  /** The template name of a step. */
  static String templateName(Step step) {
    return step.token();
  }

  /**
   * An outbox row for {@code step} of {@code r} to {@code agency}'s configured contacts (never to
   * an address taken from inbound mail), or null when the agency has no valid contact.
   */
  OutboxMessage compose(UnitOfWork u, Reservation r, Agency agency, Step step, int generation) {
    Instant now = u.now;
    List<String> to =
        new ArrayList<>(new LinkedHashSet<>(Headers.validAddresses(agency.contacts())));
    if (to.isEmpty()) {
      return null;
    }
    LinkedHashSet<String> cc = new LinkedHashSet<>(Headers.validAddresses(agency.cc()));
    cc.addAll(config.ccRecipients());
    to.forEach(cc::remove);
    Locale locale = agency.locale();
    Map<String, Object> model = model(r, agency, locale);
    model.put("senderName", config.senderName());
    model.put("suspensionDate", formatDate(planner.suspensionDate(now), locale));
    MessageTemplates.Rendered rendered =
        templates.render(templateName(step), locale, agency.key(), model);
    String messageId = u.messageIds.of(r.id(), step, generation);
    String inReplyTo = null;
    List<String> references = List.of();
    if (!(step == Step.REQUEST && generation == 0)) {
      // Thread on the request the agency got: the stored one (imported history keeps its ID).
      inReplyTo =
          u.tx
              .outbox(OutboxMessage.idOf(r.id(), Step.REQUEST, 0))
              .map(OutboxMessage::messageId)
              .orElseGet(() -> u.messageIds.of(r.id(), Step.REQUEST, 0));
      references = List.of(inReplyTo);
    }
    List<String> attachments =
        step == Step.REQUEST && r.confirmationDocumentId() != null
            ? List.of(r.confirmationDocumentId())
            : List.of();
    return new OutboxMessage(
        OutboxMessage.idOf(r.id(), step, generation),
        r.id(),
        step,
        generation,
        messageId,
        inReplyTo,
        references,
        to,
        List.copyOf(cc),
        Headers.clean(rendered.subject()),
        rendered.text(),
        rendered.html(),
        attachments,
        OutboxStatus.PENDING,
        0,
        now,
        null,
        now,
        null);
  }

  /** The template values describing a reservation. */
  static Map<String, Object> model(Reservation r, Agency agency, Locale locale) {
    ReservationDetails d = r.details();
    Map<String, Object> m = new HashMap<>();
    m.put("id", d.reservationId());
    m.put("internalLocator", d.internalLocator());
    m.put("locator", d.locator());
    m.put("agency", agency != null ? agency.name() : d.agencyName());
    m.put("hotel", d.hotelName());
    m.put("checkIn", formatDate(d.checkIn(), locale));
    m.put("checkOut", formatDate(d.checkOut(), locale));
    m.put("total", formatMoney(d.totalAmount(), d.currency(), locale));
    m.put("state", r.state().label());
    m.put("ocNumber", r.purchaseOrder() == null ? null : r.purchaseOrder().ocNumber());
    return m;
  }

  /** A long localized date ("jueves, 27 de noviembre de 2025"), or null. */
  static String formatDate(LocalDate date, Locale locale) {
    if (date == null) {
      return null;
    }
    return date.format(DateTimeFormatter.ofLocalizedDate(FormatStyle.FULL).withLocale(locale));
  }

  /** {@code CLP 528.701,00} in Spanish, {@code CLP 528,701.00} in English, or null. */
  static String formatMoney(BigDecimal amount, String currency, Locale locale) {
    if (amount == null) {
      return null;
    }
    DecimalFormatSymbols symbols = DecimalFormatSymbols.getInstance(Locale.ROOT);
    if ("es".equals(locale.getLanguage())) {
      symbols.setGroupingSeparator('.');
      symbols.setDecimalSeparator(',');
    } else {
      symbols.setGroupingSeparator(',');
      symbols.setDecimalSeparator('.');
    }
    DecimalFormat f = new DecimalFormat("#,##0.00", symbols);
    return (currency == null ? "" : currency + " ") + f.format(amount);
  }

  /**
   * The day's digest for the administration: counts by state, the bookings needing a person (up to
   * {@code attention.size()}) and the review queue's size; one row per day, sent in office hours.
   */
  OutboxMessage composeDigest(
      UnitOfWork u,
      LocalDate day,
      Map<TrackingState, Long> counts,
      List<Reservation> attention,
      long attentionCount,
      long reviewCount) {
    Instant now = u.now;
    Map<String, Object> model = new HashMap<>();
    model.put("date", day.toString());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (TrackingState s : TrackingState.values()) {
      rows.add(Map.of("label", s.label(), "count", counts.getOrDefault(s, 0L)));
    }
    model.put("counts", rows);
    List<Map<String, Object>> flagged = new ArrayList<>();
    for (Reservation r : attention) {
      Map<String, Object> row = new HashMap<>();
      row.put("id", r.id());
      row.put("agency", r.details().agencyName());
      row.put("reason", r.attentionReason());
      flagged.add(row);
    }
    model.put("attention", flagged);
    model.put("attentionCount", attentionCount);
    model.put("reviewCount", reviewCount);
    model.put("senderName", config.senderName());
    MessageTemplates.Rendered rendered =
        templates.render("digest", Agency.DEFAULT_LOCALE, null, model);
    int generation = digestGeneration(day);
    return new OutboxMessage(
        OutboxMessage.idOf(null, Step.DIGEST, generation),
        null,
        Step.DIGEST,
        generation,
        u.messageIds.digest(generation),
        null,
        List.of(),
        config.digestRecipients(),
        List.of(),
        Headers.clean(rendered.subject()),
        rendered.text(),
        rendered.html(),
        List.of(),
        OutboxStatus.PENDING,
        0,
        now,
        null,
        now,
        null);
  }

  /** The digest's generation: its day as {@code yyyymmdd}, so there is one a day. */
  static int digestGeneration(LocalDate day) {
    return Integer.parseInt(day.format(DateTimeFormatter.BASIC_ISO_DATE));
  }
}
