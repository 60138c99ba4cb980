package com.kontroltravel.oc.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The OpenAPI description of the admin API read back, for {@code /docs} and the route test. */
final class AdminDocs {
  static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");

  private AdminDocs() {}

  /** One described operation. */
  record Operation(
      String method,
      String path,
      String summary,
      String description,
      List<Param> params,
      String body) {
    /** Whether it takes parameters. */
    boolean hasParams() {
      return !params.isEmpty();
    }

    /** Whether it changes something. */
    boolean post() {
      return method.equals("POST");
    }
  }

  /** A parameter of an operation. */
  record Param(String name, String in, String description) {}

  static JsonNode read(String yaml) throws IOException {
    return new ObjectMapper(new YAMLFactory()).readTree(yaml);
  }

  /** Every operation of the description, in its order. */
  static List<Operation> operations(String yaml) throws IOException {
    JsonNode root = read(yaml);
    List<Operation> out = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> p = paths.next();
      for (String m : METHODS) {
        JsonNode op = p.getValue().get(m);
        if (op == null) {
          continue;
        }
        List<Param> params = new ArrayList<>();
        for (JsonNode n : p.getValue().path("parameters")) {
          params.add(param(root, n));
        }
        for (JsonNode n : op.path("parameters")) {
          params.add(param(root, n));
        }
        JsonNode body = op.path("requestBody").path("content").path("application/json");
        out.add(
            new Operation(
                m.toUpperCase(Locale.ROOT),
                p.getKey(),
                op.path("summary").asText(""),
                op.path("description").asText(""),
                params,
                body.isMissingNode() ? "" : body.path("example").toString()));
      }
    }
    return out;
  }

  private static Param param(JsonNode root, JsonNode n) {
    if (n.has("$ref")) {
      String ref = n.get("$ref").asText();
      n = root.at(ref.substring(1));
    }
    return new Param(
        n.path("name").asText(), n.path("in").asText(), n.path("description").asText(""));
  }
}
