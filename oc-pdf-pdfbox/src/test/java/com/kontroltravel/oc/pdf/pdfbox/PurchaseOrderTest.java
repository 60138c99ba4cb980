package com.kontroltravel.oc.pdf.pdfbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.model.PurchaseOrderInfo;
import java.math.BigDecimal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("purchase-order documents")
class PurchaseOrderTest {
  static final PdfBoxReservationParser PARSER = PdfBoxReservationParser.create();

  @Test
  @DisplayName("a Spanish OC gives its number, total and reservation references")
  void spanishOc() throws Exception {
    PurchaseOrderInfo po =
        PARSER.readPurchaseOrder(
            TestPdfs.text(
                "WALVIS S.A. - Orden de Compra N° 4500123456",
                "Fecha: 21/11/2025",
                "Reserva: 45215412   LOC Interno: AAFTTAT",
                "Hotel Hampton by Hilton, 2 noches",
                "Subtotal: CLP 444.286,55",
                "Total: CLP 528.701,00"));
    assertThat(po.hasTextLayer()).isTrue();
    assertThat(po.ocNumber()).isEqualTo("4500123456");
    assertThat(po.totalAmount()).isEqualByComparingTo(new BigDecimal("528701.00"));
    assertThat(po.currency()).isEqualTo("CLP");
    assertThat(po.references()).contains("45215412", "AAFTTAT").doesNotContain("4500123456");
    assertThat(po.text()).contains("Orden de Compra");
    assertThat(po.problems()).isEmpty();
  }

  @Test
  @DisplayName("short forms 'OC 123' and 'Purchase Order #' are recognised")
  void shortForms() throws Exception {
    assertThat(PARSER.readPurchaseOrder(TestPdfs.text("Adjunto OC 123 para su reserva")).ocNumber())
        .isEqualTo("123");
    PurchaseOrderInfo en =
        PARSER.readPurchaseOrder(
            TestPdfs.text("Purchase Order #PO-77812", "Booking ID 45215412", "Total USD 4.812,50"));
    assertThat(en.ocNumber()).isEqualTo("PO-77812");
    assertThat(en.references()).containsExactly("45215412");
    assertThat(en.totalAmount()).isEqualByComparingTo("4812.50");
    assertThat(en.currency()).isEqualTo("USD");
  }

  @Test
  @DisplayName("a document without an OC number is still read, with a problem saying so")
  void noNumber() throws Exception {
    PurchaseOrderInfo po =
        PARSER.readPurchaseOrder(TestPdfs.text("Estimados, adjuntamos documento."));
    assertThat(po.hasTextLayer()).isTrue();
    assertThat(po.ocNumber()).isNull();
    assertThat(po.problems()).extracting(p -> p.message()).containsExactly("no OC number found");
  }

  @Test
  @DisplayName("the kept text is bounded")
  void textIsBounded() throws Exception {
    String[] lines = new String[45];
    java.util.Arrays.fill(lines, "x".repeat(100));
    lines[0] = "Orden de Compra 998877";
    PurchaseOrderInfo po = PARSER.readPurchaseOrder(TestPdfs.text(lines));
    assertThat(po.text().length()).isLessThanOrEqualTo(20_000);
    assertThat(po.ocNumber()).isEqualTo("998877");
  }
}
