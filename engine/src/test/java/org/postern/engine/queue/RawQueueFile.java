package org.postern.engine.queue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Builds queue file bytes record by record, with a correct end record, so tests can write files
 * the writer never would (foreign versions, odd records) and see that only validation stops them.
 */
final class RawQueueFile {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A file with the records every valid file has, up to (not including) the recipients. */
  static RawQueueFile standard(String version) {
    return new RawQueueFile()
        .record('V', version)
        .record('T', "1700000000000")
        .record('U', "1000")
        .record('L', "alice")
        .record('S', "alice@example.org");
  }

  RawQueueFile record(char type, String payload) {
    byte[] b = payload.getBytes(StandardCharsets.UTF_8);
    out.write(type);
    int n = b.length;
    while (n >= 0x80) {
      out.write((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.write(n);
    out.writeBytes(b);
    return this;
  }

  /** The content record and the end record with the CRC of everything before it. */
  byte[] content(byte[] content) {
    out.write('M');
    out.writeBytes(content);
    CRC32 crc = new CRC32();
    crc.update(out.toByteArray());
    out.writeBytes(String.format("E%08x\n", crc.getValue()).getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
