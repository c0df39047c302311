package org.postern.engine.local.mbox;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where the message content comes from: opened once per append and read to its end.
 *
 * <p>The stream yields the message (headers, empty line, body) with LF line ends, exactly the
 * bytes to store; it may be large, so it is streamed and never held in memory. An IOException
 * from opening or reading it is a temporary failure of the delivery. The caller owns whatever
 * the stream reads from; {@link MboxAppender} closes the stream it opened.
 */
@FunctionalInterface
public interface MessageContent {
  /** Opens a fresh stream positioned at the first byte of the message. */
  InputStream open() throws IOException;
}
