package com.kontroltravel.oc.pdf.pdfbox.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Maps a JSON tree onto {@link RuleSpec}, strictly: unknown keys and wrong types are errors. */
final class RuleSpecReader {
  private static final Set<String> TOP =
      Set.of("name", "defaultCurrency", "currencySymbols", "months", "weekdays", "fields");
  private static final Set<String> FIELD =
      Set.of(
          "field",
          "labels",
          "position",
          "pattern",
          "nullWords",
          "wrap",
          "required",
          "standalone",
          "maxGapEm");

  private RuleSpecReader() {}

  @SuppressWarnings("unchecked")
  static RuleSpec read(Object tree) {
    if (!(tree instanceof Map)) {
      throw new IllegalArgumentException("a rule set must be a JSON object");
    }
    Map<String, Object> root = (Map<String, Object>) tree;
    checkKeys(root, TOP, "rule set");
    List<RuleSpec.FieldSpec> fields = null;
    Object f = root.get("fields");
    if (f != null) {
      if (!(f instanceof List)) {
        throw new IllegalArgumentException("fields must be an array");
      }
      fields = new ArrayList<>();
      for (Object o : (List<Object>) f) {
        if (!(o instanceof Map)) {
          throw new IllegalArgumentException("each field rule must be an object");
        }
        Map<String, Object> n = (Map<String, Object>) o;
        checkKeys(n, FIELD, "field rule");
        fields.add(
            new RuleSpec.FieldSpec(
                text(n, "field"),
                strings(n, "labels"),
                text(n, "position"),
                text(n, "pattern"),
                strings(n, "nullWords"),
                bool(n, "wrap"),
                bool(n, "required"),
                bool(n, "standalone"),
                number(n, "maxGapEm")));
      }
    }
    return new RuleSpec(
        text(root, "name"),
        text(root, "defaultCurrency"),
        stringMap(root, "currencySymbols"),
        intMap(root, "months"),
        intMap(root, "weekdays"),
        fields);
  }

  private static void checkKeys(Map<String, Object> n, Set<String> allowed, String what) {
    for (String k : n.keySet()) {
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException(
            "unknown key '" + k + "' in " + what + " (allowed: " + allowed + ")");
      }
    }
  }

  private static String text(Map<String, Object> n, String key) {
    Object v = n.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException(key + " must be a string");
    }
    return s;
  }

  private static Boolean bool(Map<String, Object> n, String key) {
    Object v = n.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Boolean b)) {
      throw new IllegalArgumentException(key + " must be true or false");
    }
    return b;
  }

  private static Double number(Map<String, Object> n, String key) {
    Object v = n.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number num)) {
      throw new IllegalArgumentException(key + " must be a number");
    }
    return num.doubleValue();
  }

  private static List<String> strings(Map<String, Object> n, String key) {
    Object v = n.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof List<?> list) || !list.stream().allMatch(e -> e instanceof String)) {
      throw new IllegalArgumentException(key + " must be an array of strings");
    }
    return list.stream().map(String.class::cast).toList();
  }

  private static Map<String, String> stringMap(Map<String, Object> n, String key) {
    Object v = n.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(key + " must be an object");
    }
    Map<String, String> out = new LinkedHashMap<>();
    m.forEach(
        (k, val) -> {
          if (!(val instanceof String s)) {
            throw new IllegalArgumentException(key + "." + k + " must be a string");
          }
          out.put((String) k, s);
        });
    return out;
  }

  private static Map<String, Integer> intMap(Map<String, Object> n, String key) {
    Object v = n.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(key + " must be an object");
    }
    Map<String, Integer> out = new LinkedHashMap<>();
    m.forEach(
        (k, val) -> {
          if (!(val instanceof Long l) || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + "." + k + " must be a whole number");
          }
          out.put((String) k, (int) (long) l);
        });
    return out;
  }
}
