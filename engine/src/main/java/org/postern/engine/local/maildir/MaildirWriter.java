package org.postern.engine.local.maildir;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.PermFailException;
import org.postern.engine.global.TempFailException;
import org.postern.engine.local.mbox.DiskError;
import org.postern.engine.local.mbox.MboxMessage;
import org.postern.maps.io.DurableFiles;

/**
 * Delivers one message into a maildir (Postfix local/maildir.c): creates {@code tmp/},
 * {@code new/} and {@code cur/} (mode 0700) when missing, writes the prepended headers and the
 * message, unquoted and without From_ line, to a new file in {@code tmp/} (mode 0600), forces
 * it to disk, links it into {@code new/} under a name made of its device and inode, removes
 * the {@code tmp/} name and forces {@code new/}, so a reader sees a whole message or none and
 * a delivery reported done survives a crash.
 *
 * <p>Runs with the caller's filesystem identity (the recipient's: the kernel decides);
 * trusts the message. Permanent, as in Postfix: permission denied, a path component that is
 * not a directory (5.2.0). Temporary: disk full (4.3.1), quota (4.2.2), other I/O errors
 * (4.3.0). A file left in {@code tmp/} is removed on failure. Thread-safe.
 */
public final class MaildirWriter {
  private static final FileAttribute<?> FILE_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final FileAttribute<?> DIR_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private final MaildirName names;
  private final Clock clock;
  private final MailLog log;

  public MaildirWriter(String hostname, long pid, Clock clock, MailLog log) {
    this.names = new MaildirName(hostname, pid);
    this.clock = clock;
    this.log = log;
  }

  /** Delivers {@code message} into {@code maildir}; returns the file's path in new/. */
  public Path deliver(Path maildir, MboxMessage message)
      throws TempFailException, PermFailException {
    Instant start = clock.instant();
    Path tmp = maildir.resolve("tmp").resolve(names.tmp(start));
    Path delivered;
    try {
      // Create the file exclusively (O_EXCL never follows a link), the directories if need be.
      FileChannel channel = create(maildir, tmp);
      try {
        try (channel) {
          write(channel, message);
          channel.force(true);
        }
        Map<String, Object> key = Files.readAttributes(tmp, "unix:dev,ino");
        delivered = maildir.resolve("new")
            .resolve(names.delivered(start, (Long) key.get("dev"), (Long) key.get("ino")));
        link(maildir, tmp, delivered);
      } finally {
        Files.deleteIfExists(tmp);
      }
      // Durable before we report success (DESIGN.md): the name in new/ too.
      DurableFiles.syncDirectory(delivered.getParent());
    } catch (AccessDeniedException e) {
      log.warning("maildir access problem for " + e.getFile() + ": permission denied; perhaps"
          + " the maildir must be created in advance");
      throw permanent(maildir, "Permission denied");
    } catch (IOException e) {
      if (notDirectory(e)) {
        throw permanent(maildir, "Not a directory");
      }
      throw new TempFailException(DiskError.status(e),
          "maildir delivery failed: " + maildir + ": " + e.getMessage(), e);
    }
    return delivered;
  }

  private static FileChannel create(Path maildir, Path tmp) throws IOException {
    try {
      return open(tmp);
    } catch (NoSuchFileException e) {
      Files.createDirectories(tmp.getParent(), DIR_MODE);
      return open(tmp);
    }
  }

  private static FileChannel open(Path tmp) throws IOException {
    return FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        FILE_MODE);
  }

  /** Postfix sane_link(); a maildir made by hand may lack new/ or cur/. */
  private static void link(Path maildir, Path tmp, Path delivered) throws IOException {
    try {
      Files.createLink(delivered, tmp);
    } catch (NoSuchFileException e) {
      Files.createDirectories(maildir.resolve("cur"), DIR_MODE);
      Files.createDirectories(maildir.resolve("new"), DIR_MODE);
      Files.createLink(delivered, tmp);
    }
  }

  /** The prepended headers, then the message as stored, its last line completed. */
  private static void write(FileChannel channel, MboxMessage message) throws IOException {
    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel),
        64 * 1024);
    StringBuilder head = new StringBuilder();
    for (String header : message.prependedHeaders()) {
      head.append(header).append('\n');
    }
    out.write(head.toString().getBytes(StandardCharsets.UTF_8));
    int last = '\n';
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = message.content().open()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        if (n > 0) {
          out.write(buffer, 0, n);
          last = buffer[n - 1];
        }
      }
    }
    if (last != '\n') {
      out.write('\n');
    }
    out.flush();
  }

  /** Postfix: EACCES, ENOTDIR bounce (5.2.0); the rest as for a mailbox. */
  private static PermFailException permanent(Path maildir, String why) {
    return new PermFailException("5.2.0", "maildir delivery failed: " + maildir + ": " + why);
  }

  /**
   * A file where the maildir or a directory above it should be: ENOTDIR, or what
   * createDirectories reports for it (EEXIST on a name that is not a directory).
   */
  private static boolean notDirectory(IOException e) {
    return e instanceof NotDirectoryException || e instanceof FileAlreadyExistsException
        || e instanceof FileSystemException f
        && String.valueOf(f.getReason()).contains("Not a directory");
  }
}
