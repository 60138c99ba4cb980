package com.kontroltravel.oc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Chile's national holidays, 2024 to 2027, as the official calendar publishes them (the dates a law
 * sets or moves; the one-off election days are configuration, checked apart).
 */
class ChileanHolidaysTest {
  static final Map<Integer, List<String>> OFFICIAL =
      Map.of(
          2024,
          List.of(
              "01-01", "03-29", "03-30", "05-01", "05-21", "06-20", "06-29", "07-16", "08-15",
              "09-18", "09-19", "09-20", "10-12", "10-31", "11-01", "12-08", "12-25"),
          2025,
          List.of(
              "01-01", "04-18", "04-19", "05-01", "05-21", "06-20", "06-29", "07-16", "08-15",
              "09-18", "09-19", "10-12", "10-31", "11-01", "12-08", "12-25"),
          2026,
          List.of(
              "01-01", "04-03", "04-04", "05-01", "05-21", "06-21", "06-29", "07-16", "08-15",
              "09-18", "09-19", "10-12", "10-31", "11-01", "12-08", "12-25"),
          2027,
          List.of(
              "01-01", "03-26", "03-27", "05-01", "05-21", "06-21", "06-28", "07-16", "08-15",
              "09-18", "09-19", "10-11", "10-31", "11-01", "12-08", "12-25"));

  static Set<String> holidaysOf(BusinessCalendar cal, int year) {
    Set<String> out = new TreeSet<>();
    for (LocalDate d = LocalDate.of(year, 1, 1); d.getYear() == year; d = d.plusDays(1)) {
      if (cal.isHoliday(d)) {
        out.add(String.format("%02d-%02d", d.getMonthValue(), d.getDayOfMonth()));
      }
    }
    return out;
  }

  @Test
  @DisplayName("every national holiday of 2024-2027, and no other day, by the laws that set them")
  void officialCalendar() {
    for (Map.Entry<Integer, List<String>> e : OFFICIAL.entrySet()) {
      assertThat(holidaysOf(BusinessCalendar.CHILE, e.getKey()))
          .as("holidays of %d", e.getKey())
          .containsExactlyElementsOf(new TreeSet<>(e.getValue()));
    }
  }

  @Test
  @DisplayName(
      "the moving rules: to Monday (Tue-Thu back, Fri forward), Evangelical day to a Friday")
  void movingRules() {
    assertThat(ChileanHolidays.toMonday(LocalDate.of(2027, 6, 29))).isEqualTo("2027-06-28");
    assertThat(ChileanHolidays.toMonday(LocalDate.of(2023, 6, 29))).isEqualTo("2023-06-26");
    assertThat(ChileanHolidays.toMonday(LocalDate.of(2029, 6, 29))).isEqualTo("2029-07-02");
    assertThat(ChileanHolidays.toMonday(LocalDate.of(2025, 6, 29))).isEqualTo("2025-06-29");
    assertThat(ChileanHolidays.of(2023)).contains(LocalDate.of(2023, 10, 27)); // 31 Oct a Tuesday
    assertThat(ChileanHolidays.of(2029)).contains(LocalDate.of(2029, 11, 2)); // a Wednesday
    assertThat(ChileanHolidays.of(2023)).contains(LocalDate.of(2023, 1, 2)); // 2 Jan a Monday
  }

  @Test
  @DisplayName("the June solstice in Chile falls on the dates astronomers give")
  void solstice() {
    ZoneId scl = ZoneId.of("America/Santiago");
    assertThat(ChileanHolidays.juneSolstice(2024).atZone(scl).toLocalDate())
        .isEqualTo("2024-06-20");
    assertThat(ChileanHolidays.juneSolstice(2025).atZone(scl).toLocalDate())
        .isEqualTo("2025-06-20");
    assertThat(ChileanHolidays.juneSolstice(2026).atZone(scl).toLocalDate())
        .isEqualTo("2026-06-21");
    assertThat(ChileanHolidays.juneSolstice(2027).atZone(scl).toLocalDate())
        .isEqualTo("2027-06-21");
    // 2025-06-21 02:42 UTC (published): within a few minutes.
    assertThat(ChileanHolidays.juneSolstice(2025))
        .isBetween(
            java.time.Instant.parse("2025-06-21T02:37:00Z"),
            java.time.Instant.parse("2025-06-21T02:47:00Z"));
  }

  @Test
  @DisplayName("one-off holidays (election days) come from configuration")
  void oneOffHolidays() {
    BusinessCalendar cal =
        BusinessCalendar.builder()
            .holidays(List.of(LocalDate.of(2025, 11, 17), LocalDate.of(2026, 3, 2)))
            .build();
    assertThat(cal.isBusinessDay(LocalDate.of(2025, 11, 17))).isFalse();
    assertThat(cal.isBusinessDay(LocalDate.of(2026, 3, 2))).isFalse();
    assertThat(BusinessCalendar.CHILE.isBusinessDay(LocalDate.of(2026, 3, 2))).isTrue();
    BusinessCalendar elsewhere =
        BusinessCalendar.builder()
            .chileanMovableHolidays(false)
            .fixedHolidays(List.of())
            .easterOffsets(List.of())
            .build();
    assertThat(holidaysOf(elsewhere, 2026)).isEmpty();
    assertThat(
            OFFICIAL.get(2026).stream()
                .map(s -> LocalDate.parse("2026-" + s))
                .filter(d -> !BusinessCalendar.CHILE.isBusinessDay(d))
                .collect(Collectors.toList()))
        .hasSize(OFFICIAL.get(2026).size());
  }
}
