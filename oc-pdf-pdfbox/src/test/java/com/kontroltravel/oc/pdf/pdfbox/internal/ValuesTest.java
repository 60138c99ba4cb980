package com.kontroltravel.oc.pdf.pdfbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("amounts and dates as written in the confirmations")
class ValuesTest {
  static final Map<String, String> SYMBOLS = Map.of("$", "CLP", "US$", "USD");

  @ParameterizedTest(name = "{0} is {1} {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "CLP 528.701,00|528701.00|CLP",
        "$ 150.000|150000.00|CLP",
        "USD 4.812,50|4812.50|USD",
        "USD 1,234.56|1234.56|USD",
        "CLP 1.250.000,00|1250000.00|CLP",
        "$ 89.990|89990.00|CLP",
        "US$ 980,5|980.50|USD",
        "1.000|1000.00|CLP",
        "EUR 12,30|12.30|EUR",
        "CLP 999|999.00|CLP",
      })
  @DisplayName("amounts are exact decimals with two places")
  void amounts(String text, String amount, String currency) {
    Values.Read<Values.Money> m = Values.money(text, SYMBOLS, "CLP");
    assertThat(m.error()).isNull();
    assertThat(m.value().amount()).isEqualTo(new BigDecimal(amount));
    assertThat(m.value().amount().scale()).isEqualTo(2);
    assertThat(m.value().currency()).isEqualTo(currency);
  }

  @ParameterizedTest(name = "{0} is refused")
  @CsvSource(
      delimiter = '|',
      value = {"CLP 1.23.456", "no amount here", "CLP 12.3456,00", "CLP 1,234.567.00"})
  @DisplayName("malformed amounts are refused, not guessed")
  void badAmounts(String text) {
    assertThat(Values.money(text, SYMBOLS, "CLP").value()).isNull();
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "jueves 27, nov. 2025|2025-11-27",
        "sábado 29, nov. 2025|2025-11-29",
        "lunes, 24 de noviembre de 2025|2025-11-24",
        "miércoles 3, sept. 2025|2025-09-03",
        "miercoles 3, sep. 2025|2025-09-03",
        "3 de septiembre de 2025|2025-09-03",
        "3 de setiembre de 2025|2025-09-03",
        "20/11/2025|2025-11-20",
        "20-11-2025|2025-11-20",
        "2025-11-20|2025-11-20",
        "1 ene. 2026|2026-01-01",
        "14 feb 2026|2026-02-14",
        "5 mar. 2025|2025-03-05",
        "5 abr. 2025|2025-04-05",
        "5 may. 2025|2025-05-05",
        "5 jun. 2025|2025-06-05",
        "5 jul. 2025|2025-07-05",
        "5 ago. 2025|2025-08-05",
        "5 oct. 2025|2025-10-05",
        "5 dic. 2025|2025-12-05",
        "5 DICIEMBRE 2025|2025-12-05",
      })
  @DisplayName("every Spanish date form is read")
  void dates(String text, String iso) {
    Values.Read<LocalDate> d = Values.date(text, Values.SPANISH_MONTHS, Values.SPANISH_WEEKDAYS);
    assertThat(d.error()).isNull();
    assertThat(d.value()).isEqualTo(LocalDate.parse(iso));
  }

  @Test
  @DisplayName("an impossible date is refused and a wrong weekday is a warning")
  void badDates() {
    assertThat(Values.date("31/02/2025", Values.SPANISH_MONTHS, Values.SPANISH_WEEKDAYS).error())
        .contains("not a valid date");
    assertThat(Values.date("INMEDIATO", Values.SPANISH_MONTHS, Values.SPANISH_WEEKDAYS).error())
        .contains("not a date");
    Values.Read<LocalDate> wrongDay =
        Values.date("lunes 27, nov. 2025", Values.SPANISH_MONTHS, Values.SPANISH_WEEKDAYS);
    assertThat(wrongDay.value()).isEqualTo(LocalDate.of(2025, 11, 27));
    assertThat(wrongDay.warning()).contains("lunes");
  }

  @Test
  @DisplayName("labels match regardless of case, accents and spacing, but only as whole words")
  void labels() {
    assertThat(
            Text.labelPattern("Límite Cancelación Reserva")
                .matcher(Text.fold("LIMITE  CANCELACION RESERVA"))
                .find())
        .isTrue();
    assertThat(Text.labelPattern("ID:").matcher(Text.fold("PAID: 12")).find()).isFalse();
    assertThat(Text.labelPattern("ID:").matcher(Text.fold("ID : 12")).find()).isTrue();
    assertThat(Text.labelPattern("Total:").matcher(Text.fold("Subtotal: 3")).find()).isFalse();
    assertThat(Text.fold("Ñuñoa Émile")).isEqualTo("ñuñoa emile");
  }

  @Test
  @DisplayName(
      "every text a label's pattern finds contains the label's literal, so rows can skip it")
  void labelLiteralIsInEveryMatch() {
    assertThat(Text.labelLiteral("Límite Cancelación Reserva")).isEqualTo("cancelacion");
    assertThat(Text.labelLiteral("ID:")).isEqualTo("id");
    assertThat(Text.labelLiteral("N° Reserva")).isEqualTo("reserva");
    assertThat(Text.labelLiteral("N°#:")).isEqualTo("n");
    java.util.Random random = new java.util.Random(42);
    String[] labels = {
      "Límite Cancelación Reserva",
      "ID:",
      "N° Reserva",
      "LOC interno",
      "Total:",
      "Nº OC #",
      "Check-in",
      "Fecha emisión",
      "N°#:",
      "Reserva N°: Código"
    };
    String spaces = " \t\u00a0";
    int matched = 0;
    for (String label : labels) {
      java.util.regex.Pattern pattern = Text.labelPattern(label);
      String literal = Text.labelLiteral(label);
      for (int i = 0; i < 500; i++) {
        // The label with random case, accents and spaces (none, one or several) between any
        // characters, between random text.
        StringBuilder t = new StringBuilder(random.nextBoolean() ? "x " : "");
        for (char c : label.toCharArray()) {
          if (random.nextInt(4) == 0) {
            t.append(spaces.charAt(random.nextInt(spaces.length())));
          }
          t.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        t.append(random.nextBoolean() ? ": 123" : "");
        String folded = Text.fold(t.toString());
        if (pattern.matcher(folded).find()) {
          matched++;
          assertThat(folded).as(label + " in '" + t + "'").contains(literal);
        }
      }
    }
    assertThat(matched).as("variants the patterns found").isGreaterThan(1000);
  }
}
