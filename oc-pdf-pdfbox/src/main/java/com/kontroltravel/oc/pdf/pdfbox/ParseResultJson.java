package com.kontroltravel.oc.pdf.pdfbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kontroltravel.oc.model.ParseProblem;
import com.kontroltravel.oc.model.ParseResult;
import com.kontroltravel.oc.model.ReservationDetails;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * Renders a {@link ParseResult} as the JSON object described in CONFIRMATION_FORMAT.md: the fields
 * in the documented order, ISO dates, {@code totalAmount} as a string with two decimals, {@code
 * null} for absent values, and {@code problems} as an array of strings. Stateless and thread safe.
 */
public final class ParseResultJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ParseResultJson() {}

  /** One result as a compact JSON object. */
  public static String toJson(ParseResult result) {
    return write(toNode(result));
  }

  /** Several results as a compact JSON array of objects. */
  public static String toJson(List<ParseResult> results) {
    ArrayNode array = MAPPER.createArrayNode();
    results.forEach(r -> array.add(toNode(r)));
    return write(array);
  }

  private static String write(Object node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }

  static ObjectNode toNode(ParseResult result) {
    Objects.requireNonNull(result, "result == null");
    ReservationDetails d = result.details();
    ObjectNode o = MAPPER.createObjectNode();
    o.put("reservationId", d == null ? null : d.reservationId());
    o.put("internalLocator", d == null ? null : d.internalLocator());
    o.put("locator", d == null ? null : d.locator());
    o.put("agencyName", d == null ? null : d.agencyName());
    o.put("status", d == null ? null : d.status());
    o.put("issueDate", d == null ? null : iso(d.issueDate()));
    o.put("hotelName", d == null ? null : d.hotelName());
    o.put("checkIn", d == null ? null : iso(d.checkIn()));
    o.put("checkOut", d == null ? null : iso(d.checkOut()));
    o.put("nights", d == null ? null : d.nights());
    o.put("rooms", d == null ? null : d.rooms());
    o.put("totalAmount", d == null ? null : amount(d.totalAmount()));
    o.put("currency", d == null ? null : d.currency());
    o.put("cancellationDeadline", d == null ? null : iso(d.cancellationDeadline()));
    ArrayNode problems = o.putArray("problems");
    for (ParseProblem p : result.problems()) {
      problems.add(p.toString());
    }
    return o;
  }

  private static String iso(LocalDate date) {
    return date == null ? null : date.toString();
  }

  private static String amount(BigDecimal amount) {
    return amount == null ? null : amount.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
  }
}
