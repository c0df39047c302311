package org.postern.compat.migrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A sendmail class file such as {@code /etc/mail/local-host-names}, {@code relay-domains} or
 * {@code trusted-users}, read as sendmail's {@code F} line with Debian's {@code %[^\#]}
 * pattern reads it: each line up to a {@code #}, split at blanks, one word per member.
 *
 * <p>Trusts nothing in the file. {@code name} is the file as named under the migrated root
 * ({@code /etc/mail/local-host-names}); a missing file has no members (sendmail's
 * {@code -o}); an unreadable one is an IOException. Immutable.
 */
record ClassFile(String name, List<Member> members) {
  /** One word of the file and its line. */
  record Member(String word, int line) {
    String origin(String file) {
      return file + ":" + line;
    }
  }

  ClassFile {
    members = List.copyOf(members);
  }

  static ClassFile read(Path root, String name) throws IOException {
    Path file = SendmailReader.under(root, name);
    List<Member> members = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return new ClassFile(name, members);
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i);
      int hash = text.indexOf('#');
      for (String word : (hash < 0 ? text : text.substring(0, hash)).strip().split("\\s+")) {
        if (!word.isEmpty()) {
          members.add(new Member(word, i + 1));
        }
      }
    }
    return new ClassFile(name, members);
  }

  List<String> words() {
    return members.stream().map(Member::word).toList();
  }

  /** {@code file:line} of the first member, or the file alone. */
  String origin() {
    return members.isEmpty() ? name : members.get(0).origin(name);
  }
}
