package com.kontroltravel.oc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's embedding example compiles as written, against the built artifacts. */
class ReadmeExampleTest {
  @TempDir Path dir;

  @Test
  @DisplayName("the README's Example section compiles with javac against the library")
  void readmeExampleCompiles() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("## Example\\s+```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertThat(m.find()).as("README has an Example section with a java block").isTrue();
    String body = m.group(1);
    String source =
        """
        import com.kontroltravel.oc.OcConfig;
        import com.kontroltravel.oc.OcEngine;
        import com.kontroltravel.oc.mail.jakarta.Credentials;
        import com.kontroltravel.oc.mail.jakarta.JakartaMailGateway;
        import com.kontroltravel.oc.mail.jakarta.MailSettings;
        import com.kontroltravel.oc.model.Agency;
        import com.kontroltravel.oc.pdf.pdfbox.PdfBoxReservationParser;
        import com.kontroltravel.oc.store.jdbc.JdbcStore;
        import java.nio.file.Path;
        import java.util.List;

        class Example {
          void run() throws Exception {
        """
            + body
            + "\n  }\n}\n";
    Path file = dir.resolve("Example.java");
    Files.writeString(file, source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        javac.run(
            null,
            err,
            err,
            "-d",
            dir.resolve("out").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            file.toString());
    assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
  }
}
