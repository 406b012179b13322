package dev.relaycluster.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.dialect.SocketFrames;
import dev.relaycluster.protocol.util.Json;

/**
 * Client frames of the Responses WebSocket mode: {@code response.create} starts a turn (its body is a
 * Responses request; {@code generate:false} prewarms), {@code response.processed} and the legacy
 * {@code response.append} go up as they are; anything else, or a frame that is not a JSON object, is
 * refused. Errors go down as the wrapped error frame Codex reads like an HTTP status:
 * {@code {"type":"error","status":N,"error":{"type","code","message","param"}}}.
 *
 * <p>A turn is replayable on another upstream connection unless it names a {@code previous_response_id}:
 * that response lives on the connection that made it (with {@code store:false} nowhere else). Upstream
 * frames that only announce a turn ({@code response.created}, {@code response.in_progress}, and the
 * ChatGPT backend's {@code codex.rate_limits}) carry no output.
 */
public final class ResponsesSocketFrames implements SocketFrames {
  public static final ResponsesSocketFrames INSTANCE = new ResponsesSocketFrames();

  private ResponsesSocketFrames() {}

  @Override
  public Frame classify(byte[] text) {
    JsonNode frame = Json.tryParse(text).orElse(null);
    if (frame == null || !frame.isObject()) {
      return new Frame(Kind.INVALID, "a frame must be a JSON object such as {\"type\":\"response.create\",…}");
    }
    String type = Json.text(frame, "type");
    if (type == null) {
      return new Frame(Kind.INVALID, "a frame must name its \"type\"");
    }
    return switch (type) {
      case "response.create" -> new Frame(Kind.TURN, null);
      case "response.processed", "response.append" -> new Frame(Kind.FORWARD, null);
      default -> new Frame(Kind.INVALID, "unknown frame type \"" + type + "\"; send response.create");
    };
  }

  @Override
  public boolean replayable(byte[] turnFrame) {
    JsonNode frame = Json.tryParse(turnFrame).orElse(null);
    if (frame == null || !frame.isObject()) {
      return false;
    }
    JsonNode previous = frame.get("previous_response_id");
    return previous == null || previous.isNull() || previous.asText().isEmpty();
  }

  @Override
  public boolean announcesOnly(byte[] upstreamFrame) {
    String type = Json.tryParse(upstreamFrame).map(f -> Json.text(f, "type")).orElse(null);
    return "response.created".equals(type) || "response.in_progress".equals(type)
        || "codex.rate_limits".equals(type);
  }

  @Override
  public byte[] errorFrame(ErrorKind kind, String message) {
    ObjectNode frame = Json.mapper().createObjectNode();
    frame.put("type", "error");
    frame.put("status", kind.status());
    ObjectNode error = frame.putObject("error");
    error.put("type", ResponsesDialect.INSTANCE.errorType(kind));
    error.put("code", ResponsesDialect.INSTANCE.errorCode(kind));
    error.put("message", message);
    error.putNull("param");
    return Json.write(frame);
  }
}
