package org.postern.engine.queue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A validated queue file: its envelope, and where its content lies in the file.
 *
 * <p>Only {@link QueueFileReader} makes these, after checking the end record, so the content
 * range can be trusted. The content is read on demand: by name (the file is re-opened each
 * time), or, for one read from an open file, from that same open file, never by name again
 * (root's local delivery service: a name swapped after validation changes nothing). The
 * channel's owner closes it. Immutable; thread-safe (positional reads).
 */
public final class QueueFile {
  private final Path path;
  private final Envelope envelope;
  private final long contentOffset;
  private final long contentLength;
  private final Optional<FileChannel> open;

  QueueFile(Path path, Envelope envelope, long contentOffset, long contentLength,
      Optional<FileChannel> open) {
    this.path = path;
    this.envelope = envelope;
    this.contentOffset = contentOffset;
    this.contentLength = contentLength;
    this.open = open;
  }

  /** The name it was read by (for messages; not re-opened when read from an open file). */
  public Path path() {
    return path;
  }

  public Envelope envelope() {
    return envelope;
  }

  public long contentOffset() {
    return contentOffset;
  }

  public long contentLength() {
    return contentLength;
  }

  /** The message content (headers and body, LF line ends). */
  public InputStream openContent() throws IOException {
    if (open.isPresent()) {
      return new ChannelRange(open.get(), contentOffset, contentLength, false);
    }
    return new ChannelRange(FileChannel.open(path, StandardOpenOption.READ), contentOffset,
        contentLength, true);
  }

  /** The whole content in memory (bounded by message_size_limit at submission). */
  public byte[] readContent() throws IOException {
    try (InputStream in = openContent()) {
      return in.readAllBytes();
    }
  }
}
