package com.kontroltravel.oc;

import com.kontroltravel.oc.model.SafeText;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** Header hygiene: nothing from input reaches a header with CR, LF or other control characters. */
final class Headers {
  private static final Pattern ADDRESS =
      Pattern.compile(
          "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$");

  private Headers() {}

  /**
   * The value with every control character (CR and LF included, C1 and bidi controls too) replaced
   * by one space, trimmed. Everything stored from inbound mail goes through here.
   */
  static String clean(String value) {
    return SafeText.oneLine(value);
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
