package com.kontroltravel.oc.examples;

import com.kontroltravel.oc.exception.ConfigurationException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * On SQLite one engine owns the file: {@code run} holds an exclusive lock on {@code
 * <database>.engine.lock} while it runs, and a second runner on the same file refuses to start
 * (exit 2) instead of racing the first. PostgreSQL needs no lock (claims are safe across engines).
 */
final class EngineLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private EngineLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of the SQLite file the settings name (none for other databases).
   *
   * @throws ConfigurationException when another runner holds it
   */
  static EngineLock acquire(RunnerSettings settings) {
    Optional<Path> db = sqliteFile(settings.databaseUrl());
    if (db.isEmpty()) {
      return new EngineLock(null, null);
    }
    Path file = db.get().resolveSibling(db.get().getFileName() + ".engine.lock");
    String busy =
        "another oc-runner is running on "
            + db.get()
            + " (it holds "
            + file
            + "): on SQLite one engine owns the file; stop it first, or use PostgreSQL for several";
    FileChannel ch = null;
    try {
      Files.createDirectories(file.getParent());
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the lock still works
      }
      FileLock l = ch.tryLock();
      if (l == null) {
        ch.close();
        throw new ConfigurationException(List.of(busy));
      }
      return new EngineLock(ch, l);
    } catch (OverlappingFileLockException e) {
      closeQuietly(ch);
      throw new ConfigurationException(List.of(busy));
    } catch (IOException e) {
      closeQuietly(ch);
      throw new ConfigurationException(List.of("cannot lock " + file + ": " + e.getMessage()));
    }
  }

  static Optional<Path> sqliteFile(String url) {
    if (!url.startsWith("jdbc:sqlite:") || url.contains(":memory:")) {
      return Optional.empty();
    }
    String file = url.substring("jdbc:sqlite:".length());
    int q = file.indexOf('?');
    file = q < 0 ? file : file.substring(0, q);
    return file.isEmpty() || file.startsWith("file:")
        ? Optional.empty()
        : Optional.of(Path.of(file).toAbsolutePath());
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing after a failure
      }
    }
  }

  /** Releases the lock. Idempotent. */
  @Override
  public void close() {
    if (channel != null && channel.isOpen()) {
      try {
        lock.release();
      } catch (IOException ignored) {
        // the channel's close below releases it too
      }
      closeQuietly(channel);
    }
  }
}
