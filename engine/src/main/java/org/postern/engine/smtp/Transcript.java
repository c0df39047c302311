package org.postern.engine.smtp;

import java.io.PrintStream;

/**
 * Receives every SMTP line the client sends and receives (not the message body), for
 * {@code sendmail -v} and debugging. Called on the delivering thread; an implementation must
 * not block for long and must not throw.
 */
public interface Transcript {
  /** A command line we sent, without CRLF. */
  void sent(String line);

  /** A reply line the server sent, without CRLF. */
  void received(String line);

  /** Drops everything. */
  Transcript NONE =
      new Transcript() {
        @Override
        public void sent(String line) {}

        @Override
        public void received(String line) {}
      };

  /** sendmail's verbose dialogue: {@code >>> } before our commands, replies as they are. */
  static Transcript printingTo(PrintStream out) {
    return new Transcript() {
      @Override
      public void sent(String line) {
        out.println(">>> " + line);
      }

      @Override
      public void received(String line) {
        out.println(line);
      }
    };
  }
}
