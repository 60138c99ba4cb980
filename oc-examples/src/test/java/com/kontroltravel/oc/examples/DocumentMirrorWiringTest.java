package com.kontroltravel.oc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.kontroltravel.oc.model.DocumentKind;
import com.kontroltravel.oc.model.Reservation;
import com.kontroltravel.oc.model.ReservationDetails;
import com.kontroltravel.oc.model.StoredDocument;
import com.kontroltravel.oc.spi.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentMirrorWiringTest {
  static final Instant T = Instant.parse("2025-11-20T12:00:00Z");

  @Test
  @DisplayName("a single-node SQLite deployment also files documents where operators know them")
  void sqliteMirrorsNextToTheDatabase(@TempDir Path dir) {
    RunnerSettings s =
        RunnerSettings.of(
            Map.of("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("oc_seguimiento.db")));
    assertThat(s.documentsDir()).contains(dir.toAbsolutePath());
    byte[] pdf = "%PDF-1.4 oc".getBytes(StandardCharsets.ISO_8859_1);
    try (Store store = s.openStore()) {
      store.inTransaction(
          tx -> {
            tx.insertReservation(
                Reservation.builder(
                        ReservationDetails.builder("45215412").agencyName("WALVIS S.A.").build(),
                        LocalDate.of(2025, 11, 20),
                        T)
                    .build());
            tx.putDocument(
                new StoredDocument(
                    "oc-1",
                    "45215412",
                    DocumentKind.PURCHASE_ORDER,
                    "../../x.pdf",
                    "20251120_45215412_oc.pdf",
                    "application/pdf",
                    "ab",
                    pdf.length,
                    pdf,
                    T));
            return null;
          });
    }
    assertThat(dir.resolve("oc/20251120_45215412_oc.pdf")).exists().hasBinaryContent(pdf);
    assertThat(Files.exists(dir.getParent().resolve("x.pdf"))).isFalse();
  }

  @Test
  @DisplayName(
      "PostgreSQL deployments keep documents in the database only, unless a folder is configured")
  void postgresHasNoMirrorByDefault(@TempDir Path dir) {
    String pg = "jdbc:postgresql://127.0.0.1:5432/oc";
    assertThat(RunnerSettings.of(Map.of("DATABASE_URL", pg)).documentsDir()).isEmpty();
    assertThat(
            RunnerSettings.of(Map.of("DATABASE_URL", pg, "OC_DOCUMENTS_DIR", dir.toString()))
                .documentsDir())
        .contains(dir);
  }
}
