package org.postern.maps.passwd;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.postern.maps.LookupException;

/**
 * The system's users through NSS, by running {@code getent passwd KEY}, so LDAP and sssd
 * users are found as the C library would find them.
 *
 * <p>Trusts getent's output format only after parsing it. getent exit 2 means "no such
 * user"; any other failure (or a timeout) is a LookupException, never "unknown".
 * Stateless and thread-safe.
 */
public final class NssPasswd implements UserDirectory {
  private static final long TIMEOUT_SECONDS = 30;

  @Override
  public Optional<PasswdEntry> byName(String name) throws LookupException {
    if (name.isEmpty() || name.startsWith("-") || name.chars().allMatch(Character::isDigit)) {
      return Optional.empty(); // getent would treat digits as a uid and '-' as an option
    }
    return getent(name);
  }

  @Override
  public Optional<PasswdEntry> byUid(int uid) throws LookupException {
    return getent(Integer.toString(uid));
  }

  private static Optional<PasswdEntry> getent(String key) throws LookupException {
    try {
      Process p =
          new ProcessBuilder("getent", "passwd", key)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      p.getOutputStream().close();
      byte[] out;
      try (InputStream in = p.getInputStream()) {
        out = in.readAllBytes();
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new LookupException("getent passwd " + key + ": timed out");
      }
      if (p.exitValue() == 2) {
        return Optional.empty();
      }
      if (p.exitValue() != 0) {
        throw new LookupException("getent passwd " + key + ": exit status " + p.exitValue());
      }
      String line = new String(out, StandardCharsets.UTF_8).strip();
      try {
        return Optional.of(PasswdEntry.parse(line));
      } catch (IllegalArgumentException e) {
        throw new LookupException("getent passwd " + key + ": " + e.getMessage());
      }
    } catch (IOException e) {
      throw new LookupException("getent passwd " + key + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LookupException("getent passwd " + key + ": interrupted", e);
    }
  }
}
