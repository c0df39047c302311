package org.postern.maps.source;

/**
 * One postmap logical line: a line starting with non-blank text plus the continuation lines joined
 * to it, comment and blank lines removed. {@code firstLine} is where the text starts; {@code
 * validUtf8} is false when any joined line was not UTF-8.
 */
record LogicalLine(int firstLine, String text, boolean validUtf8) {}
