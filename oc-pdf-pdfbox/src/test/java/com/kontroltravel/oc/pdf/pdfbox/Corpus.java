package com.kontroltravel.oc.pdf.pdfbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Access to the committed corpus under {@code src/test/resources/corpus}. */
final class Corpus {
  private Corpus() {}

  static Path dir(String name) {
    try {
      return Path.of(Corpus.class.getResource("/corpus/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Path> pdfs(String name) {
    try (Stream<Path> s = Files.list(dir(name))) {
      return s.filter(p -> p.toString().endsWith(".pdf")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The three producers of confirmations in the corpus. */
  static final List<String> PRODUCERS = List.of("pdfbox", "chromium", "hiqpdf");

  static List<Path> confirmations() {
    return PRODUCERS.stream().flatMap(p -> pdfs(p).stream()).toList();
  }

  static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path expectedFor(Path pdf) {
    String n = pdf.getFileName().toString();
    return pdf.resolveSibling(n.substring(0, n.length() - 4) + ".json");
  }

  static InputStream resource(String name) {
    return Corpus.class.getResourceAsStream(name);
  }
}
