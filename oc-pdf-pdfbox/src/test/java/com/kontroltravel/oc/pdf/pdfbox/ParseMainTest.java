package com.kontroltravel.oc.pdf.pdfbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kontroltravel.oc.model.ParseResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("the parse command and its JSON")
class ParseMainTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static String run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      ParseMain.run(args);
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8).trim();
  }

  @Test
  @DisplayName("one file prints one object with the documented names, in order")
  void oneFile() throws Exception {
    Path pdf = Corpus.pdfs("chromium").get(0);
    String out = run(pdf.toString());
    assertThat(out).startsWith("{\"reservationId\":");
    JsonNode actual = JSON.readTree(out);
    JsonNode expected = JSON.readTree(Corpus.expectedFor(pdf).toFile());
    assertThat(actual).isEqualTo(expected);
    assertThat(CorpusTest.fieldNames(actual))
        .containsExactly(
            "reservationId",
            "internalLocator",
            "locator",
            "agencyName",
            "status",
            "issueDate",
            "hotelName",
            "checkIn",
            "checkOut",
            "nights",
            "rooms",
            "totalAmount",
            "currency",
            "cancellationDeadline",
            "problems");
  }

  @Test
  @DisplayName("several files print an array; an unreadable file gets an object with its problem")
  void severalFiles(@TempDir Path tmp) throws Exception {
    Path junk = Files.writeString(tmp.resolve("junk.pdf"), "not a pdf");
    String out =
        run(
            Corpus.pdfs("pdfbox").get(0).toString(),
            junk.toString(),
            tmp.resolve("missing.pdf").toString());
    JsonNode arr = JSON.readTree(out);
    assertThat(arr.isArray()).isTrue();
    assertThat(arr).hasSize(3);
    assertThat(arr.get(1).get("reservationId").isNull()).isTrue();
    assertThat(arr.get(1).get("problems").get(0).asText()).contains("not a PDF");
    assertThat(arr.get(2).get("problems").get(0).asText()).contains("cannot read file");
  }

  @Test
  @DisplayName("amounts keep two decimals and absent values are null")
  void jsonDetails() {
    String json = ParseResultJson.toJson(ParseResult.failed("nothing"));
    assertThat(json)
        .isEqualTo(
            "{\"reservationId\":null,\"internalLocator\":null,\"locator\":null,\"agencyName\":null,\"status\":null,"
                + "\"issueDate\":null,\"hotelName\":null,\"checkIn\":null,\"checkOut\":null,\"nights\":null,"
                + "\"rooms\":null,\"totalAmount\":null,\"currency\":null,\"cancellationDeadline\":null,"
                + "\"problems\":[\"nothing\"]}");
    assertThat(ParseResultJson.toJson(List.of())).isEqualTo("[]");
  }

  @Test
  @DisplayName(
      "reading the confirmation family in a fresh JVM never loads PDFBox's system font scanner")
  void noSystemFontScan() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                java.toString(),
                "-Xlog:class+load=info",
                "-cp",
                System.getProperty("java.class.path"),
                ParseMain.class.getName()));
    Corpus.confirmations().stream().limit(4).forEach(p -> cmd.add(p.toString()));
    cmd.add(Corpus.pdfs("chromium").get(5).toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String log = new String(out, StandardCharsets.UTF_8);
    assertThat(log).contains("org.apache.pdfbox.text.PDFTextStripper"); // the log is real
    assertThat(log).doesNotContain("FileSystemFontProvider").doesNotContain("FontMapperImpl");
    assertThat(p.exitValue()).isZero();
  }
}
