package org.postern.engine.queue;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import org.postern.engine.global.TempFailException;

/**
 * A message being streamed into a queue file: its content (LF line ends) is written to
 * {@link #content()}, then {@link #commit()} makes the file durable under its name (file and
 * directory fsync'd, DESIGN.md); {@link #close()} without a commit abandons it and removes
 * the temp file, so nothing is queued. Memory use does not depend on the message's size.
 *
 * <p>Trusts nothing in the content. Write errors surface as IOException from the content
 * stream; every failure is temporary (4.3.0). One per message; not thread-safe.
 */
public interface MessageSink extends Closeable {
  /** Where the content goes; not to be closed by the caller. */
  OutputStream content();

  /** Makes the queue file durable under its name; returns only once it is. */
  void commit() throws TempFailException;

  /** Abandons the file unless committed (temp file removed); harmless after a commit. */
  @Override
  void close() throws IOException;
}
