package org.postern.engine.local;

import java.util.Locale;
import org.postern.engine.global.Config;
import org.postern.engine.global.Params;
import org.postern.engine.global.TempFailException;
import org.postern.maps.LookupException;
import org.postern.maps.passwd.PasswdEntry;
import org.postern.maps.passwd.UserDirectory;

/**
 * Decides whether an address is local (no domain, or a domain in mydestination) and which
 * user it belongs to, folding case and trying {@code user+ext} before {@code user} as
 * Postfix's local(8) does. The same answer serves sendmail's submission check (exit 67)
 * and local delivery, so they can never disagree.
 *
 * <p>Trusts addresses already syntax-checked. A failed user lookup is a TempFailException
 * (4.3.0), never "unknown". Immutable and thread-safe when the directory is.
 */
public final class RecipientResolver {
  private final Config config;
  private final UserDirectory users;
  private final String delimiter;
  private final String myorigin;

  public RecipientResolver(Config config, UserDirectory users) {
    this.config = config;
    this.users = users;
    this.delimiter = config.get(Params.RECIPIENT_DELIMITER);
    this.myorigin = config.get(Params.MYORIGIN);
  }

  public LocalRecipient resolve(String address) throws TempFailException {
    int at = address.lastIndexOf('@');
    String local = at < 0 ? address : address.substring(0, at);
    String domain = at < 0 ? "" : address.substring(at + 1);
    if (!domain.isEmpty() && !config.isLocalDomain(domain)) {
      return new LocalRecipient.Remote(address, domain.toLowerCase(Locale.ROOT));
    }
    String folded = unquote(local).toLowerCase(Locale.ROOT);
    String qualifiedDomain = domain.isEmpty() ? myorigin : domain.toLowerCase(Locale.ROOT);
    try {
      var exact = users.byName(folded);
      if (exact.isPresent()) {
        return user(exact.get(), "", folded, qualifiedDomain);
      }
      int d = delimiter.isEmpty() ? -1 : folded.indexOf(delimiter);
      if (d > 0) {
        String base = folded.substring(0, d);
        var owner = users.byName(base);
        if (owner.isPresent()) {
          return user(owner.get(), folded.substring(d + delimiter.length()), folded, qualifiedDomain);
        }
      }
    } catch (LookupException e) {
      throw new TempFailException("4.3.0", "user lookup failure: " + e.getMessage(), e);
    }
    return new LocalRecipient.Unknown(folded);
  }

  private static LocalRecipient user(PasswdEntry e, String ext, String local, String domain) {
    return new LocalRecipient.User(e, ext, local + "@" + domain);
  }

  private static String unquote(String local) {
    if (local.length() >= 2 && local.startsWith("\"") && local.endsWith("\"")) {
      return local.substring(1, local.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
    return local;
  }
}
