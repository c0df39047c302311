package org.postern.maps.passwd;

import java.nio.file.Path;

/**
 * One passwd(5) line: login name, uid, gid, GECOS, home directory and shell.
 *
 * <p>Built only by the sources in this package, which validate the fields. Immutable.
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
    if (f[0].isEmpty()) {
      throw new IllegalArgumentException("empty user name");
    }
    int uid;
    int gid;
    try {
      uid = Integer.parseInt(f[2]);
      gid = Integer.parseInt(f[3]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("uid and gid must be numbers");
    }
    if (f[5].isEmpty() || f[5].charAt(0) != '/') {
      throw new IllegalArgumentException("home directory must be an absolute path");
    }
    return new PasswdEntry(f[0], uid, gid, f[4], Path.of(f[5]), f[6]);
  }

  /** The passwd(5) line for this entry. */
  public String toLine() {
    return String.join(":", name, "x", Integer.toString(uid), Integer.toString(gid), gecos,
        home.toString(), shell);
  }
}
