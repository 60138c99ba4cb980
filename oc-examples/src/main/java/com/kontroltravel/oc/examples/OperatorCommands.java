package com.kontroltravel.oc.examples;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kontroltravel.oc.InboundDetail;
import com.kontroltravel.oc.OcOperations;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.Reservation;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The operator's commands over the inbound log and the review queue, and the booking actions the
 * engine has beyond receive/cancel/resend: {@code inbound}, {@code inbound-show}, {@code
 * reprocess}, {@code review list|assign|dismiss}, {@code pause}, {@code resume}, {@code search}.
 * Like the other admin commands they work on the store; what they queue is sent by the service.
 */
final class OperatorCommands {
  private OperatorCommands() {}

  static String outcomeNames() {
    return String.join(
        ", ", java.util.Arrays.stream(InboundOutcome.values()).map(Enum::name).toList());
  }

  static InboundOutcome outcome(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return InboundOutcome.valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown outcome " + s + "; one of " + outcomeNames());
    }
  }

  /** An instant, a date (its start in the calendar's zone is close enough: UTC) or a day count. */
  static Instant since(String s, Instant now) {
    if (s == null || s.isBlank()) {
      return null;
    }
    String t = s.trim();
    if (t.matches("\\d{1,4}d?")) {
      return now.minus(java.time.Duration.ofDays(Long.parseLong(t.replace("d", ""))));
    }
    try {
      return t.length() == 10
          ? LocalDate.parse(t).atStartOfDay().toInstant(java.time.ZoneOffset.UTC)
          : Instant.parse(t);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--since takes a date (2026-11-01), an instant (2026-11-01T12:00:00Z) or days (7d): "
              + s);
    }
  }

  static void printInbound(PrintWriter out, List<InboundRecord> records) {
    out.printf(
        "%-20s %-14s %-30s %-10s %s%n", "RECORDED", "OUTCOME", "FROM", "BOOKING", "REASON / KEY");
    for (InboundRecord r : records) {
      out.printf(
          "%-20s %-14s %-30s %-10s %s%n",
          r.recordedAt().toString().substring(0, Math.min(19, r.recordedAt().toString().length())),
          r.outcome(),
          Views.terminalSafe(Runner.cut(r.from(), 30)),
          r.reservationId() == null ? "-" : Views.terminalSafe(r.reservationId()),
          Views.terminalSafe(Runner.cut(r.reason(), 90)));
      out.printf("%-20s %-14s key %s%n", "", "", Views.terminalSafe(r.key()));
    }
    out.println(records.size() + " message(s)");
  }

  @Command(
      name = "inbound",
      mixinStandardHelpOptions = true,
      description =
          "Lists the inbound log: every message read, what became of it and why, newest first.")
  static final class Inbound extends Runner.Admin {
    @Option(
        names = "--outcome",
        paramLabel = "O",
        description =
            "Only this outcome: CONFIRMATION, PURCHASE_ORDER, REVIEW, IGNORED, QUARANTINED or"
                + " RETRYING.")
    String outcome;

    @Option(
        names = "--since",
        paramLabel = "D",
        description = "Only messages recorded since: a date, an instant or a number of days (7d).")
    String since;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many (1-1000).")
    int limit;

    @Option(names = "--json", description = "JSON output.")
    boolean json;

    @Override
    int call(OcOperations ops, PrintWriter out) {
      List<InboundRecord> records =
          ops.inbound(outcome(outcome), since(since, root.clock.instant()), limit);
      if (json) {
        ArrayNode a = Views.JSON.createArrayNode();
        records.forEach(r -> a.add(Views.inbound(r)));
        out.println(Views.write(a, true));
      } else {
        printInbound(out, records);
      }
      return 0;
    }
  }

  @Command(
      name = "inbound-show",
      mixinStandardHelpOptions = true,
      description =
          "Shows one inbound message: the record and the copy kept of a quarantined, ignored,"
              + " reviewed or retrying message (headers, text, attachments).")
  static final class InboundShow extends Runner.Admin {
    @Parameters(
        index = "0",
        paramLabel = "KEY",
        description = "The message's key (its Message-ID).")
    String key;

    @Option(names = "--json", description = "JSON output.")
    boolean json;

    @Override
    int call(OcOperations ops, PrintWriter out) {
      InboundDetail d = ops.inboundMessage(key).orElse(null);
      if (d == null) {
        spec.commandLine().getErr().println("no inbound message " + Views.terminalSafe(key));
        return 1;
      }
      ObjectNode o = Views.inbound(d.record());
      o.put("canReprocess", d.canReprocess());
      d.message().ifPresent(m -> o.set("kept", kept(m)));
      ArrayNode left = o.putArray("leftOut");
      d.leftOut().forEach(left::add);
      if (json) {
        out.println(Views.write(o, true));
        return 0;
      }
      Views.terminalSafe(o)
          .fields()
          .forEachRemaining(
              e -> {
                if (!e.getValue().isContainerNode()) {
                  out.printf(
                      "%-16s %s%n",
                      e.getKey(), e.getValue().isNull() ? "-" : e.getValue().asText());
                }
              });
      if (d.message().isEmpty()) {
        out.println("(no copy kept)");
        return 0;
      }
      InboundMessage m = d.message().get();
      out.println();
      out.println("kept copy:");
      out.printf("  %-12s %s%n", "from", Views.terminalSafe(m.from()));
      out.printf("  %-12s %s%n", "subject", Views.terminalSafe(m.subject()));
      out.printf("  %-12s %s%n", "date", m.date());
      out.printf(
          "  %-12s %s%n", "in-reply-to", Views.terminalSafe(String.join(" ", m.inReplyTo())));
      out.printf("  %-12s %s%n", "verified", m.authenticated() ? "yes" : "no");
      for (Attachment a : m.attachments()) {
        out.printf(
            "  %-12s %s (%s, %d bytes)%n",
            "attachment",
            Views.terminalSafe(a.fileName()),
            Views.terminalSafe(a.contentType()),
            a.size());
      }
      d.leftOut().forEach(x -> out.printf("  %-12s %s%n", "left out", Views.terminalSafe(x)));
      out.println("  text:");
      String text =
          m.textBody().length() > 2000 ? m.textBody().substring(0, 2000) + " …" : m.textBody();
      for (String line : text.split("\r?\n", -1)) {
        out.println("    " + Views.terminalSafe(line));
      }
      return 0;
    }

    static ObjectNode kept(InboundMessage m) {
      ObjectNode k = Views.JSON.createObjectNode();
      k.put("from", m.from());
      k.put("subject", m.subject());
      k.put("date", Views.str(m.date()));
      k.put("verified", m.authenticated());
      k.put("text", m.textBody());
      ArrayNode atts = k.putArray("attachments");
      for (Attachment a : m.attachments()) {
        atts.addObject()
            .put("name", a.fileName())
            .put("contentType", a.contentType())
            .put("size", a.size());
      }
      return k;
    }
  }

  @Command(
      name = "reprocess",
      mixinStandardHelpOptions = true,
      description =
          "Runs the kept copy of a quarantined, ignored, reviewed or retrying message through the"
              + " engine again (after a fix) and records the new outcome beside the old one.")
  static final class Reprocess extends Runner.Admin {
    @Override
    boolean queuesMail() {
      return true;
    }

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Option(names = "--by", required = true, paramLabel = "USER", description = "The operator.")
    String by;

    @Override
    int call(OcOperations ops, PrintWriter out) {
      InboundRecord r = ops.reprocess(key, by);
      out.println(r.outcome() + ": " + Views.terminalSafe(r.reason()));
      return 0;
    }
  }

  @Command(
      name = "review",
      mixinStandardHelpOptions = true,
      description = "The review queue: list, assign a message's OC to a booking, or dismiss it.",
      subcommands = {Review.ReviewList.class, Review.Assign.class, Review.Dismiss.class})
  static final class Review implements Runnable {
    @picocli.CommandLine.ParentCommand Runner root;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A review subcommand: operations over the store, with the runner two levels up. */
    abstract static class Sub implements java.util.concurrent.Callable<Integer> {
      @picocli.CommandLine.ParentCommand Review review;
      @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

      @Override
      public Integer call() throws Exception {
        Runner root = review.root;
        try (AdminSession admin = AdminSession.open(root.settings(), root.clock, queuesMail())) {
          int rc = call(admin.operations(), spec.commandLine().getOut());
          spec.commandLine().getOut().flush();
          return rc;
        }
      }

      boolean queuesMail() {
        return false;
      }

      abstract int call(OcOperations ops, PrintWriter out);
    }

    @Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "Lists the review queue.")
    static final class ReviewList extends Sub {
      @Option(names = "--json", description = "JSON output.")
      boolean json;

      @Override
      int call(OcOperations ops, PrintWriter out) {
        List<InboundRecord> q = ops.reviewQueue();
        if (json) {
          ArrayNode a = Views.JSON.createArrayNode();
          q.forEach(r -> a.add(Views.inbound(r)));
          out.println(Views.write(a, true));
        } else {
          printInbound(out, q);
        }
        return 0;
      }
    }

    @Command(
        name = "assign",
        mixinStandardHelpOptions = true,
        description =
            "Files the message's document as the OC of a booking (the booking is received).")
    static final class Assign extends Sub {
      @Override
      boolean queuesMail() {
        return true;
      }

      @Parameters(index = "0", paramLabel = "KEY")
      String key;

      @Option(names = "--booking", required = true, paramLabel = "ID")
      String booking;

      @Option(names = "--by", required = true, paramLabel = "USER")
      String by;

      @Override
      int call(OcOperations ops, PrintWriter out) {
        Reservation r = ops.assignPurchaseOrder(key, booking, by);
        out.println("booking " + r.id() + " is now " + r.state().label());
        return 0;
      }
    }

    @Command(
        name = "dismiss",
        mixinStandardHelpOptions = true,
        description =
            "Takes the message out of the review queue without filing it (kept as ignored).")
    static final class Dismiss extends Sub {
      @Parameters(index = "0", paramLabel = "KEY")
      String key;

      @Option(names = "--by", required = true, paramLabel = "USER")
      String by;

      @Option(names = "--reason", description = "Why (kept with the message).")
      String reason;

      @Override
      int call(OcOperations ops, PrintWriter out) {
        InboundRecord r = ops.dismissReview(key, reason, by);
        out.println(r.outcome() + ": " + Views.terminalSafe(r.reason()));
        return 0;
      }
    }
  }

  /** A booking action by an operator: the booking id and who acts. */
  abstract static class BookingAction extends Runner.Admin {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--by", required = true, paramLabel = "USER")
    String by;

    @Override
    int call(OcOperations ops, PrintWriter out) {
      out.println(act(ops));
      return 0;
    }

    abstract String act(OcOperations ops);
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Pauses the chase of a booking (no reminders until resumed).")
  static final class Pause extends BookingAction {
    @Override
    String act(OcOperations ops) {
      Reservation r = ops.pause(id, by);
      return "booking " + r.id() + " paused (" + r.state().label() + ")";
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Resumes the chase of a booking and clears its attention flag.")
  static final class Resume extends BookingAction {
    @Override
    String act(OcOperations ops) {
      Reservation r = ops.resume(id, by);
      return "booking " + r.id() + " resumed (" + r.state().label() + ")";
    }
  }

  @Command(
      name = "search",
      mixinStandardHelpOptions = true,
      description = "Finds bookings by id, LOC interno or localizador.")
  static final class Search extends Runner.Admin {
    @Parameters(index = "0", paramLabel = "REFERENCE")
    String reference;

    @Option(names = "--json", description = "JSON output.")
    boolean json;

    @Override
    int call(OcOperations ops, PrintWriter out) {
      List<Reservation> found = ops.find(reference);
      if (json) {
        ArrayNode a = Views.JSON.createArrayNode();
        found.forEach(r -> a.add(Views.reservation(r)));
        out.println(Views.write(a, true));
        return 0;
      }
      for (Reservation r : found) {
        out.printf(
            "%-12s %-15s %-12s %-10s %s%n",
            Views.terminalSafe(r.id()),
            r.state().label(),
            Views.terminalSafe(Views.str(r.details().internalLocator())),
            Views.terminalSafe(Views.str(r.details().locator())),
            Views.terminalSafe(r.details().agencyName()));
      }
      out.println(found.size() + " booking(s)");
      return found.isEmpty() ? 1 : 0;
    }
  }
}
