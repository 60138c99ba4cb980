package com.kontroltravel.oc.it;

import com.kontroltravel.oc.examples.DemoPdfs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;

/**
 * PDFs meant to break or trick a parser. Valid ones come from the runner's own producer ({@link
 * DemoPdfs}, PDFBox) or from a hand-written producer here that writes raw PDF objects, so field
 * values can carry bytes no font would render (CR, LF, NUL).
 */
final class HostilePdfs {
  private HostilePdfs() {}

  static DemoPdfs.Confirmation booking(String id, String agency) {
    return new DemoPdfs.Confirmation(
        id,
        "LOC" + id.substring(id.length() - 4),
        "72" + id.substring(id.length() - 4),
        agency,
        "Reservado",
        LocalDate.of(2025, 12, 1),
        "Hampton by Hilton Santiago Las Condes",
        LocalDate.of(2026, 1, 20),
        2,
        1,
        new BigDecimal("528701.00"));
  }

  static byte[] confirmation(String id, String agency) {
    return DemoPdfs.confirmation(booking(id, agency));
  }

  static byte[] purchaseOrder(String agency, String oc, String reservationId) {
    return DemoPdfs.purchaseOrder(agency, oc, reservationId, new BigDecimal("528701.00"));
  }

  /** A confirmation written by the raw producer; any field may hold any characters. */
  static byte[] rawConfirmation(
      String id, String agency, String hotel, String loc, String extraObject) {
    List<String> ops = new ArrayList<>();
    text(ops, 16, 40, 50, "Resumen de servicios");
    text(ops, 9, 200, 112, "LOC Interno:");
    text(ops, 9, 262, 112.5f, loc);
    text(ops, 9, 380, 124, "Agencia:");
    text(ops, 9, 420, 123, agency);
    text(ops, 9, 200, 136, "Localizador:");
    text(ops, 9, 262, 137.5f, "723113");
    text(ops, 9, 380, 148, "Fecha Emision:");
    text(ops, 9, 450, 147.5f, "01/12/2025");
    text(ops, 9, 200, 160, "Estado:");
    text(ops, 9, 240, 161, "Reservado");
    text(ops, 12, 40, 195, "Hoteles");
    text(ops, 11, 45, 215, hotel);
    text(ops, 10, 400, 215, "Total:");
    text(ops, 10, 434, 215.5f, "CLP 528.701,00");
    text(ops, 8, 250, 229, "Check In:");
    text(ops, 8, 290, 230, "martes 20, ene. 2026");
    text(ops, 8, 405, 229, "Check Out:");
    text(ops, 8, 450, 228, "jueves 22, ene. 2026");
    text(ops, 8, 250, 253, "Noches:");
    text(ops, 8, 285, 253.5f, "2");
    text(ops, 8, 405, 253, "Habitaciones:");
    text(ops, 8, 460, 252.5f, "1");
    text(ops, 9, 50, 325, "L\u00edmite Cancelaci\u00f3n Reserva");
    text(ops, 9, 80, 339.5f, "s\u00e1bado, 17 de enero de 2026");
    text(ops, 10, 45, 420, "Datos Adicionales");
    text(ops, 9, 45, 436, "ID:");
    text(ops, 9, 480, 437, id);
    return rawPdf(String.join("\n", ops).getBytes(StandardCharsets.ISO_8859_1), false, extraObject);
  }

  /** An OC written by the raw producer. */
  static byte[] rawPurchaseOrder(String agency, String oc, String reference) {
    List<String> ops = new ArrayList<>();
    text(ops, 16, 40, 60, agency);
    text(ops, 14, 40, 90, "Orden de Compra N\u00b0 " + oc);
    text(ops, 10, 40, 136, "Referencia: reserva " + reference);
    text(ops, 10, 40, 168, "Total: CLP 528.701,00");
    return rawPdf(String.join("\n", ops).getBytes(StandardCharsets.ISO_8859_1), false, null);
  }

  private static void text(List<String> ops, float size, float x, float y, String s) {
    ops.add("BT /F1 " + size + " Tf " + x + " " + (841.89f - y) + " Td (" + escape(s) + ") Tj ET");
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      switch (c) {
        case '(', ')', '\\' -> b.append('\\').append(c);
        case '\r' -> b.append("\\r");
        case '\n' -> b.append("\\n");
        default -> {
          if (c < 0x20 || c > 0xff) {
            b.append(String.format("\\%03o", (int) (c > 0xff ? '?' : c)));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /**
   * A one-page PDF with Helvetica (WinAnsi) and the given content stream, optionally compressed,
   * with an optional extra object (number 6) referenced from the catalog as /Extra.
   */
  static byte[] rawPdf(byte[] content, boolean flate, String extraObject) {
    byte[] stream = flate ? deflate(content) : content;
    List<byte[]> objects = new ArrayList<>();
    objects.add(
        ("<< /Type /Catalog /Pages 2 0 R" + (extraObject == null ? "" : " /Extra 6 0 R") + " >>")
            .getBytes(StandardCharsets.ISO_8859_1));
    objects.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>".getBytes(StandardCharsets.ISO_8859_1));
    objects.add(
        ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Contents 4 0 R"
                + " /Resources << /Font << /F1 5 0 R >> >> >>")
            .getBytes(StandardCharsets.ISO_8859_1));
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    s.writeBytes(
        ("<< /Length " + stream.length + (flate ? " /Filter /FlateDecode" : "") + " >>\nstream\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    s.writeBytes(stream);
    s.writeBytes("\nendstream".getBytes(StandardCharsets.ISO_8859_1));
    objects.add(s.toByteArray());
    objects.add(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .getBytes(StandardCharsets.ISO_8859_1));
    if (extraObject != null) {
      objects.add(extraObject.getBytes(StandardCharsets.ISO_8859_1));
    }
    return assemble(objects, "");
  }

  /** Numbered objects (1..n) into a PDF with a correct cross-reference table. */
  static byte[] assemble(List<byte[]> objects, String trailerExtra) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n".getBytes(StandardCharsets.ISO_8859_1));
    long[] offsets = new long[objects.size()];
    for (int i = 0; i < objects.size(); i++) {
      offsets[i] = out.size();
      out.writeBytes(((i + 1) + " 0 obj\n").getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(objects.get(i));
      out.writeBytes("\nendobj\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    long xref = out.size();
    StringBuilder x = new StringBuilder();
    x.append("xref\n0 ").append(objects.size() + 1).append("\n0000000000 65535 f \n");
    for (long o : offsets) {
      x.append(String.format("%010d 00000 n \n", o));
    }
    x.append("trailer\n<< /Size ")
        .append(objects.size() + 1)
        .append(" /Root 1 0 R")
        .append(trailerExtra)
        .append(" >>\nstartxref\n")
        .append(xref)
        .append("\n%%EOF\n");
    out.writeBytes(x.toString().getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  static byte[] deflate(byte[] in) {
    Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
    d.setInput(in);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return out.toByteArray();
  }

  /** A valid confirmation encrypted with a user password (nobody can open it without it). */
  static byte[] encrypted(byte[] pdf, String userPassword) {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      StandardProtectionPolicy p =
          new StandardProtectionPolicy(
              "owner-" + userPassword, userPassword, new AccessPermission());
      p.setEncryptionKeyLength(256);
      doc.protect(p);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first {@code fraction} of the bytes. */
  static byte[] truncated(byte[] pdf, double fraction) {
    return Arrays.copyOf(pdf, (int) (pdf.length * fraction));
  }

  /** Garbage written over the middle third (the objects and the xref offsets no longer match). */
  static byte[] corrupt(byte[] pdf) {
    byte[] b = pdf.clone();
    java.util.Random r = new java.util.Random(7);
    for (int i = b.length / 3; i < 2 * b.length / 3; i++) {
      b[i] = (byte) r.nextInt(256);
    }
    return b;
  }

  /** A content stream that inflates to {@code megabytes} MB of spaces (a compression bomb). */
  static byte[] flateBomb(int megabytes) {
    byte[] spaces = new byte[megabytes * 1024 * 1024];
    Arrays.fill(spaces, (byte) ' ');
    return rawPdf(spaces, true, null);
  }

  /** An object nested {@code depth} arrays deep. */
  static byte[] deepNesting(int depth) {
    String nested = "[".repeat(depth) + "]".repeat(depth);
    return rawConfirmation("45990001", "VIAJES ANDES S.A.", "Hotel", "LOCDEEP", nested);
  }

  /** A dictionary nested {@code depth} levels deep. */
  static byte[] deepDictionaries(int depth) {
    String nested = "<< /A ".repeat(depth) + "1" + " >>".repeat(depth);
    return rawConfirmation("45990002", "VIAJES ANDES S.A.", "Hotel", "LOCDICT", nested);
  }

  /** A page tree whose Kids point back at the tree itself. */
  static byte[] pageTreeLoop() {
    List<byte[]> o = new ArrayList<>();
    o.add("<< /Type /Catalog /Pages 2 0 R >>".getBytes(StandardCharsets.ISO_8859_1));
    o.add("<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>".getBytes(StandardCharsets.ISO_8859_1));
    o.add(
        "<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 1 >>"
            .getBytes(StandardCharsets.ISO_8859_1));
    return assemble(o, "");
  }

  /** A self-referencing content stream length and an object stream of 20,000 tiny objects. */
  static byte[] manyObjects(int n) {
    List<byte[]> o = new ArrayList<>();
    o.add("<< /Type /Catalog /Pages 2 0 R /Junk 4 0 R >>".getBytes(StandardCharsets.ISO_8859_1));
    o.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>".getBytes(StandardCharsets.ISO_8859_1));
    o.add(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
            .getBytes(StandardCharsets.ISO_8859_1));
    StringBuilder arr = new StringBuilder("[");
    for (int i = 5; i < n + 5; i++) {
      arr.append(i).append(" 0 R ");
    }
    o.add(arr.append("]").toString().getBytes(StandardCharsets.ISO_8859_1));
    for (int i = 0; i < n; i++) {
      // Each refers to the next: a long reference chain.
      o.add(("[" + (i + 6) + " 0 R]").getBytes(StandardCharsets.ISO_8859_1));
    }
    return assemble(o, "");
  }

  /** Many blank pages (a bomb by page count, within limits). */
  static byte[] manyPages(int pages) {
    try (PDDocument doc = new PDDocument()) {
      for (int i = 0; i < pages; i++) {
        doc.addPage(new PDPage());
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A valid confirmation that also carries a JavaScript open action and a launch action. */
  static byte[] withJavaScript(String id) {
    return rawConfirmation(
        id,
        "VIAJES ANDES S.A.",
        "Hotel Script",
        "LOCJS01",
        "<< /S /JavaScript /JS (app.alert\\('x'\\); this.exportDataObject\\({cName: 'a'}\\)) /Next"
            + " << /S /Launch /F (/bin/sh) >> >>");
  }
}
