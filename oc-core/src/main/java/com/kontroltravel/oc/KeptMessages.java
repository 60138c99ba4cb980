package com.kontroltravel.oc;

import com.kontroltravel.oc.model.Attachment;
import com.kontroltravel.oc.model.InboundMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The copy of an inbound message the engine keeps (for quarantined, ignored, reviewed and retrying
 * messages) so a person can inspect it and the engine can process it again: the decoded message
 * (headers the engine reads, text, attachments), in a small versioned binary format. Attachments
 * over {@link #MAX_KEPT_BYTES} in total are left out (their names and sizes are kept) so one huge
 * message cannot fill the store; such a copy cannot be reprocessed and says so.
 */
final class KeptMessages {
  /** Most attachment bytes kept for one message. */
  static final int MAX_KEPT_BYTES = 30 * 1024 * 1024;

  private static final int MAGIC = 0x4f434b31; // "OCK1"

  /** A decoded copy, and whether its attachments were all kept. */
  record Kept(InboundMessage message, boolean complete, List<String> leftOut) {}

  private KeptMessages() {}

  static byte[] encode(InboundMessage m) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      writeString(out, m.messageId());
      writeString(out, m.from());
      writeString(out, m.fromName());
      writeString(out, m.subject());
      writeString(out, m.textBody());
      out.writeLong(m.date() == null ? Long.MIN_VALUE : m.date().toEpochMilli());
      writeList(out, m.inReplyTo());
      writeList(out, m.references());
      writeList(out, m.problems());
      out.writeBoolean(m.authenticated());
      long total = 0;
      out.writeInt(m.attachments().size());
      for (Attachment a : m.attachments()) {
        writeString(out, a.fileName());
        writeString(out, a.contentType());
        boolean keep = total + a.content().length <= MAX_KEPT_BYTES;
        out.writeBoolean(keep);
        if (keep) {
          total += a.content().length;
          out.writeInt(a.content().length);
          out.write(a.content());
        } else {
          out.writeInt(a.content().length);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Decodes a copy; empty when the bytes are not one (a newer format, or damaged). */
  static Optional<Kept> decode(byte[] content) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(content))) {
      if (in.readInt() != MAGIC) {
        return Optional.empty();
      }
      InboundMessage.Builder b =
          InboundMessage.builder()
              .messageId(readString(in))
              .from(readString(in))
              .fromName(readString(in))
              .subject(readString(in))
              .textBody(readString(in));
      long date = in.readLong();
      b.date(date == Long.MIN_VALUE ? null : Instant.ofEpochMilli(date));
      b.inReplyTo(readList(in)).references(readList(in)).problems(readList(in));
      b.authenticated(in.readBoolean());
      int n = in.readInt();
      List<Attachment> attachments = new ArrayList<>();
      List<String> leftOut = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String name = readString(in);
        String type = readString(in);
        boolean kept = in.readBoolean();
        int size = in.readInt();
        if (kept) {
          attachments.add(new Attachment(name, type, in.readNBytes(size)));
        } else {
          leftOut.add((name == null ? "(unnamed)" : name) + " (" + size + " bytes)");
        }
      }
      return Optional.of(new Kept(b.attachments(attachments).build(), leftOut.isEmpty(), leftOut));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new IOException("truncated");
    }
    return new String(b, StandardCharsets.UTF_8);
  }

  private static void writeList(DataOutputStream out, List<String> list) throws IOException {
    out.writeInt(list.size());
    for (String s : list) {
      writeString(out, s);
    }
  }

  private static List<String> readList(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 10_000) {
      throw new IOException("bad list size " + n);
    }
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(readString(in));
    }
    return out;
  }
}
