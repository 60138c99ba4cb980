package com.kontroltravel.oc.spring.boot;

import com.kontroltravel.oc.OcEngine;
import java.util.Objects;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the engine's loops when the application context has started and closes the engine when it
 * stops (in-flight sends finish, claims are released). The engine cannot be started again once
 * stopped, as the engine itself.
 */
public final class OcEngineLifecycle implements SmartLifecycle {
  /**
   * Late in startup, early in shutdown: after the beans the engine may use (and after a web server,
   * which Spring starts in an earlier phase), and stopped before them.
   */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

  private final OcEngine engine;
  private final Object lock = new Object();
  private boolean running;
  private boolean stopped;

  /** The lifecycle of {@code engine}. */
  public OcEngineLifecycle(OcEngine engine) {
    this.engine = Objects.requireNonNull(engine, "engine == null");
  }

  @Override
  public void start() {
    synchronized (lock) {
      if (running || stopped) {
        return;
      }
      engine.start();
      running = true;
    }
  }

  @Override
  public void stop() {
    synchronized (lock) {
      if (stopped) {
        return;
      }
      stopped = true;
      running = false;
      engine.close();
    }
  }

  @Override
  public boolean isRunning() {
    synchronized (lock) {
      return running;
    }
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
