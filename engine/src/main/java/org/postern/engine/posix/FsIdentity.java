package org.postern.engine.posix;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import org.postern.engine.util.ProcessIdentity;

/**
 * Makes the calling thread open files as another user: Linux keeps the filesystem uid and
 * gid and the supplementary groups per thread, so a root process sets them (setfsuid,
 * setfsgid, setgroups by raw syscall: glibc's wrapper would change every thread) and the
 * kernel checks every open, create and search as that user, not as root. Java cannot
 * seteuid; this is how root's local delivery reads a .forward or writes a /file with the
 * recipient's rights (Postfix does set_eugid in a forked local(8) for the same reason).
 *
 * <p>Trusts the uid and gid it is given. While held, the thread has no file capabilities
 * (the kernel drops CAP_DAC_OVERRIDE and friends from a non-zero fsuid), and a thread or
 * process it starts inherits the identity: start none while holding one. {@link #close} puts
 * root's identity back on the same thread; a failure to do so is a broken invariant and an
 * Error. One per thread at a time; not shareable between threads.
 */
public final class FsIdentity implements AutoCloseable {
  private static final ThreadLocal<FsIdentity> HELD = new ThreadLocal<>();

  private final Thread thread;
  private final int uid;
  private final int[] savedGroups;
  private final int savedGid;
  private final boolean switched;

  private FsIdentity(int uid, int[] savedGroups, int savedGid, boolean switched) {
    this.thread = Thread.currentThread();
    this.uid = uid;
    this.savedGroups = savedGroups;
    this.savedGid = savedGid;
    this.switched = switched;
  }

  /**
   * Acts as {@code uid} with group {@code gid} (and no other group) on this thread until
   * closed. Without root nothing changes: an unprivileged process (a sandbox instance) can
   * only act as itself, and the kernel already checks everything as itself.
   */
  public static FsIdentity assume(int uid, int gid) throws IOException {
    if (HELD.get() != null) {
      throw new IllegalStateException("this thread already acts as uid " + HELD.get().uid);
    }
    FsIdentity held = Root.IS_ROOT
        ? switchTo(uid, gid)
        : new FsIdentity(uid, new int[0], gid, false);
    HELD.set(held);
    return held;
  }

  /** Whether we run as root: read once, the effective uid of a JVM never changes. */
  private static final class Root {
    static final boolean IS_ROOT = isRoot();

    private static boolean isRoot() {
      try {
        return ProcessIdentity.current().isRoot();
      } catch (IOException e) {
        throw new IllegalStateException("cannot tell whether we run as root: " + e, e);
      }
    }
  }

  private static FsIdentity switchTo(int uid, int gid) throws IOException {
    int[] groups = groups();
    int previousGid = Libc.C.setfsgid(-1);
    try {
      Libc.C.syscall(Libc.SYS_SETGROUPS, 1, new int[] {gid});
    } catch (LastErrorException e) {
      throw Errno.exception("setgroups(" + gid + ")", e);
    }
    FsIdentity held = new FsIdentity(uid, groups, previousGid, true);
    Libc.C.setfsgid(gid);
    Libc.C.setfsuid(uid);
    // set*fsid return the previous value and never fail: ask again to see it took.
    if (Libc.C.setfsgid(gid) != gid || Libc.C.setfsuid(uid) != uid) {
      held.restore();
      throw new AccessDeniedException("uid " + uid, null, "setfsuid/setfsgid refused");
    }
    return held;
  }

  private static int[] groups() throws IOException {
    try {
      int n = Libc.C.getgroups(0, null);
      int[] list = new int[n];
      int got = Libc.C.getgroups(n, list);
      return java.util.Arrays.copyOf(list, got);
    } catch (LastErrorException e) {
      throw Errno.exception("getgroups", e);
    }
  }

  @Override
  public void close() {
    if (Thread.currentThread() != thread) {
      throw new IllegalStateException("FsIdentity closed on another thread");
    }
    HELD.remove();
    if (switched) {
      restore();
    }
  }

  private void restore() {
    // Root's fsuid first: it gives back the capabilities setgroups needs.
    Libc.C.setfsuid(0);
    Libc.C.setfsgid(savedGid);
    try {
      Libc.C.syscall(Libc.SYS_SETGROUPS, savedGroups.length, savedGroups);
    } catch (LastErrorException e) {
      throw new Error("cannot restore supplementary groups: errno " + e.getErrorCode(), e);
    }
    if (Libc.C.setfsuid(0) != 0 || Libc.C.setfsgid(savedGid) != savedGid) {
      throw new Error("cannot restore root's filesystem identity");
    }
  }
}
