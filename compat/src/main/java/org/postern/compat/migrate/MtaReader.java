package org.postern.compat.migrate;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads the configuration an old MTA (sendmail, Postfix, Exim) left on disk and says what it
 * means for Postern: one implementation per MTA, stateless.
 *
 * <p>Trusts nothing in the files it reads (an administrator wrote them, perhaps long ago):
 * what it cannot understand becomes a {@link NotCarried} or {@link Decision}, never an
 * exception. Every path is read under {@code root} (the {@code --root DIR} of
 * {@code postern migrate}, {@code /} on a real system); an unreadable file is an IOException.
 */
public interface MtaReader {
  /** The name {@code --from} takes: {@code sendmail}, {@code postfix} or {@code exim}. */
  String name();

  /** Whether this MTA's configuration is present under {@code root}. */
  boolean presentIn(Path root);

  /** What the configuration under {@code root} carries over, and what it does not. */
  Migration read(Path root) throws IOException;
}
