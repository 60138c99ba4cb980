package com.kontroltravel.oc.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.mail.jakarta.Credentials;
import com.kontroltravel.oc.mail.jakarta.JakartaMailGateway;
import com.kontroltravel.oc.mail.jakarta.MailSettings;
import com.kontroltravel.oc.model.FetchBatch;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.MailboxCursor;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The gateway's batch move against Dovecot from Debian's packages (not a server this project
 * wrote): {@code oc-bench/mailstack/up.sh} starts it, {@code .ci/run} does so and sets {@code
 * OC_TEST_MAILSTACK}. Without it the test is skipped, and says so.
 */
class DovecotMoveTest {
  static final String HOST = "127.0.0.1";
  static final int IMAPS = 10993;
  static final String USER = "seguimiento@kontrol.test";
  static final String PASSWORD = "secret";
  static final String PROCESSED = "Procesados";

  static Store connect() throws MessagingException {
    Properties p = new Properties();
    p.setProperty("mail.imaps.ssl.trust", HOST);
    p.setProperty("mail.imaps.connectiontimeout", "10000");
    p.setProperty("mail.imaps.timeout", "20000");
    Store s = Session.getInstance(p).getStore("imaps");
    s.connect(HOST, IMAPS, USER, PASSWORD);
    return s;
  }

  /** Messages in {@code folder} (0 when it does not exist), read by a client of its own. */
  static int count(Store s, String folder) throws MessagingException {
    Folder f = s.getFolder(folder);
    return f.exists() ? f.getMessageCount() : 0;
  }

  static List<String> messageIds(Store s, String folder) throws MessagingException {
    Folder f = s.getFolder(folder);
    f.open(Folder.READ_ONLY);
    try {
      List<String> ids = new ArrayList<>();
      for (Message m : f.getMessages()) {
        ids.add(((MimeMessage) m).getMessageID());
      }
      return ids;
    } finally {
      f.close(false);
    }
  }

  static void empty(Store s, String folder) throws MessagingException {
    Folder f = s.getFolder(folder);
    if (!f.exists()) {
      return;
    }
    f.open(Folder.READ_WRITE);
    if (f.getMessageCount() > 0) {
      f.setFlags(1, f.getMessageCount(), new Flags(Flags.Flag.DELETED), true);
    }
    f.close(true);
    if (!folder.equalsIgnoreCase("INBOX")) {
      f.delete(false);
    }
  }

  @Test
  @DisplayName(
      "against Dovecot: two fetch batches moved with one MOVE each, the stale position skipped,"
          + " nothing lost, nothing left behind, and a repeated mark harmless")
  void batchMoveOnDovecot() throws Exception {
    String state = System.getenv("OC_TEST_MAILSTACK");
    if (state == null) {
      System.err.println(
          "DovecotMoveTest: OC_TEST_MAILSTACK is not set (oc-bench/mailstack/up.sh, as .ci/run"
              + " does); SKIPPING the test against Dovecot");
    }
    Assumptions.assumeTrue(state != null, "OC_TEST_MAILSTACK is not set");

    Session session = Session.getInstance(new Properties());
    List<String> sent = new ArrayList<>();
    try (Store client = connect()) {
      empty(client, "INBOX");
      empty(client, PROCESSED);
      Folder inbox = client.getFolder("INBOX");
      List<Message> mail = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("reservas@hotelsales.test"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(USER));
        m.setSubject("Confirmación " + (47_000_000 + i), "UTF-8");
        m.setText("Reserva " + i, "UTF-8");
        m.saveChanges();
        m.setHeader("Message-ID", "<dovecot-move-" + i + "@kontrol.test>");
        sent.add("<dovecot-move-" + i + "@kontrol.test>");
        mail.add(m);
      }
      inbox.appendMessages(mail.toArray(new Message[0]));
      assertThat(count(client, "INBOX")).isEqualTo(60);
    }

    MailSettings settings =
        MailSettings.builder()
            .imap(HOST, IMAPS, MailSettings.Security.IMPLICIT_TLS)
            .imapLogin(USER, Credentials.password(PASSWORD))
            .smtp(HOST, 10587, MailSettings.Security.STARTTLS)
            .smtpLogin(USER, Credentials.password(PASSWORD))
            .from(USER, "Seguimiento")
            .testOnlyTrustedHosts(List.of(HOST))
            .moveProcessedTo(PROCESSED)
            .build();
    try (JakartaMailGateway gateway = JakartaMailGateway.create(settings)) {
      FetchBatch first = gateway.fetch(null, 50);
      assertThat(first.messages()).hasSize(50);
      assertThat(first.hasMore()).isTrue();
      List<InboundMessage> batch = new ArrayList<>(first.messages());
      MailboxCursor p = first.messages().get(0).position();
      batch.add(
          InboundMessage.builder()
              .messageId("stale@x")
              .position(new MailboxCursor(p.mailbox(), p.uidValidity() + 1, p.uid() + 55))
              .build());
      gateway.markAllProcessed(batch);

      FetchBatch second = gateway.fetch(first.cursor(), 50);
      assertThat(second.messages()).hasSize(10);
      assertThat(second.hasMore()).isFalse();
      try (Store client = connect()) {
        assertThat(count(client, PROCESSED)).isEqualTo(50);
        assertThat(messageIds(client, "INBOX")).isEqualTo(sent.subList(50, 60));
      }
      gateway.markAllProcessed(second.messages());
      gateway.markAllProcessed(second.messages());
      assertThat(gateway.fetch(second.cursor(), 50).messages()).isEmpty();
    }
    try (Store client = connect()) {
      assertThat(count(client, "INBOX")).isZero();
      assertThat(messageIds(client, PROCESSED)).isEqualTo(sent);
      empty(client, PROCESSED);
    }
  }
}
