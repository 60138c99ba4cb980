package com.kontroltravel.oc.examples;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin server's route table: a method, a path template ({@code /api/inbound/{key}/reprocess})
 * and a handler. One table serves requests and is what the OpenAPI test compares the description
 * with.
 */
final class AdminRoutes {
  /** Handles one matched request. */
  interface Handler {
    void handle(AdminRequest r) throws IOException;
  }

  /** One route; {@code {name}} segments match any one segment. */
  record Route(String method, String template, Handler handler) {
    /** The template's segments. */
    List<String> segments() {
      return split(template);
    }

    /** The path parameters when {@code path} (segments, decoded) matches, else null. */
    Map<String, String> match(List<String> path) {
      List<String> t = segments();
      if (t.size() != path.size()) {
        return null;
      }
      Map<String, String> params = new LinkedHashMap<>();
      for (int i = 0; i < t.size(); i++) {
        String s = t.get(i);
        if (s.startsWith("{") && s.endsWith("}")) {
          params.put(s.substring(1, s.length() - 1), path.get(i));
        } else if (!s.equals(path.get(i))) {
          return null;
        }
      }
      return params;
    }
  }

  private final List<Route> routes = new ArrayList<>();

  AdminRoutes add(String method, String template, Handler handler) {
    routes.add(new Route(method, template, handler));
    return this;
  }

  List<Route> all() {
    return List.copyOf(routes);
  }

  /** The route for a method and decoded path segments, null when none. */
  Route find(String method, List<String> path) {
    for (Route r : routes) {
      if (r.method().equals(method) && r.match(path) != null) {
        return r;
      }
    }
    return null;
  }

  /** Whether any route has this path (for 405 against 404). */
  boolean hasPath(List<String> path) {
    return routes.stream().anyMatch(r -> r.match(path) != null);
  }

  /** The segments of a template (not decoded). */
  static List<String> split(String template) {
    List<String> out = new ArrayList<>();
    for (String s : template.split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  /** The decoded segments of a raw (still percent-encoded) path: {@code %2F} stays in a segment. */
  static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String s : rawPath.split("/")) {
      if (!s.isEmpty()) {
        out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
