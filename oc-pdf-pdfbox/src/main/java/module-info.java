/**
 * {@link com.kontroltravel.oc.pdf.pdfbox.PdfBoxReservationParser}: confirmation and OC documents
 * read with Apache PDFBox. The layout and extraction code ({@code ...pdfbox.internal}) is not
 * exported.
 */
module com.kontroltravel.oc.pdf.pdfbox {
  requires transitive com.kontroltravel.oc;
  requires org.apache.pdfbox;
  requires org.apache.fontbox;
  requires org.apache.pdfbox.io;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports com.kontroltravel.oc.pdf.pdfbox;
}
