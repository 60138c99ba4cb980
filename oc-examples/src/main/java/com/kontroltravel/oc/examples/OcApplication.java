package com.kontroltravel.oc.examples;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.mail.graph.GraphMailGateway;
import com.kontroltravel.oc.mail.graph.GraphSettings;
import com.kontroltravel.oc.mail.jakarta.JakartaMailGateway;
import com.kontroltravel.oc.mail.jakarta.MailSettings;
import com.kontroltravel.oc.pdf.pdfbox.PdfBoxReservationParser;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.spi.MessageTemplates;
import com.kontroltravel.oc.spi.ReminderPolicy;
import com.kontroltravel.oc.spi.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's wiring: the JDBC store, the mail gateway (Jakarta Mail, or Microsoft Graph with
 * {@code USE_GRAPH_API=true}), the OC-replies mailbox if one is configured ({@code OC_INBOX_*}),
 * the PDFBox parser and the engine, built from {@link RunnerSettings}. Closing it closes the
 * engine, then the gateways, then the store.
 */
public final class OcApplication implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OcApplication.class);

  private final Store store;
  private final MailGateway gateway;
  private final List<MailGateway> additionalInboxes;
  private final OcEngine engine;

  private OcApplication(
      Store store, MailGateway gateway, List<MailGateway> additionalInboxes, OcEngine engine) {
    this.store = store;
    this.gateway = gateway;
    this.additionalInboxes = List.copyOf(additionalInboxes);
    this.engine = engine;
  }

  /**
   * Everything for {@code run}: the real mail gateway. The engine is built, not started.
   *
   * @throws ConfigurationException listing every missing or invalid setting
   */
  public static OcApplication open(RunnerSettings settings, Clock clock) {
    List<String> problems = new ArrayList<>();
    OcConfig config = null;
    MailSettings mail = null;
    GraphSettings graph = null;
    boolean useGraph = false;
    try {
      useGraph = settings.useGraphApi();
    } catch (ConfigurationException e) {
      problems.addAll(e.problems());
    }
    String graphMailbox = useGraph ? settings.get("GRAPH_MAILBOX_EMAIL") : null;
    try {
      // With USE_GRAPH_API the monitored address falls back to GRAPH_MAILBOX_EMAIL
      // (RunnerSettings.mailboxAddress), as the admin commands see it.
      config = settings.ocConfig(null);
    } catch (ConfigurationException e) {
      problems.addAll(e.problems());
    }
    try {
      if (useGraph) {
        graph = settings.graphSettings();
      } else {
        mail = settings.mailSettings();
        SignInSettings.logSignIn(settings, mail);
      }
    } catch (ConfigurationException e) {
      problems.addAll(e.problems());
    }
    Optional<MailSettings> ocImap = Optional.empty();
    Optional<GraphSettings> ocGraph = Optional.empty();
    try {
      ocImap =
          settings.ocInboxMailSettings(config == null ? graphMailbox : config.mailboxAddress());
    } catch (ConfigurationException e) {
      problems.addAll(e.problems());
    }
    try {
      ocGraph = settings.ocInboxGraphSettings();
    } catch (ConfigurationException e) {
      problems.addAll(e.problems());
    }
    if (ocImap.isEmpty() && ocGraph.isEmpty()) {
      List<String> stray =
          List.of(
                  "OC_INBOX_PORT",
                  "OC_INBOX_USERNAME",
                  "OC_INBOX_PASSWORD",
                  "OC_INBOX_MAILBOX",
                  "OC_INBOX_SECURITY")
              .stream()
              .filter(n -> settings.get(n) != null)
              .toList();
      if (!stray.isEmpty()) {
        log.warn("{} set but OC_INBOX_HOST is empty: no OC-replies mailbox is read", stray);
      }
    }
    if (config != null && (ocImap.isPresent() || ocGraph.isPresent())) {
      try {
        OcConfig.Builder b = config.toBuilder();
        String replyTo = settings.replyToAddress();
        if (replyTo != null) {
          b.replyToAddress(replyTo);
        } else {
          log.warn(
              "the OC-replies mailbox has no address (OC_INBOX_USERNAME is not one): set"
                  + " OC_REPLY_TO, or agencies reply to {}",
              config.mailboxAddress());
        }
        List<String> p = new ArrayList<>();
        Duration interval = MailboxesSettings.checkInterval(settings, p);
        if (interval != null && interval.compareTo(config.pollInterval()) < 0) {
          // One loop reads every mailbox: the shorter interval asked for wins.
          b.pollInterval(interval);
        }
        config = b.build();
      } catch (ConfigurationException e) {
        problems.addAll(e.problems());
      }
    } else if (config != null && settings.get("OC_REPLY_TO") != null) {
      try {
        config = config.toBuilder().replyToAddress(settings.replyToAddress()).build();
      } catch (ConfigurationException e) {
        problems.addAll(e.problems());
      }
    }
    try {
      settings.schedule();
    } catch (ConfigurationException e) {
      problems.addAll(e.problems());
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    Store store = settings.openStore();
    List<MailGateway> opened = new ArrayList<>();
    try {
      opened.add(useGraph ? GraphMailGateway.create(graph) : JakartaMailGateway.create(mail));
      ocImap.ifPresent(m -> opened.add(JakartaMailGateway.create(m)));
      ocGraph.ifPresent(g -> opened.add(GraphMailGateway.create(g)));
      log.info(
          "mailboxes: {}; mail sent through {}",
          opened.stream().map(MailGateway::mailbox).toList(),
          opened.get(0).mailbox());
      return assemble(
          settings, config, store, opened.get(0), opened.subList(1, opened.size()), clock);
    } catch (RuntimeException e) {
      for (MailGateway g : opened) {
        try {
          g.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      store.close();
      throw e;
    }
  }

  /** Wires given parts (the demo and tests bring their own store or gateway). */
  public static OcApplication assemble(
      RunnerSettings settings, OcConfig config, Store store, MailGateway gateway, Clock clock) {
    return assemble(settings, config, store, gateway, List.of(), clock);
  }

  /**
   * Wires given parts; {@code additionalInboxes} are further mailboxes read (an OC-replies
   * mailbox), each under its own cursor; mail is sent through {@code gateway} only.
   */
  public static OcApplication assemble(
      RunnerSettings settings,
      OcConfig config,
      Store store,
      MailGateway gateway,
      List<MailGateway> additionalInboxes,
      Clock clock) {
    OcEngine.Builder b =
        OcEngine.builder()
            .config(config)
            .store(store)
            .mailGateway(gateway)
            .reservationParser(PdfBoxReservationParser.create())
            .reminderPolicy(ReminderPolicy.of(settings.schedule()))
            .clock(clock);
    additionalInboxes.forEach(b::additionalInbox);
    String templates = settings.get("OC_TEMPLATES_DIR");
    if (templates != null) {
      b.templates(MessageTemplates.withOverrides(Path.of(templates)));
    }
    return new OcApplication(store, gateway, additionalInboxes, b.build());
  }

  /** The engine. */
  public OcEngine engine() {
    return engine;
  }

  /** The store. */
  public Store store() {
    return store;
  }

  /** The mail gateway (the confirmations mailbox; all mail is sent through it). */
  public MailGateway gateway() {
    return gateway;
  }

  /** Further mailboxes read (the OC-replies mailbox), possibly none. */
  public List<MailGateway> additionalInboxes() {
    return additionalInboxes;
  }

  /** Closes the engine (finishing in-flight sends), the gateway and the store. Idempotent. */
  @Override
  public void close() {
    try {
      engine.close();
    } catch (RuntimeException e) {
      log.warn("closing the engine: {}", e.toString());
    }
    try {
      gateway.close();
    } catch (Exception e) {
      log.warn("closing the mail gateway: {}", e.toString());
    }
    for (MailGateway g : additionalInboxes) {
      try {
        g.close();
      } catch (Exception e) {
        log.warn("closing the mail gateway of {}: {}", g.mailbox(), e.toString());
      }
    }
    try {
      store.close();
    } catch (RuntimeException e) {
      log.warn("closing the store: {}", e.toString());
    }
  }
}
