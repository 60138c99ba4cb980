package com.kontroltravel.oc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BusinessCalendarTest {
  static final ZoneId SCL = ZoneId.of("America/Santiago");
  final BusinessCalendar cal = BusinessCalendar.CHILE;

  static Instant at(int y, int m, int d, int h, int min) {
    return ZonedDateTime.of(y, m, d, h, min, 0, 0, SCL).toInstant();
  }

  @Test
  @DisplayName("Easter Sunday is computed for known years")
  void easter() {
    assertThat(BusinessCalendar.easterSunday(2024)).isEqualTo(LocalDate.of(2024, 3, 31));
    assertThat(BusinessCalendar.easterSunday(2025)).isEqualTo(LocalDate.of(2025, 4, 20));
    assertThat(BusinessCalendar.easterSunday(2026)).isEqualTo(LocalDate.of(2026, 4, 5));
    assertThat(BusinessCalendar.easterSunday(2030)).isEqualTo(LocalDate.of(2030, 4, 21));
  }

  @Test
  @DisplayName(
      "Chile's fixed-date and Easter-based holidays are not business days; ordinary weekdays are")
  void holidays() {
    assertThat(cal.isBusinessDay(LocalDate.of(2025, 4, 18))).as("Good Friday 2025").isFalse();
    assertThat(cal.isBusinessDay(LocalDate.of(2025, 9, 18))).isFalse();
    assertThat(cal.isBusinessDay(LocalDate.of(2025, 9, 19))).isFalse();
    assertThat(cal.isBusinessDay(LocalDate.of(2025, 12, 8))).isFalse();
    assertThat(cal.isBusinessDay(LocalDate.of(2025, 12, 25))).isFalse();
    assertThat(cal.isBusinessDay(LocalDate.of(2026, 5, 21))).isFalse();
    assertThat(cal.isBusinessDay(LocalDate.of(2025, 11, 22))).as("Saturday").isFalse();
    assertThat(cal.isBusinessDay(LocalDate.of(2025, 11, 24))).as("Monday").isTrue();
    assertThat(cal.isBusinessDay(LocalDate.of(2025, 4, 17))).as("Holy Thursday").isTrue();
  }

  @Test
  @DisplayName("business days are counted across weekends and holidays")
  void addBusinessDays() {
    assertThat(cal.addBusinessDays(LocalDate.of(2025, 12, 4), 2))
        .isEqualTo(LocalDate.of(2025, 12, 9));
    assertThat(cal.addBusinessDays(LocalDate.of(2025, 11, 21), 0))
        .isEqualTo(LocalDate.of(2025, 11, 21));
    assertThat(cal.addBusinessDays(LocalDate.of(2025, 11, 22), 1))
        .isEqualTo(LocalDate.of(2025, 11, 24));
    assertThat(cal.addBusinessDays(LocalDate.of(2025, 9, 17), 1))
        .isEqualTo(LocalDate.of(2025, 9, 22));
    assertThatThrownBy(() -> cal.addBusinessDays(LocalDate.of(2025, 1, 1), -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("outside office hours the next opening is chosen; inside, the instant itself")
  void nextOfficeTime() {
    assertThat(cal.nextOfficeTime(at(2025, 11, 24, 10, 30))).isEqualTo(at(2025, 11, 24, 10, 30));
    assertThat(cal.nextOfficeTime(at(2025, 11, 24, 7, 59))).isEqualTo(at(2025, 11, 24, 9, 0));
    assertThat(cal.nextOfficeTime(at(2025, 11, 21, 18, 0))).isEqualTo(at(2025, 11, 24, 9, 0));
    assertThat(cal.nextOfficeTime(at(2025, 11, 22, 12, 0))).isEqualTo(at(2025, 11, 24, 9, 0));
    assertThat(cal.nextOfficeTime(at(2025, 12, 5, 19, 0))).isEqualTo(at(2025, 12, 9, 9, 0));
    assertThat(cal.isOfficeHours(at(2025, 11, 24, 17, 59))).isTrue();
    assertThat(cal.isOfficeHours(at(2025, 11, 24, 18, 0))).isFalse();
  }

  @Test
  @DisplayName(
      "the minimum gap keeps the time of day on the next business day, moved into office hours")
  void plusBusinessDays() {
    assertThat(cal.plusBusinessDays(at(2025, 11, 21, 15, 0), 1)).isEqualTo(at(2025, 11, 24, 15, 0));
    assertThat(cal.plusBusinessDays(at(2025, 11, 21, 20, 0), 1)).isEqualTo(at(2025, 11, 25, 9, 0));
  }

  @Test
  @DisplayName("a configured calendar replaces zone, days, hours and adds holidays")
  void configured() {
    BusinessCalendar c =
        BusinessCalendar.builder()
            .zone(ZoneId.of("Europe/Madrid"))
            .workingDays(List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY))
            .officeHours(LocalTime.of(8, 0), LocalTime.of(12, 0))
            .holidays(List.of(LocalDate.of(2025, 11, 24)))
            .build();
    assertThat(c.isBusinessDay(LocalDate.of(2025, 11, 24))).isFalse();
    assertThat(c.isBusinessDay(LocalDate.of(2025, 11, 25))).isTrue();
    assertThat(c.isBusinessDay(LocalDate.of(2025, 11, 26))).isFalse();
    assertThat(c.openingOf(LocalDate.of(2025, 11, 24)))
        .isEqualTo(
            ZonedDateTime.of(2025, 11, 25, 8, 0, 0, 0, ZoneId.of("Europe/Madrid")).toInstant());
    assertThatThrownBy(
            () -> BusinessCalendar.builder().officeHours(LocalTime.NOON, LocalTime.of(9, 0)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
