package com.kontroltravel.oc.it;

import static com.kontroltravel.oc.it.HostileCase.ANY;
import static com.kontroltravel.oc.it.HostileCase.b64;
import static com.kontroltravel.oc.it.HostileCase.confirmationWithPart;
import static com.kontroltravel.oc.it.HostileCase.encodedWord;
import static com.kontroltravel.oc.it.HostileCase.one;
import static com.kontroltravel.oc.it.HostileCase.tracked;
import static com.kontroltravel.oc.it.HostileInputTest.AGENCY;
import static com.kontroltravel.oc.it.HostileInputTest.INJECTED;

import com.kontroltravel.oc.model.InboundOutcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Hostile inputs, as data for {@link HostileInputTest}: hostile PDFs on an authenticated
 * confirmation, and hostile attachment names.
 */
final class HostileDocumentCases {
  private HostileDocumentCases() {}

  /** The cases, in the order they run (later ones build on the bookings of earlier ones). */
  static List<HostileCase> cases() {
    List<HostileCase> cs = new ArrayList<>();

    // --- hostile PDFs on an authenticated confirmation
    cs.add(
        one(
            "PDF encrypted with a user password",
            t ->
                t.confirmation(
                    "h-encrypted@it.test",
                    "45211010",
                    HostilePdfs.encrypted(HostilePdfs.confirmation("45211010", AGENCY), "s3cret")),
            EnumSet.of(InboundOutcome.QUARANTINED)));
    cs.add(
        one(
            "truncated PDF (first 40%)",
            t ->
                t.confirmation(
                    "h-truncated@it.test",
                    "45211011",
                    HostilePdfs.truncated(HostilePdfs.confirmation("45211011", AGENCY), 0.4)),
            ANY));
    cs.add(
        one(
            "PDF with garbage over its middle third",
            t ->
                t.confirmation(
                    "h-corrupt@it.test",
                    "45211012",
                    HostilePdfs.corrupt(HostilePdfs.confirmation("45211012", AGENCY))),
            ANY));
    cs.add(
        one(
            "only a %PDF- header",
            t ->
                t.confirmation(
                    "h-headeronly@it.test",
                    "45211013",
                    "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII)),
            EnumSet.of(InboundOutcome.QUARANTINED)));
    cs.add(
        one(
            "HTML page named .pdf",
            t ->
                t.confirmation(
                    "h-htmlpdf@it.test",
                    "45211014",
                    "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8)),
            EnumSet.of(InboundOutcome.QUARANTINED)));
    cs.add(
        one(
            "compression bomb: 48 MB content stream",
            t -> t.confirmation("h-flatebomb@it.test", "45211015", HostilePdfs.flateBomb(48)),
            EnumSet.of(InboundOutcome.QUARANTINED)));
    cs.add(
        one(
            "arrays nested 100,000 deep",
            t -> t.confirmation("h-nestarr@it.test", "45990001", HostilePdfs.deepNesting(100_000)),
            ANY));
    cs.add(
        one(
            "dictionaries nested 20,000 deep",
            t ->
                t.confirmation(
                    "h-nestdict@it.test", "45990002", HostilePdfs.deepDictionaries(20_000)),
            ANY));
    cs.add(
        one(
            "page tree that contains itself",
            t -> t.confirmation("h-pageloop@it.test", "45211016", HostilePdfs.pageTreeLoop()),
            EnumSet.of(InboundOutcome.QUARANTINED)));
    cs.add(
        one(
            "20,000-object reference chain",
            t -> t.confirmation("h-objchain@it.test", "45211017", HostilePdfs.manyObjects(20_000)),
            EnumSet.of(InboundOutcome.QUARANTINED)));
    cs.add(
        one(
            "3,000 blank pages",
            t -> t.confirmation("h-pages@it.test", "45211018", HostilePdfs.manyPages(3000)),
            EnumSet.of(InboundOutcome.QUARANTINED)));
    cs.add(
        one(
            "JavaScript and launch actions in a valid confirmation",
            t -> t.confirmation("h-js@it.test", "45211019", HostilePdfs.withJavaScript("45211019")),
            ANY));

    // --- attachment names
    cs.add(
        tracked(
            "file name ../../etc/passwd.pdf",
            t ->
                t.confirmation(
                    "h-traversal@it.test",
                    "Confirmacion de reserva 45211020",
                    "../../etc/passwd.pdf",
                    HostilePdfs.confirmation("45211020", AGENCY)),
            "45211020"));
    cs.add(
        tracked(
            "absolute file name /tmp/oc-evil-abs.pdf",
            t ->
                t.confirmation(
                    "h-absolute@it.test",
                    "Confirmacion de reserva 45211021",
                    "/tmp/oc-evil-abs.pdf",
                    HostilePdfs.confirmation("45211021", AGENCY)),
            "45211021"));
    cs.add(
        tracked(
            "Windows path ..\\..\\evil-win.pdf and drive letter",
            t ->
                t.confirmation(
                    "h-winpath@it.test",
                    "Confirmacion de reserva 45211022",
                    "C:\\..\\..\\evil-win.pdf",
                    HostilePdfs.confirmation("45211022", AGENCY)),
            "45211022"));
    cs.add(
        one(
            "NUL, CR and LF in an RFC 2231 file name",
            t ->
                confirmationWithPart(
                    "h-ctlname@it.test",
                    "Confirmacion de reserva 45211023",
                    "Content-Type: application/pdf\r\nContent-Disposition: attachment;"
                        + " filename*=utf-8''..%2F..%2Fevil%00name%0D%0A"
                        + INJECTED.replace(" ", "%20")
                        + ".pdf\r\nContent-Transfer-Encoding: base64",
                    b64(HostilePdfs.confirmation("45211023", AGENCY)),
                    true),
            EnumSet.of(InboundOutcome.CONFIRMATION, InboundOutcome.QUARANTINED)));
    cs.add(
        tracked(
            "5,000-character file name",
            t ->
                t.confirmation(
                    "h-longname@it.test",
                    "Confirmacion de reserva 45211024",
                    "n".repeat(5000) + ".pdf",
                    HostilePdfs.confirmation("45211024", AGENCY)),
            "45211024"));
    cs.add(
        one(
            "encoded-word file name with ../ and no extension",
            t ->
                confirmationWithPart(
                    "h-ewname@it.test",
                    "Confirmacion de reserva 45211025",
                    "Content-Type: application/octet-stream; name=\""
                        + encodedWord("../../../../tmp/oc-evil-ew")
                        + "\"\r\nContent-Transfer-Encoding: base64",
                    b64(HostilePdfs.confirmation("45211025", AGENCY)),
                    true),
            EnumSet.of(InboundOutcome.CONFIRMATION, InboundOutcome.QUARANTINED)));
    return cs;
  }
}
