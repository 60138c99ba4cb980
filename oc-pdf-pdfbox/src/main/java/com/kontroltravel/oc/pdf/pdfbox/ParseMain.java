package com.kontroltravel.oc.pdf.pdfbox;

import com.kontroltravel.oc.model.ParseResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line: {@code java ... ParseMain [--rules RULES.json] FILE.pdf...} prints the JSON of
 * CONFIRMATION_FORMAT.md, one object for one file, an array for several. A file that cannot be read
 * gives an object whose problems say why. Exit status 0 when every document parsed cleanly, 1
 * otherwise, 2 on a usage error.
 */
public final class ParseMain {
  private ParseMain() {}

  /**
   * Runs the command.
   *
   * @param args optional {@code --rules FILE} then one or more PDF files
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    List<Path> files = new ArrayList<>();
    PdfBoxReservationParser.Builder builder = PdfBoxReservationParser.builder();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--rules") && i + 1 < args.length) {
        builder.rules(ExtractionRules.fromFile(Path.of(args[++i])));
      } else {
        files.add(Path.of(args[i]));
      }
    }
    if (files.isEmpty()) {
      System.err.println("usage: ParseMain [--rules RULES.json] FILE.pdf...");
      return 2;
    }
    PdfBoxReservationParser parser = builder.build();
    List<ParseResult> results = new ArrayList<>();
    for (Path f : files) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(f);
      } catch (IOException e) {
        results.add(ParseResult.failed("cannot read file " + f + ": " + e.getMessage()));
        continue;
      }
      results.add(parser.parse(bytes));
    }
    System.out.println(
        results.size() == 1
            ? ParseResultJson.toJson(results.get(0))
            : ParseResultJson.toJson(results));
    return results.stream().allMatch(ParseResult::isClean) ? 0 : 1;
  }
}
