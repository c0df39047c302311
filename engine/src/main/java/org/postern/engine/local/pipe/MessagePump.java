package org.postern.engine.local.pipe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.postern.engine.local.mbox.MessageContent;

/**
 * Writes the message to a command's stdin: the envelope and prepended lines as given, then the
 * content byte for byte, with no {@code >From} quoting (Postfix quotes only for mailboxes and
 * files) and its last line completed with LF, as Postfix's record-based copy does.
 *
 * <p>A write error means the command stopped reading (EPIPE): that is allowed, its exit
 * status decides (Postfix pipe_command.c). A read error on the content is ours: it is kept
 * for the caller and {@code abort} kills the command, so it cannot act on half a message.
 * Runs on its own thread; {@link #readFailure} is read after the thread ends.
 */
final class MessagePump implements Runnable {
  private final byte[] head;
  private final MessageContent content;
  private final OutputStream to;
  private final Runnable abort;
  private volatile IOException readFailure;

  MessagePump(byte[] head, MessageContent content, OutputStream to, Runnable abort) {
    this.head = head;
    this.content = content;
    this.to = to;
    this.abort = abort;
  }

  @Override
  public void run() {
    try (InputStream in = content.open()) {
      if (!write(head, head.length)) {
        return;
      }
      byte[] buffer = new byte[64 * 1024];
      int last = '\n';
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        if (n > 0) {
          if (!write(buffer, n)) {
            return;
          }
          last = buffer[n - 1];
        }
      }
      if (last != '\n') {
        write(new byte[] {'\n'}, 1);
      }
    } catch (IOException e) {
      readFailure = e;
      abort.run();
    } finally {
      close();
    }
  }

  /** The error reading the message content, if there was one. */
  Optional<IOException> readFailure() {
    return Optional.ofNullable(readFailure);
  }

  /** False when the command no longer reads its input. */
  private boolean write(byte[] bytes, int length) {
    try {
      to.write(bytes, 0, length);
      return true;
    } catch (IOException e) {
      return false; // EPIPE: the command exited or closed stdin; not an error by itself
    }
  }

  private void close() {
    try {
      to.close();
    } catch (IOException e) {
      // Flushing into a pipe the command closed: EPIPE again, not an error by itself.
    }
  }
}
