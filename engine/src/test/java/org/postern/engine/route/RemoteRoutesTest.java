package org.postern.engine.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.TempFailException;
import org.postern.maps.TableOpener;
import org.postern.maps.TableSpec;
import org.postern.maps.access.SmtpReply;
import org.postern.maps.hash.HashTableWriter;

class RemoteRoutesTest {
  @TempDir Path dir;

  private RemoteRoutes routes(Optional<NextHop> relayhost, String... keysAndValues)
      throws Exception {
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      entries.add(Map.entry(keysAndValues[i].toLowerCase(Locale.ROOT), keysAndValues[i + 1]));
    }
    Path db = dir.resolve("mailertable.db");
    HashTableWriter.write(db, entries, true, PosixFilePermissions.fromString("rw-r--r--"));
    var table = new TableOpener(dir, w -> { })
        .open(TableSpec.parse("hash:" + dir.resolve("mailertable")));
    return new RemoteRoutes(table, relayhost);
  }

  @Test
  void exactDomainThenParentDotKeysThenDefault() throws Exception {
    RemoteRoutes r = routes(Optional.empty(),
        "example.com", "smtp:[mx1.example.net]",
        ".example.com", "esmtp:relay.example.net:2525",
        ".", "smtp:[smarthost.example.net]:587");
    assertEquals(new Route.Smtp(new NextHop("mx1.example.net", 25, false)),
        r.route("example.com"));
    assertEquals(new Route.Smtp(new NextHop("relay.example.net", 2525, true)),
        r.route("a.b.Example.COM"));
    assertEquals(new Route.Smtp(new NextHop("smarthost.example.net", 587, false)),
        r.route("other.org"));
  }

  @Test
  void dotDomainKeyDoesNotMatchTheDomainItself() throws Exception {
    RemoteRoutes r = routes(Optional.empty(), ".example.com", "smtp:[inner.example.net]");
    assertEquals(new Route.Smtp(NextHop.domain("example.com")), r.route("example.com"));
    assertEquals(new Route.Smtp(new NextHop("inner.example.net", 25, false)),
        r.route("host.example.com"));
  }

  @Test
  void localAndErrorEntries() throws Exception {
    RemoteRoutes r = routes(Optional.empty(),
        "intranet.example", "local:postmaster",
        "self.example", "local:",
        "gone.example", "error:5.1.2:550 Host unknown here",
        "busy.example", "error:4.4.5:450 try later");
    assertEquals(new Route.Local("postmaster"), r.route("intranet.example"));
    assertEquals(new Route.Local(""), r.route("self.example"));
    assertEquals(new Route.Error(new SmtpReply(550, "5.1.2", "Host unknown here")),
        r.route("gone.example"));
    assertEquals(new Route.Error(new SmtpReply(450, "4.4.5", "try later")),
        r.route("busy.example"));
  }

  @Test
  void relayhostAppliesWhenTheTableDoesNotMatch() throws Exception {
    RemoteRoutes r = routes(Optional.of(NextHop.parse("[smtp.isp.example]:587")),
        "example.com", "smtp:mx.example.com");
    assertEquals(new Route.Smtp(new NextHop("mx.example.com", 25, true)),
        r.route("example.com"));
    assertEquals(new Route.Smtp(new NextHop("smtp.isp.example", 587, false)),
        r.route("elsewhere.org"));
  }

  @Test
  void noTableNoRelayhostMeansTheDomainByMx() throws Exception {
    RemoteRoutes r = routes(Optional.empty());
    assertEquals(new Route.Smtp(new NextHop("elsewhere.org", 25, true)),
        r.route("elsewhere.org."));
    assertEquals(new Route.Smtp(new NextHop("192.0.2.7", 25, false)), r.route("[192.0.2.7]"));
    assertEquals(new Route.Smtp(new NextHop("2001:db8::1", 25, false)),
        r.route("[IPv6:2001:db8::1]"));
  }

  @Test
  void unusableEntryDefersRatherThanBounces() throws Exception {
    RemoteRoutes r = routes(Optional.empty(),
        "odd.example", "uucp:somewhere",
        "badport.example", "smtp:[mx.example]:99999");
    TempFailException e = assertThrows(TempFailException.class, () -> r.route("odd.example"));
    assertEquals("4.3.5", e.status().code());
    assertEquals(true, e.getMessage().contains("unknown mailer \"uucp\""), e.getMessage());
    assertThrows(TempFailException.class, () -> r.route("badport.example"));
  }

  @Test
  void nextHopSyntax() throws Exception {
    assertEquals("[mail.example]:2525", NextHop.parse("[Mail.Example]:2525").toString());
    assertEquals("mail.example", NextHop.parse("mail.example").toString());
    assertEquals(new NextHop("::1", 25, false), NextHop.parse("[::1]"));
    for (String bad : List.of("", "[x", "host:", "host:0", "a b", "[h]:x", "u@h")) {
      assertThrows(ConfigException.class, () -> NextHop.parse(bad), bad);
    }
  }
}
