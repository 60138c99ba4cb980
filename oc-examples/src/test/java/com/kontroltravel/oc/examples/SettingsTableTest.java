package com.kontroltravel.oc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The settings table of this module's README is the truth: every variable the runner reads is a
 * row, every row is a variable the runner reads, and each one is used somewhere besides the list.
 */
class SettingsTableTest {
  static final Path README = Path.of("README.md");
  static final String HEADER = "| variable | default | meaning |";
  static final Pattern NAME = Pattern.compile("`([A-Z][A-Z0-9_]+)`");

  /** The variables named in the first column of the settings table (group rows are bold). */
  static List<String> tableVariables() throws IOException {
    List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
    int start = lines.indexOf(HEADER);
    assertThat(start).as("the settings table's header %s in %s", HEADER, README).isNotNegative();
    assertThat(lines.stream().filter(HEADER::equals)).as("one settings table").hasSize(1);
    List<String> names = new ArrayList<>();
    for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String[] cells = lines.get(i).split("\\|", -1);
      assertThat(cells.length).as("three columns: %s", lines.get(i)).isGreaterThanOrEqualTo(5);
      String first = cells[1].trim();
      if (first.startsWith("**")) {
        continue; // a group row
      }
      assertThat(cells[3].trim()).as("a meaning for %s", first).isNotEmpty();
      Matcher m = NAME.matcher(first);
      int before = names.size();
      while (m.find()) {
        names.add(m.group(1));
      }
      assertThat(names.size()).as("a variable in %s", lines.get(i)).isGreaterThan(before);
    }
    return names;
  }

  static Set<String> known() {
    Set<String> all = new TreeSet<>(RunnerSettings.KNOWN);
    all.addAll(AdminServer.VARIABLES);
    return all;
  }

  @Test
  @DisplayName("every variable the runner reads is in the README's table, and nothing else is")
  void tableMatchesTheRunner() throws IOException {
    List<String> table = tableVariables();
    assertThat(table).as("each variable in one row only").doesNotHaveDuplicates();
    Set<String> known = known();
    Set<String> notRead = new TreeSet<>(table);
    notRead.removeAll(known);
    Set<String> notListed = new TreeSet<>(known);
    notListed.removeAll(table);
    assertThat(notRead).as("rows of the README's table that the runner does not read").isEmpty();
    assertThat(notListed).as("variables the runner reads that the README's table lacks").isEmpty();
  }

  @Test
  @DisplayName("every variable the runner accepts is read somewhere besides the list of names")
  void noVariableAcceptedAndIgnored() throws IOException {
    List<String> sources = new ArrayList<>();
    // The engine settings are parsed in oc-core (com.kontroltravel.oc.settings), for the runner
    // and the Spring Boot starter alike.
    List<Path> roots =
        List.of(
            Path.of("src/main/java"),
            Path.of("../oc-core/src/main/java/com/kontroltravel/oc/settings"));
    List<Path> javaFiles = new ArrayList<>();
    for (Path root : roots) {
      try (Stream<Path> files = Files.walk(root)) {
        javaFiles.addAll(files.filter(p -> p.toString().endsWith(".java")).toList());
      }
    }
    for (Path f : javaFiles) {
      String text = Files.readString(f, StandardCharsets.UTF_8);
      if (f.endsWith("RunnerSettings.java")) {
        // Leave out the KNOWN list itself.
        int a = text.indexOf("KNOWN =");
        int b = text.indexOf(");", a);
        text = text.substring(0, a) + text.substring(b);
      }
      if (f.endsWith("AdminServer.java") || f.endsWith("EngineSettings.java")) {
        int a = text.indexOf("VARIABLES =");
        int b = text.indexOf(");", a);
        text = text.substring(0, a) + text.substring(b);
      }
      sources.add(text);
    }
    Set<String> unread = new LinkedHashSet<>();
    for (String name : known()) {
      if (sources.stream().noneMatch(s -> s.contains("\"" + name + "\""))) {
        unread.add(name);
      }
    }
    assertThat(unread).as("accepted but never read").isEmpty();
  }
}
