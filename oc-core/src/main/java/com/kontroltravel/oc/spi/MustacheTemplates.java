package com.kontroltravel.oc.spi;

import com.kontroltravel.oc.model.SafeText;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link MessageTemplates} over JMustache: HTML-escaping compiler for HTML, plain one for subject
 * and text.
 */
final class MustacheTemplates implements MessageTemplates {
  private static final String BUNDLE = "/com/kontroltravel/oc/templates/";
  private static final String FALLBACK_LANG = "es";

  private final Path overrides;
  private final Map<String, Template> cache = new ConcurrentHashMap<>();

  private MustacheTemplates(Path overrides) {
    this.overrides = overrides;
  }

  /** Bundled templates, with optional overrides from a directory. */
  public static MustacheTemplates bundled(Path overrides) {
    return new MustacheTemplates(overrides);
  }

  @Override
  public Rendered render(String name, Locale locale, String agencyKey, Map<String, Object> model) {
    String lang = locale == null ? FALLBACK_LANG : locale.getLanguage();
    String subject = template(name + ".subject", lang, agencyKey, false).execute(model);
    String text = template(name + ".txt", lang, agencyKey, false).execute(model);
    String html = template(name + ".html", lang, agencyKey, true).execute(model);
    return new Rendered(SafeText.oneLine(subject), text, html);
  }

  private Template template(String file, String lang, String agencyKey, boolean html) {
    String cacheKey = file + "|" + lang + "|" + agencyKey;
    return cache.computeIfAbsent(
        cacheKey,
        k -> {
          List<String> candidates = candidates(file, lang, agencyKey);
          Mustache.Compiler compiler =
              Mustache.compiler()
                  .escapeHTML(html)
                  .defaultValue("")
                  .emptyStringIsFalse(true)
                  .withLoader(
                      partial ->
                          new StringReader(load(candidates(partial, lang, agencyKey), partial)));
          return compiler.compile(load(candidates, file));
        });
  }

  private List<String> candidates(String file, String lang, String agencyKey) {
    List<String> c = new ArrayList<>();
    if (overrides != null) {
      if (agencyKey != null && !agencyKey.isEmpty()) {
        c.add("file:" + agencyKey + "/" + lang + "/" + file);
        c.add("file:" + agencyKey + "/" + FALLBACK_LANG + "/" + file);
      }
      c.add("file:" + lang + "/" + file);
    }
    c.add("res:" + lang + "/" + file);
    if (overrides != null) {
      c.add("file:" + FALLBACK_LANG + "/" + file);
    }
    c.add("res:" + FALLBACK_LANG + "/" + file);
    return c;
  }

  private String load(List<String> candidates, String file) {
    for (String c : candidates) {
      String rel = c.substring(c.indexOf(':') + 1) + ".mustache";
      if (c.startsWith("file:")) {
        Path p = overrides.resolve(rel).normalize();
        if (p.startsWith(overrides.normalize()) && Files.isRegularFile(p)) {
          try {
            return Files.readString(p, StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + p, e);
          }
        }
      } else {
        try (InputStream in = MustacheTemplates.class.getResourceAsStream(BUNDLE + rel)) {
          if (in != null) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read bundled template " + rel, e);
        }
      }
    }
    throw new IllegalArgumentException("no template named " + file);
  }
}
