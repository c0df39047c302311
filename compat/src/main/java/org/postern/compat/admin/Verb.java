package org.postern.compat.admin;

import java.util.List;

/**
 * One verb of the {@code postern} admin command ({@code init}, {@code config}, ...): parses
 * its own arguments and returns a sysexits code.
 *
 * <p>Trusts the {@link Invocation} built by {@link PosternCommand}. A bad argument is a
 * {@link UsageException}, which the command turns into one error line, the verb's usage line
 * and EX_USAGE; every other failure is printed by the verb itself and mapped to its code.
 * Implementations hold no state between runs.
 */
interface Verb {
  /** The one-line synopsis, printed after a usage error. */
  String usage();

  /** Runs the verb on the arguments that follow its name. */
  int run(Invocation invocation, List<String> args) throws UsageException;

  /**
   * True for a verb that never starts a thread or registers a shutdown hook, so the command
   * may end by halting (compat/launch Halt). False unless a verb vouches for its whole path.
   */
  default boolean startsNothing() {
    return false;
  }
}
