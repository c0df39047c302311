package org.postern.compat.migrate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * sendmail's local mailer ({@code P=} path and {@code A=} argument vector) turned into
 * Postern's {@code mailbox_command}, which local(8) runs as the recipient after aliases and
 * .forward with SENDER, USER and EXTENSION in its environment and the From_ line first.
 *
 * <p>mail.local writes the spool mailbox, which is what Postern does without a command.
 * Debian's sensible-mda hands the mail to the first of procmail, maildrop, deliver and
 * mail.local installed ({@code sensible-mda(8)}); procmail and maildrop become the command,
 * the others the spool. Any other program keeps its arguments, sendmail's {@code $u},
 * {@code $h}, {@code $f}/{@code $g} becoming {@code "$USER"}, {@code "$EXTENSION"},
 * {@code "$SENDER"}; a macro Postern cannot give makes {@link #command} empty with the
 * reason. Trusts nothing in the text; reads only whether programs exist under the root.
 * Immutable.
 */
record LocalMailer(String path, String args) {
  /** What the local mailer means for Postern. */
  record Outcome(Optional<String> command, Optional<String> problem) {}

  Outcome translate(Path root) {
    String program = Path.of(path).getFileName().toString();
    if (program.equals("mail.local")) {
      return new Outcome(Optional.empty(), Optional.empty());
    }
    if (program.equals("sensible-mda")) {
      // sensible-mda's own choice, without -d and -f: the command runs as the recipient, and
      // procmail reads the sender from the From_ line Postern writes.
      if (Files.isRegularFile(SendmailReader.under(root, "/usr/bin/procmail"))) {
        return command("/usr/bin/procmail -t -a \"$EXTENSION\"");
      }
      if (Files.isRegularFile(SendmailReader.under(root, "/usr/bin/maildrop"))) {
        return command("/usr/bin/maildrop -d \"$USER\" \"$EXTENSION\"");
      }
      return new Outcome(Optional.empty(), Optional.empty());
    }
    String[] words = args.strip().split("\\s+");
    List<String> out = new ArrayList<>(List.of(path));
    for (int i = 1; i < words.length; i++) {
      Optional<String> word = word(words[i]);
      if (word.isEmpty()) {
        return new Outcome(Optional.empty(), Optional.of("argument " + words[i]
            + " has no equivalent in mailbox_command's environment"));
      }
      out.add(word.get());
    }
    return command(String.join(" ", out));
  }

  private static Outcome command(String command) {
    return new Outcome(Optional.of(command), Optional.empty());
  }

  /** One argument with sendmail's macros replaced; empty when one cannot be. */
  private static Optional<String> word(String word) {
    String w = word.replace("$u", "\"$USER\"").replace("$h", "\"$EXTENSION\"")
        .replace("$f", "\"$SENDER\"").replace("$g", "\"$SENDER\"");
    // What is left of a sendmail macro ($x, ${name}) after the replacements above.
    String rest = w.replace("$USER", "").replace("$EXTENSION", "").replace("$SENDER", "");
    return rest.contains("$") ? Optional.empty() : Optional.of(w);
  }
}
