package com.kontroltravel.oc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.spi.MessageTemplates;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigAndTemplatesTest {

  @Test
  @DisplayName("the configuration reports every invalid value at once")
  void allProblemsAtOnce() {
    assertThatThrownBy(
            () ->
                OcConfig.builder()
                    .mailboxAddress("not an address")
                    .ccRecipients(List.of("bad@"))
                    .batchSize(0)
                    .pollInterval(Duration.ZERO)
                    .build())
        .isInstanceOfSatisfying(
            ConfigurationException.class, e -> assertThat(e.problems()).hasSize(4));
  }

  @Test
  @DisplayName("allowed senders match by address or by domain, case-insensitively")
  void allowedSenders() {
    OcConfig c =
        OcConfig.builder()
            .mailboxAddress("oc@kontroltravel.com")
            .allowedSenders(List.of("Reservas@Kontrol.cl", "@booking.example", "partner.cl"))
            .build();
    assertThat(c.isAllowedSender("reservas@kontrol.cl")).isTrue();
    assertThat(c.isAllowedSender("otro@kontrol.cl")).isFalse();
    assertThat(c.isAllowedSender("x@booking.example")).isTrue();
    assertThat(c.isAllowedSender("x@partner.cl")).isTrue();
    assertThat(c.isAllowedSender("x@evilpartner.cl")).isFalse();
    assertThat(c.isAllowedSender("x@mail.partner.cl")).as("no subdomains").isFalse();
    assertThat(c.isAllowedSender("partner.cl")).as("not an address").isFalse();
    assertThat(
            OcConfig.builder()
                .mailboxAddress("oc@kontroltravel.com")
                .build()
                .isAllowedSender("reservas@kontrol.cl"))
        .as("an empty list allows nobody")
        .isFalse();
    assertThat(c.isAllowedSender(null)).isFalse();
    assertThat(c.messageIdDomain()).isEqualTo("kontroltravel.com");
  }

  static Map<String, Object> model(String agency) {
    Map<String, Object> m = new HashMap<>();
    m.put("id", "45215412");
    m.put("agency", agency);
    m.put("hotel", "Hampton <b>by</b> Hilton");
    m.put(
        "total",
        Composer.formatMoney(new BigDecimal("528701.00"), "CLP", Locale.forLanguageTag("es-CL")));
    m.put(
        "checkIn", Composer.formatDate(LocalDate.of(2025, 11, 27), Locale.forLanguageTag("es-CL")));
    m.put("senderName", "Kontrol Travel");
    m.put("suspensionDate", "lunes, 1 de diciembre de 2025");
    return m;
  }

  @Test
  @DisplayName(
      "Spanish templates render the request with exact subject and every value escaped in HTML")
  void requestSpanish() {
    MessageTemplates.Rendered r =
        MessageTemplates.defaults()
            .render(
                "request",
                Locale.forLanguageTag("es-CL"),
                null,
                model("<script>alert(1)</script> S.A."));
    assertThat(r.subject()).isEqualTo("Solicitud de Orden de Compra - Reserva #45215412");
    assertThat(r.html())
        .contains("&lt;script&gt;alert(1)&lt;/script&gt; S.A.")
        .doesNotContain("<script>");
    assertThat(r.html()).contains("Hampton &lt;b&gt;by&lt;/b&gt; Hilton");
    assertThat(r.text()).contains("CLP 528.701,00").contains("jueves, 27 de noviembre de 2025");
  }

  @Test
  @DisplayName("every step has Spanish and English templates with the documented subjects")
  void allTemplates() {
    MessageTemplates t = MessageTemplates.defaults();
    Map<String, String> es =
        Map.of(
            "reminder-1", "Recordatorio: Orden de Compra Pendiente - Reserva #45215412",
            "reminder-2", "2do Recordatorio: OC Urgente - Reserva #45215412",
            "reminder-3", "URGENTE: OC Requerida - Reserva #45215412",
            "acknowledgement", "OC Recibida - Reserva #45215412");
    es.forEach(
        (name, subject) ->
            assertThat(t.render(name, Locale.forLanguageTag("es"), null, model("A")).subject())
                .isEqualTo(subject));
    for (String name :
        List.of("request", "reminder-1", "reminder-2", "reminder-3", "acknowledgement")) {
      MessageTemplates.Rendered r = t.render(name, Locale.ENGLISH, null, model("A"));
      assertThat(r.subject()).contains("45215412").doesNotContain("Reserva");
      assertThat(r.text()).startsWith("Dear A");
    }
    assertThat(t.render("reminder-3", Locale.forLanguageTag("es"), null, model("A")).text())
        .contains("lunes, 1 de diciembre de 2025");
  }

  @Test
  @DisplayName("no CR or LF from a value reaches the subject")
  void subjectInjection() {
    Map<String, Object> m = model("A");
    m.put("id", "1\r\nBcc: evil@example.com");
    String subject =
        MessageTemplates.defaults()
            .render("request", Locale.forLanguageTag("es"), null, m)
            .subject();
    assertThat(subject).doesNotContain("\r").doesNotContain("\n").contains("Bcc: evil@example.com");
  }

  @Test
  @DisplayName(
      "templates can be overridden per locale and per agency, falling back to the bundled ones")
  void overrides(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("es"));
    Files.writeString(dir.resolve("es/request.subject.mustache"), "Pedido de OC {{id}}");
    Files.createDirectories(dir.resolve("andes/es"));
    Files.writeString(dir.resolve("andes/es/request.subject.mustache"), "Andes: OC {{id}}");
    MessageTemplates t = MessageTemplates.withOverrides(dir);
    assertThat(t.render("request", Locale.forLanguageTag("es"), null, model("A")).subject())
        .isEqualTo("Pedido de OC 45215412");
    assertThat(t.render("request", Locale.forLanguageTag("es"), "andes", model("A")).subject())
        .isEqualTo("Andes: OC 45215412");
    assertThat(t.render("reminder-1", Locale.forLanguageTag("es"), "andes", model("A")).subject())
        .startsWith("Recordatorio:");
  }
}
