package org.postern.engine.smtp;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.maps.FixedTable;
import org.postern.maps.LookupException;
import org.postern.maps.Table;
import org.postern.maps.authinfo.AuthInfoEntry;
import org.postern.maps.authinfo.AuthInfoException;
import org.postern.maps.authinfo.AuthInfoKeys;

/**
 * Finds the login for a server in {@code smtp_sasl_password_maps}. A Postfix table
 * ({@code hash:}, ...) is searched as smtp_sasl_glue.c does: the sender address, then
 * {@code @domain}, when sender-dependent; then the host name of the server connected to; then
 * the next hop as written ({@code [smtp.example]:587}); its value is {@code user:password}
 * (the password may hold colons). A sendmail {@code authinfo:} table is searched by
 * {@link AuthInfoKeys} ({@code AuthInfo:host}, parent domains, address, {@code AuthInfo:}).
 *
 * <p>Trusts the table's keys; a value that cannot be read, or a failed lookup, is a
 * {@link LookupException} (the caller defers) whose message names the table, never the
 * value. Immutable; thread-safe when the table is.
 */
public final class SaslPasswords {
  /** No table: no server ever gets a password. */
  public static final SaslPasswords NONE =
      new SaslPasswords(FixedTable.of("smtp_sasl_password_maps", List.of(), true), false);

  private final Table table;
  private final boolean authinfo;

  /** {@code authinfo} when the table holds sendmail's authinfo entries. */
  public SaslPasswords(Table table, boolean authinfo) {
    this.table = table;
    this.authinfo = authinfo;
  }

  /** The table's {@code type:name}, for messages. */
  String name() {
    return table.name();
  }

  /** The login for {@code server}, reached as next hop {@code nexthop}, for {@code sender}. */
  Optional<SaslCredentials> find(Endpoint server, String nexthop, String sender,
      boolean senderDependent) throws LookupException {
    if (authinfo) {
      String address = server.address() instanceof InetSocketAddress inet
          ? inet.getAddress().getHostAddress() : "";
      for (String key : AuthInfoKeys.of(server.hostname(), address)) {
        Optional<String> v = table.lookup(key);
        if (v.isPresent()) {
          return Optional.of(fromAuthInfo(key, v.get()));
        }
      }
      return Optional.empty();
    }
    List<String> keys = new ArrayList<>();
    int at = sender.lastIndexOf('@');
    if (senderDependent && !sender.isEmpty()) {
      keys.add(sender);
      if (at >= 0) {
        keys.add(sender.substring(at));
      }
    }
    keys.add(server.hostname());
    keys.add(nexthop);
    for (String key : keys) {
      Optional<String> v = table.lookup(key);
      if (v.isPresent()) {
        // Postfix: the first ':' ends the user name; the password may hold more of them.
        String value = v.get();
        int colon = value.indexOf(':');
        String user = colon < 0 ? value : value.substring(0, colon);
        String password = colon < 0 ? "" : value.substring(colon + 1);
        return Optional.of(new SaslCredentials(user, user, password, List.of()));
      }
    }
    return Optional.empty();
  }

  private SaslCredentials fromAuthInfo(String key, String value) throws LookupException {
    try {
      AuthInfoEntry e = AuthInfoEntry.parse(value);
      return new SaslCredentials(e.authenticationId(), e.authorizationId(), e.password(),
          e.mechanisms());
    } catch (AuthInfoException bad) {
      throw new LookupException(table.name() + ": entry " + key + ": " + bad.getMessage());
    }
  }
}
