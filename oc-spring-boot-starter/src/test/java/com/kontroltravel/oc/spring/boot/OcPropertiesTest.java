package com.kontroltravel.oc.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.mail.jakarta.MailSettings;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
}
