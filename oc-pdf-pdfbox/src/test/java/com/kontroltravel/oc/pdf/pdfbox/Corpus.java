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

  static List<Path> confirmations() {
    return Stream.concat(pdfs("pdfbox").stream(), pdfs("chromium").stream()).toList();
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
