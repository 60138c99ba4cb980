package com.kontroltravel.oc.model;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Agency-name normalisation shared by every {@link com.kontroltravel.oc.spi.AgencyPolicy} and
 * store.
 */
public final class AgencyNames {
  private static final Set<String> LEGAL_FORMS =
      Set.of("sa", "spa", "ltda", "limitada", "eirl", "srl", "sac", "inc", "llc", "ltd", "cia");

  private AgencyNames() {}

  /**
   * The lookup key of an agency name: accents removed, lower case, punctuation dropped, a trailing
   * legal form ("S.A.", "SpA", "Ltda.") dropped, and no spaces. {@code "WALVIS S.A."}, {@code
   * "Walvis SA"} and {@code "walvis"} all give {@code "walvis"}. Null gives the empty string.
   */
  public static String normalize(String name) {
    if (name == null) {
      return "";
    }
    String s =
        Normalizer.normalize(name, Normalizer.Form.NFD)
            .replaceAll("\\p{M}", "")
            .toLowerCase(Locale.ROOT);
    // "S.A." and "S. A." must both become the token "sa": join single letters separated by dots.
    s = s.replaceAll("\\b([a-z0-9])\\.\\s*(?=[a-z0-9]\\b\\.?)", "$1");
    s = s.replaceAll("[^a-z0-9]+", " ").trim();
    if (s.isEmpty()) {
      return "";
    }
    List<String> tokens = new ArrayList<>(Arrays.asList(s.split(" ")));
    while (tokens.size() > 1 && LEGAL_FORMS.contains(tokens.get(tokens.size() - 1))) {
      tokens.remove(tokens.size() - 1);
    }
    return String.join("", tokens);
  }
}
