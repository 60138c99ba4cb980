package com.kontroltravel.oc.examples;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admin pages' Mustache templates and their labels. Templates live under {@code
 * com/kontroltravel/oc/examples/admin/} on the class path; every {@code {{value}}} is HTML-escaped
 * (only the layout's {@code {{{body}}}}, an already rendered page, is not). Labels come from {@code
 * labels_es.properties} (the default) and {@code labels_en.properties} and reach templates as
 * {@code {{t.key}}} with dots written as underscores ({@code col.id} is {@code {{t.col_id}}}); a
 * key missing in English falls back to Spanish.
 */
final class AdminTemplates {
  static final String BASE = "com/kontroltravel/oc/examples/admin/";

  /** The languages of the pages: Spanish (the default) and English. */
  static final List<String> LANGUAGES = List.of("es", "en");

  private static final byte[] CSS = bytes("oc.css");

  /** The stylesheet's address: its content's hash makes a new version a new address. */
  static final String CSS_HREF = "/static/oc.css?v=" + hash(CSS);

  private final Mustache.Compiler compiler =
      Mustache.compiler()
          .escapeHTML(true)
          .defaultValue("")
          .emptyStringIsFalse(true)
          .zeroIsFalse(true)
          .withLoader(name -> reader(name + ".mustache"));
  private final Map<String, Template> templates = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> labels = new HashMap<>();
  private final Map<String, Map<String, String>> templateLabels = new HashMap<>();

  AdminTemplates() {
    Map<String, String> es = load("labels_es.properties");
    Map<String, String> en = new HashMap<>(es);
    en.putAll(load("labels_en.properties"));
    labels.put("es", Map.copyOf(es));
    labels.put("en", Map.copyOf(en));
    // Mustache reads dots as nesting: templates name "col.id" as {{t.col_id}}.
    labels.forEach(
        (lang, map) -> {
          Map<String, String> t = new HashMap<>();
          map.forEach((k, v) -> t.put(k.replace('.', '_'), v));
          templateLabels.put(lang, Map.copyOf(t));
        });
  }

  /** The labels of {@code lang} ({@code es} or {@code en}). */
  Map<String, String> labels(String lang) {
    return labels.getOrDefault(lang, labels.get("es"));
  }

  /** One label; the key itself when missing (so a gap shows instead of failing). */
  String label(String lang, String key) {
    return labels(lang).getOrDefault(key, key);
  }

  /** Renders template {@code name} with {@code model} (plus {@code t}, the labels). */
  String render(String name, String lang, Map<String, Object> model) {
    Map<String, Object> m = new HashMap<>(model);
    m.put("t", templateLabels.getOrDefault(lang, templateLabels.get("es")));
    m.put("lang", lang);
    m.put("css", CSS_HREF);
    m.put("other_lang", lang.equals("es") ? "en" : "es");
    return templates.computeIfAbsent(name, this::compile).execute(m);
  }

  /**
   * A whole page: {@code name} rendered into the layout, with its title, the current section of the
   * navigation and the CSRF token of the session's forms.
   */
  String page(String name, String lang, String title, Map<String, Object> model) {
    Map<String, Object> layout = new HashMap<>(model);
    layout.put("title", title);
    layout.put("body", render(name, lang, model));
    layout.put("nav_" + name, Boolean.TRUE);
    return render("layout", lang, layout);
  }

  private Template compile(String name) {
    try (Reader r = reader(name + ".mustache")) {
      return compiler.compile(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Reader reader(String file) {
    InputStream in = AdminTemplates.class.getClassLoader().getResourceAsStream(BASE + file);
    if (in == null) {
      throw new IllegalStateException("missing admin resource " + BASE + file);
    }
    return new InputStreamReader(in, StandardCharsets.UTF_8);
  }

  private static Map<String, String> load(String file) {
    Properties p = new Properties();
    try (Reader r = reader(file)) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> out = new HashMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }

  /** The stylesheet's bytes. */
  static byte[] css() {
    return CSS.clone();
  }

  private static byte[] bytes(String file) {
    try (InputStream in = AdminTemplates.class.getClassLoader().getResourceAsStream(BASE + file)) {
      if (in == null) {
        throw new IllegalStateException("missing admin resource " + BASE + file);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String hash(byte[] b) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b))
          .substring(0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A template from text, for tests. */
  String renderText(String template, Map<String, Object> model) {
    return compiler.compile(new StringReader(template)).execute(model);
  }

  /** The language asked for: {@code en} when it starts with "en", else Spanish. */
  static String language(String tag) {
    return tag != null && tag.trim().toLowerCase(Locale.ROOT).startsWith("en") ? "en" : "es";
  }
}
