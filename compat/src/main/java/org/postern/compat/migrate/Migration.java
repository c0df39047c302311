package org.postern.compat.migrate;

import java.util.ArrayList;
import java.util.List;

/**
 * What one reader found in an old MTA's configuration: the settings carried over (in the
 * order main.cf gets them; a later one of the same parameter replaces an earlier one), those
 * with no Postern equivalent, the decisions left to the administrator, the tables to write
 * under {@code ROOT/etc/postern/}, and the alias files (sendmail's format, as named in the
 * old configuration, e.g. {@code /etc/aliases}) to compile in place as newaliases does.
 * Immutable; readers fill a {@link Builder}.
 */
public record Migration(String from, List<Carried> carried, List<NotCarried> notCarried,
    List<Decision> decisions, List<MigratedTable> tables, List<String> aliasFiles) {
  public Migration {
    carried = List.copyOf(carried);
    notCarried = List.copyOf(notCarried);
    decisions = List.copyOf(decisions);
    tables = List.copyOf(tables);
    aliasFiles = List.copyOf(aliasFiles);
  }

  /** Collects one reader's findings; not thread-safe. */
  public static final class Builder {
    private final String from;
    private final List<Carried> carried = new ArrayList<>();
    private final List<NotCarried> notCarried = new ArrayList<>();
    private final List<Decision> decisions = new ArrayList<>();
    private final List<MigratedTable> tables = new ArrayList<>();
    private final List<String> aliasFiles = new ArrayList<>();

    public Builder(String from) {
      this.from = from;
    }

    public Builder carry(String parameter, String value, String origin) {
      carried.removeIf(c -> c.parameter().equals(parameter));
      carried.add(new Carried(parameter, value, origin));
      return this;
    }

    public Builder notCarried(String origin, String setting, String consequence) {
      notCarried.add(new NotCarried(origin, setting, consequence));
      return this;
    }

    public Builder decide(String origin, String question) {
      decisions.add(new Decision(origin, question));
      return this;
    }

    public Builder table(MigratedTable table) {
      tables.removeIf(t -> t.fileName().equals(table.fileName()));
      tables.add(table);
      return this;
    }

    /** An alias file to compile where it is ({@code /etc/aliases}: read under the root). */
    public Builder aliasFile(String path) {
      if (!aliasFiles.contains(path)) {
        aliasFiles.add(path);
      }
      return this;
    }

    public Migration build() {
      return new Migration(from, carried, notCarried, decisions, tables, aliasFiles);
    }
  }
}
