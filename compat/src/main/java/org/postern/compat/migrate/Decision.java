package org.postern.compat.migrate;

/**
 * Something the administrator must decide after the migration: where the old MTA said it
 * ({@code file:line}) and the question, one line. Immutable.
 */
public record Decision(String origin, String question) {}
