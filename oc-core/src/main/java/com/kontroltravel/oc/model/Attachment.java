package com.kontroltravel.oc.model;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * A file carried by a message. The content array is owned by the attachment: callers must not
 * modify it.
 *
 * @param fileName the original file name, possibly null
 * @param contentType the MIME type as declared, possibly null
 * @param content the bytes
 */
public record Attachment(String fileName, String contentType, byte[] content) {

  /** Checks the content. */
  public Attachment {
    Objects.requireNonNull(content, "content == null");
  }

  /** A PDF attachment. */
  public static Attachment pdf(String fileName, byte[] content) {
    return new Attachment(fileName, "application/pdf", content);
  }

  /** The size in bytes. */
  public long size() {
    return content.length;
  }

  /** True when the content type, the file name or the {@code %PDF-} magic says this is a PDF. */
  public boolean isPdf() {
    if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("pdf")) {
      return true;
    }
    if (fileName != null && fileName.toLowerCase(Locale.ROOT).endsWith(".pdf")) {
      return true;
    }
    return hasPdfMagic(content);
  }

  /** True when the bytes start (after up to 1 KiB of junk, as readers allow) with {@code %PDF-}. */
  public static boolean hasPdfMagic(byte[] bytes) {
    int limit = Math.min(bytes.length, 1024);
    String head = new String(bytes, 0, limit, StandardCharsets.ISO_8859_1);
    return head.contains("%PDF-");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attachment a
        && Objects.equals(fileName, a.fileName)
        && Objects.equals(contentType, a.contentType)
        && java.util.Arrays.equals(content, a.content);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fileName, contentType, java.util.Arrays.hashCode(content));
  }

  @Override
  public String toString() {
    return "Attachment[" + fileName + ", " + contentType + ", " + content.length + " bytes]";
  }
}
