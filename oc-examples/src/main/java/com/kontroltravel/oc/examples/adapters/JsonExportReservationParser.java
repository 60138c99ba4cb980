package com.kontroltravel.oc.examples.adapters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kontroltravel.oc.model.FieldProvenance;
import com.kontroltravel.oc.model.ParseProblem;
import com.kontroltravel.oc.model.ParseResult;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.spi.ReservationParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Example of a custom {@link ReservationParser}: reads a booking app's JSON export instead of a
 * PDF. A host whose booking system can export bookings registers it on the engine builder ({@code
 * .reservationParser(JsonExportReservationParser.create())}) and feeds the exports as attachments
 * or through {@code engine.track(...)}.
 *
 * <p>The export looks like this (only {@code booking.id} is required):
 *
 * <pre>{@code
 * {"booking": {"id": "45215412", "loc": "AAFTTAT", "locator": "723113",
 *   "agency": "WALVIS S.A.", "status": "Reservado", "issued": "2025-11-20",
 *   "hotel": {"name": "Hampton by Hilton", "checkIn": "2025-11-27", "checkOut": "2025-11-29",
 *             "nights": 2, "rooms": 2},
 *   "total": {"amount": "528701.00", "currency": "CLP"},
 *   "cancellationDeadline": "2025-11-24"}}
 * }</pre>
 *
 * <p>Like every parser it never throws on bad input: anything it cannot read becomes a problem in
 * the result, with the JSON pointer of the field. Thread safe (Jackson's mapper is).
 */
public final class JsonExportReservationParser implements ReservationParser {
  /** The most bytes read; larger exports are refused as a problem. */
  public static final int MAX_BYTES = 1024 * 1024;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonExportReservationParser() {}

  /** A parser. */
  public static JsonExportReservationParser create() {
    return new JsonExportReservationParser();
  }

  @Override
  public ParseResult parse(byte[] document) {
    Objects.requireNonNull(document, "document == null");
    if (document.length == 0) {
      return ParseResult.failed("the document is empty");
    }
    if (document.length > MAX_BYTES) {
      return ParseResult.failed("the export is larger than " + MAX_BYTES + " bytes");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(document.clone());
    } catch (JsonProcessingException e) {
      return ParseResult.failed("not a JSON booking export: " + e.getOriginalMessage());
    } catch (IOException | RuntimeException e) {
      return ParseResult.failed("not a JSON booking export: " + e.getClass().getSimpleName());
    }
    if (root == null || !root.isObject() || !root.path("booking").isObject()) {
      return ParseResult.failed("not a JSON booking export: no \"booking\" object");
    }
    Reader r = new Reader(root.path("booking"));
    String id = r.text("/id");
    if (id == null) {
      r.problems.add(new ParseProblem("reservationId", "booking.id is missing"));
      return new ParseResult(null, r.provenance, r.problems);
    }
    ReservationDetails d =
        ReservationDetails.builder(id)
            .internalLocator(r.text("/loc"))
            .locator(r.text("/locator"))
            .agencyName(r.text("/agency"))
            .status(r.text("/status"))
            .issueDate(r.date("/issued"))
            .hotelName(r.text("/hotel/name"))
            .checkIn(r.date("/hotel/checkIn"))
            .checkOut(r.date("/hotel/checkOut"))
            .nights(r.integer("/hotel/nights"))
            .rooms(r.integer("/hotel/rooms"))
            .totalAmount(r.amount("/total/amount"))
            .currency(r.text("/total/currency"))
            .cancellationDeadline(r.date("/cancellationDeadline"))
            .build();
    return new ParseResult(d, r.provenance, r.problems);
  }

  /** Reads fields and records where each came from and what was wrong. */
  private static final class Reader {
    final JsonNode booking;
    final Map<String, FieldProvenance> provenance = new LinkedHashMap<>();
    final List<ParseProblem> problems = new ArrayList<>();

    Reader(JsonNode booking) {
      this.booking = booking;
    }

    private JsonNode at(String pointer) {
      JsonNode n = booking.at(pointer);
      if (n.isMissingNode() || n.isNull()) {
        return null;
      }
      provenance.put(pointer, new FieldProvenance(1, n.toString(), "json:/booking" + pointer));
      return n;
    }

    String text(String pointer) {
      JsonNode n = at(pointer);
      if (n == null) {
        return null;
      }
      if (!n.isValueNode()) {
        problems.add(new ParseProblem(pointer, "expected a text value"));
        return null;
      }
      String s = n.asText().trim();
      return s.isEmpty() ? null : s;
    }

    LocalDate date(String pointer) {
      String s = text(pointer);
      if (s == null) {
        return null;
      }
      try {
        return LocalDate.parse(s);
      } catch (DateTimeParseException e) {
        problems.add(new ParseProblem(pointer, "not an ISO date: " + s));
        return null;
      }
    }

    Integer integer(String pointer) {
      JsonNode n = at(pointer);
      if (n == null) {
        return null;
      }
      if (!n.canConvertToInt() || !n.isIntegralNumber() && !n.asText().matches("\\d{1,9}")) {
        problems.add(new ParseProblem(pointer, "not a whole number: " + n));
        return null;
      }
      return n.isIntegralNumber() ? n.intValue() : Integer.valueOf(n.asText());
    }

    BigDecimal amount(String pointer) {
      String s = text(pointer);
      if (s == null) {
        return null;
      }
      try {
        return new BigDecimal(s).setScale(2, java.math.RoundingMode.UNNECESSARY);
      } catch (ArithmeticException | NumberFormatException e) {
        problems.add(new ParseProblem(pointer, "not an amount with at most two decimals: " + s));
        return null;
      }
    }
  }
}
