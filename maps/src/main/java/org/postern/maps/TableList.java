package org.postern.maps;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Several tables searched in order as one, as a Postfix {@code *_maps} parameter lists them
 * (global/maps.c): a key's value is the first member's that has the key.
 *
 * <p>Trusts its members. A member that cannot answer fails the lookup (LookupException), never
 * passes it to the next, as in Postfix. Owns and closes its members; thread-safe when they are.
 */
public final class TableList implements Table {
  private final List<Table> members;

  public TableList(List<Table> members) {
    this.members = List.copyOf(members);
  }

  /** The members, in search order. */
  public List<Table> members() {
    return members;
  }

  @Override
  public String name() {
    return members.stream().map(Table::name).collect(Collectors.joining(", "));
  }

  @Override
  public Optional<String> lookup(String key) throws LookupException {
    for (Table t : members) {
      Optional<String> v = t.lookup(key);
      if (v.isPresent()) {
        return v;
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    members.forEach(Table::close);
  }
}
