package org.postern.engine.queue;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.postern.maps.io.ProcessId;

/**
 * A queue id: 16 characters of [0-9A-Z] that sort by creation time and are unique on the
 * host without any shared state: 7 characters of epoch seconds, 4 of microseconds, 5 of the
 * creating process id (so two processes never collide, and one process bumps its own clock).
 *
 * <p>Ids parsed from file names are validated; nothing else is accepted as an id.
 * Immutable; {@link #next()} is thread-safe.
 */
public record QueueId(String value) implements Comparable<QueueId> {
  private static final AtomicLong LAST_MICROS = new AtomicLong();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PID = pad(ProcessId.current() % 60_466_176L, 5);

  public QueueId {
    if (!isValid(value)) {
      throw new IllegalArgumentException("not a queue id: " + value);
    }
  }

  /** Whether a file name is a queue id (and not a temp file or stray entry). */
  public static boolean isValid(String name) {
    if (name.length() != 16) {
      return false;
    }
    for (int i = 0; i < 16; i++) {
      char c = name.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z')) {
        return false;
      }
    }
    return true;
  }

  /** A new id, later than every id this process issued before. */
  public static QueueId next() {
    Instant now = Instant.now();
    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    long issued;
    long last;
    do {
      last = LAST_MICROS.get();
      issued = Math.max(last + 1, micros);
    } while (!LAST_MICROS.compareAndSet(last, issued));
    return new QueueId(pad(issued / 1_000_000L, 7) + pad(issued % 1_000_000L, 4) + PID);
  }

  /**
   * A name nobody can guess (82 random bits), for maildrop files: they are readable by the
   * mail owner's pickup, so by anyone who knows the name, and maildrop/ (1733) lets no one
   * else list it. Such an id's {@link #created} time means nothing.
   */
  public static QueueId unguessable() {
    StringBuilder b = new StringBuilder(16);
    for (int i = 0; i < 16; i++) {
      b.append(Character.toUpperCase(Character.forDigit(RANDOM.nextInt(36), 36)));
    }
    return new QueueId(b.toString());
  }

  /** The creation time encoded in the id, to the second. */
  public Instant created() {
    return Instant.ofEpochSecond(Long.parseLong(value.substring(0, 7), 36));
  }

  private static String pad(long n, int width) {
    String s = Long.toString(n, 36).toUpperCase(Locale.ROOT);
    if (s.length() > width) {
      throw new IllegalStateException("queue id field overflow: " + n);
    }
    return "0".repeat(width - s.length()) + s;
  }

  @Override
  public int compareTo(QueueId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
