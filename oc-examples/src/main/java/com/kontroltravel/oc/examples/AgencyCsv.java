package com.kontroltravel.oc.examples;

import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.ReminderSchedule;
import com.kontroltravel.oc.model.ScheduledStep;
import com.kontroltravel.oc.model.Step;
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
 * Values may be quoted with double quotes. Bad lines are reported with their line number, never
 * skipped silently.
 */
public final class AgencyCsv {
  private static final Pattern EMAIL = Pattern.compile("[^@\\s,;]+@[^@\\s,;]+\\.[^@\\s,;]+");

  private AgencyCsv() {}

  /**
   * What a file gave.
   *
   * @param agencies the agencies, in file order
   * @param problems one line per rejected line ({@code line N: reason})
   * @param format {@code legacy} or {@code rich}
   */
  public record Result(List<Agency> agencies, List<String> problems, String format) {}

  /**
   * Parses {@code text}.
   *
   * @param existing looks an agency up by name, to keep its settings when the legacy format only
   *     changes its contact
   */
  public static Result parse(String text, Function<String, Optional<Agency>> existing) {
    List<String> lines = text.replace("\uFEFF", "").lines().toList();
    int first = -1;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).trim();
      if (!l.isEmpty() && !l.startsWith("#")) {
        first = i;
        break;
      }
    }
    if (first >= 0) {
      List<String> head = split(lines.get(first));
      if (!head.isEmpty() && norm(head.get(0)).equals("name")) {
        return rich(lines, first, head);
      }
    }
    return legacy(lines, existing);
  }

  private static Result legacy(List<String> lines, Function<String, Optional<Agency>> existing) {
    List<Agency> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Boolean section = null;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).trim();
      if (l.isEmpty()) {
        continue;
      }
      if (l.startsWith("#")) {
        String n = norm(l);
        if (n.contains("no requieren oc") || n.contains("no requiere oc")) {
          section = false;
        } else if (n.contains("requieren oc") || n.contains("requiere oc")) {
          section = true;
        }
        continue;
      }
      List<String> f = split(l);
      if (f.size() < 2 || f.get(0).isBlank()) {
        problems.add("line " + (i + 1) + ": expected NAME,email: " + l);
        continue;
      }
      String name = f.get(0).trim();
      List<String> emails = new ArrayList<>();
      for (String e : f.subList(1, f.size())) {
        String t = e.trim();
        if (t.isEmpty()) {
          continue;
        }
        if (!EMAIL.matcher(t).matches()) {
          problems.add("line " + (i + 1) + ": not an email address: " + t);
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

  private static Result rich(List<String> lines, int headerLine, List<String> header) {
    Map<String, Integer> col = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      col.put(norm(header.get(i)).replace(' ', '_').replace('-', '_'), i);
    }
    List<Agency> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int i = headerLine + 1; i < lines.size(); i++) {
      String l = lines.get(i).trim();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      List<String> f = split(l);
      Function<String, String> get =
          k -> {
            Integer c = col.get(k);
            return c == null || c >= f.size() ? "" : f.get(c).trim();
          };
      String name = get.apply("name");
      if (name.isEmpty()) {
        problems.add("line " + (i + 1) + ": the name is empty");
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
        problems.add("line " + (i + 1) + ": " + e.getMessage());
      }
    }
    return new Result(out, problems, "rich");
  }

  static List<String> items(String v) {
    if (v == null || v.isBlank()) {
      return List.of();
    }
    return Arrays.stream(v.split("[;|]")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static List<String> emails(String v) {
    List<String> out = new ArrayList<>();
    for (String e : items(v)) {
      if (!EMAIL.matcher(e).matches()) {
        throw new IllegalArgumentException("not an email address: " + e);
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

  /** {@code 2/4}, or {@code request@0;reminder-1@2;...}; empty gives null (the default). */
  static ReminderSchedule schedule(String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    if (v.matches("\\s*\\d+\\s*/\\s*\\d+\\s*")) {
      String[] p = v.split("/");
      return ReminderSchedule.legacy(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
    }
    List<ScheduledStep> steps = new ArrayList<>();
    for (String item : items(v)) {
      String[] p = item.split("@");
      if (p.length != 2) {
        throw new IllegalArgumentException("schedule step must be step@day: " + item);
      }
      Step step = null;
      for (Step s : Step.values()) {
        if (s.token().equalsIgnoreCase(p[0].trim()) || s.name().equalsIgnoreCase(p[0].trim())) {
          step = s;
        }
      }
      if (step == null) {
        throw new IllegalArgumentException("unknown step in schedule: " + p[0]);
      }
      try {
        steps.add(new ScheduledStep(step, Integer.parseInt(p[1].trim())));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("schedule day must be a number: " + p[1]);
      }
    }
    return new ReminderSchedule(
        steps,
        ReminderSchedule.DEFAULT.minGapBusinessDays(),
        ReminderSchedule.DEFAULT.expiryDays());
  }

  /** Splits one CSV line, honouring double quotes ({@code ""} inside quotes is a quote). */
  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
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
