package com.kontroltravel.oc.testkit;

import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.ReminderSchedule;
import com.kontroltravel.oc.spi.AgencyPolicy;
import com.kontroltravel.oc.spi.ReminderPolicy;
import com.kontroltravel.oc.store.memory.InMemoryStore;
import java.util.List;
import org.junit.jupiter.api.Nested;

/** Runs the policy kits against the bundled implementations. */
class DefaultPoliciesCompatibilityTest {

  @Nested
  class FixedAgencyPolicy extends AgencyPolicyCompatibilityKit {
    @Override
    protected AgencyPolicy policyWith(List<Agency> agencies) {
      return AgencyPolicy.of(agencies);
    }
  }

  /** The engine's default: agencies kept in the store, looked up through a unit of work. */
  @Nested
  class StoreAgencyLookup extends AgencyPolicyCompatibilityKit {
    @Override
    protected AgencyPolicy policyWith(List<Agency> agencies) {
      InMemoryStore store = InMemoryStore.create();
      store.inTransaction(
          tx -> {
            agencies.forEach(tx::putAgency);
            return null;
          });
      return name -> store.inTransaction(tx -> tx.agency(name));
    }
  }

  @Nested
  class DefaultReminderPolicy extends ReminderPolicyCompatibilityKit {
    @Override
    protected ReminderPolicy policy() {
      return ReminderPolicy.DEFAULT;
    }
  }

  @Nested
  class LegacyReminderPolicy extends ReminderPolicyCompatibilityKit {
    @Override
    protected ReminderPolicy policy() {
      return ReminderPolicy.of(ReminderSchedule.LEGACY);
    }
  }
}
