package org.postern.engine.posix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The C library calls the JDK lacks, bound through JNA, with the constants of the two
 * architectures Debian ships Postern for (amd64 and arm64 share the generic syscall numbers
 * for everything here but setgroups, and differ in O_DIRECTORY/O_NOFOLLOW).
 *
 * <p>Trusts nothing it is given beyond its types; every failure is a {@link
 * LastErrorException} carrying errno. Loaded on first use only (the submission path never
 * touches it). Thread-safe: each call is one system call on the calling thread.
 */
interface Libc extends Library {
  Libc C = Native.load("c", Libc.class);

  boolean ARM64 = System.getProperty("os.arch").equals("aarch64");

  int O_RDONLY = 0;
  int O_WRONLY = 01;
  int O_RDWR = 02;
  int O_CREAT = 0100;
  int O_EXCL = 0200;
  int O_NOCTTY = 0400;
  int O_TRUNC = 01000;
  int O_APPEND = 02000;
  int O_NONBLOCK = 04000;
  int O_DIRECTORY = ARM64 ? 040000 : 0200000;
  int O_NOFOLLOW = ARM64 ? 0100000 : 0400000;
  int O_CLOEXEC = 02000000;

  /** setgroups(2) by number: glibc's wrapper changes every thread of the process. */
  long SYS_SETGROUPS = ARM64 ? 159 : 116;

  int open(String path, int flags, int mode) throws LastErrorException;

  int openat(int dirfd, String path, int flags, int mode) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  int fchown(int fd, int uid, int gid) throws LastErrorException;

  int fchmod(int fd, int mode) throws LastErrorException;

  int kill(int pid, int signal) throws LastErrorException;

  /** Returns the previous fsuid whether or not the change was allowed (never fails). */
  int setfsuid(int uid);

  int setfsgid(int gid);

  int getgroups(int size, int[] list) throws LastErrorException;

  long syscall(long number, long size, int[] list) throws LastErrorException;

  String strerror(int errno);

  /** Returns 0 or an errno; {@code result} is NULL when there is no such user. */
  int getpwnam_r(String name, Pointer pwd, Pointer buf, long buflen, PointerByReference result);

  int getpwuid_r(int uid, Pointer pwd, Pointer buf, long buflen, PointerByReference result);
}
