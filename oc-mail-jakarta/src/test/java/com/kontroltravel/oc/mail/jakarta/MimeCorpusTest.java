package com.kontroltravel.oc.mail.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.mail.mime.MimeDecoder;
import com.kontroltravel.oc.model.FetchBatch;
import com.kontroltravel.oc.model.InboundMessage;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * Tricky raw emails under {@code src/test/resources/eml}, each with its expected outcome in {@code
 * expected.tsv}: the decoded subject and sender, the attachments found (name, and whether they read
 * as PDF), the problem reported and a piece of the text body.
 */
class MimeCorpusTest {
  private final MimeDecoder decoder = new MimeDecoder(MailSettings.DEFAULT_MAX_MESSAGE_SIZE);

  private static byte[] load(String file) throws IOException {
    try (InputStream in = MimeCorpusTest.class.getResourceAsStream("/eml/" + file)) {
      return Objects.requireNonNull(in, file).readAllBytes();
    }
  }

  private InboundMessage decode(byte[] eml) throws Exception {
    MimeMessage m = new MimeMessage(decoder.session(), new java.io.ByteArrayInputStream(eml));
    return decoder.decode(m).build();
  }

  static String describe(InboundMessage m) {
    List<String> out = new ArrayList<>();
    m.attachments()
        .forEach(
            a ->
                out.add(
                    (a.fileName() == null ? "-" : a.fileName())
                        + ":"
                        + (a.isPdf() ? "pdf" : "other")));
    return String.join(";", out);
  }

  @ParameterizedTest(name = "{0}")
  @CsvFileSource(resources = "/eml/expected.tsv", delimiter = '\t', encoding = "UTF-8")
  @DisplayName(
      "each tricky email decodes to the expected subject, sender, attachments and problems")
  void decodesAsExpected(
      String file, String subject, String from, String attachments, String problem, String text)
      throws Exception {
    InboundMessage m = decode(load(file));
    assertThat(m.subject()).as("subject").isEqualTo(nz(subject));
    assertThat(nz(m.from())).as("from").isEqualTo(nz(from));
    assertThat(describe(m)).as("attachments").isEqualTo(nz(attachments));
    if (nz(problem).isEmpty()) {
      assertThat(m.problems()).as("problems").isEmpty();
    } else {
      assertThat(m.problems()).as("problems").anyMatch(p -> p.contains(problem));
    }
    if (!nz(text).isEmpty()) {
      assertThat(m.textBody()).as("text").contains(text);
    }
    m.attachments().stream()
        .filter(a -> a.isPdf())
        .forEach(
            a ->
                assertThat(com.kontroltravel.oc.model.Attachment.hasPdfMagic(a.content()))
                    .isTrue());
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  @Test
  @DisplayName("identifiers, threading and sender details are read from the headers")
  void headerDetails() throws Exception {
    InboundMessage threaded = decode(load("33_references_folded.eml"));
    assertThat(threaded.messageId()).isEqualTo("33@corpus.example");
    assertThat(threaded.inReplyTo()).containsExactly("oc-1-request@oc.example");
    assertThat(threaded.references())
        .containsExactly(
            "conf-1@booking.example", "oc-1-request@oc.example", "oc-1-reminder-1@oc.example");
    assertThat(threaded.date()).isEqualTo(java.time.Instant.parse("2025-11-20T13:15:00Z"));

    InboundMessage named = decode(load("08_from_encoded_name_upper.eml"));
    assertThat(named.fromName()).isEqualTo("Sistema de Reservas Ñ");
    assertThat(decode(load("31_no_message_id.eml")).messageId()).isNull();
    assertThat(decode(load("32_message_id_without_brackets.eml")).messageId())
        .isEqualTo("bare-id-32@corpus.example");
    assertThat(decode(load("42_date_unparseable.eml")).date()).isNull();
    assertThat(decode(load("01_plain_pdf.eml")).attachments().get(0).content())
        .startsWith("%PDF-1.4".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  @DisplayName("the whole corpus read over IMAP yields one record per email and no exception")
  void wholeCorpusOverImap() throws Exception {
    List<String> files = new ArrayList<>();
    try (InputStream in = MimeCorpusTest.class.getResourceAsStream("/eml/expected.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          files.add(line.split("\t")[0]);
        }
      }
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(30);
    try (TestMailServer server = TestMailServer.start(false);
        JakartaMailGateway gateway = JakartaMailGateway.create(server.settings().build())) {
      for (String f : files) {
        server.deliverRaw(load(f));
      }
      FetchBatch batch = gateway.fetch(null, 1000);
      assertThat(batch.messages()).hasSize(files.size());
      assertThat(batch.hasMore()).isFalse();
      // The same email decodes the same way whether read from a file or from the server.
      InboundMessage overImap =
          batch.messages().get(files.indexOf("11_filename_rfc2231_continuations.eml"));
      assertThat(describe(overImap)).isEqualTo("Orden de Compra Ñº 4500123456.pdf:pdf");
      InboundMessage forwarded = batch.messages().get(files.indexOf("19_forwarded_rfc822.eml"));
      assertThat(describe(forwarded)).isEqualTo("Resumen.pdf:pdf");
    }
  }
}
