package com.kontroltravel.oc.metrics.micrometer;

import com.kontroltravel.oc.Statistics;
import com.kontroltravel.oc.model.DocumentKind;
import com.kontroltravel.oc.model.InboundOutcome;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.OutboxStatus;
import com.kontroltravel.oc.model.SendResult;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.TimelineEvent;
import com.kontroltravel.oc.model.TrackingState;
import com.kontroltravel.oc.spi.OcListener;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's metrics for Micrometer: register it as a listener on the engine builder and bind it
 * to the host's registry (or let the host's framework bind it: it is a {@link MeterBinder}).
 *
 * <pre>{@code
 * OcMetrics metrics = OcMetrics.create(OcOperations.create(store, config)::statistics);
 * OcEngine engine = OcEngine.builder()...listener(metrics).build();
 * metrics.bindTo(registry);
 * }</pre>
 *
 * <p>Counters: {@value #INBOUND} (tag {@code outcome}), {@value #EVENTS} ({@code kind}), {@value
 * #SENDS} ({@code step}, {@code result}), {@value #RETRIES} ({@code step}). Timers: {@value #PARSE}
 * ({@code kind}, {@code result} ok or failed), {@value #SEND} ({@code step}, {@code result}),
 * {@value #TICK} ({@code round}). Gauges: {@value #BOOKINGS} ({@code state}), {@value #ATTENTION},
 * {@value #REVIEW}, {@value #OUTBOX} ({@code status}). Tag values are the enum names in lower case
 * ({@code confirmation}, {@code transient_failure}), steps by their token ({@code reminder-1}).
 *
 * <p>The gauges read the engine's {@link Statistics}, at most once per {@link Builder#refreshEvery
 * refresh interval} ({@link #DEFAULT_REFRESH}) however often the registry is scraped; when reading
 * them fails the last values stay (NaN before the first reading). Counts are taken only while
 * bound: bind before the engine starts. Thread safe.
 */
public final class OcMetrics implements MeterBinder, OcListener {
  private static final Logger log = LoggerFactory.getLogger(OcMetrics.class);

  /** How long the statistics behind the gauges are kept before they are read again. */
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(10);

  /** Inbound messages recorded, by outcome. */
  public static final String INBOUND = "oc.inbound";

  /** Timeline events, by kind. */
  public static final String EVENTS = "oc.events";

  /** Messages handed to the mail server, by step and result. */
  public static final String SENDS = "oc.sends";

  /** Sends that failed transiently and were scheduled again, by step. */
  public static final String RETRIES = "oc.send.retries";

  /** Time the parser took per document, by document kind and result. */
  public static final String PARSE = "oc.parse";

  /** Time one send took, by step and result. */
  public static final String SEND = "oc.send";

  /** Time one round of the engine's work took: a tick, or a loop's round. */
  public static final String TICK = "oc.tick";

  /** Bookings by tracking state. */
  public static final String BOOKINGS = "oc.bookings";

  /** Bookings a person must look at. */
  public static final String ATTENTION = "oc.bookings.attention";

  /** Purchase orders waiting in the review queue. */
  public static final String REVIEW = "oc.review.queue";

  /** Outbox messages by delivery status. */
  public static final String OUTBOX = "oc.outbox";

  private final Supplier<Statistics> statistics;
  private final long refreshNanos;
  private final Clock clock;
  private final Tags tags;
  private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private Statistics snapshot;
  private long readAt;
  private boolean everRead;

  private OcMetrics(Builder b) {
    this.statistics = b.statistics;
    this.refreshNanos = b.refresh.toNanos();
    this.clock = b.clock;
    this.tags = b.tags;
  }

  /**
   * Metrics whose gauges read {@code statistics} (an {@code OcOperations::statistics} over the
   * engine's store) at most every {@link #DEFAULT_REFRESH}.
   */
  public static OcMetrics create(Supplier<Statistics> statistics) {
    return builder(statistics).build();
  }

  /** A builder, for another refresh interval, a clock or common tags. */
  public static Builder builder(Supplier<Statistics> statistics) {
    return new Builder(statistics);
  }

  // ------------------------------------------------------------------ MeterBinder

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry == null");
    // Every series exists from the start (at zero), so a rate over the first increment is right.
    for (InboundOutcome o : InboundOutcome.values()) {
      counter(registry, INBOUND, "outcome", name(o));
    }
    for (Step s : Step.values()) {
      for (SendResult.Status r : SendResult.Status.values()) {
        Counter.builder(SENDS)
            .description("messages handed to the mail server")
            .tags(tags)
            .tag("step", s.token())
            .tag("result", name(r))
            .register(registry);
      }
      counter(registry, RETRIES, "step", s.token());
    }
    for (TrackingState s : TrackingState.values()) {
      gauge(registry, BOOKINGS, Tags.of("state", name(s)), st -> st.byState().getOrDefault(s, 0L));
    }
    gauge(registry, ATTENTION, Tags.empty(), Statistics::needingAttention);
    gauge(registry, REVIEW, Tags.empty(), Statistics::inReview);
    for (OutboxStatus s : OutboxStatus.values()) {
      gauge(registry, OUTBOX, Tags.of("status", name(s)), st -> st.outbox().getOrDefault(s, 0L));
    }
    registries.add(registry);
  }

  // ------------------------------------------------------------------ OcListener

  @Override
  public void onEvent(TimelineEvent event) {
    for (MeterRegistry r : registries) {
      counter(r, EVENTS, "kind", name(event.kind())).increment();
    }
  }

  @Override
  public void onInbound(InboundRecord record) {
    for (MeterRegistry r : registries) {
      counter(r, INBOUND, "outcome", name(record.outcome())).increment();
    }
  }

  @Override
  public void onSend(Step step, SendResult.Status result, Duration took) {
    for (MeterRegistry r : registries) {
      Tags t = tags.and("step", step.token(), "result", name(result));
      r.counter(SENDS, t).increment();
      Timer.builder(SEND).tags(t).register(r).record(took);
    }
  }

  @Override
  public void onRetry(Step step, int attempt) {
    for (MeterRegistry r : registries) {
      counter(r, RETRIES, "step", step.token()).increment();
    }
  }

  @Override
  public void onParse(DocumentKind kind, Duration took, boolean ok) {
    for (MeterRegistry r : registries) {
      Timer.builder(PARSE)
          .tags(tags)
          .tag("kind", name(kind))
          .tag("result", ok ? "ok" : "failed")
          .register(r)
          .record(took);
    }
  }

  @Override
  public void onTick(String round, Duration took) {
    for (MeterRegistry r : registries) {
      Timer.builder(TICK).tags(tags).tag("round", round).register(r).record(took);
    }
  }

  // ------------------------------------------------------------------ internals

  private Counter counter(MeterRegistry r, String name, String tag, String value) {
    return Counter.builder(name).tags(tags).tag(tag, value).register(r);
  }

  private void gauge(
      MeterRegistry r, String name, Iterable<Tag> extra, ToDoubleFunction<Statistics> value) {
    Gauge.builder(
            name,
            this,
            m -> {
              Statistics s = m.statistics();
              return s == null ? Double.NaN : value.applyAsDouble(s);
            })
        .tags(tags)
        .tags(extra)
        .strongReference(true)
        .register(r);
  }

  /** The statistics, read again when older than the refresh interval; null before any reading. */
  Statistics statistics() {
    synchronized (lock) {
      long now = clock.monotonicTime();
      if (!everRead || now - readAt >= refreshNanos) {
        everRead = true;
        readAt = now;
        try {
          snapshot = statistics.get();
        } catch (RuntimeException e) {
          // A store outage must not fail a scrape; the last values stay until the next try.
          log.warn("reading the engine's statistics for metrics failed: {}", e.toString());
        }
      }
      return snapshot;
    }
  }

  private static String name(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "OcMetrics";
  }

  /** Builds {@link OcMetrics}. Not thread safe. */
  public static final class Builder {
    private final Supplier<Statistics> statistics;
    private Duration refresh = DEFAULT_REFRESH;
    private Clock clock = Clock.SYSTEM;
    private Tags tags = Tags.empty();

    private Builder(Supplier<Statistics> statistics) {
      this.statistics = Objects.requireNonNull(statistics, "statistics == null");
    }

    /** How long the gauges' statistics are kept; zero reads them on every scrape. */
    public Builder refreshEvery(Duration v) {
      Objects.requireNonNull(v, "refresh == null");
      if (v.isNegative()) {
        throw new IllegalArgumentException("refresh must not be negative: " + v);
      }
      refresh = v;
      return this;
    }

    /** The clock the refresh interval is measured with; defaults to the system's. */
    public Builder clock(Clock v) {
      clock = Objects.requireNonNull(v, "clock == null");
      return this;
    }

    /** Tags added to every meter (an engine or mailbox name, say). */
    public Builder tags(Iterable<Tag> v) {
      tags = Tags.of(Objects.requireNonNull(v, "tags == null"));
      return this;
    }

    /** The metrics. */
    public OcMetrics build() {
      return new OcMetrics(this);
    }
  }
}
