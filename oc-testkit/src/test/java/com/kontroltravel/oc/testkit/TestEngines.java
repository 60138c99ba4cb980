package com.kontroltravel.oc.testkit;

import com.kontroltravel.oc.OcConfig;
import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.spi.MailGateway;
import com.kontroltravel.oc.spi.Store;
import java.time.Clock;
import java.util.List;

/** The engine most engine-level tests start from. */
final class TestEngines {
  private TestEngines() {}

  /**
   * An engine on {@code store}, {@code gateway} and {@code clock} with the fake parser: mailbox
   * {@code oc@kontroltravel.com}, confirmations accepted from {@code kontrol.cl}, node {@code t}.
   */
  static OcEngine.Builder builder(Store store, MailGateway gateway, Clock clock) {
    return OcEngine.builder()
        .config(
            OcConfig.builder()
                .mailboxAddress("oc@kontroltravel.com")
                .allowedSenders(List.of("kontrol.cl"))
                .nodeId("t")
                .build())
        .store(store)
        .mailGateway(gateway)
        .reservationParser(new FakePdf())
        .clock(clock);
  }
}
