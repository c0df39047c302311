package org.postern.engine.local.expand;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.postern.engine.local.RunAs;
import org.postern.engine.posix.FileStatus;
import org.postern.engine.posix.FsIdentity;
import org.postern.engine.posix.OpenFlag;
import org.postern.engine.posix.OpenedFile;
import org.postern.engine.posix.Posix;
import org.postern.maps.aliases.AliasValue;

/**
 * Reads a {@code .forward} or {@code :include:} file with the rights of the user it is read
 * for (the recipient of a .forward, the alias owner or default_privs for an alias), so the
 * kernel refuses what that user could not read: another user's file, /etc/shadow, a link to
 * either. The alias right-hand-side syntax, one or more members per line, {@code #} comment
 * lines, each member with its line number.
 *
 * <p>Trusts the kernel. Opens without blocking (a FIFO is not a file), asks {@link SafeFile}
 * about the opened file and its directories, and bounds what it reads (1 MB: a forward file
 * is a few lines, a long list some thousands). Stateless.
 */
final class MemberFile {
  /** One member and the line it is on. */
  record Member(String text, int line) {}

  /** What was read: the members and the file's owner, or why it may not be obeyed. */
  record Contents(List<Member> members, int owner, Optional<String> problem) {}

  private static final int LIMIT = 1 << 20;

  private MemberFile() {}

  /**
   * Opens {@code file} as {@code reader} and reads it, unless {@code safety} finds it unsafe
   * for a file obeyed on behalf of {@code uid} (then the problem, no members). A missing file
   * is a NoSuchFileException, one the reader may not open an AccessDeniedException.
   */
  static Contents read(Path file, RunAs reader, SafeFile safety, int uid) throws IOException {
    try (FsIdentity as = FsIdentity.assume(reader.uid(), reader.gid());
        OpenedFile f = Posix.open(file, EnumSet.of(OpenFlag.READ, OpenFlag.NONBLOCK), 0)) {
      FileStatus st = f.status();
      Optional<String> problem = safety.problem(file, st, uid < 0 ? st.uid() : uid);
      if (problem.isPresent()) {
        return new Contents(List.of(), st.uid(), problem);
      }
      return new Contents(parse(file, Channels.newInputStream(f.channel())), st.uid(),
          Optional.empty());
    }
  }

  private static List<Member> parse(Path file, InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(LIMIT + 1);
    if (bytes.length > LIMIT) {
      throw new IOException(file + ": larger than " + LIMIT + " bytes");
    }
    List<Member> members = new ArrayList<>();
    String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      for (String m : AliasValue.split(line)) {
        members.add(new Member(m, i + 1));
      }
    }
    return members;
  }
}
