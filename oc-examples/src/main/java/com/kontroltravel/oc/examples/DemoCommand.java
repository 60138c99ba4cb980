package com.kontroltravel.oc.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code demo}: two weeks of the real engine in well under a minute, on embedded defaults. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the real engine (PDFBox parser, Jakarta Mail on a loopback GreenMail, SQLite) on a"
          + " settable clock across two weeks of business days: a dozen confirmation PDFs, agencies"
          + " replying (or not), then a table of bookings and one booking's timeline.",
      "Exit code 0 when every booking ends as its scenario expects."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Folder for the SQLite file (default: a fresh temporary folder).")
  Path dir;

  @Option(names = "--plain", description = "Plain progress lines even on a terminal.")
  boolean plain;

  @Override
  public Integer call() throws Exception {
    Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("oc-demo-");
    List<Demo.Row> rows =
        new Demo(spec.commandLine().getOut(), !plain && Progress.isTerminal(), work).run();
    return rows.stream().allMatch(Demo.Row::asExpected) ? 0 : 1;
  }
}
