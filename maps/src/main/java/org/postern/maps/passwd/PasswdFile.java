package org.postern.maps.passwd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postern.maps.LookupException;

/**
 * The users of a relocatable instance: a passwd(5)-format file read once.
 *
 * <p>Trusts nothing in the file: a malformed line is an error naming file:line (the whole
 * file is refused, so a typo never makes a user silently "unknown"). Immutable once loaded.
 */
public final class PasswdFile implements UserDirectory {
  private final Map<String, PasswdEntry> byName;

  private PasswdFile(Map<String, PasswdEntry> byName) {
    this.byName = byName;
  }

  public static PasswdFile load(Path file) throws LookupException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new LookupException("read " + file + ": " + e.getMessage(), e);
    }
    Map<String, PasswdEntry> m = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      try {
        PasswdEntry e = PasswdEntry.parse(line);
        m.putIfAbsent(e.name(), e);
      } catch (IllegalArgumentException e) {
        throw new LookupException(file + ", line " + (i + 1) + ": " + e.getMessage());
      }
    }
    return new PasswdFile(m);
  }

  @Override
  public Optional<PasswdEntry> byName(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  @Override
  public Optional<PasswdEntry> byUid(int uid) {
    return byName.values().stream().filter(e -> e.uid() == uid).findFirst();
  }

  /** Every user, in file order. */
  public List<PasswdEntry> entries() {
    return List.copyOf(byName.values());
  }
}
