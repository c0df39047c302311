package org.postern.maps;

/**
 * A table reference as written in main.cf and on postmap's command line: {@code type:name},
 * or a bare name meaning the default type {@code hash}. {@code inline:{...}} and
 * {@code static:value} carry their data in the name.
 *
 * <p>Only splits; whether the type exists is decided when the table is opened. Immutable.
 */
public record TableSpec(String type, String name) {
  public static final String DEFAULT_TYPE = "hash";

  public static TableSpec parse(String spec) {
    int colon = spec.indexOf(':');
    // A bare path (no type) or a path that merely contains a colon after a slash.
    if (colon <= 0 || spec.substring(0, colon).contains("/")) {
      return new TableSpec(DEFAULT_TYPE, spec);
    }
    return new TableSpec(spec.substring(0, colon), spec.substring(colon + 1));
  }

  @Override
  public String toString() {
    return type + ":" + name;
  }
}
