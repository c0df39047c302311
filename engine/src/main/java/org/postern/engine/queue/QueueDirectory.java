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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.postern.maps.io.DurableFiles;

/**
 * The queue on disk: one directory per {@link QueueState}, plus {@code status/} for the
 * per-recipient progress of messages that have had a delivery attempt.
 *
 * <p>Trusts the queue root from the configuration; validates every name it lists (only
 * queue ids are returned, temp files and strays are skipped). Moves are atomic renames
 * followed by directory fsyncs. Thread-safe (holds no state beyond the root path).
 */
public final class QueueDirectory {
  /** Age after which a temp file is a crashed writer's leftover, not a write in progress. */
  private static final long STALE_TEMP_MILLIS = 3600_000L;

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
    return root.resolve(STATUS).resolve(id.value());
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
   * Temp files in a state directory left by a crashed writer: older than an hour. Younger
   * ones may be being written right now (the daemon queues while a queue run goes on).
   */
  public List<Path> staleTempFiles(QueueState state, long nowMillis) throws IOException {
    FileTime cutoff = FileTime.fromMillis(nowMillis - STALE_TEMP_MILLIS);
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds =
        Files.newDirectoryStream(dir(state), DurableFiles.TEMP_PREFIX + "*")) {
      for (Path temp : ds) {
        try {
          if (Files.getLastModifiedTime(temp).compareTo(cutoff) < 0) {
            out.add(temp);
          }
        } catch (NoSuchFileException e) {
          // finished by its writer meanwhile
        }
      }
    }
    return out;
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
