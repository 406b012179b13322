package dev.relaycluster.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.convert.AnswerEvent;
import dev.relaycluster.protocol.convert.Conversation;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.ReplayBook;
import dev.relaycluster.protocol.convert.Turn;
import dev.relaycluster.protocol.util.Hashing;
import dev.relaycluster.protocol.util.Json;
import dev.relaycluster.store.TtlStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a converted answer's tool calls need to be replayed later, kept for an hour in the TTL store (Redis
 * in a cluster) by the key and the call's id (ARCHITECTURE.md §2): the signed reasoning before the call and
 * the call's own signature (some vendors sign each call). A client that cannot carry them back (its dialect has no
 * place for them) gets them put back by the next request's writer. Losing a note costs a replay its
 * signature, never the request: writers do without.
 */
final class ReplayNotes {
  private static final Logger log = LoggerFactory.getLogger(ReplayNotes.class);
  private static final Duration TTL = Duration.ofHours(1);
  /** The most calls one request looks up (the latest ones: older turns rarely need their signatures). */
  private static final int MAX_LOOKUPS = 32;

  private final TtlStore store;

  ReplayNotes(TtlStore store) {
    this.store = store;
  }

  /** The notes for the tool calls of {@code conversation} that lack a signature, looked up at once. */
  CompletionStage<ReplayBook> lookUp(String keyId, Conversation conversation) {
    if (store == null) {
      return CompletableFuture.completedFuture(ReplayBook.NONE);
    }
    List<String> ids = unsignedCalls(conversation);
    if (ids.isEmpty()) {
      return CompletableFuture.completedFuture(ReplayBook.NONE);
    }
    Map<String, JsonNode> found = new java.util.concurrent.ConcurrentHashMap<>();
    CompletableFuture<?>[] gets = new CompletableFuture<?>[ids.size()];
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      gets[i] = store.get(storeKey(keyId, id)).toCompletableFuture()
          .thenAccept(v -> v.flatMap(Json::tryParse).ifPresent(node -> found.put(id, node)))
          .exceptionally(t -> {
            log.debug("replay note of a tool call could not be read: {}", t.toString());
            return null;
          });
    }
    return CompletableFuture.allOf(gets).thenApply(done -> book(found));
  }

  /** An observer of one converted answer that keeps the notes of its tool calls. */
  Consumer<AnswerEvent> recorder(String keyId) {
    if (store == null) {
      return e -> { };
    }
    return new Consumer<>() {
      private final StringBuilder reasoningText = new StringBuilder();
      private String reasoningSignature;
      private String reasoningOrigin;
      private boolean redacted;

      @Override
      public void accept(AnswerEvent event) {
        if (event instanceof AnswerEvent.Started) {
          reasoningText.setLength(0);
          reasoningSignature = null;
        } else if (event instanceof AnswerEvent.ReasoningStarted r) {
          reasoningText.setLength(0);
          reasoningSignature = null;
          redacted = r.redacted();
        } else if (event instanceof AnswerEvent.ReasoningDelta d) {
          reasoningText.append(d.text());
        } else if (event instanceof AnswerEvent.ReasoningSignature s) {
          reasoningSignature = s.signature();
          reasoningOrigin = s.origin();
        } else if (event instanceof AnswerEvent.ToolCallStarted call && call.id() != null
            && (reasoningSignature != null || call.signature() != null)) {
          ObjectNode note = Json.mapper().createObjectNode();
          if (reasoningSignature != null) {
            note.putObject("r").put("t", reasoningText.toString()).put("s", reasoningSignature)
                .put("o", reasoningOrigin).put("x", redacted);
          }
          if (call.signature() != null) {
            note.put("s", call.signature());
          }
          store.set(storeKey(keyId, call.id()), new String(Json.write(note), StandardCharsets.UTF_8), TTL)
              .exceptionally(t -> {
                log.debug("replay note of a tool call could not be kept: {}", t.toString());
                return null;
              });
        }
      }
    };
  }

  private static ReplayBook book(Map<String, JsonNode> found) {
    if (found.isEmpty()) {
      return ReplayBook.NONE;
    }
    Map<String, JsonNode> notes = new HashMap<>(found);
    return new ReplayBook() {
      @Override
      public Part.Reasoning reasoningBefore(String toolCallId) {
        JsonNode r = notes.getOrDefault(toolCallId, Json.mapper().nullNode()).path("r");
        return r.isObject() ? new Part.Reasoning(r.path("t").asText(""), r.path("s").asText(null),
            r.path("x").asBoolean(false), r.path("o").asText(null)) : null;
      }

      @Override
      public String callSignature(String toolCallId) {
        JsonNode s = notes.getOrDefault(toolCallId, Json.mapper().nullNode()).path("s");
        return s.isTextual() ? s.asText() : null;
      }
    };
  }

  /** The latest tool calls whose turn carries no signed reasoning or which have no signature of their own. */
  static List<String> unsignedCalls(Conversation conversation) {
    List<String> ids = new ArrayList<>();
    List<Turn> turns = conversation.turns();
    for (int t = turns.size() - 1; t >= 0 && ids.size() < MAX_LOOKUPS; t--) {
      Turn turn = turns.get(t);
      boolean signedReasoning = turn.parts().stream()
          .anyMatch(p -> p instanceof Part.Reasoning r && r.signature() != null);
      for (Part p : turn.parts()) {
        if (p instanceof Part.ToolCall call && call.id() != null && (!signedReasoning || call.signature() == null)
            && ids.size() < MAX_LOOKUPS) {
          ids.add(call.id());
        }
      }
    }
    return ids;
  }

  private static String storeKey(String keyId, String callId) {
    return "replay:" + Hashing.sha256Hex(keyId + "\n" + callId).substring(0, 40);
  }
}
