package org.postern.compat.sendmail;

import java.io.InputStream;
import java.io.PrintStream;

/** The standard streams of one command run and the name it prints in its messages. */
public record Streams(InputStream in, PrintStream out, PrintStream err, String program) {}
