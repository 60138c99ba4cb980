package com.kontroltravel.oc.mail.mime;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code Authentication-Results} (RFC 8601) written by a trusted receiving server: the sender
 * is authentic when that server saw {@code dmarc=pass} for the From domain, or {@code dkim=pass}
 * for a signing domain aligned with it. Only the topmost header from a trusted authserv-id counts,
 * since lower ones may have been forged by a sender.
 */
public final class SenderAuthenticityCheck {
  private static final Pattern RESULT =
      Pattern.compile("(?i)\\b(dmarc|dkim)\\s*=\\s*([a-z]+)([^;]*)");
  private static final Pattern PROP =
      Pattern.compile("(?i)\\bheader\\.([a-z]+)\\s*=\\s*\"?([^\\s;\"]+)\"?");

  /** The outcome: authentic or not, and why. */
  public record Verdict(boolean authentic, String reason) {}

  private SenderAuthenticityCheck() {}

  /**
   * Checks the sender.
   *
   * @param authenticationResults the message's Authentication-Results headers, topmost first, or
   *     null
   * @param fromAddress the From address
   * @param trustedIds the authserv-ids (lower case) of the receiving servers to believe
   */
  public static Verdict check(
      String[] authenticationResults, String fromAddress, Set<String> trustedIds) {
    if (fromAddress == null || fromAddress.indexOf('@') < 0) {
      return new Verdict(false, "no sender address to authenticate");
    }
    String fromDomain =
        fromAddress.substring(fromAddress.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    if (authenticationResults == null) {
      return new Verdict(false, "no Authentication-Results header");
    }
    for (String raw : authenticationResults) {
      String value = stripComments(raw.replaceAll("\\r?\\n[ \\t]+", " ")).trim();
      int semi = value.indexOf(';');
      String head = (semi < 0 ? value : value.substring(0, semi)).trim();
      String servId = head.split("\\s+")[0].toLowerCase(Locale.ROOT);
      if (!trustedIds.contains(servId)) {
        continue;
      }
      Matcher m = RESULT.matcher(semi < 0 ? "" : value.substring(semi + 1));
      String seen = "";
      while (m.find()) {
        String method = m.group(1).toLowerCase(Locale.ROOT);
        String result = m.group(2).toLowerCase(Locale.ROOT);
        String domain = null;
        Matcher p = PROP.matcher(m.group(3));
        while (p.find()) {
          String prop = p.group(1).toLowerCase(Locale.ROOT);
          String v = p.group(2).toLowerCase(Locale.ROOT);
          if (method.equals("dmarc") && prop.equals("from")) {
            domain = v;
          } else if (method.equals("dkim") && prop.equals("d")) {
            domain = v;
          } else if (method.equals("dkim") && prop.equals("i") && domain == null) {
            domain = v.substring(v.lastIndexOf('@') + 1);
          }
        }
        seen += (seen.isEmpty() ? "" : ", ") + method + "=" + result;
        if (!result.equals("pass")) {
          continue;
        }
        if (method.equals("dmarc") && (domain == null || domain.equals(fromDomain))) {
          return new Verdict(true, "dmarc=pass from " + servId);
        }
        if (method.equals("dkim") && domain != null && aligned(domain, fromDomain)) {
          return new Verdict(true, "dkim=pass (d=" + domain + ") from " + servId);
        }
      }
      return new Verdict(
          false,
          "sender authenticity failed: "
              + servId
              + " reports "
              + (seen.isEmpty() ? "no dmarc or dkim result" : seen)
              + " for "
              + fromDomain);
    }
    return new Verdict(
        false, "sender authenticity failed: no Authentication-Results from a trusted server");
  }

  /** Relaxed alignment: one domain is the other or a sub-domain of it. */
  private static boolean aligned(String signing, String from) {
    return signing.equals(from) || from.endsWith("." + signing) || signing.endsWith("." + from);
  }

  private static String stripComments(String s) {
    StringBuilder out = new StringBuilder();
    int depth = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && depth > 0) {
        depth--;
      } else if (depth == 0) {
        out.append(c);
      }
    }
    return out.toString();
  }
}
