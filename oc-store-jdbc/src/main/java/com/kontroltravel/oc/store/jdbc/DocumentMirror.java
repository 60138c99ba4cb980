package com.kontroltravel.oc.store.jdbc;

import com.kontroltravel.oc.model.DocumentKind;
import com.kontroltravel.oc.model.StoredDocument;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies documents to the folders operators already know: {@code confirmaciones/YYYYMMDD_<id>.pdf}
 * and {@code oc/YYYYMMDD_<id>_oc.pdf} under one data folder. Names are built from a strict
 * alphabet, and a path that would leave the data folder is refused.
 */
final class DocumentMirror {
  private static final Logger LOG = LoggerFactory.getLogger(DocumentMirror.class);
  private static final Pattern SAFE_CONFIRMATION =
      Pattern.compile("[0-9]{8}_[A-Za-z0-9-]{1,64}\\.pdf");
  private static final Pattern SAFE_OC = Pattern.compile("[0-9]{8}_[A-Za-z0-9-]{1,64}_oc\\.pdf");
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  private final Path root;

  DocumentMirror(Path dataDir) {
    this.root = dataDir.toAbsolutePath().normalize();
  }

  /**
   * The file a document is mirrored to, or null when it is not mirrored (not tied to a
   * reservation).
   */
  Path target(StoredDocument doc) {
    if (doc.reservationId() == null) {
      return null;
    }
    boolean oc = doc.kind() == DocumentKind.PURCHASE_ORDER;
    String name = doc.safeName();
    if (name == null || !(oc ? SAFE_OC : SAFE_CONFIRMATION).matcher(name).matches()) {
      String id = doc.reservationId().replaceAll("[^A-Za-z0-9-]", "-");
      if (id.length() > 64) {
        id = id.substring(0, 64);
      }
      name = DAY.format(doc.storedAt()) + "_" + id + (oc ? "_oc.pdf" : ".pdf");
    }
    Path dir = root.resolve(oc ? "oc" : "confirmaciones");
    Path file = dir.resolve(name).normalize();
    if (!file.startsWith(dir) || !file.getParent().equals(dir)) {
      return null;
    }
    return file;
  }

  void write(StoredDocument doc) {
    Path file = target(doc);
    if (file == null) {
      return;
    }
    Path tmp = null;
    try {
      Files.createDirectories(file.getParent());
      tmp = Files.createTempFile(file.getParent(), ".mirror-", ".tmp");
      Files.write(tmp, doc.content());
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      LOG.warn("could not mirror document {} to {}: {}", doc.id(), file, e.toString());
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the database keeps the document
        }
      }
    }
  }
}
