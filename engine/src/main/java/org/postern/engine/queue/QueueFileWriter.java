package org.postern.engine.queue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.postern.engine.global.TempFailException;
import org.postern.maps.io.DurableFile;
import org.postern.maps.io.DurableFiles;

/**
 * Writes one queue file durably (see {@link QueueFileFormat}) through {@link DurableFiles}, so
 * the file appears under its final name only complete and fsync'd: the envelope records when
 * opened, then the content as the caller streams it, then the end record (CRC) at commit.
 *
 * <p>Trusts the envelope (validated by its builder). An IOException (a TempFailException
 * from {@link #commit()}) means nothing was queued, the temp file removed once closed. Holds
 * one buffer, whatever the message's size. One per file; not thread-safe.
 */
public final class QueueFileWriter implements MessageSink {
  private final Path target;
  private final DurableFile file;
  private final CRC32 crc = new CRC32();
  private final CheckedOutputStream content;

  /** Body of a queue file's content record: the message bytes with LF line ends. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private QueueFileWriter(Path target, DurableFile file) {
    this.target = target;
    this.file = file;
    this.content = new CheckedOutputStream(file.out(), crc);
  }

  public static void write(Path target, String permissions, Envelope env, Content content)
      throws IOException {
    try (QueueFileWriter writer = open(target, permissions, env)) {
      content.writeTo(writer.content());
      writer.finish();
    }
  }

  /** Starts {@code target}: the temp file holds the envelope; the content is the caller's. */
  public static QueueFileWriter open(Path target, String permissions, Envelope env)
      throws IOException {
    DurableFile file = DurableFiles.open(target, permissions);
    try {
      QueueFileWriter writer = new QueueFileWriter(target, file);
      writer.envelope(env);
      return writer;
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  @Override
  public OutputStream content() {
    return content;
  }

  @Override
  public void commit() throws TempFailException {
    try {
      finish();
    } catch (IOException e) {
      throw new TempFailException("4.3.0", "cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    file.close();
  }

  private void envelope(Envelope env) throws IOException {
    record(QueueFileFormat.VERSION, QueueFileFormat.CURRENT_VERSION);
    record(QueueFileFormat.ARRIVAL, Long.toString(env.arrivalMillis()));
    record(QueueFileFormat.UID, Integer.toString(env.uid()));
    record(QueueFileFormat.LOGIN, env.login());
    record(QueueFileFormat.SENDER, env.sender());
    for (Map.Entry<String, String> a : new TreeMap<>(env.attributes()).entrySet()) {
      record(QueueFileFormat.ATTRIBUTE, a.getKey() + "=" + a.getValue());
    }
    for (Recipient r : env.recipients()) {
      record(QueueFileFormat.RECIPIENT, r.address() + '\0' + r.original() + '\0' + r.notifyList());
    }
    content.write(QueueFileFormat.CONTENT);
  }

  /** The end record (CRC of everything before it), then the durable commit. */
  private void finish() throws IOException {
    String end = String.format("%c%08x\n", (char) QueueFileFormat.END, crc.getValue());
    file.out().write(end.getBytes(StandardCharsets.US_ASCII));
    file.commit();
  }

  private void record(byte type, String payload) throws IOException {
    byte[] b = payload.getBytes(StandardCharsets.UTF_8);
    content.write(type);
    int n = b.length;
    while (n >= 0x80) {
      content.write((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    content.write(n);
    content.write(b);
  }
}
