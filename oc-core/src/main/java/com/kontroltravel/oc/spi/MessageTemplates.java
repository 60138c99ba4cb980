package com.kontroltravel.oc.spi;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Renders the emails the engine sends. Names are {@code request}, {@code reminder-1}, {@code
 * reminder-2}, {@code reminder-3}, {@code acknowledgement} and {@code digest}. Implementations are
 * thread safe; every value reaching HTML is escaped and the subject never contains CR or LF.
 */
@FunctionalInterface
public interface MessageTemplates {

  /**
   * Renders one message.
   *
   * @param name the template name
   * @param locale the language (Spanish when the locale has no template set)
   * @param agencyKey the normalised agency name, for per-agency overrides; may be null
   * @param model the values (strings, numbers, lists of maps)
   * @return the subject, text and HTML
   */
  Rendered render(String name, Locale locale, String agencyKey, Map<String, Object> model);

  /** The bundled Spanish (default) and English templates. */
  static MessageTemplates defaults() {
    return MustacheTemplates.bundled(null);
  }

  /**
   * Templates from {@code directory}, falling back to the bundled ones. A file {@code
   * <dir>/<agencyKey>/<lang>/<name>.<part>.mustache} overrides for one agency and {@code
   * <dir>/<lang>/<name>.<part>.mustache} for everyone, where part is {@code subject}, {@code txt}
   * or {@code html}.
   */
  static MessageTemplates withOverrides(Path directory) {
    return MustacheTemplates.bundled(Objects.requireNonNull(directory, "directory == null"));
  }

  /**
   * A rendered message.
   *
   * @param subject one line, no CR/LF
   * @param text the plain-text body
   * @param html the HTML body
   */
  record Rendered(String subject, String text, String html) {}
}
