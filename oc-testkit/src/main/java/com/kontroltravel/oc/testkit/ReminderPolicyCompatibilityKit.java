package com.kontroltravel.oc.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.ReminderSchedule;
import com.kontroltravel.oc.model.ScheduledStep;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.spi.ReminderPolicy;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ReminderPolicy}. Make a test class that extends this and implement {@link
 * #policy()}. Override {@link #honoursAgencyOverrides()} to return false for a policy that
 * deliberately ignores them.
 */
public abstract class ReminderPolicyCompatibilityKit {

  /** For the adapter's test class, which extends this kit. */
  protected ReminderPolicyCompatibilityKit() {}

  /** The policy under test. */
  protected abstract ReminderPolicy policy();

  /** Whether an agency's own schedule wins over the policy's. */
  protected boolean honoursAgencyOverrides() {
    return true;
  }

  private static void valid(ReminderSchedule s) {
    assertThat(s).isNotNull();
    assertThat(s.steps()).isNotEmpty();
    assertThat(s.steps().get(0).step()).isEqualTo(Step.REQUEST);
    for (int i = 1; i < s.steps().size(); i++) {
      assertThat(s.steps().get(i).businessDay()).isGreaterThan(s.steps().get(i - 1).businessDay());
    }
    assertThat(s.expiryDays()).isPositive();
  }

  @Test
  @DisplayName("a schedule is given for an unknown agency (null)")
  void nullAgency() {
    valid(policy().scheduleFor(null));
  }

  @Test
  @DisplayName("a valid schedule is given for any agency")
  void anyAgency() {
    valid(policy().scheduleFor(Agency.requiringOc("Viajes Andes", "oc@andes.cl")));
    valid(policy().scheduleFor(Agency.notRequiringOc("CAJA 18")));
  }

  @Test
  @DisplayName("an agency's own schedule is honoured")
  void override() {
    if (!honoursAgencyOverrides()) {
      return;
    }
    ReminderSchedule own =
        new ReminderSchedule(
            List.of(new ScheduledStep(Step.REQUEST, 0), new ScheduledStep(Step.REMINDER_3, 3)),
            1,
            15);
    assertThat(
            policy()
                .scheduleFor(Agency.requiringOc("Viajes Andes", "oc@andes.cl").withSchedule(own)))
        .isEqualTo(own);
  }

  @Test
  @DisplayName("the answer is the same every time (a pure function of the agency)")
  void stable() {
    Agency a = Agency.requiringOc("Viajes Andes", "oc@andes.cl");
    assertThat(policy().scheduleFor(a)).isEqualTo(policy().scheduleFor(a));
  }
}
