package org.postern.engine.cleanup;

import java.util.List;

/**
 * The addresses found in one or more address-list header values, in order (duplicates kept), and a
 * one-line description of each element that had to be skipped.
 *
 * <p>Addresses are bare addr-specs as {@link AddressCheck.Valid} describes them; problems are
 * {@code element... reason} lines in sendmail's wording, meant for a log or a warning. Immutable.
 */
public record AddressList(List<String> addresses, List<String> problems) {
  public AddressList {
    addresses = List.copyOf(addresses);
    problems = List.copyOf(problems);
  }
}
