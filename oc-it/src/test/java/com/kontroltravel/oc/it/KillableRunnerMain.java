package com.kontroltravel.oc.it;

import com.kontroltravel.oc.examples.ItRunnerAccess;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The runner in a child JVM for the kill test: {@code KillableRunnerMain CLOCK_FILE run ...} runs
 * the real runner command line on a {@link FileClock}, with the environment it was started with. It
 * exits by itself when its parent (the test JVM) is gone, so a crashed test leaves no orphan.
 */
public final class KillableRunnerMain {
  private KillableRunnerMain() {}

  /** Entry point. */
  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: KillableRunnerMain CLOCK_FILE COMMAND [ARGS...]");
      System.exit(2);
    }
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
    if (parent != null) {
      Thread watchdog =
          new Thread(
              () -> {
                // Not a test wait: the child's watchdog checks its parent once a second and halts
                // the child when the test JVM is gone, so no runner outlives the build.
                while (parent.isAlive()) {
                  try {
                    Thread.sleep(1000);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
                Runtime.getRuntime().halt(3);
              },
              "parent-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
    }
    FileClock clock = new FileClock(Path.of(args[0]));
    String[] command = Arrays.copyOfRange(args, 1, args.length);
    int rc =
        ItRunnerAccess.commandLine(ItRunnerAccess.runner(System.getenv(), clock)).execute(command);
    System.exit(rc);
  }
}
