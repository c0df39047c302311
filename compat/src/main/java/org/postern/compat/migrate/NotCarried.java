package org.postern.compat.migrate;

/**
 * One setting of the old MTA that Postern has no equivalent for: where it was
 * ({@code file:line}), what it said (never a secret), and what its absence changes. Immutable.
 */
public record NotCarried(String origin, String setting, String consequence) {}
