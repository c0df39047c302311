package org.postern.maps.passwd;

import java.nio.file.Path;

/**
 * One passwd(5) line: login name, uid, gid, GECOS, home directory and shell.
 *
 * <p>Built by {@link #parse} (a passwd line) or {@link #of} (NSS's fields), which validate
 * the fields. Immutable.
 */
public record PasswdEntry(String name, int uid, int gid, String gecos, Path home, String shell) {
  /** The full name: the GECOS field up to its first comma, with {@code &} as the login. */
  public String fullName() {
    int comma = gecos.indexOf(',');
    String first = comma < 0 ? gecos : gecos.substring(0, comma);
    if (first.indexOf('&') >= 0) {
      String cap = name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
      first = first.replace("&", cap);
    }
    return first;
  }

  /** Parses one line; the caller reports failures with its own file:line. */
  static PasswdEntry parse(String line) {
    String[] f = line.split(":", -1);
    if (f.length != 7) {
      throw new IllegalArgumentException("expected 7 colon-separated fields, found " + f.length);
    }
    int uid;
    int gid;
    try {
      uid = Integer.parseInt(f[2]);
      gid = Integer.parseInt(f[3]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("uid and gid must be numbers");
    }
    return of(f[0], uid, gid, f[4], f[5], f[6]);
  }

  /**
   * An entry from fields the C library returned (NSS), checked as a passwd line's are: a
   * name, an absolute home directory.
   */
  public static PasswdEntry of(String name, int uid, int gid, String gecos, String home,
      String shell) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty user name");
    }
    if (home.isEmpty() || home.charAt(0) != '/') {
      throw new IllegalArgumentException("home directory must be an absolute path");
    }
    return new PasswdEntry(name, uid, gid, gecos, Path.of(home), shell);
  }

  /** The passwd(5) line for this entry. */
  public String toLine() {
    return String.join(":", name, "x", Integer.toString(uid), Integer.toString(gid), gecos,
        home.toString(), shell);
  }
}
