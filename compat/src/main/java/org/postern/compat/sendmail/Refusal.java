package org.postern.compat.sendmail;

import org.postern.engine.global.Sysexit;

/**
 * A recipient refused at submission: the address as given, sendmail's line for it
 * ({@code bob... User unknown}), its DSN status and the exit code it stands for.
 */
record Refusal(String address, String line, String dsn, Sysexit exit) {}
