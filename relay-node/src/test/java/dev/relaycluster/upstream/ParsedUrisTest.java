package dev.relaycluster.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.pekko.http.javadsl.model.Uri;
import org.junit.jupiter.api.Test;

class ParsedUrisTest {

  @Test
  void aUriIsParsedOnceAndAnsweredFromThenOn() {
    ParsedUris uris = new ParsedUris();
    Uri first = uris.of("https://api.anthropic.com/v1/messages?beta=true");
    assertEquals("api.anthropic.com", first.host().address());
    assertEquals("/v1/messages", first.path());
    assertEquals("beta=true", first.rawQueryString().orElseThrow());
    assertSame(first, uris.of("https://api.anthropic.com/v1/messages?beta=true"));
    assertEquals(1, uris.size());
  }

  @Test
  void pastItsBoundItParsesWithoutKeeping() {
    ParsedUris uris = new ParsedUris();
    for (int i = 0; i < ParsedUris.MAX_ENTRIES + 50; i++) {
      assertEquals("q=" + i, uris.of("http://127.0.0.1:8080/v1/messages?q=" + i).rawQueryString().orElseThrow());
    }
    assertEquals(ParsedUris.MAX_ENTRIES, uris.size());
  }

  @Test
  void anInvalidUriFailsAsUriCreateDoesAndIsNotKept() {
    ParsedUris uris = new ParsedUris();
    assertThrows(RuntimeException.class, () -> uris.of("http://exa mple.com/v1/messages"));
    assertEquals(0, uris.size());
  }
}
