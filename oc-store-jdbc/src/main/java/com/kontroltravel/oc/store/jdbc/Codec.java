package com.kontroltravel.oc.store.jdbc;

import com.kontroltravel.oc.exception.StoreException;
import com.kontroltravel.oc.model.ReminderSchedule;
import com.kontroltravel.oc.model.ScheduledStep;
import com.kontroltravel.oc.model.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * Text encodings of the small collections kept in one column: string lists as JSON arrays of
 * strings (readable by operators and by PostgreSQL's JSON functions) and reminder schedules as JSON
 * objects.
 */
final class Codec {
  private Codec() {}

  static String encodeList(List<String> values) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      quote(sb, values.get(i));
    }
    return sb.append(']').toString();
  }

  static List<String> decodeList(String json) {
    if (json == null) {
      return List.of();
    }
    Parser p = new Parser(json);
    List<String> out = p.stringArray();
    p.end();
    return out;
  }

  /** {"minGap":1,"expiryDays":30,"steps":["REQUEST",0,"REMINDER_1",2]}. */
  static String encodeSchedule(ReminderSchedule s) {
    if (s == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    sb.append("{\"minGap\":").append(s.minGapBusinessDays());
    sb.append(",\"expiryDays\":").append(s.expiryDays()).append(",\"steps\":[");
    for (int i = 0; i < s.steps().size(); i++) {
      ScheduledStep st = s.steps().get(i);
      if (i > 0) {
        sb.append(',');
      }
      quote(sb, st.step().name());
      sb.append(',').append(st.businessDay());
    }
    return sb.append("]}").toString();
  }

  static ReminderSchedule decodeSchedule(String json) {
    if (json == null) {
      return null;
    }
    Parser p = new Parser(json);
    p.expect('{');
    Integer minGap = null;
    Integer expiry = null;
    List<ScheduledStep> steps = new ArrayList<>();
    for (int field = 0; field < 3; field++) {
      String name = p.string();
      p.expect(':');
      switch (name) {
        case "minGap" -> minGap = p.integer();
        case "expiryDays" -> expiry = p.integer();
        case "steps" -> {
          p.expect('[');
          for (int guard = 0; guard < 64 && !p.peek(']'); guard++) {
            if (!steps.isEmpty()) {
              p.expect(',');
            }
            Step step = Step.valueOf(p.string());
            p.expect(',');
            steps.add(new ScheduledStep(step, p.integer()));
          }
          p.expect(']');
        }
        default -> throw new StoreException("unknown schedule field in the database: " + name);
      }
      if (field < 2) {
        p.expect(',');
      }
    }
    p.expect('}');
    p.end();
    if (minGap == null || expiry == null) {
      throw new StoreException("incomplete schedule in the database");
    }
    return new ReminderSchedule(steps, minGap, expiry);
  }

  private static void quote(StringBuilder sb, String s) {
    if (s == null) {
      sb.append("null");
      return;
    }
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** A strict parser for exactly what the encoders write. */
  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    List<String> stringArray() {
      expect('[');
      List<String> out = new ArrayList<>();
      while (!peek(']')) {
        if (!out.isEmpty()) {
          expect(',');
        }
        out.add(string());
      }
      expect(']');
      return out;
    }

    boolean peek(char c) {
      skipSpace();
      if (pos >= s.length()) {
        throw bad();
      }
      return s.charAt(pos) == c;
    }

    void expect(char c) {
      if (!peek(c)) {
        throw bad();
      }
      pos++;
    }

    void end() {
      skipSpace();
      if (pos != s.length()) {
        throw bad();
      }
    }

    int integer() {
      skipSpace();
      int start = pos;
      if (pos < s.length() && s.charAt(pos) == '-') {
        pos++;
      }
      while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
        pos++;
      }
      try {
        return Integer.parseInt(s.substring(start, pos));
      } catch (NumberFormatException e) {
        throw bad();
      }
    }

    String string() {
      skipSpace();
      if (s.startsWith("null", pos)) {
        pos += 4;
        return null;
      }
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (pos < s.length()) {
        char c = s.charAt(pos++);
        if (c == '"') {
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (pos >= s.length()) {
          break;
        }
        char e = s.charAt(pos++);
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            if (pos + 4 > s.length()) {
              throw bad();
            }
            sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
            pos += 4;
          }
          default -> throw bad();
        }
      }
      throw bad();
    }

    private void skipSpace() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    private StoreException bad() {
      return new StoreException("malformed JSON in the database at offset " + pos);
    }
  }
}
