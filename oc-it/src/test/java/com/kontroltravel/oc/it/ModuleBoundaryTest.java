package com.kontroltravel.oc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library's API boundary as the JDK sees it: a host module compiled with {@code javac} against
 * the built artifacts on the module path reaches the exported API and nothing else, runs on the
 * module path, and {@code jdeps} finds no package cycle and no API package that depends on an
 * unexported one. The oracles are the JDK's compiler, launcher and dependency analyser.
 */
class ModuleBoundaryTest {
  /** The library modules (not the runner application) and their artifact folder names. */
  private static final List<String> LIBRARIES =
      List.of(
          "oc-core",
          "oc-store-jdbc",
          "oc-testkit",
          "oc-pdf-pdfbox",
          "oc-mail-common",
          "oc-mail-jakarta",
          "oc-mail-graph");

  private static List<Path> modulePath;
  private static Map<String, Path> libraries;

  @TempDir Path dir;

  @BeforeAll
  static void findArtifacts() {
    modulePath = new ArrayList<>();
    libraries = new HashMap<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      String s = p.toString();
      if (s.contains("oc-it") || s.contains("oc-examples") || s.contains("slf4j-simple")) {
        continue;
      }
      modulePath.add(p);
      for (String lib : LIBRARIES) {
        if (s.contains("/" + lib + "/") || p.getFileName().toString().startsWith(lib + "-")) {
          libraries.put(lib, p);
        }
      }
    }
    assertThat(libraries)
        .as("built library artifacts on the test class path")
        .containsKey("oc-core");
  }

  @Test
  @DisplayName("every library artifact is a named module that exports only its API packages")
  void librariesAreExplicitModules() {
    for (Map.Entry<String, Path> lib : libraries.entrySet()) {
      ModuleReference ref =
          ModuleFinder.of(lib.getValue()).findAll().stream().findFirst().orElseThrow();
      ModuleDescriptor d = ref.descriptor();
      if (!d.isAutomatic()) {
        Set<String> unexported = new HashSet<>(d.packages());
        d.exports().forEach(e -> unexported.remove(e.source()));
        unexported.removeIf(p -> !hasClasses(lib.getValue(), p));
        assertThat(unexported)
            .as("%s (%s): unexported packages must be internal ones", lib.getKey(), d.name())
            .allMatch(p -> p.contains(".internal"));
      }
    }
    ModuleDescriptor core =
        ModuleFinder.of(libraries.get("oc-core")).findAll().iterator().next().descriptor();
    assertThat(core.isAutomatic()).as("oc-core has a module-info").isFalse();
    assertThat(core.exports().stream().map(ModuleDescriptor.Exports::source))
        .containsExactlyInAnyOrder(
            "com.kontroltravel.oc",
            "com.kontroltravel.oc.exception",
            "com.kontroltravel.oc.model",
            "com.kontroltravel.oc.settings",
            "com.kontroltravel.oc.spi",
            "com.kontroltravel.oc.store.memory");
  }

  @Test
  @DisplayName("a host module compiled against the jars uses the API and runs on the module path")
  void hostCompilesAndRuns() throws Exception {
    Path src = writeHost("host.Main", HOST_MAIN);
    Path out = dir.resolve("out");
    String errors = compile(src, out);
    assertThat(errors).as("javac output").isEmpty();
    String mp =
        modulePath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator))
            + File.pathSeparator
            + out;
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path",
                mp,
                "-m",
                "host/host.Main")
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("host finished").isTrue();
    String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(printed).isZero();
    assertThat(printed).contains("tracked 4711 as PENDIENTE");
  }

  @Test
  @DisplayName("the engine's stages and the adapters' internals cannot be reached from a host")
  void internalsAreUnreachable() throws Exception {
    Map<String, String> attempts = new HashMap<>();
    attempts.put("com.kontroltravel.oc.Intake", "not public");
    attempts.put("com.kontroltravel.oc.Transactions", "not public");
    attempts.put("com.kontroltravel.oc.Composer", "not public");
    attempts.put("com.kontroltravel.oc.store.jdbc.Migrations", "not public");
    attempts.put("com.kontroltravel.oc.spi.MustacheTemplates", "not public");
    if (isExplicit("oc-pdf-pdfbox")) {
      attempts.put("com.kontroltravel.oc.pdf.pdfbox.internal.PageLayout", "not visible");
    }
    for (Map.Entry<String, String> a : attempts.entrySet()) {
      Path src =
          writeHost(
              "host.Reach",
              "package host;\npublic class Reach {\n  static Class<?> c = "
                  + a.getKey()
                  + ".class;\n}\n");
      String errors = compile(src, dir.resolve("reach-out"));
      assertThat(errors).as("compiling a reference to %s", a.getKey()).contains(a.getValue());
    }
  }

  @Test
  @DisplayName(
      "jdeps: no package cycle anywhere, and no package of the engine's API depends on an"
          + " unexported one")
  void noCyclesNoApiToInternal() {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    Map<String, Set<String>> edges = new HashMap<>();
    Map<String, Boolean> exported = new HashMap<>();
    for (Path lib : libraries.values()) {
      StringWriter w = new StringWriter();
      int rc =
          jdeps.run(
              new PrintWriter(w),
              new PrintWriter(new StringWriter()),
              "-verbose:package",
              "--ignore-missing-deps",
              "--multi-release",
              "17",
              "--module-path",
              modulePath.stream()
                  .map(Path::toString)
                  .collect(Collectors.joining(File.pathSeparator)),
              "-filter:none",
              lib.toString());
      assertThat(rc).as("jdeps on %s: %s", lib, w).isZero();
      Matcher m =
          Pattern.compile(
                  "^\\s+(com\\.kontroltravel\\.oc[\\w.]*)\\s+->\\s+(com\\.kontroltravel\\.oc[\\w.]*)\\s")
              .matcher("");
      for (String line : w.toString().split("\n")) {
        if (m.reset(line).find() && !m.group(1).equals(m.group(2))) {
          edges.computeIfAbsent(m.group(1), k -> new LinkedHashSet<>()).add(m.group(2));
        }
      }
      ModuleDescriptor d = ModuleFinder.of(lib).findAll().iterator().next().descriptor();
      Set<String> exports =
          d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
      for (String pkg : d.packages()) {
        exported.put(pkg, d.isAutomatic() || exports.contains(pkg));
      }
    }
    assertThat(edges).as("jdeps found the project's package dependencies").isNotEmpty();
    // The engine's API packages use no unexported package (its stages are package-private beside
    // it). An adapter's one public class necessarily calls its own internal package, so for the
    // adapters the module descriptor (checked above) is the boundary.
    for (Map.Entry<String, Set<String>> e : edges.entrySet()) {
      for (String to : e.getValue()) {
        boolean core =
            !e.getKey().matches("com\\.kontroltravel\\.oc\\.(mail|pdf|store\\.jdbc|testkit).*");
        if (core && Boolean.TRUE.equals(exported.get(e.getKey()))) {
          assertThat(exported.get(to))
              .as("API package %s depends on %s", e.getKey(), to)
              .isNotEqualTo(Boolean.FALSE);
        }
      }
    }
    List<String> cycle = findCycle(edges);
    assertThat(cycle).as("package cycle").isEmpty();
  }

  private static List<String> findCycle(Map<String, Set<String>> edges) {
    Map<String, Integer> state = new HashMap<>();
    List<String> stack = new ArrayList<>();
    for (String start : edges.keySet()) {
      List<String> c = visit(start, edges, state, stack);
      if (!c.isEmpty()) {
        return c;
      }
    }
    return List.of();
  }

  private static List<String> visit(
      String n, Map<String, Set<String>> edges, Map<String, Integer> state, List<String> stack) {
    Integer s = state.get(n);
    if (s != null && s == 2) {
      return List.of();
    }
    if (s != null && s == 1) {
      return new ArrayList<>(stack.subList(stack.indexOf(n), stack.size()));
    }
    state.put(n, 1);
    stack.add(n);
    for (String to : edges.getOrDefault(n, Set.of())) {
      List<String> c = visit(to, edges, state, stack);
      if (!c.isEmpty()) {
        return c;
      }
    }
    stack.remove(stack.size() - 1);
    state.put(n, 2);
    return List.of();
  }

  /**
   * Whether a package holds classes (a folder of templates is a "package" to the module system).
   */
  private static boolean hasClasses(Path lib, String pkg) {
    String folder = pkg.replace('.', '/') + "/";
    try {
      if (Files.isDirectory(lib)) {
        try (var files = Files.list(lib.resolve(folder))) {
          return files.anyMatch(f -> f.toString().endsWith(".class"));
        }
      }
      try (var jar = new java.util.jar.JarFile(lib.toFile())) {
        return jar.stream()
            .anyMatch(
                e ->
                    e.getName().startsWith(folder)
                        && e.getName().endsWith(".class")
                        && e.getName().indexOf('/', folder.length()) < 0);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private boolean isExplicit(String lib) {
    Path p = libraries.get(lib);
    return p != null && !ModuleFinder.of(p).findAll().iterator().next().descriptor().isAutomatic();
  }

  private Path writeHost(String mainClass, String source) throws IOException {
    Path src = dir.resolve("src-" + mainClass.replace('.', '-'));
    Path pkg = src.resolve("host");
    Files.createDirectories(pkg);
    Files.writeString(
        src.resolve("module-info.java"),
        "module host {\n  requires com.kontroltravel.oc;\n  requires com.kontroltravel.oc.store.jdbc;\n"
            + (isExplicit("oc-pdf-pdfbox") ? "  requires com.kontroltravel.oc.pdf.pdfbox;\n" : "")
            + "}\n");
    Files.writeString(pkg.resolve(mainClass.substring(5) + ".java"), source);
    return src;
  }

  private static String compile(Path src, Path out) throws IOException {
    JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
    List<String> args = new ArrayList<>();
    args.add("-d");
    args.add(out.toString());
    args.add("--module-path");
    args.add(
        modulePath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
    try (var files = Files.walk(src)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = javac.run(null, err, err, args.toArray(String[]::new));
    String text = err.toString(StandardCharsets.UTF_8);
    return rc == 0
        ? text.lines().filter(l -> l.contains("error")).collect(Collectors.joining("\n"))
        : text;
  }

  private static final String HOST_MAIN =
      """
      package host;

      import com.kontroltravel.oc.OcConfig;
      import com.kontroltravel.oc.OcEngine;
      import com.kontroltravel.oc.model.Agency;
      import com.kontroltravel.oc.model.FetchBatch;
      import com.kontroltravel.oc.model.MailboxCursor;
      import com.kontroltravel.oc.model.OutboundMessage;
      import com.kontroltravel.oc.model.ParseResult;
      import com.kontroltravel.oc.model.Reservation;
      import com.kontroltravel.oc.model.ReservationDetails;
      import com.kontroltravel.oc.model.SendResult;
      import com.kontroltravel.oc.spi.MailGateway;
      import com.kontroltravel.oc.store.memory.InMemoryStore;
      import java.util.List;

      public class Main {
        public static void main(String[] args) {
          MailGateway gateway =
              new MailGateway() {
                public String mailbox() {
                  return "host";
                }

                public FetchBatch fetch(MailboxCursor after, int max) {
                  return new FetchBatch(List.of(), new MailboxCursor("host", 1, 0), false);
                }

                public SendResult send(OutboundMessage m) {
                  return SendResult.sent("host");
                }
              };
          try (InMemoryStore store = InMemoryStore.create();
              OcEngine engine =
                  OcEngine.builder()
                      .config(OcConfig.builder().mailboxAddress("oc@host.example").build())
                      .store(store)
                      .mailGateway(gateway)
                      .reservationParser(bytes -> ParseResult.failed("host parses nothing"))
                      .build()) {
            engine
                .operations()
                .putAgency(Agency.requiringOc("Walvis", "oc@walvis.example"), "host");
            Reservation r =
                engine.track(
                    ReservationDetails.builder("4711").agencyName("Walvis").build(), null);
            System.out.println("tracked " + r.id() + " as " + r.state().label());
          }
        }
      }
      """;
}
