package com.kontroltravel.oc.mail.mime;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain text from HTML, simply: enough to find words and numbers in a body that has no text/plain
 * part.
 */
public final class HtmlText {
  private static final Pattern DROP =
      Pattern.compile("(?is)<(script|style|head)\\b[^>]*>.*?</\\1\\s*>|<!--.*?-->");
  private static final Pattern BREAK =
      Pattern.compile("(?i)<\\s*(br|/p|/div|/tr|/li|/h[1-6]|/table|p|div|tr|li)\\b[^>]*>");
  private static final Pattern CELL = Pattern.compile("(?i)<\\s*/t[dh]\\s*>");
  private static final Pattern TAG = Pattern.compile("<[^>]*>");
  private static final Pattern ENTITY =
      Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});");

  private HtmlText() {}

  /** The text of {@code html}: tags dropped, breaks kept, entities decoded. */
  public static String toText(String html) {
    String s = DROP.matcher(html).replaceAll(" ");
    s = BREAK.matcher(s).replaceAll("\n");
    s = CELL.matcher(s).replaceAll(" ");
    s = TAG.matcher(s).replaceAll("");
    s = unescape(s);
    StringBuilder out = new StringBuilder();
    int blank = 0;
    for (String line : s.split("\n", -1)) {
      String t = line.replace('\u00a0', ' ').replaceAll("[ \\t\\r\\f]+", " ").trim();
      if (t.isEmpty()) {
        blank++;
        continue;
      }
      if (out.length() > 0) {
        out.append(blank > 0 ? "\n\n" : "\n");
      }
      blank = 0;
      out.append(t);
    }
    return out.toString();
  }

  private static String unescape(String s) {
    Matcher m = ENTITY.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String e = m.group(1);
      String r;
      try {
        if (e.startsWith("#x") || e.startsWith("#X")) {
          r = new String(Character.toChars(Integer.parseInt(e.substring(2), 16)));
        } else if (e.startsWith("#")) {
          r = new String(Character.toChars(Integer.parseInt(e.substring(1))));
        } else {
          r = named(e);
        }
      } catch (IllegalArgumentException ex) {
        r = null;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(r == null ? m.group() : r));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String named(String e) {
    return switch (e) {
      case "nbsp" -> " ";
      case "amp" -> "&";
      case "lt" -> "<";
      case "gt" -> ">";
      case "quot" -> "\"";
      case "apos" -> "'";
      case "aacute" -> "á";
      case "eacute" -> "é";
      case "iacute" -> "í";
      case "oacute" -> "ó";
      case "uacute" -> "ú";
      case "Aacute" -> "Á";
      case "Eacute" -> "É";
      case "Iacute" -> "Í";
      case "Oacute" -> "Ó";
      case "Uacute" -> "Ú";
      case "ntilde" -> "ñ";
      case "Ntilde" -> "Ñ";
      case "uuml" -> "ü";
      case "iquest" -> "¿";
      case "iexcl" -> "¡";
      case "ordm" -> "º";
      case "ordf" -> "ª";
      case "euro" -> "€";
      case "deg" -> "°";
      default -> null;
    };
  }
}
