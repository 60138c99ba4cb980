package com.kontroltravel.oc.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An agency and what it owes.
 *
 * @param name the display name, for example {@code WALVIS S.A.}
 * @param aliases other names the booking system uses for it
 * @param emailDomains domains its staff write from (used to recognise replies)
 * @param requiresOc whether bookings for it need a purchase order
 * @param contacts addresses to write the request to
 * @param cc addresses copied on every message to it
 * @param schedule a schedule override, or null for the policy's default
 * @param locale the language of its messages (Spanish by default)
 * @param active false to stop chasing it without deleting it
 */
public record Agency(
    String name,
    List<String> aliases,
    List<String> emailDomains,
    boolean requiresOc,
    List<String> contacts,
    List<String> cc,
    ReminderSchedule schedule,
    Locale locale,
    boolean active) {

  /** The default language of messages. */
  public static final Locale DEFAULT_LOCALE = Locale.forLanguageTag("es-CL");

  /** Checks the name and copies the lists. */
  public Agency {
    Objects.requireNonNull(name, "name == null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("agency name is blank");
    }
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    emailDomains =
        emailDomains == null
            ? List.of()
            : emailDomains.stream().map(d -> d.trim().toLowerCase(Locale.ROOT)).toList();
    contacts = contacts == null ? List.of() : contacts.stream().map(String::trim).toList();
    cc = cc == null ? List.of() : cc.stream().map(String::trim).toList();
    locale = locale == null ? DEFAULT_LOCALE : locale;
  }

  /**
   * An active agency that requires an OC, written to at {@code contact}, with the default schedule.
   */
  public static Agency requiringOc(String name, String... contacts) {
    return new Agency(
        name, List.of(), List.of(), true, List.of(contacts), List.of(), null, null, true);
  }

  /** An active agency that owes no OC. */
  public static Agency notRequiringOc(String name) {
    return new Agency(name, List.of(), List.of(), false, List.of(), List.of(), null, null, true);
  }

  /** The normalised lookup key of the name (see {@link AgencyNames#normalize(String)}). */
  public String key() {
    return AgencyNames.normalize(name);
  }

  /**
   * True when {@code otherName} is this agency's name or one of its aliases, after normalisation.
   */
  public boolean matches(String otherName) {
    String k = AgencyNames.normalize(otherName);
    if (k.isEmpty()) {
      return false;
    }
    if (k.equals(key())) {
      return true;
    }
    for (String alias : aliases) {
      if (k.equals(AgencyNames.normalize(alias))) {
        return true;
      }
    }
    return false;
  }

  /** A copy with other aliases. */
  public Agency withAliases(List<String> newAliases) {
    return new Agency(
        name, newAliases, emailDomains, requiresOc, contacts, cc, schedule, locale, active);
  }

  /** A copy with other cc addresses. */
  public Agency withCc(List<String> newCc) {
    return new Agency(
        name, aliases, emailDomains, requiresOc, contacts, newCc, schedule, locale, active);
  }

  /** A copy with a schedule override. */
  public Agency withSchedule(ReminderSchedule newSchedule) {
    return new Agency(
        name, aliases, emailDomains, requiresOc, contacts, cc, newSchedule, locale, active);
  }

  /** A copy with another locale. */
  public Agency withLocale(Locale newLocale) {
    return new Agency(
        name, aliases, emailDomains, requiresOc, contacts, cc, schedule, newLocale, active);
  }

  /** A copy with other email domains. */
  public Agency withEmailDomains(List<String> newDomains) {
    return new Agency(
        name, aliases, newDomains, requiresOc, contacts, cc, schedule, locale, active);
  }

  /** A copy, active or not. */
  public Agency withActive(boolean newActive) {
    return new Agency(
        name, aliases, emailDomains, requiresOc, contacts, cc, schedule, locale, newActive);
  }
}
