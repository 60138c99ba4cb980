package com.kontroltravel.oc.pdf.pdfbox;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * Hostile and special PDFs made with PDFBox at test time (no system fonts needed: PDFBox bundles
 * one).
 */
final class TestPdfs {
  private TestPdfs() {}

  static PDFont bundledFont(PDDocument doc) throws IOException {
    try (InputStream in =
        PDDocument.class.getResourceAsStream(
            "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf")) {
      return PDType0Font.load(doc, in);
    }
  }

  static byte[] save(PDDocument doc) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    doc.save(out);
    return out.toByteArray();
  }

  /** A page with the given lines of text, top to bottom. */
  static byte[] text(String... lines) throws IOException {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      PDFont font = bundledFont(doc);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        float y = 780;
        for (String line : lines) {
          cs.beginText();
          cs.setFont(font, 11);
          cs.newLineAtOffset(50, y);
          cs.showText(line);
          cs.endText();
          y -= 16;
        }
      }
      return save(doc);
    }
  }

  /**
   * Encrypts: an empty user password with restricted permissions (owner password only), or a user
   * password.
   */
  static byte[] encrypt(byte[] pdf, String userPassword) throws IOException {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      AccessPermission perms = new AccessPermission();
      perms.setCanExtractContent(false);
      perms.setCanPrint(false);
      perms.setCanModify(false);
      StandardProtectionPolicy policy =
          new StandardProtectionPolicy("owner-secret", userPassword, perms);
      policy.setEncryptionKeyLength(128);
      doc.protect(policy);
      return save(doc);
    }
  }

  /** A "scanned" page: only an image of text, no text layer. */
  static byte[] imageOnly() throws IOException {
    BufferedImage img = new BufferedImage(600, 200, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 600, 200);
    g.setColor(Color.BLACK);
    for (int i = 0; i < 8; i++) {
      g.fillRect(
          20, 20 + i * 20, 300 + i * 30, 8); // lines that look like text, without needing a font
    }
    g.dispose();
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      PDImageXObject x = LosslessFactory.createFromImage(doc, img);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        cs.drawImage(x, 40, 500, 500, 166);
      }
      return save(doc);
    }
  }

  /**
   * Text plus an unused stream of {@code megabytes} of incompressible bytes: a big but legal
   * document.
   */
  static byte[] withBigStream(int megabytes, String... lines) throws IOException {
    try (PDDocument doc = Loader.loadPDF(text(lines))) {
      COSStream s = doc.getDocument().createCOSStream();
      byte[] chunk = new byte[1 << 20];
      java.util.Random rnd = new java.util.Random(7);
      try (OutputStream raw = s.createRawOutputStream()) {
        for (int i = 0; i < megabytes; i++) {
          rnd.nextBytes(chunk);
          raw.write(chunk);
        }
      }
      doc.getPage(0).getCOSObject().setItem(COSName.getPDFName("OcPadding"), s);
      return save(doc);
    }
  }

  static byte[] blankPages(int n) throws IOException {
    try (PDDocument doc = new PDDocument()) {
      for (int i = 0; i < n; i++) {
        doc.addPage(new PDPage(PDRectangle.A4));
      }
      return save(doc);
    }
  }

  /**
   * A page whose content stream repeats a harmless operator pair {@code count} times (slow to
   * interpret).
   */
  static byte[] heavyContent(int count) throws IOException {
    return rawContent("q Q\n".repeat(count).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * A page that draws one Form XObject {@code draws} times; the form holds {@code operators} no-op
   * operators: small on disk and within every size budget, but {@code operators * draws} operators
   * to interpret (a work bomb no machine reads within a second).
   */
  static byte[] formBomb(int operators, int draws) throws IOException {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject form =
          new org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject(doc);
      form.setBBox(PDRectangle.A4);
      try (OutputStream out = form.getContentStream().createOutputStream(COSName.FLATE_DECODE)) {
        out.write("q Q\n".repeat(operators).getBytes(StandardCharsets.US_ASCII));
      }
      org.apache.pdfbox.pdmodel.PDResources resources = new org.apache.pdfbox.pdmodel.PDResources();
      COSName name = resources.add(form);
      page.setResources(resources);
      PDStream stream = new PDStream(doc);
      try (OutputStream out = stream.createOutputStream(COSName.FLATE_DECODE)) {
        out.write(
            ("/" + name.getName() + " Do\n").repeat(draws).getBytes(StandardCharsets.US_ASCII));
      }
      page.setContents(stream);
      return save(doc);
    }
  }

  /** A page whose content stream decodes to {@code megabytes} of spaces (a compression bomb). */
  static byte[] deflateBomb(int megabytes) throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (OutputStream out = new DeflaterOutputStream(compressed, new Deflater(9))) {
      byte[] chunk = new byte[1 << 20];
      java.util.Arrays.fill(chunk, (byte) ' ');
      for (int i = 0; i < megabytes; i++) {
        out.write(chunk);
      }
    }
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      COSStream s = doc.getDocument().createCOSStream();
      try (OutputStream raw = s.createRawOutputStream()) {
        raw.write(compressed.toByteArray());
      }
      s.setItem(COSName.FILTER, COSName.FLATE_DECODE);
      page.setContents(new PDStream(s));
      return save(doc);
    }
  }

  private static byte[] rawContent(byte[] content) throws IOException {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      PDStream stream = new PDStream(doc);
      try (OutputStream out = stream.createOutputStream(COSName.FLATE_DECODE)) {
        out.write(content);
      }
      page.setContents(stream);
      return save(doc);
    }
  }
}
