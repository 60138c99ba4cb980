package com.kontroltravel.oc.examples;

import com.kontroltravel.oc.OcEngine;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code run}: the production service. Reads the configuration, opens the store and the mailbox,
 * starts the engine's loops and the admin web page, and runs until SIGTERM/SIGINT, when it stops
 * the web server, lets in-flight sends finish and closes the gateway and the store.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the engine and the admin web page (port WEB_PORT, default 8001) until stopped.",
      "Needs IMAP_*, SMTP_*, ADMIN_PASSWORD (not empty, not a default) and optionally"
          + " DATABASE_URL; see --config."
    })
final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @ParentCommand Runner root;

  @Option(
      names = "--manual-ticks",
      hidden = true,
      description = "Do not start the engine's loops (a test drives engine.tick()).")
  boolean manualTicks;

  /** The running parts; {@link #close()} stops them in order. Idempotent. */
  static final class Service implements AutoCloseable {
    private final OcApplication app;
    private final AdminServer admin;
    private final EngineLock lock;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    Service(OcApplication app, AdminServer admin, EngineLock lock) {
      this.app = app;
      this.admin = admin;
      this.lock = lock;
    }

    OcEngine engine() {
      return app.engine();
    }

    AdminServer admin() {
      return admin;
    }

    void await() throws InterruptedException {
      stopped.await();
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      log.info("shutting down: admin web, engine (finishing in-flight sends), gateway, store");
      try {
        admin.close();
      } finally {
        app.close();
        lock.close();
        stopped.countDown();
        log.info("stopped");
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    RunnerSettings settings = root.settings();
    log.info("configuration (secrets masked): {}", settings.describe());
    for (String secret : settings.secretsInFile()) {
      log.warn("{} is set in the configuration file: keep secrets in the environment", secret);
    }
    EngineLock lock = EngineLock.acquire(settings);
    OcApplication app;
    try {
      app = OcApplication.open(settings, root.clock);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
    AdminServer admin;
    try {
      admin =
          AdminServer.start(
              app.engine(),
              settings.webHost(),
              settings.webPort(),
              settings.adminUsername(),
              settings.adminPassword(),
              AdminServer.Options.of(settings));
    } catch (RuntimeException | java.io.IOException e) {
      app.close();
      lock.close();
      throw e;
    }
    Service service = new Service(app, admin, lock);
    Thread hook = new Thread(service::close, "oc-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    if (!manualTicks) {
      app.engine().start();
    }
    root.service = service;
    root.started.countDown();
    root.spec
        .commandLine()
        .getOut()
        .printf(
            "oc-runner is running: admin web on %s://%s:%d/ (Ctrl-C or SIGTERM to stop)%n",
            admin.tls() ? "https" : "http", settings.webHost(), admin.port());
    root.spec.commandLine().getOut().flush();
    service.await();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook is running
    }
    return 0;
  }
}
