package org.postern.compat.submit;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.postern.engine.global.TempFailException;
import org.postern.engine.util.ProcessIdentity;
import org.postern.maps.LookupException;
import org.postern.engine.posix.SystemUsers;
import org.postern.maps.passwd.PasswdEntry;
import org.postern.maps.passwd.UserDirectory;

/**
 * Who is at the other end of a submission socket: the kernel's SO_PEERCRED credentials,
 * which the JDK reports as user and group names, mapped back to uid and gid through NSS.
 *
 * <p>Trusts only the kernel and NSS, nothing the client sends. The JDK names a uid without a
 * passwd entry by its number: such a peer is accepted under that uid only when NSS has no
 * entry for it either (an all-digit login would otherwise pass for another uid). Any lookup
 * failure is temporary (the client gets 75, or falls back before SEND). Thread-safe.
 */
public final class PeerIdentity {
  private final UserDirectory nss;

  PeerIdentity(UserDirectory nss) {
    this.nss = nss;
  }

  public PeerIdentity() {
    this(new SystemUsers());
  }

  public ProcessIdentity of(SocketChannel channel) throws IOException, TempFailException {
    UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
    String name = peer.user().getName();
    try {
      if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
        return unnamed(name, peer.group().getName());
      }
      Optional<PasswdEntry> entry = nss.byName(name);
      if (entry.isEmpty()) {
        throw new TempFailException("4.3.0", "peer user " + name + " has vanished from passwd");
      }
      PasswdEntry e = entry.get();
      return new ProcessIdentity(e.name(), e.uid(), e.gid(), e.uid());
    } catch (LookupException e) {
      throw new TempFailException("4.3.0", "user lookup failure for peer " + name, e);
    }
  }

  /** A uid the JDK could not name: it printed the number itself. */
  private ProcessIdentity unnamed(String digits, String group)
      throws LookupException, TempFailException {
    int uid;
    try {
      uid = Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new TempFailException("4.3.0", "peer uid out of range: " + digits, e);
    }
    if (nss.byUid(uid).isPresent()) {
      throw new TempFailException("4.3.0", "peer user named " + digits + " is ambiguous");
    }
    // Submission uses no gid; -1 unless the JDK printed the group as a number as well.
    int gid = group.matches("\\d{1,9}") ? Integer.parseInt(group) : -1;
    return new ProcessIdentity(digits, uid, gid, uid);
  }
}
