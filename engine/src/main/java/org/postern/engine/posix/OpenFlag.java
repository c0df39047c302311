package org.postern.engine.posix;

import java.util.Set;

/**
 * The open(2) flags Postern asks for. Every open is O_NOCTTY and O_CLOEXEC as well, so a
 * device cannot become our terminal and a command we start inherits nothing.
 */
public enum OpenFlag {
  READ,
  WRITE,
  APPEND,
  /** O_CREAT|O_EXCL: a new file, never an existing one (nor a symlink's target). */
  CREATE_NEW,
  /** O_CREAT: the existing file, or a new one. */
  CREATE,
  /** O_NOFOLLOW: a symbolic link as the last name is an error (ELOOP). */
  NOFOLLOW,
  /** O_NONBLOCK: a FIFO or device does not block the open. */
  NONBLOCK;

  static int bits(Set<OpenFlag> flags) {
    boolean read = flags.contains(READ);
    boolean write = flags.contains(WRITE) || flags.contains(APPEND);
    int b = read && write ? Libc.O_RDWR : write ? Libc.O_WRONLY : Libc.O_RDONLY;
    b |= Libc.O_NOCTTY | Libc.O_CLOEXEC;
    if (flags.contains(APPEND)) {
      b |= Libc.O_APPEND;
    }
    if (flags.contains(CREATE_NEW)) {
      b |= Libc.O_CREAT | Libc.O_EXCL;
    } else if (flags.contains(CREATE)) {
      b |= Libc.O_CREAT;
    }
    if (flags.contains(NOFOLLOW)) {
      b |= Libc.O_NOFOLLOW;
    }
    if (flags.contains(NONBLOCK)) {
      b |= Libc.O_NONBLOCK;
    }
    return b;
  }
}
