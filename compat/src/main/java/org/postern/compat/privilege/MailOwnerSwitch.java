package org.postern.compat.privilege;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.engine.util.ProcessIdentity;
import org.postern.maps.io.FileOwner;

/**
 * Runs a command as the queue's owner (the mail owner, {@code postern} on a system) when
 * root runs it on a queue someone else owns, as Postfix's postsuper and postqueue give up
 * root for mail_owner: a queue run or queue change by root would leave root-owned files the
 * daemon cannot read. Java cannot drop privileges itself, so the command runs again under
 * setpriv(1).
 *
 * <p>Trusts the queue directory's owner (root made it) and the launchers' directory
 * (the {@code postern.bin} property the launchers set).
 * setpriv missing is an IOException. Stateless.
 */
public final class MailOwnerSwitch {
  private static final String SETPRIV = "/usr/bin/setpriv";

  private MailOwnerSwitch() {}

  /** The owner to become: present only when we are root and the queue is another user's. */
  public static Optional<FileOwner> needed(Path queueRoot) throws IOException {
    if (!ProcessIdentity.current().isRoot()) {
      return Optional.empty();
    }
    FileOwner owner = FileOwner.of(queueRoot);
    return owner.uid() == 0 ? Optional.empty() : Optional.of(owner);
  }

  /**
   * The setpriv prefix that runs a command as {@code owner} with that user's supplementary
   * groups from /etc/group (initgroups(3), as Postfix's set_ugid and systemd's User= give
   * them: ssl-cert to read a TLS key, for one); {@code bindPorts} keeps
   * CAP_NET_BIND_SERVICE (the daemon's only privilege: ports 25 and 587) across the switch,
   * as systemd's AmbientCapabilities does.
   */
  public static List<String> prefix(FileOwner owner, boolean bindPorts) throws IOException {
    if (!new File(SETPRIV).canExecute()) {
      throw new IOException(SETPRIV + " not found (util-linux): cannot run as uid "
          + owner.uid());
    }
    List<String> cmd = new ArrayList<>(List.of(SETPRIV, "--reuid=" + owner.uid(),
        "--regid=" + owner.gid(), "--init-groups"));
    if (bindPorts) {
      cmd.add("--inh-caps=+net_bind_service");
      cmd.add("--ambient-caps=+net_bind_service");
    }
    cmd.add("--");
    return cmd;
  }

  /**
   * Runs our launcher {@code command} (sendmail, postern) with {@code args} as {@code owner}
   * on this process's standard streams and returns its exit status; no launcher directory
   * (postern.bin unset) or no setpriv is an IOException.
   */
  public static int run(FileOwner owner, String command, List<String> args) throws IOException {
    String bin = System.getProperty("postern.bin");
    if (bin == null) {
      throw new IOException("cannot find the launchers (postern.bin is not set)");
    }
    List<String> cmd = prefix(owner, false);
    cmd.add(Path.of(bin, command).toString());
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    try {
      return p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroy();
      throw new IOException("interrupted while running as uid " + owner.uid(), e);
    }
  }
}
