package com.kontroltravel.oc.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.spi.AgencyPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link AgencyPolicy}. Make a test class that extends this and implement {@link
 * #policyWith}.
 */
public abstract class AgencyPolicyCompatibilityKit {

  /** For the adapter's test class, which extends this kit. */
  protected AgencyPolicyCompatibilityKit() {}

  /** A policy that knows exactly these agencies. */
  protected abstract AgencyPolicy policyWith(List<Agency> agencies);

  private static List<Agency> sample() {
    return List.of(
        Agency.requiringOc("WALVIS S.A.", "oc@walvis.cl").withAliases(List.of("Walvis Viajes")),
        Agency.requiringOc("Turismo Ñandú Ltda.", "compras@nandu.cl"),
        Agency.notRequiringOc("CAJA 18"));
  }

  @Test
  @DisplayName("an agency is found by its exact name")
  void exactName() {
    Optional<Agency> a = policyWith(sample()).find("WALVIS S.A.");
    assertThat(a).isPresent();
    assertThat(a.get().name()).isEqualTo("WALVIS S.A.");
    assertThat(a.get().contacts()).containsExactly("oc@walvis.cl");
    assertThat(a.get().requiresOc()).isTrue();
  }

  @Test
  @DisplayName("names match after case, accents, punctuation and legal-form normalisation")
  void normalisedName() {
    AgencyPolicy p = policyWith(sample());
    assertThat(p.find("walvis sa")).map(Agency::name).contains("WALVIS S.A.");
    assertThat(p.find("Walvis")).map(Agency::name).contains("WALVIS S.A.");
    assertThat(p.find("TURISMO NANDU")).map(Agency::name).contains("Turismo Ñandú Ltda.");
    assertThat(p.find("caja 18")).map(Agency::requiresOc).contains(false);
  }

  @Test
  @DisplayName("an agency is found by alias")
  void alias() {
    assertThat(policyWith(sample()).find("WALVIS VIAJES"))
        .map(Agency::name)
        .contains("WALVIS S.A.");
  }

  @Test
  @DisplayName("unknown, blank and null names give empty, never an exception")
  void unknown() {
    AgencyPolicy p = policyWith(sample());
    assertThat(p.find("Viajes Inexistentes")).isEmpty();
    assertThat(p.find("")).isEmpty();
    assertThat(p.find("   ")).isEmpty();
    assertThat(p.find(null)).isEmpty();
  }

  @Test
  @DisplayName("lookups from several threads give the same answers")
  void concurrentLookups() throws Exception {
    AgencyPolicy p = policyWith(sample());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String name = i % 2 == 0 ? "walvis sa" : "Inexistente " + i;
        boolean expected = i % 2 == 0;
        results.add(pool.submit(() -> p.find(name).isPresent() == expected));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
