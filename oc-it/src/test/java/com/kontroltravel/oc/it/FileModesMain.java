package com.kontroltravel.oc.it;

import com.kontroltravel.oc.OcEngine;
import com.kontroltravel.oc.examples.OcApplication;
import com.kontroltravel.oc.examples.RunnerSettings;
import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.spi.Store;
import com.kontroltravel.oc.testkit.RecordingMailGateway;
import com.kontroltravel.oc.testkit.SettableClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;

/**
 * Child process of {@link FileModesTest}, started under {@code umask 000}: opens the runner's store
 * (SQLite in a fresh data folder, documents mirrored there), tracks a booking with its confirmation
 * PDF and files an OC PDF, prints {@code READY} with everything still open (so the WAL and SHM
 * files exist) and waits for a line on standard input before closing.
 */
public final class FileModesMain {
  private FileModesMain() {}

  public static void main(String[] args) throws Exception {
    String db = args[0];
    ZoneId zone = ZoneId.of("America/Santiago");
    SettableClock clock =
        SettableClock.at(ZonedDateTime.of(2025, 12, 1, 10, 0, 0, 0, zone).toInstant(), zone);
    RunnerSettings s =
        RunnerSettings.of(
            Map.of("DATABASE_URL", "jdbc:sqlite:" + db, "OC_MAILBOX_ADDRESS", "oc@x.test"));
    byte[] pdf = HostilePdfs.confirmation("45300001", "Viajes Andes S.A.");
    try (Store store = s.openStore();
        OcEngine engine =
            OcApplication.assemble(
                    s, s.ocConfig(null), store, RecordingMailGateway.create(clock), clock)
                .engine()) {
      engine.track(
          ReservationDetails.builder("45300001")
              .agencyName("Viajes Andes S.A.")
              .status("Reservado")
              .hotelName("Hotel")
              .issueDate(LocalDate.of(2025, 12, 1))
              .totalAmount(new BigDecimal("1000.00"))
              .currency("CLP")
              .build(),
          pdf);
      engine
          .operations()
          .markReceived(
              "45300001",
              "4500000001",
              new Attachment(
                  "oc.pdf",
                  "application/pdf",
                  HostilePdfs.purchaseOrder("Viajes Andes S.A.", "4500000001", "45300001")),
              "test");
      System.out.println("READY");
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
  }
}
