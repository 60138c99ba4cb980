package com.kontroltravel.oc.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock whose time is an ISO-8601 instant in a file that another process rewrites (the kill
 * test's driver moves the runner's time across business days this way). The file is re-read when
 * its modification time or size changes, and at least every 100 ms; an unreadable or half-written
 * file keeps the last time; time never goes backwards.
 */
final class FileClock extends Clock {
  private final Path file;
  private final ZoneId zone;
  private Instant current = Instant.EPOCH;
  private FileTime seenTime;
  private long seenSize = -1;
  private long readAtNanos;

  FileClock(Path file, ZoneId zone) {
    this.file = file;
    this.zone = zone;
    instant();
  }

  FileClock(Path file) {
    this(file, ZoneOffset.UTC);
  }

  /** Writes {@code instant} to {@code file} atomically (what the driver calls). */
  static void write(Path file, Instant instant) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, instant.toString(), StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId z) {
    return new FileClock(file, z);
  }

  @Override
  public synchronized Instant instant() {
    try {
      long now = System.nanoTime();
      FileTime t = Files.getLastModifiedTime(file);
      long size = Files.size(file);
      if (!t.equals(seenTime) || size != seenSize || now - readAtNanos > 100_000_000L) {
        String s = Files.readString(file, StandardCharsets.US_ASCII).trim();
        Instant read = Instant.parse(s);
        seenTime = t;
        seenSize = size;
        readAtNanos = now;
        if (read.isAfter(current)) {
          current = read;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Missing or half-written: keep the last time.
    }
    return current;
  }
}
