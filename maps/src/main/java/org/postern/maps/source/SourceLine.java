package org.postern.maps.source;

/**
 * One physical line of a table source: its 1-based number and its text without the line end (LF, or
 * CR LF). {@code validUtf8} is false when the bytes were not UTF-8; the text then holds U+FFFD for
 * each malformed sequence. {@code ascii} is true when every byte was ASCII: the text's length is
 * then its length in bytes (readers count bytes as sendmail and Postfix do).
 */
public record SourceLine(int number, String text, boolean validUtf8, boolean ascii) {}
