package com.kontroltravel.oc.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.model.Agency;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, the runner's side that needs no server: log masking, unknown OC_* variables, the
 * password rules, terminal-safe output, the agencies CSV parser and the legacy import's file rule.
 * Each case is an attack the previous code let through.
 */
class TrustBoundaryUnitTest {
  @TempDir Path dir;

  // ------------------------------------------------------------------ masking

  @Test
  @DisplayName("masking hides every URL and key/value form of a password")
  void masksEveryForm() {
    Map<String, String> cases = new HashMap<>();
    cases.put("postgresql://u:pA@ssW/rd9@db.example:5432/oc", "pA@");
    cases.put("postgresql://u:pA@ssW/rd9@db.example:5432/oc ", "ssW/rd9");
    cases.put("jdbc:postgresql://db/oc?user=u&password=s3cr3t&ssl=true", "s3cr3t");
    cases.put("jdbc:postgresql://db/oc?password=abQ;cdZ", "cdZ");
    cases.put("jdbc:postgresql://db/oc?password=abQ;cdZ ", "abQ");
    cases.put("host=db password=ab;cd user=x", "cd");
    cases.put("password=\"xQ yZ\" user=z", "yZ");
    cases.put("password=\"xQ yZ\" user=z ", "xQ");
    cases.put("password='x y'", "x y");
    cases.put("{\"password\": \"qu0ted\"}", "qu0ted");
    cases.put("https://api.example/v1?token=tok123&x=1", "tok123");
    cases.put("sslpassword=kp; user=x", "kp");
    cases.put("mongodb://user:pw%40x@h1,h2/db", "pw%40x");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      String masked = Secrets.maskUrl(c.getKey());
      assertThat(masked).as(c.getKey()).doesNotContain(c.getValue()).contains("****");
    }
    // What must stay readable does.
    assertThat(Secrets.maskUrl("jdbc:postgresql://db:5432/oc?password=ab;user=x"))
        .isEqualTo("jdbc:postgresql://db:5432/oc?password=****;user=x");
    assertThat(Secrets.maskUrl("postgresql://u:p@ss/w@host/db")).endsWith("@host/db");
    assertThat(Secrets.maskUrl("jdbc:sqlite:data/oc.db")).isEqualTo("jdbc:sqlite:data/oc.db");
    assertThat(Secrets.maskUrl("imap.example.com")).isEqualTo("imap.example.com");
  }

  @Test
  @DisplayName("the described configuration shows no password in any form")
  void describeMasks() {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", "postgresql://u:p@ss/w@host/db");
    env.put("IMAP_HOST", "imap.example.com");
    env.put("IMAP_PASSWORD", "imap-pw-1");
    env.put("ADMIN_TLS_KEYSTORE_PASSWORD", "ks-pw-1");
    RunnerSettings s = RunnerSettings.load(null, env);
    String described = s.describe().toString();
    assertThat(described)
        .doesNotContain("p@ss/w")
        .doesNotContain("imap-pw-1")
        .doesNotContain("ks-pw-1")
        .contains("imap.example.com");
  }

  @Test
  @DisplayName("an unknown OC_* variable is an error naming it, never showing its value")
  void unknownOcVariable() {
    Map<String, String> env = new HashMap<>();
    env.put("OC_MAILBOX_ADRESS", "oc@x.test"); // typo
    env.put("OC_WEBHOOK_TOKEN", "tok-should-not-show");
    assertThatThrownBy(() -> RunnerSettings.load(null, env))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("OC_MAILBOX_ADRESS")
        .hasMessageContaining("OC_WEBHOOK_TOKEN")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("tok-should-not-show"));
    // Other programs' variables (no OC_ prefix) are neither read nor refused.
    RunnerSettings ok = RunnerSettings.load(null, Map.of("PATH", "/bin", "HOME", "/root"));
    assertThat(ok.describe()).doesNotContainKeys("PATH", "HOME");
  }

  // ------------------------------------------------------------------ passwords

  @Test
  @DisplayName("admin passwords: 12+ characters and not in the common-password list")
  void passwordRules() {
    assertThat(PasswordPolicy.listSize()).isGreaterThan(3000);
    for (String weak :
        List.of(
            "12345678",
            "123456789012",
            "password",
            "Password1234",
            "Password123456!",
            "qwertyuiop12",
            "iloveyou2024!",
            "abcabcabcabc",
            "aaaaaaaaaaaaaaa",
            "changeme1234",
            "11111111111111")) {
      assertThat(PasswordPolicy.problems("ops", weak)).as(weak).isNotEmpty();
    }
    assertThat(PasswordPolicy.problems("ops", "short-Pw1")).isNotEmpty();
    for (String good :
        List.of(
            "correct-horse-battery-staple",
            "outage-admin-123456789",
            "Vq8#tLm2pR9z",
            "kill-0a1b2c3d")) {
      assertThat(PasswordPolicy.problems("ops", good)).as(good).isEmpty();
    }
  }

  // ------------------------------------------------------------------ terminal output

  @Test
  @DisplayName("control characters never reach a terminal: ESC, CSI, OSC, BEL, CR, C1, bidi")
  void terminalSafe() {
    String evil =
        "Confirmación \u001b[2J\u001b]0;pwned\u0007 OK\r\nfake line\u009b31m \u202eTXT.exe\u0000";
    String safe = Views.terminalSafe(evil);
    assertThat(safe.chars()).noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x202e);
    assertThat(safe).startsWith("Confirmación ").contains("OK").contains("fake line");
    assertThat(Views.terminalSafe("plain ñandú")).isEqualTo("plain ñandú");
  }

  // ------------------------------------------------------------------ agencies CSV

  private static AgencyCsv.Result csv(byte[] b) {
    return AgencyCsv.parse(b, n -> Optional.empty());
  }

  @Test
  @DisplayName("a quoted newline stays inside its value: no junk agencies")
  void quotedNewline() {
    String text =
        "name,emails,aliases\n"
            + "\"Viajes Andes S.A.\",compras@andes.cl,\"ANDES\nVIAJES ANDES\"\n"
            + "Turismo Sur,oc@sur.cl,\n";
    AgencyCsv.Result r = csv(text.getBytes(StandardCharsets.UTF_8));
    assertThat(r.problems()).isEmpty();
    assertThat(r.agencies())
        .extracting(Agency::name)
        .containsExactly("Viajes Andes S.A.", "Turismo Sur");
    assertThat(r.agencies().get(0).aliases()).containsExactly("ANDES", "VIAJES ANDES");
    // The legacy format too: a quoted name with a comma and a quoted line break in a comment-free
    // file gives one agency per record, and a name with a line break is refused with its line.
    AgencyCsv.Result legacy =
        csv(
            ("\"Viajes, Andes\",compras@andes.cl\n\"Bad\nName\",x@y.cl\nTurismo Sur,oc@sur.cl\n")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(legacy.agencies())
        .extracting(Agency::name)
        .containsExactly("Viajes, Andes", "Turismo Sur");
    assertThat(legacy.problems()).singleElement().asString().startsWith("line 2:");
  }

  @Test
  @DisplayName("UTF-8 with a BOM, and Windows-1252 (Agencia Ñandú), both read right")
  void encodings() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] utf8 = "name,emails\nAgencia Ñandú,oc@nandu.cl\n".getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[bom.length + utf8.length];
    System.arraycopy(bom, 0, withBom, 0, 3);
    System.arraycopy(utf8, 0, withBom, 3, utf8.length);
    AgencyCsv.Result r = csv(withBom);
    assertThat(r.format()).isEqualTo("rich");
    assertThat(r.agencies()).extracting(Agency::name).containsExactly("Agencia Ñandú");

    byte[] cp1252 =
        "# CLIENTES QUE REQUIEREN OC\nAgencia Ñandú,oc@nandu.cl\nViajes Peñalolén,oc@pena.cl\n"
            .getBytes(Charset.forName("windows-1252"));
    AgencyCsv.Result l = csv(cp1252);
    assertThat(l.problems()).isEmpty();
    assertThat(l.agencies())
        .extracting(Agency::name)
        .containsExactly("Agencia Ñandú", "Viajes Peñalolén");
  }

  @Test
  @DisplayName("each bad row is reported with the line it starts on, after multi-line records")
  void badRowsWithLineNumbers() {
    String text =
        "name,emails,requires_oc\n" // line 1
            + "\"Multi\nLine Alias Co\",ok@a.cl,yes\n" // lines 2-3 (bad: name with a break)
            + "Good One,ok@good.cl,yes\n" // line 4
            + "Bad Mail,not-an-address,yes\n" // line 5
            + "Bad Flag,ok@b.cl,maybe\n" // line 6
            + "Injected,\"a@b.cl>, <evil@x.cl\",yes\n"; // line 7
    AgencyCsv.Result r = csv(text.getBytes(StandardCharsets.UTF_8));
    assertThat(r.agencies()).extracting(Agency::name).containsExactly("Good One");
    assertThat(r.problems())
        .hasSize(4)
        .satisfiesExactly(
            p -> assertThat(p).startsWith("line 2:"),
            p -> assertThat(p).startsWith("line 5:").contains("not an email address"),
            p -> assertThat(p).startsWith("line 6:"),
            p -> assertThat(p).startsWith("line 7:"));
  }

  @Test
  @DisplayName("addresses: the importer and the API accept the same, and only addresses")
  void addresses() {
    for (String bad :
        List.of(
            "not-an-address",
            "a@b",
            "a b@c.cl",
            "<a@b.cl>",
            "a@b.cl, c@d.cl",
            "\"x\"@b.cl",
            "a@b.cl\r\nBcc: z@z.cl",
            "a@-b.cl",
            "@b.cl")) {
      assertThat(AgencyCsv.isAddress(bad)).as(bad).isFalse();
      assertThatThrownBy(() -> AgencyCsv.addresses(List.of(bad)))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(AgencyCsv.addresses(List.of("Compras.OC+x@Viajes-Andes.CL")))
        .containsExactly("compras.oc+x@viajes-andes.cl");
  }

  // ------------------------------------------------------------------ legacy files

  @Test
  @DisplayName("import-legacy reads only PDFs inside the old data folder")
  void legacyFiles() throws Exception {
    Path data = Files.createDirectories(dir.resolve("old/data"));
    Path oc = Files.createDirectories(data.resolve("ordenes_compra"));
    Files.write(oc.resolve("ok.pdf"), "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1));
    Files.writeString(oc.resolve("notes.pdf"), "root:x:0:0:root:/root:/bin/bash\n");
    Path outside = Files.writeString(dir.resolve("secret.txt"), "%PDF-1.4 but outside\n");
    Files.createSymbolicLink(oc.resolve("link.pdf"), outside);

    assertThat(LegacyImport.ocFile(data, "ordenes_compra/ok.pdf")).startsWith('%', 'P');
    assertThat(LegacyImport.ocFile(data, data.resolve("ordenes_compra/ok.pdf").toString()))
        .isNotNull();
    assertThat(LegacyImport.ocFile(data, "ordenes_compra/missing.pdf")).isNull();
    for (String refused :
        List.of(
            "/etc/passwd",
            "../../secret.txt",
            outside.toString(),
            "ordenes_compra/../../../secret.txt",
            "ordenes_compra/link.pdf",
            "ordenes_compra/notes.pdf",
            "ordenes_compra")) {
      assertThatThrownBy(() -> LegacyImport.ocFile(data, refused))
          .as(refused)
          .isInstanceOf(LegacyImport.RefusedFile.class);
    }
  }
}
