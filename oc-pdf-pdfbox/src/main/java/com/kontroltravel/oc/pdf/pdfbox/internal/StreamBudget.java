package com.kontroltravel.oc.pdf.pdfbox.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.filter.FilterFactory;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;

/**
 * Measures the decoded size of the streams text extraction will decode in memory (page content,
 * form XObjects and embedded font programs), decoding through a bounded buffer so that a
 * compression bomb is detected without ever holding more than the budget.
 */
final class StreamBudget {
  private final long maxBytes;

  StreamBudget(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Thrown when a stream decodes to more than the budget. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super(message);
    }
  }

  /** Null when the page is within budget, else the reason. */
  String check(PDPage page) throws IOException {
    try {
      long content = 0;
      COSBase contents = page.getCOSObject().getDictionaryObject(COSName.CONTENTS);
      if (contents instanceof COSStream s) {
        content += decodedSize(s, maxBytes);
      } else if (contents instanceof COSArray a) {
        for (int i = 0; i < a.size() && i < 10_000; i++) {
          if (a.getObject(i) instanceof COSStream s) {
            content += decodedSize(s, maxBytes - content);
          }
        }
      }
      PDResources res = page.getResources();
      if (res != null) {
        COSDictionary xobjects = res.getCOSObject().getCOSDictionary(COSName.XOBJECT);
        if (xobjects != null) {
          for (COSName name : xobjects.keySet()) {
            if (xobjects.getDictionaryObject(name) instanceof COSStream s
                && COSName.FORM.equals(s.getCOSName(COSName.SUBTYPE))) {
              content += decodedSize(s, maxBytes - content);
            }
          }
        }
        COSDictionary fonts = res.getCOSObject().getCOSDictionary(COSName.FONT);
        if (fonts != null) {
          for (COSName name : fonts.keySet()) {
            if (fonts.getDictionaryObject(name) instanceof COSDictionary font) {
              checkFont(font);
              if (font.getDictionaryObject(COSName.DESCENDANT_FONTS) instanceof COSArray d
                  && d.size() > 0
                  && d.getObject(0) instanceof COSDictionary descendant) {
                checkFont(descendant);
              }
            }
          }
        }
      }
      return null;
    } catch (TooLarge e) {
      return e.getMessage();
    }
  }

  private void checkFont(COSDictionary font) throws IOException {
    if (font.getDictionaryObject(COSName.FONT_DESC) instanceof COSDictionary fd) {
      for (COSName key : List.of(COSName.FONT_FILE, COSName.FONT_FILE2, COSName.FONT_FILE3)) {
        if (fd.getDictionaryObject(key) instanceof COSStream s) {
          decodedSize(s, maxBytes);
        }
      }
    }
  }

  private long decodedSize(COSStream stream, long budget) throws IOException {
    List<COSName> filters = filterNames(stream);
    if (filters.isEmpty()) {
      long n = stream.getLength();
      if (n > budget) {
        throw tooLarge();
      }
      return n;
    }
    InputStream in = stream.createRawInputStream();
    try {
      long size = 0;
      for (int i = 0; i < filters.size(); i++) {
        Bounded out = new Bounded(budget);
        FilterFactory.INSTANCE.getFilter(filters.get(i)).decode(in, out, stream, i);
        in.close();
        size = out.size();
        in = new ByteArrayInputStream(out.toByteArray());
      }
      return size;
    } finally {
      in.close();
    }
  }

  private static List<COSName> filterNames(COSStream stream) {
    COSBase f = stream.getFilters();
    if (f instanceof COSName name) {
      return List.of(name);
    }
    if (f instanceof COSArray array) {
      List<COSName> out = new java.util.ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        if (array.getObject(i) instanceof COSName name) {
          out.add(name);
        }
      }
      return out;
    }
    return List.of();
  }

  private TooLarge tooLarge() {
    return new TooLarge(
        "a page's content or font is larger than " + (maxBytes >> 20) + " MB when decoded");
  }

  /** Collects output until the budget, then fails. */
  private final class Bounded extends ByteArrayOutputStream {
    private final long budget;

    Bounded(long budget) {
      this.budget = budget;
    }

    @Override
    public synchronized void write(int b) {
      ensure(1);
      super.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      ensure(len);
      super.write(b, off, len);
    }

    private void ensure(int len) {
      if (count + (long) len > budget) {
        throw new UncheckedTooLarge(tooLarge());
      }
    }
  }

  /** Carries {@link TooLarge} through OutputStream methods that cannot throw it. */
  static final class UncheckedTooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UncheckedTooLarge(TooLarge cause) {
      super(cause);
    }
  }
}
