package org.postern.engine.dns;

import java.util.List;

/**
 * What the DNS answered for one name and type: the records found, or one of the two
 * permanent "no" answers, which callers treat differently: NXDOMAIN (the name does not exist
 * at all) and NODATA (the name exists, without records of that type; RFC 2308 section 2.2),
 * so the SMTP client can fall back from MX to the address records (RFC 5321 section 5.1).
 *
 * <p>A temporary failure is never an Answer: it is the TempFailException of the lookup.
 * Immutable.
 */
public record Answer<T>(Kind kind, List<T> records) {
  /** The three permanent outcomes of a lookup. */
  public enum Kind { FOUND, NO_SUCH_DOMAIN, NO_DATA }

  public Answer {
    records = List.copyOf(records);
    if ((kind == Kind.FOUND) == records.isEmpty()) {
      throw new IllegalArgumentException(kind + " with " + records.size() + " records");
    }
  }

  static <T> Answer<T> found(List<T> records) {
    return new Answer<>(Kind.FOUND, records);
  }

  static <T> Answer<T> noSuchDomain() {
    return new Answer<>(Kind.NO_SUCH_DOMAIN, List.of());
  }

  static <T> Answer<T> noData() {
    return new Answer<>(Kind.NO_DATA, List.of());
  }

  /** Whether records were found (the records list is then not empty). */
  public boolean found() {
    return kind == Kind.FOUND;
  }
}
