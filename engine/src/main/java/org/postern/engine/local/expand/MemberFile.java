package org.postern.engine.local.expand;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.postern.maps.aliases.AliasValue;

/**
 * Reads a {@code .forward} or {@code :include:} file: the alias right-hand-side syntax, one or
 * more members per line, {@code #} comment lines, each member with its line number.
 *
 * <p>The caller has checked the file with {@link SafeFile}; this only bounds what it reads
 * (1 MB: a forward file is a few lines, a long list some thousands). Stateless.
 */
final class MemberFile {
  /** One member and the line it is on. */
  record Member(String text, int line) {}

  private static final int LIMIT = 1 << 20;

  private MemberFile() {}

  static List<Member> read(Path file) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(LIMIT + 1);
    }
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
