package com.kontroltravel.oc.pdf.pdfbox;

import com.kontroltravel.oc.spi.ReservationParser;
import com.kontroltravel.oc.testkit.ReservationParserCompatibilityKit;
import java.util.List;

/**
 * Runs the whole {@link ReservationParserCompatibilityKit} against the PDFBox parser and the
 * committed corpus.
 */
class PdfBoxReservationParserCompatibilityTest extends ReservationParserCompatibilityKit {
  private static final PdfBoxReservationParser PARSER = PdfBoxReservationParser.create();

  @Override
  protected ReservationParser parser() {
    return PARSER;
  }

  @Override
  protected List<byte[]> validDocuments() {
    return Corpus.confirmations().stream().map(Corpus::read).toList();
  }
}
