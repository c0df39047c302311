package org.postern.compat.mailq;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The zone a client's listing shows times in, from the client's TZ, as its own JVM would
 * have taken it ({@code Area/City}, {@code UTC}, {@code :Area/City}, a zoneinfo path); TZ
 * absent, empty or unknown: this process's zone (the client's too when it runs here). Used
 * by the daemon for listings it prints for a client, so the client never loads the zone
 * rules (20-60 ms of its start-up).
 *
 * <p>Trusts nothing: TZ is the client's text. Deviation: a POSIX rule string the JDK does
 * not know (CET-1CEST) is shown in this process's zone. Stateless.
 */
public final class ClientZone {
  private ClientZone() {}

  public static ZoneId of(Optional<String> tz) {
    if (tz.isEmpty() || tz.get().isEmpty()) {
      return ZoneId.systemDefault();
    }
    String name = tz.get().startsWith(":") ? tz.get().substring(1) : tz.get();
    int zoneinfo = name.indexOf("/zoneinfo/");
    if (name.startsWith("/") && zoneinfo >= 0) {
      name = name.substring(zoneinfo + "/zoneinfo/".length());
    }
    try {
      return ZoneId.of(name);
    } catch (DateTimeException e) {
      return ZoneId.systemDefault();
    }
  }
}
