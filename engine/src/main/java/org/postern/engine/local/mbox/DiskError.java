package org.postern.engine.local.mbox;

import java.io.IOException;

/**
 * The DSN status of an error writing a message into a mailbox or maildir (Postfix
 * global/mbox_open.c mbox_dsn): disk full 4.3.1, quota or file size 4.2.2, else 4.3.0.
 *
 * <p>Trusts nothing; reads only the error's text, as the JDK gives no errno. Stateless.
 */
public final class DiskError {
  private DiskError() {}

  public static String status(IOException e) {
    String why = String.valueOf(e.getMessage());
    if (why.contains("No space left on device")) {
      return "4.3.1"; // RFC 3463: mail system full
    }
    if (why.contains("Disk quota exceeded") || why.contains("File too large")) {
      return "4.2.2"; // RFC 3463: mailbox full; Postfix bounces, we defer (spec g.3)
    }
    return "4.3.0";
  }
}
