package com.kontroltravel.oc.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Snapshots of a folder tree (path to size and modification time), to see what a run wrote. */
final class FileTree {
  private FileTree() {}

  /** Every file and folder under {@code root} (at most 200,000 entries), with size and mtime. */
  static Map<Path, String> snapshot(Path root) {
    Map<Path, String> out = new TreeMap<>();
    if (!Files.exists(root)) {
      return out;
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
              out.put(dir, "dir");
              return out.size() > 200_000 ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
              out.put(file, a.size() + "@" + a.lastModifiedTime().toMillis());
              return out.size() > 200_000 ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Entries new or changed in {@code after}, outside {@code allowed}. */
  static List<Path> writtenOutside(
      Map<Path, String> before, Map<Path, String> after, Path allowed) {
    List<Path> out = new ArrayList<>();
    Path a = allowed.toAbsolutePath().normalize();
    for (Map.Entry<Path, String> e : after.entrySet()) {
      Path p = e.getKey().toAbsolutePath().normalize();
      if (p.startsWith(a) || a.startsWith(p) && "dir".equals(e.getValue())) {
        continue;
      }
      String old = before.get(e.getKey());
      if (old == null || !old.equals(e.getValue()) && !"dir".equals(old)) {
        out.add(e.getKey());
      }
    }
    return out;
  }
}
