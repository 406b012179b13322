package dev.relaycluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.Test;

/** A path no route serves is answered 404 in the dialect of the endpoints mounted around it. */
class DialectResponsesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void notFoundSpeaksThePathsDialect() throws Exception {
    JsonNode gemini = body(DialectResponses.notFound("/gemini/v1beta/models/gemini-2.5-pro"));
    assertEquals(404, gemini.at("/error/code").asInt());
    assertEquals("NOT_FOUND", gemini.at("/error/status").asText());
    JsonNode openai = body(DialectResponses.notFound("/openai/v1/nothing"));
    assertEquals("invalid_request_error", openai.at("/error/type").asText(), openai.toString());
    JsonNode anthropic = body(DialectResponses.notFound("/nowhere"));
    assertEquals("error", anthropic.path("type").asText());
    assertEquals("not_found_error", anthropic.at("/error/type").asText());
  }

  private static JsonNode body(HttpResponse r) throws Exception {
    assertEquals(404, r.status().intValue());
    return JSON.readTree(((HttpEntity.Strict) r.entity()).getData().toArray());
  }
}
