package com.kontroltravel.oc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.AgencyNames;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.ReminderSchedule;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.ScheduledStep;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.TrackingState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "WALVIS S.A.|walvis",
        "Walvis SA|walvis",
        "walvis|walvis",
        "Walvis S. A.|walvis",
        "CAJA 18|caja18",
        "Turismo Ñandú Ltda.|turismonandu",
        "Viajes  Andes SpA|viajesandes",
        "S.A.|sa",
        "Agencia (Sur) & Cía.|agenciasur"
      })
  @DisplayName("agency names match after case, accents, punctuation and legal-form normalisation")
  void normalize(String name, String key) {
    assertThat(AgencyNames.normalize(name)).isEqualTo(key);
  }

  @Test
  @DisplayName("an agency matches its aliases and not other agencies")
  void aliases() {
    Agency a =
        Agency.requiringOc("Viajes Andes S.A.", "oc@andes.cl").withAliases(List.of("VA Travel"));
    assertThat(a.matches("VIAJES ANDES")).isTrue();
    assertThat(a.matches("va travel")).isTrue();
    assertThat(a.matches("Viajes Sur")).isFalse();
    assertThat(a.matches(null)).isFalse();
  }

  @Test
  @DisplayName("cancelled and void statuses are recognised in any case and accent")
  void cancelled() {
    assertThat(ReservationDetails.builder("1").status("Cancelado").build().isCancelled()).isTrue();
    assertThat(ReservationDetails.builder("1").status(" ANULADA ").build().isCancelled()).isTrue();
    assertThat(ReservationDetails.builder("1").status("Reservado").build().isCancelled()).isFalse();
    assertThat(ReservationDetails.builder("1").build().isCancelled()).isFalse();
    assertThatThrownBy(() -> ReservationDetails.builder(" ").build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("PDFs are recognised by type, by name or by their magic bytes")
  void pdfDetection() {
    byte[] pdf = "%PDF-1.7 ...".getBytes(StandardCharsets.ISO_8859_1);
    byte[] text = "hello".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(new Attachment(null, "application/octet-stream", pdf).isPdf()).isTrue();
    assertThat(new Attachment("x.PDF", null, text).isPdf()).isTrue();
    assertThat(new Attachment("x.txt", "text/plain", text).isPdf()).isFalse();
  }

  @Test
  @DisplayName("messages without a Message-ID get a stable content hash as key")
  void dedupKey() {
    InboundMessage a = InboundMessage.builder().from("a@b.cl").subject("s").textBody("t").build();
    InboundMessage b = InboundMessage.builder().from("a@b.cl").subject("s").textBody("t").build();
    InboundMessage c = InboundMessage.builder().from("a@b.cl").subject("s2").textBody("t").build();
    assertThat(a.dedupKey())
        .startsWith("sha256:")
        .isEqualTo(b.dedupKey())
        .isNotEqualTo(c.dedupKey());
    assertThat(InboundMessage.builder().messageId("x@y").build().dedupKey()).isEqualTo("x@y");
  }

  @Test
  @DisplayName("schedules are data: the default, the legacy one and bad ones are checked")
  void schedules() {
    assertThat(ReminderSchedule.DEFAULT.steps())
        .extracting(ScheduledStep::businessDay)
        .containsExactly(0, 2, 4, 6);
    assertThat(ReminderSchedule.LEGACY.steps())
        .extracting(ScheduledStep::step)
        .containsExactly(Step.REQUEST, Step.REMINDER_1, Step.REMINDER_3);
    assertThat(ReminderSchedule.LEGACY.after(Step.REMINDER_1).step()).isEqualTo(Step.REMINDER_3);
    assertThat(ReminderSchedule.DEFAULT.after(Step.REMINDER_3)).isNull();
    assertThatThrownBy(
            () -> new ReminderSchedule(List.of(new ScheduledStep(Step.REMINDER_1, 2)), 1, 30))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new ReminderSchedule(
                    List.of(
                        new ScheduledStep(Step.REQUEST, 3), new ScheduledStep(Step.REMINDER_1, 2)),
                    1,
                    30))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScheduledStep(Step.ACKNOWLEDGEMENT, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("states carry their Spanish labels and parse from either form")
  void states() {
    assertThat(TrackingState.NOT_REQUIRED.label()).isEqualTo("NO_REQUIERE_OC");
    assertThat(TrackingState.parse("recibida")).isEqualTo(TrackingState.RECEIVED);
    assertThat(TrackingState.parse("REMINDER_2")).isEqualTo(TrackingState.REMINDER_2);
    assertThat(TrackingState.REMINDER_3.isOpen()).isTrue();
    assertThat(TrackingState.EXPIRED.isOpen()).isFalse();
  }

  @Test
  @DisplayName("an outbound message refuses CR or LF in a header value")
  void outboundHeaders() {
    assertThatThrownBy(
            () ->
                new OutboundMessage(
                    "id@x",
                    null,
                    List.of("a@b.cl"),
                    List.of(),
                    "Hola\r\nBcc: evil@x.com",
                    "t",
                    null,
                    null,
                    List.of(),
                    List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
