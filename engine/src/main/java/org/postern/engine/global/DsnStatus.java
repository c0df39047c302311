package org.postern.engine.global;

import java.util.regex.Pattern;

/**
 * An RFC 3463 enhanced status code ("4.2.0", "5.1.1") with the text that explains it.
 *
 * <p>Trusts nothing: the code is validated on construction, so a malformed status from a
 * child process or a remote server can never travel further. Immutable and thread-safe.
 */
public record DsnStatus(String code, String text) {
  private static final Pattern CODE = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

  public DsnStatus {
    if (!CODE.matcher(code).matches()) {
      throw new IllegalArgumentException("not an RFC 3463 status code: " + code);
    }
  }

  /** True for 2.x.x. */
  public boolean isSuccess() {
    return code.charAt(0) == '2';
  }

  /** True for 4.x.x: the attempt may be repeated later. */
  public boolean isTemporary() {
    return code.charAt(0) == '4';
  }

  /** True for 5.x.x: repeating the attempt cannot help. */
  public boolean isPermanent() {
    return code.charAt(0) == '5';
  }

  @Override
  public String toString() {
    return code + " " + text;
  }
}
