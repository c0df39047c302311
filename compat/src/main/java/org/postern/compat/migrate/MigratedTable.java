package org.postern.compat.migrate;

import java.util.List;

/**
 * A table the migrated main.cf names, written under {@code ROOT/etc/postern/} as
 * {@code fileName} from {@code lines} (postmap's source format, converted by the reader where
 * the old MTA's format differs) and compiled as a {@code hash:} table next to it.
 *
 * <p>{@code secret} tables (logins and passwords) are never printed, and are written mode
 * 0640 (group of the mail owner when it exists), so the daemon, which reads them as
 * mail_owner, can while other users cannot. {@code origin} is the old file ({@code file} or
 * {@code file:line}). Immutable.
 */
public record MigratedTable(String fileName, List<String> lines, boolean secret, String origin) {
  public MigratedTable {
    lines = List.copyOf(lines);
  }
}
