package com.kontroltravel.oc;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** Header hygiene: nothing from input reaches a header with CR, LF or other control characters. */
final class Headers {
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029\\u0085]+");
  private static final Pattern ADDRESS =
      Pattern.compile(
          "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$");

  private Headers() {}

  /** The value with every control character (CR and LF included) replaced by one space, trimmed. */
  static String clean(String value) {
    if (value == null) {
      return null;
    }
    return CONTROL.matcher(value).replaceAll(" ").trim();
  }

  /**
   * True when {@code address} is a plain, valid-looking email address with no display name or
   * controls.
   */
  static boolean isValidAddress(String address) {
    return address != null && address.length() <= 254 && ADDRESS.matcher(address).matches();
  }

  /** The valid addresses among {@code addresses}, cleaned, lower-cased, without duplicates. */
  static List<String> validAddresses(List<String> addresses) {
    return addresses.stream()
        .filter(Objects::nonNull)
        .map(a -> clean(a).toLowerCase(java.util.Locale.ROOT))
        .filter(Headers::isValidAddress)
        .distinct()
        .toList();
  }
}
