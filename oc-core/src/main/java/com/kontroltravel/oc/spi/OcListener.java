package com.kontroltravel.oc.spi;

import com.kontroltravel.oc.model.DocumentKind;
import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.SendResult;
import com.kontroltravel.oc.model.Step;
import com.kontroltravel.oc.model.TimelineEvent;
import java.time.Duration;

/**
 * Told of everything the engine does, after it is committed, and of how long its work takes (for
 * metrics). Called on engine threads: implementations must be quick and thread safe; an exception
 * they throw is logged and otherwise ignored.
 */
@FunctionalInterface
public interface OcListener {

  /** A timeline event was committed. */
  void onEvent(TimelineEvent event);

  /** An inbound message was recorded. The default does nothing. */
  default void onInbound(InboundRecord record) {}

  /**
   * One outbox message was handed to the mail server (or found among the sent messages) and its
   * result recorded. The default does nothing.
   *
   * @param step the step the message belongs to
   * @param result how the send ended
   * @param took how long the send took, the mail server's part included
   */
  default void onSend(Step step, SendResult.Status result, Duration took) {}

  /**
   * A send that failed transiently was scheduled for another attempt (after it was recorded). The
   * default does nothing.
   *
   * @param step the step the message belongs to
   * @param attempt the attempt that failed, from 1
   */
  default void onRetry(Step step, int attempt) {}

  /**
   * The reservation parser read a document. The default does nothing.
   *
   * @param kind {@link DocumentKind#CONFIRMATION} for a confirmation, {@link
   *     DocumentKind#PURCHASE_ORDER} for an OC document
   * @param took how long the parser took
   * @param ok whether it read what it was asked: a confirmation's details, or an OC's text layer;
   *     false as well when the parser threw
   */
  default void onParse(DocumentKind kind, Duration took, boolean ok) {}

  /**
   * A round of the engine's work ended (normally or with an exception). The default does nothing.
   *
   * @param round {@code "tick"} for a whole {@code OcEngine.tick()}; for a started engine, its
   *     loops' rounds: {@code "inbound"}, {@code "follow-up"} or {@code "dispatch"}
   * @param took how long the round took
   */
  default void onTick(String round, Duration took) {}
}
