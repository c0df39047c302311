package org.postern.engine.queue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.postern.maps.io.DurableFiles;

/**
 * Writes one queue file durably (see {@link QueueFileFormat}): through {@link DurableFiles},
 * so the file appears under its final name only complete and fsync'd.
 *
 * <p>Trusts the envelope (validated by its builder). IOException means nothing was written.
 * Stateless.
 */
public final class QueueFileWriter {
  private QueueFileWriter() {}

  /** Body of a queue file's content record: the message bytes with LF line ends. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  public static void write(Path target, String permissions, Envelope env, Content content)
      throws IOException {
    DurableFiles.write(
        target,
        permissions,
        raw -> {
          CRC32 crc = new CRC32();
          CheckedOutputStream out = new CheckedOutputStream(raw, crc);
          record(out, QueueFileFormat.VERSION, QueueFileFormat.CURRENT_VERSION);
          record(out, QueueFileFormat.ARRIVAL, Long.toString(env.arrivalMillis()));
          record(out, QueueFileFormat.UID, Integer.toString(env.uid()));
          record(out, QueueFileFormat.LOGIN, env.login());
          record(out, QueueFileFormat.SENDER, env.sender());
          for (Map.Entry<String, String> a : new java.util.TreeMap<>(env.attributes()).entrySet()) {
            record(out, QueueFileFormat.ATTRIBUTE, a.getKey() + "=" + a.getValue());
          }
          for (Recipient r : env.recipients()) {
            record(out, QueueFileFormat.RECIPIENT, r.address() + '\0' + r.original() + '\0' + r.notifyList());
          }
          out.write(QueueFileFormat.CONTENT);
          content.writeTo(out);
          out.flush();
          String end = String.format("%c%08x\n", (char) QueueFileFormat.END, crc.getValue());
          raw.write(end.getBytes(StandardCharsets.US_ASCII));
        });
  }

  private static void record(OutputStream out, byte type, String payload) throws IOException {
    byte[] b = payload.getBytes(StandardCharsets.UTF_8);
    out.write(type);
    int n = b.length;
    while (n >= 0x80) {
      out.write((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.write(n);
    out.write(b);
  }
}
