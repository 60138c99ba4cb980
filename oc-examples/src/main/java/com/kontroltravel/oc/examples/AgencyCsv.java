package com.kontroltravel.oc.examples;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.ReminderSchedule;
import com.kontroltravel.oc.settings.EngineSettings;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads agency lists in two CSV formats.
 *
 * <ul>
 *   <li>The old system's {@code NAME,email} lines, {@code #} comments ignored. A comment naming a
 *       section ("CLIENTES QUE REQUIEREN OC", "... NO REQUIEREN OC") sets whether the agencies
 *       after it owe an OC; before any section they do, unless the agency already exists (then its
 *       setting is kept and only the contact changes).
 *   <li>A richer format with a header row: {@code name,emails,requires_oc,cc,aliases,schedule,
 *       domains,locale,active} (only {@code name} is required; columns in any order). Lists are
 *       separated by {@code ;} or {@code |}. {@code schedule} is {@code 2/4} (the old reminder and
 *       ultimatum days) or steps like {@code request@0;reminder-1@2;reminder-2@4;reminder-3@6}.
 * </ul>
 *
 * The file is read by a real CSV parser (Jackson's): a quoted value may hold commas, doubled quotes
 * and line breaks. Bytes are UTF-8 (with or without a BOM) or, when they are not valid UTF-8,
 * Windows-1252 (what Excel writes on a Spanish Windows). Bad rows are reported with the number of
 * the line they start on, never skipped silently.
 */
public final class AgencyCsv {
  /**
   * An email address as the importer and the admin API accept it: a dot-atom local part, a domain
   * of letters, digits and hyphens with at least one dot and a top-level label of two or more
   * letters; no spaces, quotes, angle brackets, commas or control characters.
   */
  private static final Pattern EMAIL =
      Pattern.compile(
          "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
              + "@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");

  private static final CsvMapper CSV = new CsvMapper();
  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

  private AgencyCsv() {}

  /**
   * What a file gave.
   *
   * @param agencies the agencies, in file order
   * @param problems one line per rejected row ({@code line N: reason})
   * @param format {@code legacy} or {@code rich}
   */
  public record Result(List<Agency> agencies, List<String> problems, String format) {}

  /** One CSV record and the line it starts on (1-based). */
  private record Row(int line, List<String> fields) {
    String joined() {
      return String.join(",", fields);
    }

    boolean comment() {
      return !fields.isEmpty() && fields.get(0).trim().startsWith("#");
    }

    boolean blank() {
      return fields.stream().allMatch(String::isBlank);
    }
  }

  /**
   * Parses a file's bytes: UTF-8 with or without a BOM, else Windows-1252.
   *
   * @param existing looks an agency up by name, to keep its settings when the legacy format only
   *     changes its contact
   */
  public static Result parse(byte[] bytes, Function<String, Optional<Agency>> existing) {
    return parse(decode(bytes), existing);
  }

  /**
   * The text of a file: UTF-8 (a BOM is dropped) when the bytes are valid UTF-8, else Windows-1252.
   */
  static String decode(byte[] b) {
    int off =
        b.length >= 3 && b[0] == (byte) 0xEF && b[1] == (byte) 0xBB && b[2] == (byte) 0xBF ? 3 : 0;
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b, off, b.length - off))
          .toString();
    } catch (CharacterCodingException e) {
      return new String(b, WINDOWS_1252);
    }
  }

  /**
   * Parses {@code text}.
   *
   * @param existing looks an agency up by name, to keep its settings when the legacy format only
   *     changes its contact
   * @throws IllegalArgumentException when the text is not CSV (an unclosed quote), naming the line
   */
  public static Result parse(String text, Function<String, Optional<Agency>> existing) {
    List<Row> rows = rows(text.startsWith("\uFEFF") ? text.substring(1) : text);
    Row first = rows.stream().filter(r -> !r.blank() && !r.comment()).findFirst().orElse(null);
    if (first != null && norm(first.fields().get(0)).equals("name")) {
      return rich(rows, first);
    }
    return legacy(rows, existing);
  }

  private static List<Row> rows(String text) {
    List<Row> out = new ArrayList<>();
    CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(',').withQuoteChar('"');
    try (CsvParser p = CSV.getFactory().createParser(new java.io.StringReader(text))) {
      p.setSchema(schema);
      p.enable(CsvParser.Feature.TRIM_SPACES);
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t != JsonToken.START_ARRAY) {
          continue;
        }
        int line = -1;
        List<String> fields = new ArrayList<>();
        while ((t = p.nextToken()) != null && t != JsonToken.END_ARRAY) {
          if (line < 0) {
            line = p.currentTokenLocation().getLineNr();
          }
          fields.add(p.getValueAsString(""));
        }
        out.add(new Row(line, fields));
      }
    } catch (java.io.IOException e) {
      String where =
          e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                  && j.getLocation() != null
              ? "line " + j.getLocation().getLineNr() + ": "
              : "";
      throw new IllegalArgumentException(
          where + "not a readable CSV file: " + firstLine(e.getMessage()), e);
    }
    return out;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static Result legacy(List<Row> rows, Function<String, Optional<Agency>> existing) {
    List<Agency> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Boolean section = null;
    for (Row row : rows) {
      if (row.blank()) {
        continue;
      }
      String l = row.joined().trim();
      if (row.comment()) {
        String n = norm(l);
        if (n.contains("no requieren oc") || n.contains("no requiere oc")) {
          section = false;
        } else if (n.contains("requieren oc") || n.contains("requiere oc")) {
          section = true;
        }
        continue;
      }
      List<String> f = row.fields();
      if (f.size() < 2 || f.get(0).isBlank()) {
        problems.add("line " + row.line() + ": expected NAME,email: " + shown(l));
        continue;
      }
      String name = f.get(0).trim();
      if (hasControl(name)) {
        problems.add("line " + row.line() + ": the name holds a line break or control character");
        continue;
      }
      List<String> emails = new ArrayList<>();
      for (String e : f.subList(1, f.size())) {
        String t = e.trim();
        if (t.isEmpty()) {
          continue;
        }
        if (!isAddress(t)) {
          problems.add("line " + row.line() + ": not an email address: " + shown(t));
          emails = null;
          break;
        }
        emails.add(t.toLowerCase(Locale.ROOT));
      }
      if (emails == null) {
        continue;
      }
      List<String> contacts = List.copyOf(emails);
      Optional<Agency> known = existing.apply(name);
      boolean requires = section != null ? section : known.map(Agency::requiresOc).orElse(true);
      Agency a =
          known
              .map(
                  k ->
                      new Agency(
                          k.name(),
                          k.aliases(),
                          k.emailDomains(),
                          requires,
                          contacts,
                          k.cc(),
                          k.schedule(),
                          k.locale(),
                          k.active()))
              .orElse(
                  new Agency(
                      name, List.of(), List.of(), requires, contacts, List.of(), null, null, true));
      out.add(a);
    }
    return new Result(out, problems, "legacy");
  }

  private static Result rich(List<Row> rows, Row headerRow) {
    List<String> header = headerRow.fields();
    Map<String, Integer> col = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      col.put(norm(header.get(i)).replace(' ', '_').replace('-', '_'), i);
    }
    List<Agency> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Row row : rows) {
      if (row.line() <= headerRow.line() || row.blank() || row.comment()) {
        continue;
      }
      List<String> f = row.fields();
      Function<String, String> get =
          k -> {
            Integer c = col.get(k);
            return c == null || c >= f.size() ? "" : f.get(c).trim();
          };
      String name = get.apply("name");
      if (name.isEmpty()) {
        problems.add("line " + row.line() + ": the name is empty");
        continue;
      }
      if (hasControl(name)) {
        problems.add("line " + row.line() + ": the name holds a line break or control character");
        continue;
      }
      if (f.size() > header.size()) {
        problems.add(
            "line "
                + row.line()
                + ": "
                + f.size()
                + " values for "
                + header.size()
                + " columns (an unquoted comma?)");
        continue;
      }
      try {
        List<String> emails =
            emails(get.apply("emails").isEmpty() ? get.apply("email") : get.apply("emails"));
        List<String> cc = emails(get.apply("cc"));
        Boolean requires = yesNo(get.apply("requires_oc"));
        Boolean active = yesNo(get.apply("active"));
        String loc = get.apply("locale");
        Agency a =
            new Agency(
                name,
                items(get.apply("aliases")),
                items(get.apply("domains")),
                requires == null || requires,
                emails,
                cc,
                schedule(get.apply("schedule")),
                loc.isEmpty() ? null : Locale.forLanguageTag(loc),
                active == null || active);
        out.add(a);
      } catch (IllegalArgumentException e) {
        problems.add("line " + row.line() + ": " + e.getMessage());
      }
    }
    return new Result(out, problems, "rich");
  }

  /** Whether {@code s} is an email address the importer and the admin API accept. */
  static boolean isAddress(String s) {
    return s != null && s.length() <= 254 && EMAIL.matcher(s).matches();
  }

  /**
   * Checks and lower-cases addresses (the admin API's contacts and cc, as the importer does).
   *
   * @throws IllegalArgumentException naming the first value that is not an address
   */
  static List<String> addresses(List<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      String t = v == null ? "" : v.trim();
      if (!isAddress(t)) {
        throw new IllegalArgumentException("not an email address: " + shown(t));
      }
      out.add(t.toLowerCase(Locale.ROOT));
    }
    return out;
  }

  private static boolean hasControl(String s) {
    return s.chars().anyMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f));
  }

  /** A value as shown in a problem line: control characters made visible, at most 80 chars. */
  private static String shown(String s) {
    String t = Views.terminalSafe(s);
    return t.length() <= 80 ? t : t.substring(0, 80) + "...";
  }

  static List<String> items(String v) {
    if (v == null || v.isBlank()) {
      return List.of();
    }
    return Arrays.stream(v.split("[;|\\r\\n]"))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static List<String> emails(String v) {
    List<String> out = new ArrayList<>();
    for (String e : items(v)) {
      if (!isAddress(e)) {
        throw new IllegalArgumentException("not an email address: " + shown(e));
      }
      out.add(e.toLowerCase(Locale.ROOT));
    }
    return out;
  }

  private static Boolean yesNo(String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    return switch (norm(v)) {
      case "true", "yes", "si", "y", "s", "1", "x" -> true;
      case "false", "no", "n", "0" -> false;
      default -> throw new IllegalArgumentException("expected yes or no: " + v);
    };
  }

  /**
   * {@code 2/4}, or {@code request@0;reminder-1@2;...}; empty gives null (the default). The rule is
   * oc-core's ({@link EngineSettings#stepSchedule}), which {@code OC_SCHEDULE} also accepts.
   */
  static ReminderSchedule schedule(String v) {
    return EngineSettings.stepSchedule(v);
  }

  private static String norm(String s) {
    return Normalizer.normalize(s, Normalizer.Form.NFD)
        .replaceAll("\\p{M}", "")
        .replace("#", "")
        .replace("=", " ")
        .replaceAll("\\s+", " ")
        .trim()
        .toLowerCase(Locale.ROOT);
  }
}
