package com.kontroltravel.oc.internal;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.OutboxStatus;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.Step;
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
public final class Composer {
  private final OcConfig config;
  private final MessageTemplates templates;

  public Composer(OcConfig config, MessageTemplates templates) {
    this.config = config;
    this.templates = templates;
  }

  /** The template name of a step. */
  public static String templateName(Step step) {
    return step.token();
  }

  /**
   * An outbox row for {@code step} of {@code r} to {@code agency}'s contacts (plus {@code
   * extraTo}), or null when no valid recipient is left.
   */
  public OutboxMessage compose(
      Reservation r,
      Agency agency,
      Step step,
      int generation,
      Instant now,
      List<String> extraTo,
      Map<String, Object> extraModel) {
    List<String> to = new ArrayList<>(Headers.validAddresses(extraTo));
    for (String a : Headers.validAddresses(agency.contacts())) {
      if (!to.contains(a)) {
        to.add(a);
      }
    }
    if (to.isEmpty()) {
      return null;
    }
    LinkedHashSet<String> cc = new LinkedHashSet<>(Headers.validAddresses(agency.cc()));
    cc.addAll(config.ccRecipients());
    to.forEach(cc::remove);
    Locale locale = agency.locale();
    Map<String, Object> model = model(r, agency, locale);
    model.put("senderName", config.senderName());
    model.putAll(extraModel);
    MessageTemplates.Rendered rendered =
        templates.render(templateName(step), locale, agency.key(), model);
    String messageId = config.messageId(r.id(), step, generation);
    String inReplyTo = null;
    List<String> references = List.of();
    if (!(step == Step.REQUEST && generation == 0)) {
      inReplyTo = config.messageId(r.id(), Step.REQUEST, 0);
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
        rendered.subject(),
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
  public static Map<String, Object> model(Reservation r, Agency agency, Locale locale) {
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
  public static String formatDate(LocalDate date, Locale locale) {
    if (date == null) {
      return null;
    }
    return date.format(DateTimeFormatter.ofLocalizedDate(FormatStyle.FULL).withLocale(locale));
  }

  /** {@code CLP 528.701,00} in Spanish, {@code CLP 528,701.00} in English, or null. */
  public static String formatMoney(BigDecimal amount, String currency, Locale locale) {
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
}
