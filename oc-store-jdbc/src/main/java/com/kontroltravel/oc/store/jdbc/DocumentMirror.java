package com.kontroltravel.oc.store.jdbc;

import com.kontroltravel.oc.model.DocumentKind;
import com.kontroltravel.oc.model.StoredDocument;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies documents to the folders operators already know: {@code confirmaciones/YYYYMMDD_<id>.pdf}
 * and {@code oc/YYYYMMDD_<id>_oc.pdf} under one data folder. Names are built from a strict
 * alphabet, and a path that would leave the data folder is refused. Folders it creates are {@code
 * 0700} and files {@code 0600} whatever the umask (documents are the agencies' and guests' data).
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

  private static final Set<PosixFilePermission> DIR_0700 =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_0600 =
      PosixFilePermissions.fromString("rw-------");

  private static boolean posix(Path p) {
    Path existing = p.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    try {
      return existing != null
          && Files.getFileStore(existing).supportsFileAttributeView(PosixFileAttributeView.class);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Creates {@code dir} and its missing parents with mode {@code 0700} (set explicitly, so the
   * umask cannot widen or narrow it); folders that exist already are left as they are. No-op on
   * file systems without POSIX permissions.
   */
  static void privateDirectories(Path dir) throws IOException {
    Path d = dir.toAbsolutePath().normalize();
    if (Files.isDirectory(d)) {
      return;
    }
    if (!posix(d)) {
      Files.createDirectories(d);
      return;
    }
    java.util.ArrayDeque<Path> missing = new java.util.ArrayDeque<>();
    for (Path p = d; p != null && !Files.exists(p); p = p.getParent()) {
      missing.push(p);
    }
    while (!missing.isEmpty()) {
      Path p = missing.pop();
      try {
        Files.createDirectory(p, PosixFilePermissions.asFileAttribute(DIR_0700));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        continue; // made meanwhile by someone else: theirs
      }
      Files.setPosixFilePermissions(p, DIR_0700);
    }
  }

  /**
   * Creates {@code file} with mode {@code 0600} when missing, and sets {@code 0600} when it exists.
   * No-op on file systems without POSIX permissions.
   */
  static void privateFile(Path file) throws IOException {
    if (!posix(file)) {
      return;
    }
    if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_0600));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // made meanwhile: tightened below
      }
    }
    Files.setPosixFilePermissions(file, FILE_0600);
  }

  void write(StoredDocument doc) {
    Path file = target(doc);
    if (file == null) {
      return;
    }
    Path tmp = null;
    try {
      privateDirectories(file.getParent());
      tmp = Files.createTempFile(file.getParent(), ".mirror-", ".tmp");
      privateFile(tmp);
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
