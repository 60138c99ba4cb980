package com.kontroltravel.oc.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.mail.jakarta.MailSettings;
import com.kontroltravel.oc.settings.EngineSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class OcPropertiesTest {

  @Test
  @DisplayName(
      "the configuration metadata the IDE reads names exactly the properties OcProperties reads")
  void metadataMatches() throws Exception {
    JsonNode metadata;
    try (InputStream in =
        OcProperties.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      metadata = new ObjectMapper().readTree(in);
    }
    List<String> names = new ArrayList<>();
    metadata.get("properties").forEach(p -> names.add(p.get("name").asText()));
    List<String> expected = new ArrayList<>(OcProperties.PROPERTIES.keySet());
    expected.add("oc.enabled");
    assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
    metadata
        .get("properties")
        .forEach(
            p -> {
              String variable = OcProperties.PROPERTIES.get(p.get("name").asText());
              if (variable != null) {
                assertThat(p.get("description").asText()).endsWith(variable + ".");
              }
            });
  }

  @Test
  @DisplayName(
      "properties bind from Spring's environment: relaxed names, YAML lists and comma lists, and"
          + " the runner's rules for the mailbox, TLS and the schedule")
  void binds() {
    Map<String, Object> values = new HashMap<>();
    values.put("oc.imap.host", "imap.example.com");
    values.put("oc.imap.username", "reservas@kontroltravel.com");
    values.put("oc.imap.password", "pa, ss");
    values.put("oc.smtp.host", "smtp.example.com");
    values.put("oc.smtp.port", "587");
    values.put("oc.allowed-confirmation-senders[0]", "sistema@kontrol.cl");
    values.put("oc.allowed-confirmation-senders[1]", "kontrol.cl");
    values.put("oc.email-cc-recipients", "a@k.cl, b@k.cl");
    values.put("oc.nodeId", "n1");
    values.put("oc.days-for-reminder-1", "3");
    values.put("oc.imap.processedFolder", "Procesados");
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new MapPropertySource("test", values));
    OcProperties p = OcProperties.from(env);
    OcConfig config = p.ocConfig();
    assertThat(config.mailboxAddress()).isEqualTo("reservas@kontroltravel.com");
    assertThat(config.nodeId()).isEqualTo("n1");
    assertThat(config.ccRecipients()).containsExactly("a@k.cl", "b@k.cl");
    assertThat(p.get("oc.allowed-confirmation-senders")).isEqualTo("sistema@kontrol.cl,kontrol.cl");
    MailSettings mail = p.mailSettings();
    assertThat(mail.imapSecurity()).isEqualTo(MailSettings.Security.IMPLICIT_TLS);
    assertThat(mail.smtpSecurity()).isEqualTo(MailSettings.Security.STARTTLS);
    assertThat(mail.smtpUsername()).isEqualTo("reservas@kontroltravel.com");
    assertThat(mail.postRecordAction()).isEqualTo(MailSettings.PostRecordAction.MOVE);
    assertThat(mail.moveToFolder()).isEqualTo("Procesados");
    assertThat(p.get("oc.imap.password")).as("a scalar is never split").isEqualTo("pa, ss");
    assertThat(p.toString()).doesNotContain("pa, ss").contains("oc.imap.password=****");
    assertThat(p.schedule().toString()).isNotEmpty();
  }

  @Test
  @DisplayName("every missing or invalid property is reported at once")
  void reportsEveryProblem() {
    OcProperties p =
        OcProperties.of(Map.of("oc.imap.port", "x", "oc.imap.security", "tls", "oc.node-id", "n"));
    assertThatThrownBy(p::mailSettings)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("oc.imap.host is missing")
        .hasMessageContaining("oc.smtp.host is missing")
        .hasMessageContaining("oc.imap.port must be a whole number")
        .hasMessageContaining("oc.imap.security must be one of");
    assertThatThrownBy(p::ocConfig)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("oc.mailbox-address");
  }

  /** The runner's README, whose settings table lists every variable the runner reads. */
  static final Path RUNNER_README = Path.of("../oc-examples/README.md");

  static final String HEADER = "| variable | default | meaning |";
  static final Pattern NAME = Pattern.compile("`([A-Z][A-Z0-9_]+)`");

  /**
   * Runner variables without an {@code oc.*} property, each with the reason. Keep this list short
   * and true: a variable leaves it when the starter learns to read it.
   */
  static final Map<String, String> NOT_PROPERTIES = notProperties();

  static Map<String, String> notProperties() {
    Map<String, String> m = new LinkedHashMap<>();
    String adminWeb =
        "runner only: the runner's admin web; a Spring application serves its own endpoints over"
            + " engine.operations()";
    for (String v :
        List.of(
            "ADMIN_USERNAME",
            "ADMIN_PASSWORD",
            "WEB_HOST",
            "WEB_PORT",
            "ADMIN_TLS_KEYSTORE",
            "ADMIN_TLS_KEYSTORE_PASSWORD",
            "WEB_ALLOW_INSECURE")) {
      m.put(v, adminWeb);
    }
    String logging = "runner only: the runner's logging; Spring Boot's logging.* configures it";
    m.put("OC_LOG_FORMAT", logging);
    m.put("OC_LOG_LEVEL", logging);
    m.put(
        "SMTP_USE_TLS",
        "the old .env's switch; oc.smtp.security says it (STARTTLS by default, IMPLICIT_TLS,"
            + " PLAINTEXT)");
    String signIn =
        "not yet: the starter's gateway signs in with a password; for OAuth2 declare a MailGateway"
            + " bean";
    for (String v :
        List.of(
            "IMAP_AUTH",
            "SMTP_AUTH",
            "GOOGLE_CLIENT_ID",
            "GOOGLE_CLIENT_SECRET",
            "GOOGLE_REFRESH_TOKEN",
            "GOOGLE_SERVICE_ACCOUNT_FILE",
            "OC_OAUTH_TOKEN_URL")) {
      m.put(v, signIn);
    }
    String graph =
        "not yet: the starter's gateway is Jakarta Mail; for Microsoft Graph declare a MailGateway"
            + " bean (oc-mail-graph)";
    for (String v :
        List.of(
            "USE_GRAPH_API",
            "GRAPH_MAILBOX_EMAIL",
            "AZURE_TENANT_ID",
            "AZURE_CLIENT_ID",
            "AZURE_CLIENT_SECRET",
            "OC_GRAPH_BASE_URL",
            "OC_GRAPH_TOKEN_URL")) {
      m.put(v, graph);
    }
    String inbox = "not yet: the second OC-replies mailbox; add it to an OcEngine bean of your own";
    for (String v :
        List.of(
            "OC_INBOX_HOST",
            "OC_INBOX_PORT",
            "OC_INBOX_USERNAME",
            "OC_INBOX_PASSWORD",
            "OC_INBOX_MAILBOX",
            "OC_INBOX_USE_SSL",
            "OC_INBOX_SECURITY",
            "OC_INBOX_PROCESSED_FOLDER",
            "OC_INBOX_GRAPH_MAILBOX",
            "OC_CHECK_INTERVAL")) {
      m.put(v, inbox);
    }
    return m;
  }

  /** The variables in the first column of the runner README's settings table. */
  static List<String> runnerTable() throws IOException {
    List<String> lines = Files.readAllLines(RUNNER_README, StandardCharsets.UTF_8);
    int start = lines.indexOf(HEADER);
    assertThat(start).as("the settings table %s in %s", HEADER, RUNNER_README).isNotNegative();
    List<String> names = new ArrayList<>();
    for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String first = lines.get(i).split("\\|", -1)[1].trim();
      if (first.startsWith("**")) {
        continue; // a group row
      }
      Matcher m = NAME.matcher(first);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    assertThat(names).as("variables in %s", RUNNER_README).hasSizeGreaterThan(50);
    return names;
  }

  @Test
  @DisplayName(
      "every runner setting that is not runner-only has an oc.* property, and every property is a"
          + " runner setting")
  void everyRunnerSettingHasAProperty() throws IOException {
    Set<String> table = new TreeSet<>(runnerTable());
    Set<String> read = new TreeSet<>(OcProperties.PROPERTIES.values());
    Set<String> missing = new TreeSet<>(table);
    missing.removeAll(read);
    missing.removeAll(NOT_PROPERTIES.keySet());
    assertThat(missing).as("runner settings without an oc.* property or a reason").isEmpty();
    Set<String> notRunner = new TreeSet<>(read);
    notRunner.removeAll(table);
    assertThat(notRunner).as("oc.* properties that stand for no runner setting").isEmpty();
    Set<String> stale = new TreeSet<>(NOT_PROPERTIES.keySet());
    stale.removeAll(table);
    assertThat(stale).as("exclusions that are not runner settings").isEmpty();
    Set<String> both = new TreeSet<>(NOT_PROPERTIES.keySet());
    both.retainAll(read);
    assertThat(both).as("excluded, yet read").isEmpty();
    OcProperties.PROPERTIES.forEach(
        (property, variable) ->
            assertThat(property).isEqualTo(OcProperties.propertyName(variable)));
    assertThat(OcProperties.PROPERTIES.values())
        .as("every engine setting")
        .containsAll(EngineSettings.VARIABLES);
  }

  @Test
  @DisplayName("property names follow one rule from the runner's variable names")
  void propertyNames() {
    assertThat(OcProperties.propertyName("OC_SCHEDULE")).isEqualTo("oc.schedule");
    assertThat(OcProperties.propertyName("OC_MAX_SEND_ATTEMPTS")).isEqualTo("oc.max-send-attempts");
    assertThat(OcProperties.propertyName("IMAP_START_FROM")).isEqualTo("oc.imap.start-from");
    assertThat(OcProperties.propertyName("OC_SMTP_SESSIONS")).isEqualTo("oc.smtp.sessions");
    assertThat(OcProperties.propertyName("SMTP_FROM_EMAIL")).isEqualTo("oc.smtp.from-email");
    assertThat(OcProperties.propertyName("DATABASE_URL")).isEqualTo("oc.database.url");
    assertThat(OcProperties.propertyName("DAYS_FOR_REMINDER_1"))
        .isEqualTo("oc.days-for-reminder-1");
    assertThat(OcProperties.propertyName("OC_NODE_ID")).isEqualTo("oc.node-id");
  }
}
