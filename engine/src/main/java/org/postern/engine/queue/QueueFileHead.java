package org.postern.engine.queue;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.postern.engine.posix.NotRegularFileException;
import org.postern.engine.posix.OpenedFile;

/**
 * A queue file read for a listing only: its envelope and where its content lies, read by
 * {@link QueueFileReader#readHead} without reading the content or checking its CRC (so a
 * listing of 50,000 messages does not read 50,000 bodies). Never delivered from: delivery
 * reads through {@link QueueFileReader#read}, which validates everything.
 *
 * <p>Trusts the envelope as readHead checked it; the content is unverified. {@link #open}
 * is for the queue owner's own directories (0700: nobody else can place a link or FIFO
 * there), {@link #openForeign} for maildrop/, as OpenQueueFile opens it. Anything but a
 * regular file is a NotRegularFileException, damage a CorruptQueueFileException. Owns its
 * open file until {@link #close}. Not thread-safe.
 */
public final class QueueFileHead implements Closeable {
  private final Envelope envelope;
  private final long contentOffset;
  private final long contentLength;
  private final FileChannel channel;
  private Closeable owner;

  QueueFileHead(Envelope envelope, long contentOffset, long contentLength, FileChannel channel) {
    this.envelope = envelope;
    this.contentOffset = contentOffset;
    this.contentLength = contentLength;
    this.channel = channel;
    this.owner = channel;
  }

  /** A file in incoming/, active/, deferred/, hold/ or corrupt/. */
  public static QueueFileHead open(Path path) throws IOException {
    if (!Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        .isRegularFile()) {
      throw new NotRegularFileException(path.toString(), "not a regular file");
    }
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    try {
      return QueueFileReader.readHead(path, ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** A file a user may have placed (maildrop/): no link followed, no FIFO waited on. */
  public static QueueFileHead openForeign(Path path) throws IOException {
    OpenedFile f = OpenQueueFile.openRegular(path);
    try {
      QueueFileHead head = QueueFileReader.readHead(path, f.channel());
      head.owner = f;
      return head;
    } catch (IOException | RuntimeException e) {
      f.close();
      throw e;
    }
  }

  public Envelope envelope() {
    return envelope;
  }

  public long contentLength() {
    return contentLength;
  }

  /** The content (unverified), read from this open file; valid until {@link #close}. */
  public InputStream openContent() {
    return new ChannelRange(channel, contentOffset, contentLength, false);
  }

  @Override
  public void close() throws IOException {
    owner.close();
  }
}
