package com.kontroltravel.oc.examples;

import com.kontroltravel.oc.OcEngine;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * Test-only bridge to the runner's package-private test hooks ({@code new Runner(env, clock)},
 * {@code Runner.commandLine}, the running service), used by the oc-it tests. It lives in the
 * runner's package because those hooks are not public; it adds no behaviour.
 */
public final class ItRunnerAccess {
  private ItRunnerAccess() {}

  /** A runner over this environment and clock. */
  public static Runner runner(Map<String, String> env, Clock clock) {
    return new Runner(env, clock);
  }

  /** The runner's command line, with its error handling. */
  public static CommandLine commandLine(Runner runner) {
    return Runner.commandLine(runner);
  }

  /** Waits until {@code run} is serving; false on timeout. */
  public static boolean awaitStarted(Runner runner, long seconds) throws InterruptedException {
    return runner.started.await(seconds, TimeUnit.SECONDS);
  }

  /** The engine of a running {@code run}. */
  public static OcEngine engine(Runner runner) {
    return runner.service.engine();
  }

  /** The admin port of a running {@code run}. */
  public static int adminPort(Runner runner) {
    return runner.service.admin().port();
  }

  /** Stops a running {@code run} as SIGTERM would. */
  public static void stop(Runner runner) {
    if (runner.service != null) {
      runner.service.close();
    }
  }
}
