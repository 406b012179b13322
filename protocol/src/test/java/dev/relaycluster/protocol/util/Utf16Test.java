package dev.relaycluster.protocol.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Utf16Test {

  @Test
  void pairsAreKeptAndLoneSurrogatesReplaced() {
    String globe = "\ud83c\udf0d";
    assertTrue(Utf16.wellFormed("gemini-2.5-pro " + globe));
    assertTrue(Utf16.wellFormed(null));
    String plain = "claude-sonnet-4-5";
    assertSame(plain, Utf16.repaired(plain));
    assertNull(Utf16.repaired(null));
    for (String[] c : new String[][] {{"\ud800", "\ufffd"}, {"\ud800x", "\ufffdx"}, {"x\udc00", "x\ufffd"},
        {"\udc00\ud800", "\ufffd\ufffd"}, {globe + "\ud83c", globe + "\ufffd"},
        {"a\ud800\ud800\udc00b", "a\ufffd\ud800\udc00b"}}) {
      assertFalse(Utf16.wellFormed(c[0]), c[0]);
      assertEquals(c[1], Utf16.repaired(c[0]));
      assertTrue(Utf16.wellFormed(Utf16.repaired(c[0])));
    }
  }
}
