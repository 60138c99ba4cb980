package com.kontroltravel.oc.examples.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.model.ParseResult;
import com.kontroltravel.oc.spi.ReservationParser;
import com.kontroltravel.oc.testkit.ReservationParserCompatibilityKit;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The JSON-export parser passes the parser kit, and reads what the export says. */
class JsonExportReservationParserCompatibilityTest extends ReservationParserCompatibilityKit {
  static final String EXPORT =
      """
      {"booking": {"id": "45215412", "loc": "AAFTTAT", "locator": "723113",
        "agency": "WALVIS S.A.", "status": "Reservado", "issued": "2025-11-20",
        "hotel": {"name": "Hampton by Hilton Santiago Las Condes", "checkIn": "2025-11-27",
                  "checkOut": "2025-11-29", "nights": 2, "rooms": 2},
        "total": {"amount": "528701.00", "currency": "CLP"},
        "cancellationDeadline": "2025-11-24"}}
      """;

  @Override
  protected ReservationParser parser() {
    return JsonExportReservationParser.create();
  }

  @Override
  protected List<byte[]> validDocuments() {
    return List.of(
        EXPORT.getBytes(StandardCharsets.UTF_8),
        "{\"booking\":{\"id\":\"777\",\"agency\":\"CAJA 18\"}}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("every field of the export is read, typed, with its JSON pointer as provenance")
  void readsTheExport() {
    ParseResult r = parser().parse(EXPORT.getBytes(StandardCharsets.UTF_8));
    assertThat(r.isClean()).as(r.problems().toString()).isTrue();
    assertThat(r.details().reservationId()).isEqualTo("45215412");
    assertThat(r.details().agencyName()).isEqualTo("WALVIS S.A.");
    assertThat(r.details().checkOut()).isEqualTo(LocalDate.of(2025, 11, 29));
    assertThat(r.details().totalAmount()).isEqualTo(new BigDecimal("528701.00"));
    assertThat(r.details().rooms()).isEqualTo(2);
    assertThat(r.provenance().get("/total/amount").rule()).isEqualTo("json:/booking/total/amount");
  }

  @Test
  @DisplayName("bad fields become problems naming the field; a missing id gives no details")
  void badFieldsAreProblems() {
    ParseResult r =
        parser()
            .parse(
                "{\"booking\":{\"id\":\"1\",\"issued\":\"20/11/2025\",\"total\":{\"amount\":\"1,5\"},\"hotel\":{\"rooms\":\"two\"}}}"
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(r.details().reservationId()).isEqualTo("1");
    assertThat(r.details().issueDate()).isNull();
    assertThat(r.problems())
        .extracting(p -> p.field())
        .containsExactlyInAnyOrder("/issued", "/total/amount", "/hotel/rooms");
    ParseResult noId = parser().parse("{\"booking\":{}}".getBytes(StandardCharsets.UTF_8));
    assertThat(noId.details()).isNull();
    assertThat(noId.problems()).isNotEmpty();
  }
}
