package com.kontroltravel.oc.examples;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.kontroltravel.oc.OcOperations;
import com.kontroltravel.oc.Statistics;
import com.kontroltravel.oc.TickReport;
import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.exception.OcException;
import com.kontroltravel.oc.model.Agency;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.OutboxMessage;
import com.kontroltravel.oc.model.Page;
import com.kontroltravel.oc.model.ParseResult;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationQuery;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.pdf.pdfbox.ParseResultJson;
import com.kontroltravel.oc.pdf.pdfbox.PdfBoxReservationParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The runner: {@code java -jar oc-runner.jar <command>}. {@code demo} shows the engine at work on
 * embedded defaults; {@code run} is the production service with its admin web page; the other
 * commands inspect and operate the configured store, parse PDFs and check mail settings.
 */
@Command(
    name = "oc-runner",
    mixinStandardHelpOptions = true,
    version = "oc-runner 0.1.0",
    description = "Chases purchase orders (OC) for hotel bookings.",
    footer = {
      "",
      "Configuration: --config oc.yaml and environment variables with the names of the existing"
          + " deployment's .env (IMAP_HOST, SMTP_PASSWORD, DATABASE_URL, ADMIN_PASSWORD, ...);"
          + " the environment wins. DATABASE_URL defaults to "
          + RunnerSettings.DEFAULT_DATABASE_URL
          + "."
    },
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      Runner.Parse.class,
      CheckMailCommand.class,
      Runner.Agencies.class,
      Runner.Status.class,
      Runner.ListCommand.class,
      Runner.Show.class,
      Runner.MarkReceived.class,
      Runner.Cancel.class,
      Runner.Resend.class,
      Runner.ProcessNow.class,
      OperatorCommands.Inbound.class,
      OperatorCommands.InboundShow.class,
      OperatorCommands.Reprocess.class,
      OperatorCommands.Review.class,
      OperatorCommands.Pause.class,
      OperatorCommands.Resume.class,
      OperatorCommands.Search.class,
      ImportLegacyCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Runner implements Runnable {
  final Map<String, String> env;
  final Clock clock;

  /** Set by {@code run} when it is up (tests wait on it); null otherwise. */
  volatile RunCommand.Service service;

  final CountDownLatch started = new CountDownLatch(1);

  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "YAML settings file (environment variables override it).")
  Path config;

  Runner(Map<String, String> env, Clock clock) {
    this.env = env;
    this.clock = clock;
  }

  /** Entry point. */
  public static void main(String[] args) {
    boolean service = args.length > 0 && args[0].equals("run");
    configureLogging(System.getenv(), service);
    System.exit(commandLine(new Runner(System.getenv(), Clock.systemUTC())).execute(args));
  }

  /**
   * Chooses the log format and level before the first logger exists: {@code OC_LOG_FORMAT=text}
   * (default) or {@code json} (one JSON object a line, for log shippers), {@code OC_LOG_LEVEL}
   * (default INFO for {@code run}, WARN for the other commands). A system property set by the host
   * wins.
   */
  static void configureLogging(Map<String, String> env, boolean service) {
    String format = env.getOrDefault("OC_LOG_FORMAT", "text").trim().toLowerCase(Locale.ROOT);
    if (System.getProperty("logback.configurationFile") == null && format.equals("json")) {
      System.setProperty("logback.configurationFile", "logback-json.xml");
    }
    if (System.getProperty("oc.log.level") == null) {
      String level = env.get("OC_LOG_LEVEL");
      System.setProperty(
          "oc.log.level",
          level != null && level.trim().matches("(?i)trace|debug|info|warn|error|off")
              ? level.trim().toUpperCase(Locale.ROOT)
              : service ? "INFO" : "WARN");
    }
  }

  /** The command line over a runner (tests give their own environment and clock). */
  static CommandLine commandLine(Runner runner) {
    CommandLine cl = new CommandLine(runner);
    cl.setExecutionExceptionHandler(
        (e, line, parse) -> {
          PrintWriter err = line.getErr();
          if (e instanceof ConfigurationException c) {
            err.println("configuration problems:");
            c.problems().forEach(p -> err.println("  - " + p));
            return 2;
          }
          if (e instanceof OcException
              || e instanceof IllegalArgumentException
              || e instanceof IOException
              || e instanceof java.io.UncheckedIOException) {
            err.println("error: " + e.getMessage());
            return 1;
          }
          throw e;
        });
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  RunnerSettings settings() {
    return RunnerSettings.load(config, env);
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  // ------------------------------------------------------------------ parse

  @Command(
      name = "parse",
      mixinStandardHelpOptions = true,
      description =
          "Reads confirmation PDFs and prints the JSON of CONFIRMATION_FORMAT.md (an array for"
              + " several files). Exit code 1 when a file has problems.")
  static final class Parse implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "PDF files")
    List<Path> files;

    @Override
    public Integer call() throws IOException {
      PdfBoxReservationParser parser = PdfBoxReservationParser.create();
      List<ParseResult> results = new ArrayList<>();
      for (Path f : files) {
        if (!Files.isRegularFile(f)) {
          results.add(ParseResult.failed("cannot read file: " + f));
        } else {
          results.add(parser.parse(Files.readAllBytes(f)));
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          results.size() == 1
              ? ParseResultJson.toJson(results.get(0))
              : ParseResultJson.toJson(results));
      out.flush();
      return results.stream().allMatch(ParseResult::isClean) ? 0 : 1;
    }
  }

  // ------------------------------------------------------------------ agencies

  @Command(
      name = "agencies",
      mixinStandardHelpOptions = true,
      description = "Imports and lists agencies in the configured store.",
      subcommands = {Agencies.Import.class, Agencies.ListAgencies.class})
  static final class Agencies implements Runnable {
    @ParentCommand Runner root;
    @Spec CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description =
            "Imports agencies from a CSV: the old NAME,email format (with # comments) or a file"
                + " with a header row name,emails,requires_oc,cc,aliases,schedule,domains,locale,"
                + "active.")
    static final class Import implements Callable<Integer> {
      @ParentCommand Agencies parent;
      @Spec CommandSpec spec;

      @Parameters(index = "0", paramLabel = "FILE.csv")
      Path file;

      @Option(names = "--by", defaultValue = "cli", description = "Who imports (for the log).")
      String by;

      @Option(names = "--dry-run", description = "Only check the file.")
      boolean dryRun;

      @Override
      public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        byte[] bytes = Files.readAllBytes(file); // UTF-8 with or without BOM, else Windows-1252
        try (AdminSession admin =
            AdminSession.open(parent.root.settings(), parent.root.clock, false)) {
          OcOperations ops = admin.operations();
          List<Agency> known = ops.agencies();
          AgencyCsv.Result r =
              AgencyCsv.parse(
                  bytes, name -> known.stream().filter(a -> a.matches(name)).findFirst());
          Progress p = new Progress(out, Progress.isTerminal(), "importing", r.agencies().size());
          int i = 0;
          for (Agency a : r.agencies()) {
            if (!dryRun) {
              ops.putAgency(a, by);
            }
            p.update(++i, a.name());
          }
          p.finish();
          r.problems().forEach(x -> spec.commandLine().getErr().println("skipped " + x));
          out.printf(
              "%s %d agencies (%s format), %d line(s) skipped%n",
              dryRun ? "checked" : "imported",
              r.agencies().size(),
              r.format(),
              r.problems().size());
          out.flush();
          return r.problems().isEmpty() ? 0 : 1;
        }
      }
    }

    @Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "Lists the agencies in the store.")
    static final class ListAgencies implements Callable<Integer> {
      @ParentCommand Agencies parent;
      @Spec CommandSpec spec;

      @Option(names = "--json", description = "JSON output.")
      boolean json;

      @Override
      public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (AdminSession admin =
            AdminSession.open(parent.root.settings(), parent.root.clock, false)) {
          List<Agency> all = admin.operations().agencies();
          if (json) {
            ArrayNode a = Views.JSON.createArrayNode();
            all.forEach(x -> a.add(Views.agency(x)));
            out.println(Views.write(a, true));
          } else {
            out.printf("%-36s %-8s %-7s %s%n", "NAME", "OC", "ACTIVE", "CONTACTS");
            for (Agency x : all) {
              out.printf(
                  "%-36s %-8s %-7s %s%n",
                  Views.terminalSafe(x.name()),
                  x.requiresOc() ? "required" : "no",
                  x.active() ? "yes" : "no",
                  Views.terminalSafe(String.join(", ", x.contacts())));
            }
            out.println(all.size() + " agencies");
          }
          out.flush();
          return 0;
        }
      }
    }
  }

  // ------------------------------------------------------------------ admin

  /** Base of the admin commands: operations over the configured store; nothing is sent here. */
  abstract static class Admin implements Callable<Integer> {
    @ParentCommand Runner root;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (AdminSession admin = AdminSession.open(root.settings(), root.clock, queuesMail())) {
        int rc = call(admin.operations(), spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
        return rc;
      }
    }

    /** True for commands that queue messages (they need the mailbox address). */
    boolean queuesMail() {
      return false;
    }

    abstract int call(OcOperations ops, PrintWriter out) throws Exception;
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Counts by state, attention, review queue and outbox.")
  static final class Status extends Admin {
    @Option(names = "--json", description = "JSON output.")
    boolean json;

    @Override
    int call(OcOperations ops, PrintWriter out) {
      Statistics s = ops.statistics();
      if (json) {
        out.println(Views.write(Views.statistics(s), true));
        return 0;
      }
      for (TrackingState st : TrackingState.values()) {
        out.printf("%-16s %6d%n", st.label(), s.byState().getOrDefault(st, 0L));
      }
      out.printf("%-16s %6d%n", "TOTAL", s.total());
      out.printf("%-16s %6d%n", "attention", s.needingAttention());
      out.printf("%-16s %6d%n", "review queue", s.inReview());
      s.outbox().forEach((k, v) -> out.printf("%-16s %6d%n", "outbox " + k, v));
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists bookings, newest day 0 first.")
  static final class ListCommand extends Admin {
    @Option(names = "--state", paramLabel = "S", split = ",", description = "States to show.")
    List<String> states;

    @Option(names = "--agency", paramLabel = "A", description = "Agency name.")
    String agency;

    @Option(names = "--attention", description = "Only bookings needing attention.")
    boolean attention;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many (1-1000).")
    int limit;

    @Option(names = "--json", description = "JSON output.")
    boolean json;

    @Override
    int call(OcOperations ops, PrintWriter out) {
      Set<TrackingState> st = EnumSet.noneOf(TrackingState.class);
      if (states != null) {
        states.forEach(s -> st.add(TrackingState.parse(s)));
      }
      ReservationQuery q =
          ReservationQuery.all()
              .withStates(st)
              .withAgency(agency)
              .withNeedsAttention(attention ? Boolean.TRUE : null)
              .withPage(0, limit);
      Page<Reservation> page = ops.list(q);
      if (json) {
        ArrayNode a = Views.JSON.createArrayNode();
        page.items().forEach(r -> a.add(Views.reservation(r)));
        out.println(Views.write(a, true));
        return 0;
      }
      out.printf(
          "%-12s %-15s %-28s %-10s %-12s %s%n",
          "ID", "STATE", "AGENCY", "DAY 0", "OC", "ATTENTION");
      for (Reservation r : page.items()) {
        out.printf(
            "%-12s %-15s %-28s %-10s %-12s %s%n",
            Views.terminalSafe(r.id()),
            r.state().label(),
            Views.terminalSafe(cut(r.details().agencyName(), 28)),
            r.dayZero(),
            r.purchaseOrder() == null
                ? "-"
                : Views.terminalSafe(Views.str(r.purchaseOrder().ocNumber())),
            r.needsAttention() ? Views.terminalSafe(r.attentionReason()) : "");
      }
      out.println(page.items().size() + " of " + page.total() + " bookings");
      return 0;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Shows a booking: details, messages and timeline.")
  static final class Show extends Admin {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--json", description = "JSON output.")
    boolean json;

    @Override
    int call(OcOperations ops, PrintWriter out) {
      Reservation r = ops.reservation(id).orElse(null);
      if (r == null) {
        spec.commandLine().getErr().println("no booking " + id);
        return 1;
      }
      List<TimelineEvent> timeline = ops.timeline(id);
      List<OutboxMessage> messages = ops.messages(id);
      if (json) {
        out.println(Views.write(Views.detail(r, timeline, messages), true));
        return 0;
      }
      Views.reservation(r)
          .fields()
          .forEachRemaining(
              e ->
                  out.printf(
                      "%-16s %s%n",
                      e.getKey(),
                      e.getValue().isNull() ? "-" : Views.terminalSafe(e.getValue().asText())));
      out.println();
      out.println("messages:");
      for (OutboxMessage m : messages) {
        out.printf(
            "  %-16s %-9s %s  %s%n",
            m.step().token() + (m.generation() > 0 ? "#" + m.generation() : ""),
            m.status(),
            m.sentAt() == null ? "-" : m.sentAt(),
            m.messageId());
      }
      out.println();
      out.println("timeline:");
      for (TimelineEvent e : timeline) {
        out.printf(
            "  %s  %-15s %s  [%s]%n",
            e.at(), e.kind(), Views.terminalSafe(e.detail()), Views.terminalSafe(e.actor()));
      }
      return 0;
    }
  }

  @Command(
      name = "mark-received",
      mixinStandardHelpOptions = true,
      description = "Marks a booking's OC received (the acknowledgement is sent by the service).")
  static final class MarkReceived extends Admin {
    @Override
    boolean queuesMail() {
      return true;
    }

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--oc", required = true, paramLabel = "NUMBER", description = "OC number.")
    String oc;

    @Option(names = "--file", paramLabel = "oc.pdf", description = "The OC document to file.")
    Path file;

    @Option(names = "--by", required = true, paramLabel = "USER", description = "The operator.")
    String by;

    @Override
    int call(OcOperations ops, PrintWriter out) throws IOException {
      Attachment doc = null;
      if (file != null) {
        doc =
            new Attachment(
                file.getFileName().toString(),
                file.toString().toLowerCase(Locale.ROOT).endsWith(".pdf")
                    ? "application/pdf"
                    : "application/octet-stream",
                Files.readAllBytes(file));
      }
      Reservation r = ops.markReceived(id, oc, doc, by);
      out.println("booking " + r.id() + " is now " + r.state().label());
      return 0;
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Stops chasing a booking; pending messages are cancelled.")
  static final class Cancel extends Admin {
    @Override
    boolean queuesMail() {
      return true;
    }

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--by", required = true, paramLabel = "USER")
    String by;

    @Option(names = "--reason", description = "Why (kept in the timeline).")
    String reason;

    @Override
    int call(OcOperations ops, PrintWriter out) {
      Reservation r = ops.cancel(id, reason, by);
      out.println("booking " + r.id() + " is now " + r.state().label());
      return 0;
    }
  }

  @Command(
      name = "resend",
      mixinStandardHelpOptions = true,
      description = "Queues a step again under a new Message-ID (sent by the service).")
  static final class Resend extends Admin {
    @Override
    boolean queuesMail() {
      return true;
    }

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(
        names = "--step",
        required = true,
        paramLabel = "STEP",
        description = "request, reminder-1, reminder-2, reminder-3 or acknowledgement.")
    String step;

    @Option(names = "--by", required = true, paramLabel = "USER")
    String by;

    @Override
    int call(OcOperations ops, PrintWriter out) {
      OutboxMessage m = ops.resend(id, parseStep(step), by);
      out.println("queued " + m.step().token() + " for booking " + id + " (" + m.messageId() + ")");
      return 0;
    }
  }

  static Step parseStep(String s) {
    for (Step x : Step.values()) {
      if (x.token().equalsIgnoreCase(s.trim()) || x.name().equalsIgnoreCase(s.trim())) {
        return x;
      }
    }
    throw new IllegalArgumentException("unknown step: " + s);
  }

  @Command(
      name = "process-now",
      mixinStandardHelpOptions = true,
      description = "Reads the mailbox, follows up due bookings and sends due messages, once.")
  static final class ProcessNow implements Callable<Integer> {
    @ParentCommand Runner root;
    @Spec CommandSpec spec;

    @Option(names = "--by", defaultValue = "cli", paramLabel = "USER")
    String by;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      TickReport r;
      RunnerSettings settings = root.settings();
      if (settings.get("OC_NODE_ID") == null) {
        // Its own node id: closing must not release the claims of a service running beside it.
        settings = settings.with(Map.of("OC_NODE_ID", settings.stableNodeId() + "-process-now"));
      }
      try (OcApplication app = OcApplication.open(settings, root.clock)) {
        r = app.engine().processNow(by);
      }
      out.printf(
          "received %d, followed up %d, sent %d, failed %d%n",
          r.received(), r.followedUp(), r.sent(), r.failed());
      out.flush();
      return r.failed() == 0 ? 0 : 1;
    }
  }

  static String cut(String s, int n) {
    if (s == null) {
      return "-";
    }
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }
}
