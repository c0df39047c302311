package org.postern.maps.passwd;

import java.util.Optional;
import org.postern.maps.LookupException;

/**
 * Where local users come from: an instance's users file or the system's NSS. Names are
 * matched exactly (the caller folds case first, as Postfix's local(8) does).
 */
public interface UserDirectory {
  /** The user of that login name; empty when there is none; LookupException when unsure. */
  Optional<PasswdEntry> byName(String name) throws LookupException;

  /** The user of that uid, for naming a submitter; empty when there is none. */
  Optional<PasswdEntry> byUid(int uid) throws LookupException;
}
