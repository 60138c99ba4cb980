package com.kontroltravel.oc.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A document the engine keeps (confirmation or OC), with its checksum. The content array is owned
 * by the record.
 *
 * @param id the store's id (the SHA-256 plus kind is a good natural id)
 * @param reservationId the booking, or null while an OC waits in the review queue
 * @param kind confirmation or purchase order
 * @param originalName the file name as received, or null
 * @param safeName a file-system-safe name, for example {@code 20251120_45215412_oc.pdf}
 * @param contentType the MIME type
 * @param sha256 the hex SHA-256 of the content
 * @param size the size in bytes
 * @param content the bytes
 * @param storedAt when it was stored
 */
public record StoredDocument(
    String id,
    String reservationId,
    DocumentKind kind,
    String originalName,
    String safeName,
    String contentType,
    String sha256,
    long size,
    byte[] content,
    Instant storedAt) {

  /** Checks the values. */
  public StoredDocument {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(kind, "kind == null");
    Objects.requireNonNull(safeName, "safeName == null");
    Objects.requireNonNull(sha256, "sha256 == null");
    Objects.requireNonNull(content, "content == null");
    Objects.requireNonNull(storedAt, "storedAt == null");
  }

  /** A copy tied to another reservation. */
  public StoredDocument withReservation(String newReservationId, String newSafeName) {
    return new StoredDocument(
        id,
        newReservationId,
        kind,
        originalName,
        newSafeName,
        contentType,
        sha256,
        size,
        content,
        storedAt);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredDocument d
        && id.equals(d.id)
        && sha256.equals(d.sha256)
        && Objects.equals(reservationId, d.reservationId)
        && kind == d.kind
        && Objects.equals(originalName, d.originalName)
        && safeName.equals(d.safeName)
        && Objects.equals(contentType, d.contentType)
        && size == d.size
        && java.util.Arrays.equals(content, d.content)
        && storedAt.equals(d.storedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, sha256);
  }

  @Override
  public String toString() {
    return "StoredDocument[" + id + ", " + kind + ", " + safeName + ", " + size + " bytes]";
  }
}
