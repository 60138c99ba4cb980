package com.kontroltravel.oc.mail.jakarta;

import com.kontroltravel.oc.model.FetchBatch;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.MailboxCursor;
import com.kontroltravel.oc.spi.MailGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the engine does with a gateway, reduced to its intake duties: records each message once by
 * its dedup key, and saves the cursor to a file only after the batch is recorded.
 */
final class SimulatedEngine {
  final Map<String, InboundMessage> recorded = new LinkedHashMap<>();
  final List<String> fetchedKeys = new ArrayList<>();
  private final Path cursorFile;

  SimulatedEngine(Path cursorFile) {
    this.cursorFile = cursorFile;
  }

  MailboxCursor loadCursor() {
    try {
      if (!Files.exists(cursorFile)) {
        return null;
      }
      String[] f = Files.readString(cursorFile, StandardCharsets.UTF_8).split("\t");
      return new MailboxCursor(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void saveCursor(MailboxCursor c) {
    try {
      Path tmp = cursorFile.resolveSibling(cursorFile.getFileName() + ".tmp");
      Files.writeString(
          tmp, c.mailbox() + "\t" + c.uidValidity() + "\t" + c.uid(), StandardCharsets.UTF_8);
      Files.move(tmp, cursorFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Records a batch; returns how many were new. */
  int record(FetchBatch batch) {
    int added = 0;
    for (InboundMessage m : batch.messages()) {
      fetchedKeys.add(m.dedupKey());
      if (recorded.putIfAbsent(m.dedupKey(), m) == null) {
        added++;
      }
    }
    return added;
  }

  /** One engine step: fetch after the saved cursor, record, save. Returns the batch. */
  FetchBatch step(MailGateway gateway, int batchSize) {
    FetchBatch batch = gateway.fetch(loadCursor(), batchSize);
    record(batch);
    saveCursor(batch.cursor());
    return batch;
  }

  /** Steps until the mailbox has nothing more (bounded). */
  void drain(MailGateway gateway, int batchSize) {
    for (int round = 0; round < 1000; round++) {
      FetchBatch b = step(gateway, batchSize);
      if (!b.hasMore()) {
        return;
      }
    }
    throw new AssertionError("mailbox never drained");
  }
}
