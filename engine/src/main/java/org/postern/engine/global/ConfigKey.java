package org.postern.engine.global;

/**
 * One main.cf parameter: its Postfix name and its default, kept together as Postfix pairs
 * VAR_ and DEF_. The default may refer to other parameters as {@code $name}.
 */
public record ConfigKey(String name, String defaultValue) {
  // Written out: a record's generated equals and hashCode are bootstrapped through
  // invokedynamic on first use, 10-30 ms of method-handle set-up in every command that
  // puts a key in a set (postern config).
  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigKey k && name.equals(k.name) && defaultValue.equals(k.defaultValue);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + defaultValue.hashCode();
  }
}
