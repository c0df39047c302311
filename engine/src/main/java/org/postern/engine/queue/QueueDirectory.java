package org.postern.engine.queue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.postern.engine.posix.Posix;
import org.postern.maps.io.DurableFiles;

/**
 * The queue on disk: one directory per {@link QueueState}, plus {@code status/} for the
 * per-recipient progress of messages that have had a delivery attempt.
 *
 * <p>Trusts the queue root from the configuration; validates every name it lists (only
 * queue ids are returned, temp files and strays are skipped). Moves are atomic renames
 * followed by directory fsyncs. A temp file is a write in progress while the process named
 * in it lives, then a leftover to reap. Thread-safe (holds no state beyond the root path).
 */
public final class QueueDirectory {
  /** Age after which a temp file whose name carries no writer pid is a leftover. */
  private static final long FOREIGN_TEMP_MILLIS = 3600_000L;

  /** How much later than a temp file's last write its pid's process must have started. */
  private static final long PID_REUSE_SLACK_MILLIS = 2000L;

  /** Mode of ordinary queue files (maildrop files keep their submitter's ownership). */
  public static final String FILE_MODE = "rw-------";

  /**
   * Mode of maildrop files: the submitter owns them (the identity pickup trusts) and the mail
   * owner's pickup must read them; their names are unguessable ({@link QueueId#unguessable}).
   */
  public static final String MAILDROP_FILE_MODE = "rw-r--r--";

  private static final String STATUS = "status";
  private final Path root;

  public QueueDirectory(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** Writes a new message durably into {@code state} (see {@link QueueFileWriter}). */
  public void write(QueueState state, QueueId id, Envelope env, QueueFileWriter.Content content)
      throws IOException {
    QueueFileWriter.write(file(state, id), FILE_MODE, env, content);
  }

  /** Creates the queue directories that are missing, with their modes. */
  public void create() throws IOException {
    Files.createDirectories(root);
    for (QueueState s : QueueState.values()) {
      Path dir = dir(s);
      if (!Files.isDirectory(dir)) {
        Files.createDirectory(dir);
      }
      // PosixFilePermissions cannot express the sticky bit of maildrop's rwx-wx-wt.
      Files.setAttribute(dir, "unix:mode", mode(s.permissions()));
    }
    Path status = root.resolve(STATUS);
    if (!Files.isDirectory(status)) {
      Files.createDirectory(status, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rwx------")));
    }
  }

  public Path dir(QueueState state) {
    return root.resolve(state.dirName());
  }

  public Path file(QueueState state, QueueId id) {
    return dir(state).resolve(id.value());
  }

  /** The sidecar holding per-recipient progress (see {@link DeliveryStatus}). */
  public Path statusFile(QueueId id) {
    return statusDir().resolve(id.value());
  }

  /** The directory of the status sidecars. */
  public Path statusDir() {
    return root.resolve(STATUS);
  }

  /** Queue ids in a state directory, oldest first; non-id names are skipped. */
  public List<QueueId> list(QueueState state) throws IOException {
    List<QueueId> ids = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir(state))) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (QueueId.isValid(name)) {
          ids.add(new QueueId(name));
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    Collections.sort(ids);
    return ids;
  }

  /**
   * The state a message is in now, looking where a message can be (never corrupt/). A queue
   * run may move it a moment later: callers act by rename and look again when that fails.
   * An unsearchable state directory is an AccessDeniedException, not "no such message".
   */
  public Optional<QueueState> locate(QueueId id) throws IOException {
    for (QueueState s : new QueueState[] {QueueState.MAILDROP, QueueState.INCOMING,
        QueueState.ACTIVE, QueueState.DEFERRED, QueueState.HOLD}) {
      try {
        Files.readAttributes(file(s, id), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return Optional.of(s);
      } catch (NoSuchFileException e) {
        // not in this state; look in the next
      }
    }
    return Optional.empty();
  }

  /**
   * Temp files in a state directory left by a writer that is gone (see {@link #staleTempFiles(
   * Path, long)}); a queue run or pickup reaps them at once instead of after an hour.
   */
  public List<Path> staleTempFiles(QueueState state, long nowMillis) throws IOException {
    return staleTempFiles(dir(state), nowMillis);
  }

  /**
   * Temp files in {@code dir} whose writer is gone: the process named by the pid in the temp
   * name ({@link DurableFiles#writerPid}) has exited, or that pid now belongs to a process
   * started after the file was last written (a daemon restarted in a fresh pid namespace may
   * get its old pid back). A live writer's file is never taken, however long it waits for
   * input (a slow pipe into sendmail). A temp name without a pid is not ours (anyone may write
   * into maildrop/): it is taken once it is an hour old.
   */
  public List<Path> staleTempFiles(Path dir, long nowMillis) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, DurableFiles.TEMP_PREFIX + "*")) {
      for (Path temp : ds) {
        try {
          FileTime modified = Files.getLastModifiedTime(temp, LinkOption.NOFOLLOW_LINKS);
          if (abandoned(temp, modified.toMillis(), nowMillis)) {
            out.add(temp);
          }
        } catch (NoSuchFileException e) {
          // finished by its writer meanwhile
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    return out;
  }

  /** Whether temp file {@code temp}, last written at {@code modifiedMillis}, has no writer. */
  private static boolean abandoned(Path temp, long modifiedMillis, long nowMillis)
      throws IOException {
    OptionalLong pid = DurableFiles.writerPid(temp.getFileName().toString());
    if (pid.isEmpty()) {
      return modifiedMillis < nowMillis - FOREIGN_TEMP_MILLIS;
    }
    if (pid.getAsLong() > Integer.MAX_VALUE || !Posix.alive(pid.getAsLong())) {
      return true;
    }
    // A process we cannot see (another user's, under hidepid) counts as the writer. The
    // kernel gives start times to the clock tick and boot time to the second: allow slack.
    Optional<Instant> started =
        ProcessHandle.of(pid.getAsLong()).flatMap(p -> p.info().startInstant());
    return started.isPresent()
        && started.get().toEpochMilli() > modifiedMillis + PID_REUSE_SLACK_MILLIS;
  }

  /** Atomically moves a message from one state to another. */
  public void move(QueueId id, QueueState from, QueueState to) throws IOException {
    DurableFiles.move(file(from, id), file(to, id));
  }

  /** Removes a finished message: its file first, then its status sidecar. */
  public void remove(QueueId id, QueueState state) throws IOException {
    DurableFiles.delete(file(state, id));
    Path status = statusFile(id);
    if (Files.exists(status)) {
      DurableFiles.delete(status);
    }
  }

  /** An ls(1)-style mode ({@code rwx-wx-wt}) as a number, with setuid, setgid and sticky. */
  static int mode(String text) {
    int mode = 0;
    for (int i = 0; i < 9; i++) {
      char c = text.charAt(i);
      if (c != '-' && c != 'S' && c != 'T') {
        mode |= 1 << (8 - i);
      }
      if (i % 3 == 2 && (Character.toLowerCase(c) == 's' || Character.toLowerCase(c) == 't')) {
        mode |= 04000 >> (i / 3);
      }
    }
    return mode;
  }
}
