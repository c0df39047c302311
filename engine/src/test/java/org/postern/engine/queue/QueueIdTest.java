package org.postern.engine.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueueIdTest {
  @Test
  void idsIssuedInOneProcessAreUniqueAndSorted() {
    List<QueueId> ids = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(QueueId.next());
    }
    assertEquals(ids.size(), new HashSet<>(ids).size());
    List<QueueId> sorted = new ArrayList<>(ids);
    sorted.sort(null);
    assertEquals(ids, sorted);
  }

  @Test
  void idEncodesItsCreationSecond() {
    long before = Instant.now().getEpochSecond();
    QueueId id = QueueId.next();
    long at = id.created().getEpochSecond();
    assertTrue(at >= before && at <= before + 1, "created " + at + " before " + before);
  }

  @Test
  void rejectsNamesThatAreNotIds() {
    assertFalse(QueueId.isValid(".tmp.123.abc"));
    assertFalse(QueueId.isValid("0123456789abcdef"));
    assertThrows(IllegalArgumentException.class, () -> new QueueId("../../etc/passwd"));
  }
}
