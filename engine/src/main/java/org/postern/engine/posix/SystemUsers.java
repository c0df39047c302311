package org.postern.engine.posix;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.Optional;
import org.postern.maps.LookupException;
import org.postern.maps.passwd.PasswdEntry;
import org.postern.maps.passwd.UserDirectory;

/**
 * The system's users through the C library's NSS (getpwnam_r, getpwuid_r) in this process,
 * so LDAP and sssd users are found as every other program finds them, without a getent
 * process per lookup (3 ms and a fork each, on every submission and delivery).
 *
 * <p>Trusts the C library's struct passwd layout of glibc on LP64 (amd64, arm64); checks the
 * fields as a passwd line's are. "No such user" is empty; any other failure is a
 * LookupException, never "unknown". Stateless and thread-safe (the _r calls are reentrant).
 */
public final class SystemUsers implements UserDirectory {
  /** struct passwd: name, passwd, uid, gid, gecos, dir, shell (LP64 offsets). */
  private static final int SIZE = 48;
  private static final int UID = 16;
  private static final int GID = 20;
  private static final int GECOS = 24;
  private static final int DIR = 32;
  private static final int SHELL = 40;
  private static final long FIRST_BUFFER = 16 * 1024;
  private static final long MAX_BUFFER = 1024 * 1024;
  private static final int ERANGE = 34;

  @Override
  public Optional<PasswdEntry> byName(String name) throws LookupException {
    if (name.isEmpty() || name.startsWith("-") || name.chars().allMatch(Character::isDigit)) {
      return Optional.empty(); // as getent: no option-like or numeric login names
    }
    return lookup(name, (pwd, buf, len, result) -> Libc.C.getpwnam_r(name, pwd, buf, len, result));
  }

  @Override
  public Optional<PasswdEntry> byUid(int uid) throws LookupException {
    return lookup(Integer.toString(uid),
        (pwd, buf, len, result) -> Libc.C.getpwuid_r(uid, pwd, buf, len, result));
  }

  /** One of the two _r calls; returns 0 or an errno. */
  @FunctionalInterface
  private interface Call {
    int run(Pointer pwd, Pointer buf, long length, PointerByReference result);
  }

  private static Optional<PasswdEntry> lookup(String key, Call call) throws LookupException {
    Memory pwd = new Memory(SIZE);
    for (long length = FIRST_BUFFER; length <= MAX_BUFFER; length *= 2) {
      Memory buf = new Memory(length);
      PointerByReference result = new PointerByReference();
      int error = call.run(pwd, buf, length, result);
      if (error == ERANGE) {
        continue; // an entry larger than the buffer (a huge GECOS, an LDAP oddity)
      }
      if (error != 0) {
        throw new LookupException("user lookup of " + key + ": " + Libc.C.strerror(error));
      }
      if (result.getValue() == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(PasswdEntry.of(pwd.getPointer(0).getString(0, "UTF-8"),
            pwd.getInt(UID), pwd.getInt(GID), string(pwd, GECOS), string(pwd, DIR),
            string(pwd, SHELL)));
      } catch (IllegalArgumentException e) {
        throw new LookupException("user lookup of " + key + ": " + e.getMessage());
      }
    }
    throw new LookupException("user lookup of " + key + ": entry larger than " + MAX_BUFFER);
  }

  private static String string(Memory pwd, int offset) {
    Pointer p = pwd.getPointer(offset);
    return p == null ? "" : p.getString(0, "UTF-8");
  }
}
