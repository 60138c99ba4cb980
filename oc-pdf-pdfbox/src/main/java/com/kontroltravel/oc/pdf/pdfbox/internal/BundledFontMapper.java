package com.kontroltravel.oc.pdf.pdfbox.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import org.apache.fontbox.FontBoxFont;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.CIDFontMapping;
import org.apache.pdfbox.pdmodel.font.FontMapper;
import org.apache.pdfbox.pdmodel.font.FontMappers;
import org.apache.pdfbox.pdmodel.font.FontMapping;
import org.apache.pdfbox.pdmodel.font.PDCIDSystemInfo;
import org.apache.pdfbox.pdmodel.font.PDFontDescriptor;

/**
 * A PDFBox {@link FontMapper} that answers every request for a non-embedded font with the
 * Liberation Sans font bundled inside PDFBox, so PDFBox never scans the system's fonts (which costs
 * seconds on first use and can exceed the parse time limit). Text extraction needs only glyph
 * widths, which come from the PDF's /Widths or the standard 14 font metrics; the substitute is used
 * only where neither exists.
 */
public final class BundledFontMapper implements FontMapper {
  private static final String RESOURCE =
      "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";
  private static final String DEFAULT_MAPPER = "org.apache.pdfbox.pdmodel.font.FontMapperImpl";

  private BundledFontMapper() {}

  private static final class Font {
    static final TrueTypeFont LIBERATION = load();

    private static TrueTypeFont load() {
      try (InputStream in = PDDocument.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("PDFBox resource missing: " + RESOURCE);
        }
        return new TTFParser().parse(new RandomAccessReadBuffer(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + RESOURCE, e);
      }
    }
  }

  /**
   * Installs this mapper process-wide unless the application already installed a mapper of its own.
   *
   * @return true if this mapper is now in use
   */
  public static synchronized boolean installIfDefault() {
    FontMapper current = installedMapper();
    if (current instanceof BundledFontMapper) {
      return true;
    }
    if (current == null || current.getClass().getName().equals(DEFAULT_MAPPER)) {
      FontMappers.set(new BundledFontMapper());
      return true;
    }
    return false;
  }

  /**
   * The mapper an application set, or null if none: read without calling {@link
   * FontMappers#instance()}, which would build PDFBox's default mapper (~0.3 s in a fresh JVM) only
   * to throw it away.
   */
  private static FontMapper installedMapper() {
    try {
      Field f = FontMappers.class.getDeclaredField("instance");
      f.setAccessible(true);
      return (FontMapper) f.get(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return FontMappers.instance();
    }
  }

  @Override
  public FontMapping<TrueTypeFont> getTrueTypeFont(
      String baseFont, PDFontDescriptor fontDescriptor) {
    return new FontMapping<>(Font.LIBERATION, true);
  }

  @Override
  public FontMapping<FontBoxFont> getFontBoxFont(String baseFont, PDFontDescriptor fontDescriptor) {
    return new FontMapping<>(Font.LIBERATION, true);
  }

  @Override
  public CIDFontMapping getCIDFont(
      String baseFont, PDFontDescriptor fontDescriptor, PDCIDSystemInfo cidSystemInfo) {
    return new CIDFontMapping(null, Font.LIBERATION, true);
  }
}
