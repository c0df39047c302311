package org.postern.engine.global;

import java.util.Optional;

/**
 * The sysexits.h table: exit code, DSN status, soft or hard, and the standard text.
 *
 * <p>The one place where outcomes become exit codes and children's exit codes become
 * outcomes (model: Postfix global/sys_exits.c). Immutable.
 */
public enum Sysexit {
  EX_OK(0, "2.0.0", false, "success"),
  EX_USAGE(64, "5.3.0", false, "command line usage error"),
  EX_DATAERR(65, "5.6.0", false, "data format error"),
  EX_NOINPUT(66, "5.3.0", false, "cannot open input"),
  EX_NOUSER(67, "5.1.1", false, "user unknown"),
  EX_NOHOST(68, "5.1.2", false, "host name unknown"),
  EX_UNAVAILABLE(69, "5.3.0", false, "service unavailable"),
  EX_SOFTWARE(70, "5.3.0", false, "internal software error"),
  EX_OSERR(71, "4.3.0", true, "system resource problem"),
  EX_OSFILE(72, "5.3.0", false, "critical OS file missing"),
  EX_CANTCREAT(73, "5.2.0", false, "can't create user output file"),
  EX_IOERR(74, "5.3.0", false, "input/output error"),
  EX_TEMPFAIL(75, "4.3.0", true, "temporary failure"),
  EX_PROTOCOL(76, "5.5.0", false, "remote error in protocol"),
  EX_NOPERM(77, "5.7.0", false, "permission denied"),
  EX_CONFIG(78, "5.3.5", false, "local configuration error");

  private final int code;
  private final String dsn;
  private final boolean soft;
  private final String text;

  Sysexit(int code, String dsn, boolean soft, String text) {
    this.code = code;
    this.dsn = dsn;
    this.soft = soft;
    this.text = text;
  }

  public int code() {
    return code;
  }

  public DsnStatus status() {
    return new DsnStatus(dsn, text);
  }

  public boolean isSoft() {
    return soft;
  }

  public String text() {
    return text;
  }

  /** The entry for a child's exit code, if it is a sysexits code. */
  public static Optional<Sysexit> of(int code) {
    for (Sysexit s : values()) {
      if (s.code == code) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
