package com.kontroltravel.oc.testkit;

import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.ParseResult;
import com.kontroltravel.oc.model.PurchaseOrderInfo;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.spi.ReservationParser;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for PDF documents in engine tests: "%PDF-" followed by key=value lines. The real PDF
 * parser has its own tests; here the engine's workflow is under test.
 */
final class FakePdf implements ReservationParser {
  private static final Pattern OC_NUMBER = Pattern.compile("ORDEN DE COMPRA N° (\\d+)");
  private static final Pattern OC_TOTAL = Pattern.compile("TOTAL ([A-Z]{3}) (\\d+(?:\\.\\d+)?)");

  /**
   * The booking system's mail carrying {@code d}'s confirmation: from {@code reservas@kontrol.cl},
   * authenticated, Message-ID {@code m<n>@kontrol.cl}.
   */
  static InboundMessage confirmationMail(ReservationDetails d, int n, Instant date) {
    return InboundMessage.builder()
        .messageId("m" + n + "@kontrol.cl")
        .from("reservas@kontrol.cl")
        .subject("Confirmacion reserva " + d.reservationId())
        .date(date)
        .attachment(Attachment.pdf("r.pdf", confirmation(d)))
        .authenticated(true)
        .build();
  }

  static byte[] confirmation(ReservationDetails d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.reservationId());
    m.put("loc", d.internalLocator());
    m.put("localizador", d.locator());
    m.put("agency", d.agencyName());
    m.put("status", d.status());
    m.put("issue", d.issueDate());
    m.put("hotel", d.hotelName());
    m.put("total", d.totalAmount());
    m.put("currency", d.currency());
    StringBuilder sb = new StringBuilder("%PDF-1.4\n");
    m.forEach(
        (k, v) -> {
          if (v != null) {
            sb.append(k).append('=').append(v).append('\n');
          }
        });
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] purchaseOrder(String ocNumber, String text) {
    return ("%PDF-1.4\nORDEN DE COMPRA N° " + ocNumber + "\n" + text + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public ParseResult parse(byte[] document) {
    String s = new String(document, StandardCharsets.UTF_8);
    if (!s.startsWith("%PDF-")) {
      return ParseResult.failed("not a PDF");
    }
    Map<String, String> kv = new LinkedHashMap<>();
    for (String line : s.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        kv.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    if (!kv.containsKey("id")) {
      return ParseResult.failed("no reservation id");
    }
    ReservationDetails d =
        ReservationDetails.builder(kv.get("id"))
            .internalLocator(kv.get("loc"))
            .locator(kv.get("localizador"))
            .agencyName(kv.get("agency"))
            .status(kv.get("status"))
            .issueDate(kv.containsKey("issue") ? LocalDate.parse(kv.get("issue")) : null)
            .hotelName(kv.get("hotel"))
            .totalAmount(kv.containsKey("total") ? new BigDecimal(kv.get("total")) : null)
            .currency(kv.get("currency"))
            .build();
    return new ParseResult(d, Map.of(), List.of());
  }

  @Override
  public PurchaseOrderInfo readPurchaseOrder(byte[] document) {
    String s = new String(document, StandardCharsets.UTF_8);
    Matcher m = OC_NUMBER.matcher(s);
    String number = m.find() ? m.group(1) : null;
    Matcher t = OC_TOTAL.matcher(s);
    BigDecimal total = null;
    String currency = null;
    if (t.find()) {
      currency = t.group(1);
      total = new BigDecimal(t.group(2));
    }
    return new PurchaseOrderInfo(number, total, currency, new ArrayList<>(), s, true, List.of());
  }
}
