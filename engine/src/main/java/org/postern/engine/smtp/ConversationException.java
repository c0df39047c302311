package org.postern.engine.smtp;

import java.io.IOException;

/**
 * The conversation with a server broke: the connection was lost, a read or write timed out,
 * or the server sent something that is not an SMTP reply. Always temporary for the mail
 * involved; the connection is unusable afterwards.
 *
 * <p>An {@link IOException} so that it passes through stream code (the message body copy),
 * where any other IOException means our own side (the queue file) failed.
 */
final class ConversationException extends IOException {
  private static final long serialVersionUID = 1L;

  enum Kind {
    LOST,
    TIMED_OUT,
    MALFORMED_REPLY
  }

  private final Kind kind;
  private final transient Stage stage;

  ConversationException(Kind kind, Stage stage, String detail, Throwable cause) {
    super(kind + " while " + stage.activity + (detail.isEmpty() ? "" : ": " + detail), cause);
    this.kind = kind;
    this.stage = stage;
  }

  Kind kind() {
    return kind;
  }

  Stage stage() {
    return stage;
  }
}
