package org.postern.compat.sendmail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AddressListSplitterTest {
  @Test
  void splitsAndTrimsTopLevelCommas() {
    assertEquals(List.of("a", "b", "c"), AddressListSplitter.split(" a , b,c "));
  }

  @Test
  void dropsEmptyPieces() {
    assertEquals(List.of("a", "b"), AddressListSplitter.split(",a,, ,b,"));
    assertEquals(List.of(), AddressListSplitter.split(""));
  }

  @Test
  void keepsCommasInsideQuotes() {
    assertEquals(List.of("\"Doe, John\" <j@x>", "k@x"),
        AddressListSplitter.split("\"Doe, John\" <j@x>, k@x"));
  }

  @Test
  void keepsCommasInsideAngleRoutes() {
    assertEquals(List.of("<@a,@b:u@c>", "d"), AddressListSplitter.split("<@a,@b:u@c>,d"));
  }

  @Test
  void keepsCommasInsideNestedComments() {
    assertEquals(List.of("j@x (Doe, (J, r))", "k"),
        AddressListSplitter.split("j@x (Doe, (J, r)), k"));
  }

  @Test
  void honoursBackslashEscapes() {
    assertEquals(List.of("\"a\\\",b\" <c>", "d"), AddressListSplitter.split("\"a\\\",b\" <c>,d"));
    assertEquals(List.of("a\\,b"), AddressListSplitter.split("a\\,b"));
  }
}
