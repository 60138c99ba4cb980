package com.kontroltravel.oc.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.kontroltravel.oc.exception.ConfigurationException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the runner's YAML file into variables: {@code imap: {host: x}} becomes {@code IMAP_HOST},
 * {@code daysForReminder1} becomes {@code DAYS_FOR_REMINDER_1}, lists are joined with commas.
 */
final class YamlSettings {
  private YamlSettings() {}

  /**
   * The variables of {@code yaml}.
   *
   * @throws ConfigurationException when the file cannot be read or parsed
   */
  static Map<String, String> read(Path yaml) {
    Map<String, String> v = new TreeMap<>();
    try {
      JsonNode root = new YAMLMapper().readTree(yaml.toFile());
      if (root != null && root.isObject()) {
        flatten("", root, v);
      } else if (root != null && !root.isNull() && !root.isMissingNode()) {
        throw new ConfigurationException(List.of(yaml + ": the top level must be a mapping"));
      }
    } catch (IOException e) {
      throw new ConfigurationException(
          List.of("cannot read " + yaml + ": " + e.getMessage().lines().findFirst().orElse("")));
    }
    return v;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = prefix.isEmpty() ? snake(e.getKey()) : prefix + "_" + snake(e.getKey());
      JsonNode value = e.getValue();
      if (value.isObject()) {
        flatten(key, value, out);
      } else if (value.isArray()) {
        List<String> items = new ArrayList<>();
        value.forEach(i -> items.add(i.asText()));
        out.put(key, String.join(",", items));
      } else if (!value.isNull()) {
        out.put(key, value.asText());
      }
    }
  }

  /**
   * {@code fromEmail} to {@code FROM_EMAIL}, {@code daysForReminder1} to {@code
   * DAYS_FOR_REMINDER_1}.
   */
  static String snake(String key) {
    StringBuilder b = new StringBuilder();
    char prev = 0;
    for (char c : key.toCharArray()) {
      boolean boundary =
          (Character.isUpperCase(c) && Character.isLowerCase(prev))
              || (Character.isDigit(c) && Character.isLetter(prev));
      if (boundary) {
        b.append('_');
      }
      b.append(c == '-' || c == '.' ? '_' : Character.toUpperCase(c));
      prev = c;
    }
    return b.toString();
  }
}
