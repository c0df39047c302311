package org.postern.engine.postdrop;

import java.io.IOException;
import java.nio.file.Path;
import org.postern.engine.global.TempFailException;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFileWriter;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;

/**
 * Drops a submission into {@code maildrop/} as the submitting user (Postfix's postdrop):
 * the file's owner is the identity pickup will trust, whatever the envelope claims. The file
 * is readable by the mail owner's pickup (and so by anyone who knows its name: the name is
 * unguessable, and maildrop/ cannot be listed by other users).
 *
 * <p>Trusts its caller's envelope only as far as pickup re-checks it. Returns only after
 * file and directory are fsync'd; any I/O failure is temporary (EX_TEMPFAIL at the command)
 * and leaves nothing behind. Stateless.
 */
public final class MaildropWriter {
  private final QueueDirectory queue;

  public MaildropWriter(QueueDirectory queue) {
    this.queue = queue;
  }

  /** Writes the submission durably and returns the maildrop file's id. */
  public QueueId write(Envelope envelope, byte[] content) throws TempFailException {
    QueueId id = QueueId.unguessable();
    Path target = queue.file(QueueState.MAILDROP, id);
    try {
      QueueFileWriter.write(target, QueueDirectory.MAILDROP_FILE_MODE, envelope,
          out -> out.write(content));
    } catch (IOException e) {
      throw new TempFailException("4.3.0", "cannot write " + target + ": " + describe(e), e);
    }
    return id;
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "Permission denied";
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "No such file or directory";
    }
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
