package org.postern.engine.local;

import java.util.Optional;
import org.postern.engine.global.Config;
import org.postern.engine.global.Params;
import org.postern.maps.LookupException;
import org.postern.engine.posix.SystemUsers;
import org.postern.maps.passwd.PasswdEntry;
import org.postern.maps.passwd.PasswdFile;
import org.postern.maps.passwd.UserDirectory;

/**
 * The local users of an instance: its {@code local_users_file} when set (a relocatable
 * instance), otherwise NSS (the system instance, so LDAP and sssd users count).
 *
 * <p>Trusts the configuration's choice of source. Lookup failures stay LookupExceptions
 * (temporary), never "unknown user". Immutable after construction.
 */
public final class LocalUsers implements UserDirectory {
  private final UserDirectory source;

  private LocalUsers(UserDirectory source) {
    this.source = source;
  }

  public static LocalUsers open(Config config) throws LookupException {
    if (config.get(Params.LOCAL_USERS_FILE).isEmpty()) {
      return new LocalUsers(new SystemUsers());
    }
    return new LocalUsers(PasswdFile.load(config.path(Params.LOCAL_USERS_FILE)));
  }

  @Override
  public Optional<PasswdEntry> byName(String name) throws LookupException {
    return source.byName(name);
  }

  @Override
  public Optional<PasswdEntry> byUid(int uid) throws LookupException {
    return source.byUid(uid);
  }
}
