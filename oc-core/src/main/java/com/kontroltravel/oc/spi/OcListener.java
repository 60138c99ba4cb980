package com.kontroltravel.oc.spi;

import com.kontroltravel.oc.model.InboundRecord;
import com.kontroltravel.oc.model.TimelineEvent;

/**
 * Told of everything the engine does, after it is committed. Called on engine threads:
 * implementations must be quick and thread safe; an exception they throw is logged and otherwise
 * ignored.
 */
@FunctionalInterface
public interface OcListener {

  /** A timeline event was committed. */
  void onEvent(TimelineEvent event);

  /** An inbound message was recorded. The default does nothing. */
  default void onInbound(InboundRecord record) {}
}
