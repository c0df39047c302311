package org.postern.compat.mailq;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postern.engine.global.ConfigException;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;
import org.postern.engine.showq.QueueEntry;
import org.postern.engine.util.ProcessIdentity;

class QueueAccessTest {
  private static final ProcessIdentity NOBODY = new ProcessIdentity("nobody", 65534, 65534, 65534);

  @Test
  void staticAnyoneLetsEveryUserList() throws Exception {
    assertTrue(QueueAccess.authorized(List.of("static:anyone"), NOBODY));
  }

  @Test
  void staticRootAndNooneLetOnlyAdministratorsList() throws Exception {
    assertFalse(QueueAccess.authorized(List.of("static:root"), NOBODY));
    assertFalse(QueueAccess.authorized(List.of("static:noone"), NOBODY));
  }

  @Test
  void aListOfUsersAdmitsThemByNameOrUid() throws Exception {
    assertTrue(QueueAccess.authorized(List.of("alice", "nobody"), NOBODY));
    assertTrue(QueueAccess.authorized(List.of("65534"), NOBODY));
    assertFalse(QueueAccess.authorized(List.of("alice", "bob"), NOBODY));
  }

  @Test
  void otherTableTypesAreAConfigurationError() {
    assertThrows(ConfigException.class,
        () -> QueueAccess.authorized(List.of("hash:/etc/postern/mailq_users"), NOBODY));
  }

  private static QueueEntry ownedBy(int uid) {
    return new QueueEntry(new QueueId("0TP1A00000000001"), QueueState.DEFERRED, 1, 1, 0, uid,
        "u", "u@h", "", "", 1, List.of(), 0, 0, false, Optional.empty());
  }

  @Test
  void aUserMayChangeOnlyTheirOwnMessages() {
    QueueAccess user = new QueueAccess(1000, false, true);

    assertTrue(user.mayChange(ownedBy(1000)));
    assertFalse(user.mayChange(ownedBy(0)));
  }

  @Test
  void anAdministratorMayChangeEveryMessage() {
    assertTrue(new QueueAccess(0, true, true).mayChange(ownedBy(1000)));
  }
}
