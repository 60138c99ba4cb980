package com.kontroltravel.oc.mail.jakarta;

/** A small PDF with every byte value in it, so any damage by a transfer encoding shows. */
final class MimeCorpusTestPdf {
  private MimeCorpusTestPdf() {}

  static byte[] bytes() {
    byte[] head =
        "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n"
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] tail = "\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] out = new byte[head.length + 256 * 4 + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    for (int i = 0; i < 256 * 4; i++) {
      out[head.length + i] = (byte) i;
    }
    System.arraycopy(tail, 0, out, out.length - tail.length, tail.length);
    return out;
  }
}
