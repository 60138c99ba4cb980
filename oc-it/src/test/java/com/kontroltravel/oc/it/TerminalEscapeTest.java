package com.kontroltravel.oc.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.examples.ItRunnerAccess;
import com.kontroltravel.oc.examples.Runner;
import com.kontroltravel.oc.testkit.SettableClock;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 11: an agency reply whose subject carries terminal escape sequences (ESC [2J clears the
 * screen, ESC ] 0; retitles the window, C1 CSI {@code \u009b} does the same in one byte, a bare CR
 * overwrites the line) must reach neither the stored timeline nor the text {@code show} prints.
 *
 * <p>Disabled until the engine side lands: the engine stores the reply's subject in the attention
 * reason and the timeline through {@code Classifier} ("The agency replied without attaching an OC
 * document: " + subject, not cleaned), and {@code Headers.clean} strips only ASCII controls ({@code
 * \p{Cntrl}}), not C1; {@code Runner.Show} prints stored text as is (it should go through {@code
 * Views.terminalSafe}). Run with the annotation removed, it fails on the current code.
 */
class TerminalEscapeTest {
  static final ZoneId ZONE = ZoneId.of("America/Santiago");
  static final String MAILBOX = "oc@kontroltravel.test";
  static final String BOOKING = "reservas@booking.test";
  static final String AGENCY_MAIL = "compras@andes.test";
  static final String EVIL =
      "Re: OC \u001b[2J\u001b]0;pwned\u0007 pendiente\r\u009b31m listo \u001b[8m oculto";

  @TempDir Path dir;

  record Run(int rc, String out, String err) {}

  static Run command(Map<String, String> env, SettableClock clock, String... args) {
    Runner r = ItRunnerAccess.runner(env, clock);
    CommandLine cl = ItRunnerAccess.commandLine(r);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int rc = cl.execute(args);
    return new Run(rc, out.toString(), err.toString());
  }

  static boolean hasControl(String s) {
    return s.chars().anyMatch(c -> (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f));
  }

  @Test
  @DisplayName("escape sequences in a reply's subject are stored and shown stripped")
  void escapeSequencesNeverReachTheTerminal() throws Exception {
    SettableClock clock =
        SettableClock.at(ZonedDateTime.of(2025, 12, 1, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
    try (ItMail mail = ItMail.start(MAILBOX)) {
      Map<String, String> env = new HashMap<>(mail.env());
      env.put("OC_MAILBOX_ADDRESS", MAILBOX);
      env.put("ALLOWED_CONFIRMATION_SENDERS", BOOKING);
      env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("oc.db"));
      Path csv = Files.writeString(dir.resolve("a.csv"), "VIAJES ANDES S.A.," + AGENCY_MAIL + "\n");
      assertThat(command(env, clock, "agencies", "import", csv.toString()).rc()).isZero();
      mail.deliverRaw(
          BOOKING,
          mail.message(
              "conf-45300001@booking.test",
              BOOKING,
              "Confirmación de reserva 45300001",
              "Adjunto",
              clock.instant(),
              null,
              Map.of(),
              List.of(
                  ItMail.Attachment.pdf(
                      "r.pdf", HostilePdfs.confirmation("45300001", "VIAJES ANDES S.A.")))));
      for (int i = 0; i < 5 && mail.inboxOf(AGENCY_MAIL).isEmpty(); i++) {
        command(env, clock, "process-now");
      }
      List<MimeMessage> sent = mail.inboxOf(AGENCY_MAIL);
      assertThat(sent).as("the request went out").isNotEmpty();
      mail.deliverRaw(
          AGENCY_MAIL,
          mail.message(
              "reply-1@andes.test",
              AGENCY_MAIL,
              EVIL,
              "Les enviamos la OC pronto",
              clock.instant(),
              ItMail.messageId(sent.get(0)),
              Map.of(),
              List.of()));
      command(env, clock, "process-now");

      Run show = command(env, clock, "show", "45300001");
      assertThat(show.rc()).as(show.err()).isZero();
      System.out.println(show.out().replace("\u001b", "<ESC>").replace("\u009b", "<CSI>"));
      assertThat(show.out()).contains("pendiente"); // the reply reached the booking
      assertThat(hasControl(show.out())).as("control characters in show's output").isFalse();
      Run json = command(env, clock, "show", "45300001", "--json");
      assertThat(json.out()).doesNotContain("\\u001B").doesNotContain("\\u009B");
    }
  }
}
