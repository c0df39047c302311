package org.postern.compat.sendmail;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.MailException;
import org.postern.engine.local.mbox.FromStyle;
import org.postern.engine.local.mbox.MboxAppender;
import org.postern.engine.local.mbox.MboxMessage;
import org.postern.engine.local.mbox.MboxSettings;
import org.postern.engine.master.MailSystem;
import org.postern.engine.util.ProcessIdentity;
import org.postern.maps.LookupException;
import org.postern.maps.passwd.PasswdEntry;

/**
 * sendmail's ~/dead.letter: an mbox with a one-space From_ line, in the home of the user
 * running the command, written as that user (never by the daemon, which hands the copy back
 * to the command over the submission socket).
 *
 * <p>Trusts the user's passwd entry for the home directory; the file itself is opened as an
 * mbox is (no symlinks, regular file only). Success is reported as sendmail's savemail()
 * reports it, {@code PATH... Saved message in PATH}, on stderr beside the refusal lines; a
 * failure is printed on stderr and changes nothing else. Not thread-safe.
 */
public final class DeadLetter {
  private final MailSystem system;
  private final Streams io;
  private final ProcessIdentity me;

  public DeadLetter(MailSystem system, Streams io, ProcessIdentity me) {
    this.system = system;
    this.io = io;
    this.me = me;
  }

  /** Appends the message; reports the outcome on stderr. */
  public void save(byte[] content) throws ConfigException {
    Optional<PasswdEntry> user;
    try {
      user = system.users().byUid(me.uid());
    } catch (LookupException e) {
      io.err().println(io.program() + ": cannot save dead.letter: " + e.getMessage());
      return;
    }
    if (user.isEmpty()) {
      io.err().println(io.program() + ": cannot save dead.letter: no home for uid " + me.uid());
      return;
    }
    Path deadLetter = user.get().home().resolve("dead.letter");
    MboxSettings settings = MboxSettings.from(system.config()).withFromStyle(FromStyle.SENDMAIL);
    try {
      new MboxAppender(settings, system.log("sendmail"))
          .appendAsCaller(
              deadLetter,
              new MboxMessage(me.name(), List.of(), () -> new ByteArrayInputStream(content)));
      io.err().println(deadLetter + "... Saved message in " + deadLetter);
    } catch (MailException e) {
      io.err().println(io.program() + ": cannot save " + deadLetter + ": " + e.getMessage());
    }
  }
}
