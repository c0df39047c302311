package org.postern.compat.sendmail;

import org.postern.engine.global.Sysexit;

/**
 * A command line that sendmail would refuse: the one line to print and exit status 64.
 *
 * <p>The line is exactly what sendmail 8.17 prints, with no program-name prefix (getopt's
 * {@code illegal option -- Z}, main.c's {@code Invalid -N argument}); the caller prints it and
 * exits with {@link #sysexit()}. Always permanent: retrying the same arguments cannot help.
 * Immutable.
 */
public final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  public UsageException(String line) {
    super(line);
  }

  /** The line the command must print, verbatim. */
  public String line() {
    return getMessage();
  }

  /** Always {@link Sysexit#EX_USAGE} (64), as sendmail exits for every command-line error. */
  public Sysexit sysexit() {
    return Sysexit.EX_USAGE;
  }
}
