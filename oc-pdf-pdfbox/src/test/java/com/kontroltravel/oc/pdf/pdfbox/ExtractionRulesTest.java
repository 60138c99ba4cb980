package com.kontroltravel.oc.pdf.pdfbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("rule files")
class ExtractionRulesTest {
  static ExtractionRules rules(String json) {
    return ExtractionRules.fromJson(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  @DisplayName("the bundled rules load and are named")
  void defaults() {
    assertThat(ExtractionRules.defaults().name()).isEqualTo("resumen-de-servicios");
  }

  @Test
  @DisplayName("an invalid rule file is refused with every problem listed")
  void invalidRulesListEveryProblem() {
    assertThatThrownBy(
            () ->
                rules(
                    "{\"name\":\"bad\",\"defaultCurrency\":\"pesos\",\"fields\":["
                        + "{\"field\":\"nope\",\"labels\":[\"X\"]},"
                        + "{\"field\":\"checkIn\",\"labels\":[\"In\"],\"position\":\"left\"},"
                        + "{\"field\":\"locator\",\"labels\":[\"L\"],\"pattern\":\"(\"}]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("defaultCurrency")
        .hasMessageContaining("unknown field nope")
        .hasMessageContaining("position must be")
        .hasMessageContaining("bad pattern")
        .hasMessageContaining("no rule for reservationId");
  }

  @Test
  @DisplayName("unknown keys, wrong types and malformed JSON are refused")
  void strictJson() {
    assertThatThrownBy(() -> rules("{\"fields\":[], \"colour\":1}"))
        .hasMessageContaining("unknown key 'colour'");
    assertThatThrownBy(
            () -> rules("{\"fields\":[{\"field\":\"reservationId\",\"labels\":\"ID\"}]}"))
        .hasMessageContaining("labels must be an array");
    assertThatThrownBy(() -> rules("{\"fields\":[")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a minimal rule file reads a document through the parser")
  void minimalRules() throws Exception {
    ExtractionRules r =
        rules(
            "{\"name\":\"mini\",\"fields\":[{\"field\":\"reservationId\",\"labels\":[\"Folio\"],\"required\":true}]}");
    var result =
        PdfBoxReservationParser.builder().rules(r).build().parse(TestPdfs.text("Folio 778899"));
    assertThat(result.isClean()).isTrue();
    assertThat(result.details().reservationId()).isEqualTo("778899");
    assertThat(result.provenance().get("reservationId").rule()).startsWith("mini:");
  }

  @Test
  @DisplayName("the builder refuses bad limits, listing all of them")
  void builderValidates() {
    assertThatThrownBy(
            () ->
                PdfBoxReservationParser.builder()
                    .maxBytes(0)
                    .maxPages(0)
                    .timeout(java.time.Duration.ZERO)
                    .threads(0)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBytes")
        .hasMessageContaining("maxPages")
        .hasMessageContaining("timeout")
        .hasMessageContaining("threads");
  }
}
