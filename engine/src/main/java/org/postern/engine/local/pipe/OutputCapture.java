package org.postern.engine.local.pipe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a command's merged stdout and stderr to its end, keeping only the first
 * {@link #LIMIT} bytes for the delivery status (Postfix pipe_command.c keeps one buffer) and
 * discarding the rest, so the command never blocks on a full pipe.
 *
 * <p>Trusts nothing in the output: {@link #text} flattens it to one printable line. A read
 * error (the pipe broke because the command was killed) ends the capture with what was kept.
 * Runs on its own thread; {@link #text} may be called from another at any time.
 */
final class OutputCapture implements Runnable {
  /** How much output a status text carries at most. */
  static final int LIMIT = 2048;

  private final InputStream from;
  private final byte[] kept = new byte[LIMIT];
  private int length;

  OutputCapture(InputStream from) {
    this.from = from;
  }

  @Override
  public void run() {
    byte[] buffer = new byte[8192];
    try (InputStream in = from) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        keep(buffer, n);
      }
    } catch (IOException e) {
      // The command was killed or closed its output abnormally: what we kept is all there is.
    }
  }

  private synchronized void keep(byte[] buffer, int n) {
    int room = Math.min(n, LIMIT - length);
    System.arraycopy(buffer, 0, kept, length, room);
    length += room;
  }

  /** The kept output on one line: tabs and line ends as spaces, other controls as "_". */
  synchronized String text() {
    // Postfix: translit "\t\n" to spaces, printable(buf, '_') for everything else.
    // Malformed UTF-8 decodes to U+FFFD, which becomes "_" below.
    String decoded = new String(kept, 0, length, StandardCharsets.UTF_8);
    StringBuilder line = new StringBuilder(decoded.length());
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (c == '\t' || c == '\n') {
        line.append(' ');
      } else if (Character.isISOControl(c) || c == '\uFFFD') {
        line.append('_');
      } else {
        line.append(c);
      }
    }
    return line.toString().strip();
  }
}
