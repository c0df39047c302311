package org.postern.engine.local.expand;

import java.nio.file.Path;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.local.RunAs;
import org.postern.maps.passwd.PasswdEntry;

/**
 * Where one branch of a local recipient's expansion ends: a user's mailbox, a command, a
 * file, an address handed back to the queue (not ours), a local name nobody owns, or a
 * failure to report.
 *
 * <p>{@link #key} names the destination for once-only delivery: two branches with the same
 * key are one delivery, and a key recorded as done is not delivered again after a retry.
 * Immutable.
 */
public sealed interface Destination {
  String key();

  /** The mailbox of {@code user}; {@code address} is the Delivered-To address. */
  record Mailbox(PasswdEntry user, String address, String extension) implements Destination {
    @Override
    public String key() {
      return "mailbox:" + user.name();
    }
  }

  /** {@code |command} run as {@code as} for the recipient {@code address}. */
  record Command(String command, RunAs as, String address) implements Destination {
    @Override
    public String key() {
      return "command:" + as.uid() + ":" + command;
    }
  }

  /** {@code /file} appended to as {@code as}. */
  record File(Path path, RunAs as) implements Destination {
    @Override
    public String key() {
      return "file:" + path;
    }
  }

  /** An address that is not local: a new message through the queue. */
  record Forward(String address) implements Destination {
    @Override
    public String key() {
      return "forward:" + address;
    }
  }

  /**
   * A local name with neither alias nor account ({@code address} qualified): Postfix's
   * local(8) hands it to {@code mailbox_transport} when that is set (before its passwd
   * lookup), else it bounces as {@link #status}.
   */
  record Unknown(String address, String localPart) implements Destination {
    @Override
    public String key() {
      return "unknown:" + localPart;
    }

    public DsnStatus status() {
      return new DsnStatus("5.1.1", "unknown user: \"" + localPart + "\"");
    }
  }

  /** A branch that cannot be delivered: {@code error:}, loop, restriction. */
  record Failure(String address, DsnStatus status) implements Destination {
    @Override
    public String key() {
      return "failure:" + address + ":" + status.code();
    }
  }
}
