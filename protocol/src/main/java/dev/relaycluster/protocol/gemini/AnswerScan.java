package dev.relaycluster.protocol.gemini;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.util.Json;
import java.io.IOException;

/**
 * What one Gemini answer object says, read with a streaming parser so that candidate contents (most of an
 * answer) are skipped rather than built: the served model ({@code modelVersion}), the usage
 * ({@code usageMetadata}), whether a candidate carried a {@code finishReason}, and an error object. Both the
 * public shape and the Code Assist envelope ({@code {response:{…}, traceId}}) are read.
 */
final class AnswerScan {
  /** Reads one value out of a parser that goes on (the shared mapper refuses trailing tokens). */
  private static final ObjectReader TREE = Json.mapper().reader()
      .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  String model;
  /** Usage of the answer's {@code usageMetadata}, null when it had none. */
  TokenUsage usage;
  boolean finished;
  /** The {@code error} object of an error answer, else null. */
  JsonNode error;

  /**
   * Reads the JSON in {@code json}: one answer object, or an array of them (a whole JSON-array stream; the
   * last model and usage win). Null when it is not JSON.
   */
  static AnswerScan of(byte[] json) {
    try (JsonParser p = Json.mapper().getFactory().createParser(json)) {
      return read(p);
    } catch (IOException e) {
      return null;
    }
  }

  /** As {@link #of(byte[])}, from {@code length} bytes of {@code json} from {@code offset}. */
  static AnswerScan of(byte[] json, int offset, int length) {
    try (JsonParser p = Json.mapper().getFactory().createParser(json, offset, length)) {
      return read(p);
    } catch (IOException e) {
      return null;
    }
  }

  /** As {@link #of(byte[])}, from a string. */
  static AnswerScan of(String json) {
    try (JsonParser p = Json.mapper().getFactory().createParser(json)) {
      return read(p);
    } catch (IOException e) {
      return null;
    }
  }

  private static AnswerScan read(JsonParser p) throws IOException {
    AnswerScan scan = new AnswerScan();
    JsonToken first = p.nextToken();
    if (first == JsonToken.START_OBJECT) {
      scan.object(p, true);
    } else if (first == JsonToken.START_ARRAY) {
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
        if (t == JsonToken.START_OBJECT) {
          scan.object(p, true);
        } else {
          p.skipChildren();
        }
      }
    } else {
      return null;
    }
    return scan;
  }

  /** Reads the fields of an object whose START_OBJECT was just read, up to its END_OBJECT. */
  private void object(JsonParser p, boolean top) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "response" -> {
          if (top && value == JsonToken.START_OBJECT) {
            object(p, false);
          } else {
            p.skipChildren();
          }
        }
        case "usageMetadata" -> {
          if (value == JsonToken.START_OBJECT) {
            usage = GeminiUsage.of(TREE.readTree(p));
          } else {
            p.skipChildren();
          }
        }
        case "modelVersion" -> {
          if (value == JsonToken.VALUE_STRING && !p.getText().isEmpty()) {
            model = p.getText();
          }
        }
        case "candidates" -> {
          if (value == JsonToken.START_ARRAY) {
            candidates(p);
          } else {
            p.skipChildren();
          }
        }
        case "error" -> {
          if (top && value == JsonToken.START_OBJECT) {
            error = TREE.readTree(p);
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
  }

  private void candidates(JsonParser p) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
      if (t != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("finishReason".equals(name) && value == JsonToken.VALUE_STRING && !p.getText().isEmpty()) {
          finished = true;
        } else {
          p.skipChildren();
        }
      }
    }
  }
}
