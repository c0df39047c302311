package org.postern.engine.queue;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A queue file that does not follow the format: short, damaged or foreign. The queue moves
 * it to {@code corrupt/} and logs it; it is never delivered and never stops the queue.
 */
public final class CorruptQueueFileException extends IOException {
  private static final long serialVersionUID = 1L;

  public CorruptQueueFileException(Path file, String what) {
    super(file + ": corrupt queue file: " + what);
  }
}
