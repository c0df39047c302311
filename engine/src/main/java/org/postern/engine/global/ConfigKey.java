package org.postern.engine.global;

/**
 * One main.cf parameter: its Postfix name and its default, kept together as Postfix pairs
 * VAR_ and DEF_. The default may refer to other parameters as {@code $name}.
 */
public record ConfigKey(String name, String defaultValue) {}
