package org.postern.compat.migrate;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * sendmail's configuration under {@code /etc/mail}: {@code sendmail.mc} (or the frozen
 * {@code sendmail.cf}) and the files it names. Trusts nothing in them (see {@link MtaReader}).
 * Stateless.
 */
public final class SendmailReader implements MtaReader {
  @Override
  public String name() {
    return "sendmail";
  }

  @Override
  public boolean presentIn(Path root) {
    Path mail = root.resolve("etc/mail");
    return Files.isRegularFile(mail.resolve("sendmail.mc"))
        || Files.isRegularFile(mail.resolve("sendmail.cf"));
  }

  @Override
  public Migration read(Path root) {
    // Filled in by the sendmail reader's own change (issue 18); until then nothing carries.
    return new Migration.Builder(name())
        .notCarried("/etc/mail/sendmail.mc", "sendmail configuration",
            "not read yet: this Postern cannot carry sendmail's settings over")
        .build();
  }
}
