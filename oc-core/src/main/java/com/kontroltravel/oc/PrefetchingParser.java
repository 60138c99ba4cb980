package com.kontroltravel.oc;

import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.ParseResult;
import com.kontroltravel.oc.model.PurchaseOrderInfo;
import com.kontroltravel.oc.spi.ReservationParser;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads the documents of a fetched batch in parallel, ahead of the classifier, which then takes the
 * results in message order as if it had read them itself. Only the reading is parallel: every
 * decision and every write stays sequential, in the order the messages arrived, so a message still
 * sees what the ones before it did. The pool has one thread a core, so the parser's own pool never
 * queues (its time limit starts when a document is handed to it).
 */
final class PrefetchingParser implements ReservationParser {
  private final ReservationParser parser;
  private final ExecutorService pool;
  private final Map<byte[], Future<ParseResult>> parsed = new IdentityHashMap<>();
  private final Map<byte[], Future<PurchaseOrderInfo>> read = new IdentityHashMap<>();

  PrefetchingParser(ReservationParser parser) {
    this.parser = parser;
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor p =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "oc-prefetch-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    p.allowCoreThreadTimeOut(true);
    this.pool = p;
  }

  /**
   * Starts reading the PDFs of {@code batch}: a confirmation's reading for a message that looks
   * like one (an allowed sender, a confirmation subject, not a reply), an OC's for the others. A
   * wrong guess costs only the reading: the classifier reads what it needs itself. Readings of
   * several batches may be under way at once (the next batch is read while this one is recorded);
   * each batch's are awaited and forgotten through the handle returned.
   */
  synchronized Readings prefetch(List<InboundMessage> batch, OcConfig config) {
    Map<byte[], Future<?>> started = new IdentityHashMap<>();
    for (InboundMessage m : batch) {
      boolean confirmation =
          m.inReplyTo().isEmpty()
              && m.references().isEmpty()
              && config.isAllowedSender(m.from())
              && config.confirmationKeywords().stream()
                  .map(Text::fold)
                  .anyMatch(Text.fold(m.subject())::contains);
      for (Attachment a : m.attachments()) {
        if (!a.isPdf()) {
          continue;
        }
        byte[] doc = a.content();
        if (confirmation) {
          start(parsed, doc, () -> parser.parse(doc), started);
        } else {
          start(read, doc, () -> parser.readPurchaseOrder(doc), started);
          break; // the classifier reads an OC's first PDF only
        }
      }
    }
    return new Readings(started);
  }

  /** Starts {@code reading} of {@code doc} into {@code readings} unless it is under way. */
  private <T> void start(
      Map<byte[], Future<T>> readings,
      byte[] doc,
      Callable<T> reading,
      Map<byte[], Future<?>> started) {
    if (!readings.containsKey(doc)) {
      Future<T> f = pool.submit(reading);
      readings.put(doc, f);
      started.put(doc, f);
    }
  }

  /** The readings started for one batch, by document. */
  final class Readings implements AutoCloseable {
    private final Map<byte[], Future<?>> started;

    private Readings(Map<byte[], Future<?>> started) {
      this.started = started;
    }

    /**
     * Waits until every reading of the batch is done, so the classifier takes them without waiting
     * (a failed reading is left for its taker to see; the parser bounds each reading's time).
     */
    void awaitAll() {
      for (Future<?> f : started.values()) {
        try {
          f.get();
        } catch (ExecutionException e) {
          // the taker sees it
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    /** Forgets the batch's readings (those not taken are left to finish on their own). */
    @Override
    public void close() {
      synchronized (PrefetchingParser.this) {
        for (byte[] d : started.keySet()) {
          parsed.remove(d);
          read.remove(d);
        }
      }
    }
  }

  @Override
  public ParseResult parse(byte[] document) {
    Future<ParseResult> f;
    synchronized (this) {
      f = parsed.remove(document);
    }
    return f == null ? parser.parse(document) : take(f);
  }

  @Override
  public PurchaseOrderInfo readPurchaseOrder(byte[] document) {
    Future<PurchaseOrderInfo> f;
    synchronized (this) {
      f = read.remove(document);
    }
    return f == null ? parser.readPurchaseOrder(document) : take(f);
  }

  @Override
  public void warmUp() {
    parser.warmUp();
  }

  private static <T> T take(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a document's reading", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(c);
    }
  }
}
