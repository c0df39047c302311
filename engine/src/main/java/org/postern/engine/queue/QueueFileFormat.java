package org.postern.engine.queue;

/**
 * The on-disk layout of a queue file, shared by writer and reader.
 *
 * <p>Envelope records ({@code type byte, varint length, UTF-8 payload}) in a fixed order,
 * then {@code 'M'} and the message content (LF line ends, byte-exact), then a 10-byte end
 * record: {@code 'E'}, the CRC-32 of every byte before it as 8 hex digits, {@code '\n'}.
 * A file without a valid end record was not completely written and is never delivered.
 */
final class QueueFileFormat {
  private QueueFileFormat() {}

  static final byte VERSION = 'V';
  static final byte ARRIVAL = 'T';
  static final byte UID = 'U';
  static final byte LOGIN = 'L';
  static final byte SENDER = 'S';
  static final byte ATTRIBUTE = 'A';
  static final byte RECIPIENT = 'R';
  static final byte CONTENT = 'M';
  static final byte END = 'E';

  static final String CURRENT_VERSION = "1";
  static final int END_RECORD_LENGTH = 10;
  /** No envelope record is longer than this; a larger length means damage. */
  static final int MAX_RECORD = 1 << 20;
}
