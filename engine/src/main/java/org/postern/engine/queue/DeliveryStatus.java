package org.postern.engine.queue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.postern.engine.global.DsnStatus;
import org.postern.maps.io.DurableFiles;

/**
 * The progress of one queued message: how many attempts, when to try next, whether a delay
 * warning went out, each finished or deferred recipient's last result, and for a deferred
 * recipient that expands to several destinations (an alias, a .forward) the destinations
 * already delivered, so a retry does not repeat them. Lives in
 * {@code status/ID}, replaced durably after every attempt, so a recipient marked done is
 * never delivered again and nothing else is ever skipped.
 *
 * <p>Trusts only what it validates: a damaged status file is a {@link
 * CorruptQueueFileException}. Immutable; {@link #with} returns a changed copy.
 */
public record DeliveryStatus(
    int attempts,
    long nextAttemptMillis,
    boolean delayWarned,
    Map<Integer, Entry> recipients,
    Map<Integer, Set<String>> finished) {

  /** What happened to recipient number {@code index} of the envelope. */
  public enum Result {
    DELIVERED,
    BOUNCED,
    DEFERRED;

    public boolean isFinal() {
      return this != DEFERRED;
    }
  }

  /** One recipient's last result. */
  public record Entry(Result result, DsnStatus status, long whenMillis) {}

  public DeliveryStatus {
    recipients = Collections.unmodifiableMap(new TreeMap<>(recipients));
    Map<Integer, Set<String>> f = new TreeMap<>();
    finished.forEach((k, v) -> f.put(k, Set.copyOf(v)));
    finished = Collections.unmodifiableMap(f);
  }

  public static DeliveryStatus fresh() {
    return new DeliveryStatus(0, 0, false, Map.of(), Map.of());
  }

  /** Destinations of recipient {@code index} delivered in earlier attempts. */
  public Set<String> finishedDestinations(int index) {
    return finished.getOrDefault(index, Set.of());
  }

  /** Records the destinations of recipient {@code index} delivered so far. */
  public DeliveryStatus withFinished(int index, Set<String> destinations) {
    Map<Integer, Set<String>> f = new TreeMap<>(finished);
    if (destinations.isEmpty()) {
      f.remove(index);
    } else {
      f.put(index, destinations);
    }
    return new DeliveryStatus(attempts, nextAttemptMillis, delayWarned, recipients, f);
  }

  /** Whether recipient {@code index} still needs delivery. */
  public boolean isPending(int index) {
    Entry e = recipients.get(index);
    return e == null || !e.result().isFinal();
  }

  public DeliveryStatus with(int index, Entry entry) {
    Map<Integer, Entry> m = new TreeMap<>(recipients);
    m.put(index, entry);
    return new DeliveryStatus(attempts, nextAttemptMillis, delayWarned, m, finished);
  }

  public DeliveryStatus withAttempt(long nextAttempt) {
    return new DeliveryStatus(attempts + 1, nextAttempt, delayWarned, recipients, finished);
  }

  /**
   * Due at once ({@code postern queue requeue}, flush, release): the next attempt time is
   * cleared, and with {@code forgetBackoff} the attempt count too, so the next failure
   * waits only minimal_backoff_time. Recipient results are kept.
   */
  public DeliveryStatus dueNow(boolean forgetBackoff) {
    return new DeliveryStatus(forgetBackoff ? 0 : attempts, 0, delayWarned, recipients,
        finished);
  }

  public DeliveryStatus withDelayWarned() {
    return new DeliveryStatus(attempts, nextAttemptMillis, true, recipients, finished);
  }

  /** Reads the sidecar; a missing file means no attempt yet. */
  public static DeliveryStatus read(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return fresh();
    }
    if (!text.equals("end\n") && !text.endsWith("\nend\n")) {
      throw new CorruptQueueFileException(file, "status file without end line");
    }
    int attempts = 0;
    long next = 0;
    boolean warned = false;
    Map<Integer, Entry> m = new TreeMap<>();
    Map<Integer, Set<String>> done = new TreeMap<>();
    try {
      for (String line : text.split("\n")) {
        String[] f = line.split(" ", 6);
        switch (f[0]) {
          case "attempts":
            attempts = Integer.parseInt(f[1]);
            break;
          case "next":
            next = Long.parseLong(f[1]);
            break;
          case "warned":
            warned = f[1].equals("1");
            break;
          case "rcpt":
            m.put(
                Integer.parseInt(f[1]),
                new Entry(
                    Result.valueOf(f[2]),
                    new DsnStatus(f[3], f.length > 5 ? f[5] : ""),
                    Long.parseLong(f[4])));
            break;
          case "done":
            // done INDEX KEY: a destination of recipient INDEX already delivered
            done.computeIfAbsent(Integer.parseInt(f[1]), k -> new TreeSet<>())
                .add(line.substring(line.indexOf(' ', 5) + 1));
            break;
          case "end":
            break;
          default:
            throw new CorruptQueueFileException(file, "unknown line " + f[0]);
        }
      }
    } catch (RuntimeException e) {
      throw new CorruptQueueFileException(file, "bad line: " + e.getMessage());
    }
    return new DeliveryStatus(attempts, next, warned, m, done);
  }

  /** Replaces the sidecar durably. */
  public void write(Path file) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("attempts ").append(attempts).append('\n');
    b.append("next ").append(nextAttemptMillis).append('\n');
    b.append("warned ").append(delayWarned ? 1 : 0).append('\n');
    for (Map.Entry<Integer, Entry> e : recipients.entrySet()) {
      Entry v = e.getValue();
      String text = v.status().text().replace('\n', ' ');
      b.append("rcpt ")
          .append(e.getKey())
          .append(' ')
          .append(v.result())
          .append(' ')
          .append(v.status().code())
          .append(' ')
          .append(v.whenMillis())
          .append(' ')
          .append(text)
          .append('\n');
    }
    for (Map.Entry<Integer, Set<String>> e : finished.entrySet()) {
      for (String key : e.getValue()) {
        b.append("done ").append(e.getKey()).append(' ').append(key.replace('\n', ' '))
            .append('\n');
      }
    }
    b.append("end\n");
    byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
    DurableFiles.write(file, QueueDirectory.FILE_MODE, out -> out.write(bytes));
  }
}
