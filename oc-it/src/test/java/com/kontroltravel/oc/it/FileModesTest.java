package com.kontroltravel.oc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: the SQLite database holds every document, so the data folder must be {@code 0700} and
 * the database, its WAL and SHM files and every mirrored document {@code 0600}, whatever the umask.
 * The store runs in a child JVM started with {@code umask 000} (which made them world readable and
 * writable before).
 */
class FileModesTest {
  @TempDir Path dir;

  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  @DisplayName("under umask 000: data folder 0700; database, WAL, SHM and mirrored PDFs 0600")
  void privateFilesWhateverTheUmask() throws Exception {
    Path data = dir.resolve("deploy/data");
    Path db = data.resolve("oc_seguimiento.db");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cmd =
        "umask 000; exec '"
            + java
            + "' -Xmx256m -Djava.io.tmpdir='"
            + System.getProperty("java.io.tmpdir")
            + "' -cp '"
            + System.getProperty("java.class.path")
            + "' "
            + FileModesMain.class.getName()
            + " '"
            + db
            + "'";
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("OC_"));
    Process p = pb.start();
    List<String> output = new ArrayList<>();
    try {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      String line;
      while ((line = in.readLine()) != null && !line.equals("READY")) {
        output.add(line);
        assertThat(System.nanoTime()).as("child ready in time").isLessThan(deadline);
      }
      assertThat(line).as("child output: " + String.join("\n", output)).isEqualTo("READY");

      // Proof that the umask really was 000: a file the child did not tighten.
      assertThat(mode(data)).as("data folder").isEqualTo("rwx------");
      assertThat(mode(dir.resolve("deploy"))).as("created parent").isEqualTo("rwx------");
      assertThat(mode(db)).as("database").isEqualTo("rw-------");
      Path wal = data.resolve("oc_seguimiento.db-wal");
      Path shm = data.resolve("oc_seguimiento.db-shm");
      assertThat(wal).exists();
      assertThat(shm).exists();
      assertThat(mode(wal)).as("WAL").isEqualTo("rw-------");
      assertThat(mode(shm)).as("SHM").isEqualTo("rw-------");
      List<Path> mirrored;
      try (Stream<Path> files = Files.walk(data)) {
        mirrored = files.filter(f -> f.toString().endsWith(".pdf")).toList();
      }
      assertThat(mirrored).as("confirmation and OC mirrored").hasSizeGreaterThanOrEqualTo(2);
      for (Path f : mirrored) {
        assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
        assertThat(mode(f.getParent())).as(f.getParent().toString()).isEqualTo("rwx------");
      }
    } finally {
      p.getOutputStream().write('\n');
      p.getOutputStream().flush();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  @DisplayName("the umask really is inherited: a file made by sh under umask 000 is 0666")
  void umaskControl() throws Exception {
    Path f = dir.resolve("control");
    Process p = new ProcessBuilder("sh", "-c", "umask 000; : > '" + f + "'").start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(mode(f)).isEqualTo("rw-rw-rw-");
  }
}
