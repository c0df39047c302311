package org.postern.compat.sendmail;

/** The version string printed by {@code sendmail -d0.1} and in trace headers. */
public final class Version {
  public static final String TEXT = "Postern 0.1.0";

  private Version() {}
}
