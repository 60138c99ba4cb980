package com.kontroltravel.oc.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Who may send booking confirmations: exact addresses ({@code reservas@kontrol.cl}) and whole
 * domains ({@code kontrol.cl} or {@code @kontrol.cl}). A domain matches addresses at that domain
 * only, never its subdomains, and an empty list matches nobody. The engine and every gateway use
 * this one rule.
 *
 * @param entries the lower-cased, trimmed, distinct entries
 */
public record AllowedSenders(List<String> entries) {

  /** Nobody. */
  public static final AllowedSenders NONE = new AllowedSenders(List.of());

  /** Normalises the entries (trimmed, lower case, without blanks and repeats). */
  public AllowedSenders {
    entries =
        entries == null
            ? List.of()
            : entries.stream()
                .filter(Objects::nonNull)
                .map(v -> v.trim().toLowerCase(Locale.ROOT))
                .map(v -> v.startsWith("@") ? v.substring(1) : v)
                .filter(v -> !v.isEmpty())
                .distinct()
                .toList();
  }

  /** The rule for these entries. */
  public static AllowedSenders of(List<String> entries) {
    return new AllowedSenders(entries);
  }

  /** Whether no sender is allowed. */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** True when {@code address} is one of the addresses or at one of the domains. */
  public boolean matches(String address) {
    if (address == null) {
      return false;
    }
    String a = address.trim().toLowerCase(Locale.ROOT);
    int at = a.lastIndexOf('@');
    if (at <= 0 || at == a.length() - 1) {
      return false;
    }
    String domain = a.substring(at + 1);
    for (String allowed : entries) {
      if (allowed.contains("@") ? allowed.equals(a) : allowed.equals(domain)) {
        return true;
      }
    }
    return false;
  }
}
