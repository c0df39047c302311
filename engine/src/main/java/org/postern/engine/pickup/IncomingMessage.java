package org.postern.engine.pickup;

import java.io.IOException;
import java.io.OutputStream;
import org.postern.engine.cleanup.Cleanup;
import org.postern.engine.cleanup.ContentCleaner;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.TempFailException;
import org.postern.engine.queue.MessageSink;
import org.postern.engine.queue.QueueFileWriter;
import org.postern.engine.queue.QueueId;

/**
 * One message streaming through cleanup into its queue file: content written here goes
 * through the {@link ContentCleaner} into the {@link QueueFileWriter}; {@link #commit()}
 * ends the header section if no body came, commits the file, and logs Postfix's lines for it
 * ({@code uid= from=} for a local submission, then {@code message-id=}).
 *
 * <p>Trusts the cleaned envelope. Failures are temporary and, once closed, leave nothing in
 * the queue. One per message; not thread-safe.
 */
final class IncomingMessage implements MessageSink {
  private final QueueId id;
  private final Cleanup.Cleaned cleaned;
  private final QueueFileWriter writer;
  private final ContentCleaner content;
  private final MailLog log;

  IncomingMessage(QueueId id, Cleanup.Cleaned cleaned, QueueFileWriter writer,
      ContentCleaner content, MailLog log) {
    this.id = id;
    this.cleaned = cleaned;
    this.writer = writer;
    this.content = content;
    this.log = log;
  }

  @Override
  public OutputStream content() {
    return content;
  }

  @Override
  public void commit() throws TempFailException {
    try {
      content.finish();
    } catch (IOException e) {
      throw new TempFailException("4.3.0", id + ": cannot write: " + e.getMessage(), e);
    }
    writer.commit();
    if (cleaned.origin() == Cleanup.Origin.LOCAL) {
      log.info(id + ": uid=" + cleaned.envelope().uid() + " from=<"
          + cleaned.envelope().sender() + ">");
    }
    log.info(id + ": message-id=" + content.messageId().orElseThrow());
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
