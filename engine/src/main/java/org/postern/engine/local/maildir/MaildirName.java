package org.postern.engine.local.maildir;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique file names in a maildir (https://cr.yp.to/proto/maildir.html, as Postfix
 * local/maildir.c forms them): {@code SECONDS.ID.HOST}. In {@code tmp/} the ID is
 * {@code M<microseconds>P<pid>Q<deliveries>}: one JVM delivers in many threads at once, so
 * the pid alone (Postfix's choice, a process per delivery) is not exclusive, and the count of
 * this process's deliveries is added. In {@code new/} it is {@code V<dev>I<inode>M<usec>} of
 * the file itself, unique while the file exists.
 *
 * <p>Trusts the host name only after replacing {@code /} and {@code :} as the specification
 * says. Thread-safe.
 */
final class MaildirName {
  private final String host;
  private final long pid;
  private final AtomicLong deliveries = new AtomicLong();

  MaildirName(String hostname, long pid) {
    this.host = hostname.replace("/", "\\057").replace(":", "\\072");
    this.pid = pid;
  }

  /** A name for a new file in tmp/, never given twice by this instance. */
  String tmp(Instant now) {
    return now.getEpochSecond() + ".M" + micros(now) + "P" + pid + "Q"
        + deliveries.incrementAndGet() + "." + host;
  }

  /** The name in new/ of the file with device {@code dev} and inode {@code ino}. */
  String delivered(Instant now, long dev, long ino) {
    return now.getEpochSecond() + ".V" + Long.toHexString(dev) + "I" + Long.toHexString(ino)
        + "M" + micros(now) + "." + host;
  }

  private static long micros(Instant now) {
    return now.getNano() / 1000;
  }
}
