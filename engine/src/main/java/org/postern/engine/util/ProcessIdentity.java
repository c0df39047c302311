package org.postern.engine.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The user running this command: login name, real uid and gid, and the effective uid that
 * decides whether files can be given away (chown needs root).
 *
 * <p>Trusts the kernel's {@code /proc/self/status} and the JVM's {@code user.name}; spawns no
 * {@code id} process. A missing or unreadable status file is an IOException. Immutable.
 */
public record ProcessIdentity(String name, int uid, int gid, int effectiveUid) {
  private static final Path STATUS = Path.of("/proc/self/status");

  /** The user of this process. */
  public static ProcessIdentity current() throws IOException {
    List<String> lines = Files.readAllLines(STATUS, StandardCharsets.US_ASCII);
    int[] uids = ids(lines, "Uid:");
    int[] gids = ids(lines, "Gid:");
    return new ProcessIdentity(System.getProperty("user.name"), uids[0], gids[0], uids[1]);
  }

  public boolean isRoot() {
    return effectiveUid == 0;
  }

  /** The real and effective ids of a {@code Uid:}/{@code Gid:} line (real, effective, ...). */
  private static int[] ids(List<String> lines, String label) throws IOException {
    for (String line : lines) {
      if (line.startsWith(label)) {
        String[] f = line.substring(label.length()).strip().split("\\s+");
        try {
          return new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1])};
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
          throw new IOException(STATUS + ": malformed " + label + " line: " + line, e);
        }
      }
    }
    throw new IOException(STATUS + ": no " + label + " line");
  }
}
