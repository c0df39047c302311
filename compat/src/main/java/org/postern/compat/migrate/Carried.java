package org.postern.compat.migrate;

/**
 * One setting carried over: the Postern parameter (or {@code PORT.name} listener override)
 * and its value, and where the old MTA said it ({@code file:line}, the file as named under
 * the migrated root, e.g. {@code /etc/postfix/main.cf:12}). Immutable.
 */
public record Carried(String parameter, String value, String origin) {}
