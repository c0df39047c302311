package org.postern.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Behaviour every table type shares (STYLE §8): an implementation's test implements
 * {@link #tableOf} and inherits these tests. Keys in the source are given as an admin writes
 * them; the table must be built as its tool does by default (postmap folds case).
 */
public interface TableContract {
  /** A table of the type under test holding {@code source} (key as written, value). */
  Table tableOf(Map<String, String> source) throws Exception;

  private static Map<String, String> source(String... keyValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  @Test
  default void answersTheValueOfAPresentKey() throws Exception {
    Table t = tableOf(source("alice@example.com", "alice", "bob@example.com", "bob"));
    assertEquals(Optional.of("alice"), t.lookup("alice@example.com"));
    assertEquals(Optional.of("bob"), t.lookup("bob@example.com"));
  }

  @Test
  default void answersEmptyForAnAbsentKey() throws Exception {
    Table t = tableOf(source("alice@example.com", "alice"));
    assertEquals(Optional.empty(), t.lookup("carol@example.com"));
    assertEquals(Optional.empty(), t.lookup("alice@example.co"));
    assertEquals(Optional.empty(), t.lookup(""));
  }

  @Test
  default void foldsTheCaseOfKeysButNotOfValues() throws Exception {
    Table t = tableOf(source("Postmaster@Example.COM", "Root@Example.COM"));
    assertEquals(Optional.of("Root@Example.COM"), t.lookup("postmaster@example.com"));
    assertEquals(Optional.of("Root@Example.COM"), t.lookup("POSTMASTER@EXAMPLE.COM"));
  }

  @Test
  default void findsUtf8Keys() throws Exception {
    Table t =
        tableOf(
            source(
                "jürgen@exämple.de", "jürgen",
                "用户@例子.中国", "用户",
                "\uD83D\uDE00@emoji.example", "smile",
                "\uE000@private.example", "private"));
    assertEquals(Optional.of("jürgen"), t.lookup("jürgen@exämple.de"));
    assertEquals(Optional.of("用户"), t.lookup("用户@例子.中国"));
    assertEquals(Optional.of("smile"), t.lookup("\uD83D\uDE00@emoji.example"));
    assertEquals(Optional.of("private"), t.lookup("\uE000@private.example"));
    assertEquals(Optional.empty(), t.lookup("jurgen@example.de"));
  }

  @Test
  default void storesAnEmptyValue() throws Exception {
    Table t = tableOf(source("empty@example.com", "", "full@example.com", "x"));
    assertEquals(Optional.of(""), t.lookup("empty@example.com"));
  }

  @Test
  default void answersEveryOneOfManyKeys() throws Exception {
    Map<String, String> many = new LinkedHashMap<>();
    for (int i = 0; i < 5000; i++) {
      many.put("user" + i + "@dom" + (i % 97) + ".example", "value" + i);
    }
    Table t = tableOf(many);
    for (int i = 0; i < 5000; i++) {
      assertEquals(
          Optional.of("value" + i), t.lookup("user" + i + "@dom" + (i % 97) + ".example"));
    }
    assertEquals(Optional.empty(), t.lookup("user5000@dom53.example"));
  }
}
