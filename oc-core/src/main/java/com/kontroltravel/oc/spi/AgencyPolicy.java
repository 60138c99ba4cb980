package com.kontroltravel.oc.spi;

import com.kontroltravel.oc.model.Agency;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Looks agencies up by the name a confirmation carries. Implementations match names after {@link
 * com.kontroltravel.oc.model.AgencyNames#normalize(String) normalisation} and by alias, are thread
 * safe, and do not throw for unknown names.
 */
@FunctionalInterface
public interface AgencyPolicy {

  /**
   * Finds the agency a confirmation names.
   *
   * @param agencyName the name as written on the document; may be null (gives empty)
   * @return the agency, or empty when it is not configured
   */
  Optional<Agency> find(String agencyName);

  /** A fixed policy over the given agencies (copied). */
  static AgencyPolicy of(Collection<Agency> agencies) {
    List<Agency> copy = List.copyOf(Objects.requireNonNull(agencies, "agencies == null"));
    return name -> copy.stream().filter(a -> a.matches(name)).findFirst();
  }
}
