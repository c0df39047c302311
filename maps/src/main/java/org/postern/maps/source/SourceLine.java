package org.postern.maps.source;

/**
 * One physical line of a table source: its 1-based number and its text without the line end (LF, or
 * CR LF). {@code validUtf8} is false when the bytes were not UTF-8; the text then holds U+FFFD for
 * each malformed sequence.
 */
public record SourceLine(int number, String text, boolean validUtf8) {}
