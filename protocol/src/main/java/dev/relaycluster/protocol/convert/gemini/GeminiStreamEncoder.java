package dev.relaycluster.protocol.convert.gemini;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.convert.AnswerEvent;
import dev.relaycluster.protocol.convert.AnswerOptions;
import dev.relaycluster.protocol.convert.AnswerUsage;
import dev.relaycluster.protocol.convert.CarriedSignature;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.StreamEncoder;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.gemini.GeminiErrors;
import dev.relaycluster.protocol.util.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes answer events as the Gemini API's {@code alt=sse} stream: {@code data: {GenerateContentResponse}}
 * events ending in CRLF CRLF, each holding the new parts. Text and reasoning deltas go out as they come
 * (reasoning as {@code thought:true} parts); a function call goes out whole when its piece ends, its
 * arguments buffered; the last chunk has the finishReason and usageMetadata. A Gemini thought signature
 * not on a call goes out on an empty text part, as Gemini sends it; another vendor's reasoning signature is
 * carried ({@link CarriedSignature}) as the thoughtSignature of the next function call (or of an empty text
 * part when no call follows), which Gemini clients send back unchanged. Failed, or an end without Finished,
 * is an {@code {"error":{code,message,status}}} event.
 */
final class GeminiStreamEncoder implements StreamEncoder {
  private static final byte[] EMPTY = new byte[0];

  private final AnswerOptions options;
  private String responseId;
  private boolean ended;
  private AnswerUsage usage = AnswerUsage.ZERO;
  private final StringBuilder reasoningText = new StringBuilder();
  private boolean reasoningRedacted;
  private String carried;
  private ObjectNode call;
  private StringBuilder callArgs;

  GeminiStreamEncoder(AnswerOptions options) {
    this.options = options;
  }

  @Override
  public byte[] encode(AnswerEvent event) {
    if (ended) {
      return EMPTY;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (event instanceof AnswerEvent.Started s) {
      responseId = s.id();
    } else if (event instanceof AnswerEvent.TextStarted) {
      flushCall(out);
    } else if (event instanceof AnswerEvent.TextDelta d) {
      if (!d.text().isEmpty()) {
        ArrayNode parts = Json.mapper().createArrayNode();
        parts.addObject().put("text", d.text());
        chunk(out, parts, null);
      }
    } else if (event instanceof AnswerEvent.ReasoningStarted r) {
      flushCall(out);
      reasoningText.setLength(0);
      reasoningRedacted = r.redacted();
    } else if (event instanceof AnswerEvent.ReasoningDelta d) {
      reasoningText.append(d.text());
      if (!d.text().isEmpty()) {
        ArrayNode parts = Json.mapper().createArrayNode();
        parts.addObject().put("text", d.text()).put("thought", true);
        chunk(out, parts, null);
      }
    } else if (event instanceof AnswerEvent.ReasoningSignature sig) {
      if (GeminiWire.ORIGIN.equals(sig.origin())) {
        ArrayNode parts = Json.mapper().createArrayNode();
        parts.addObject().put("text", "").put("thoughtSignature", sig.signature());
        chunk(out, parts, null);
      } else if (sig.signature() != null) {
        carried = CarriedSignature.wrap(
            new Part.Reasoning(reasoningText.toString(), sig.signature(), reasoningRedacted, sig.origin()));
      }
    } else if (event instanceof AnswerEvent.ToolCallStarted c) {
      flushCall(out);
      call = Json.mapper().createObjectNode();
      ObjectNode fc = call.putObject("functionCall");
      if (c.id() != null) {
        fc.put("id", c.id());
      }
      fc.put("name", c.name());
      if (c.signature() != null) {
        call.put("thoughtSignature", c.signature());
      }
      callArgs = new StringBuilder();
    } else if (event instanceof AnswerEvent.ToolArgumentsDelta d) {
      if (callArgs != null) {
        callArgs.append(d.json());
      }
    } else if (event instanceof AnswerEvent.UsageUpdate u) {
      usage = u.usage();
    } else if (event instanceof AnswerEvent.Finished f) {
      ArrayNode parts = Json.mapper().createArrayNode();
      callPart(parts);
      if (carried != null) {
        parts.addObject().put("text", "").put("thoughtSignature", carried);
        carried = null;
      }
      if (parts.isEmpty()) {
        parts.addObject().put("text", "");
      }
      ObjectNode root = chunkNode(parts, GeminiWire.finishReason(f.reason()));
      root.set("usageMetadata", GeminiWire.usageMetadata(usage));
      order(root);
      write(out, root);
      ended = true;
    } else if (event instanceof AnswerEvent.Failed f) {
      call = null;
      error(out, f.kind(), f.message());
      ended = true;
    }
    return out.toByteArray();
  }

  @Override
  public byte[] end() {
    if (ended) {
      return EMPTY;
    }
    ended = true;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    error(out, ErrorKind.BAD_GATEWAY, "the upstream answer broke off before it was complete");
    return out.toByteArray();
  }

  private void flushCall(ByteArrayOutputStream out) {
    ArrayNode parts = Json.mapper().createArrayNode();
    callPart(parts);
    if (!parts.isEmpty()) {
      chunk(out, parts, null);
    }
  }

  /** Adds the pending call (with its arguments, and a carried signature when it has none) to {@code parts}. */
  private void callPart(ArrayNode parts) {
    if (call == null) {
      return;
    }
    if (carried != null) {
      if (call.has("thoughtSignature")) {
        parts.addObject().put("text", "").put("thoughtSignature", carried);
      } else {
        call.put("thoughtSignature", carried);
      }
      carried = null;
    }
    ((ObjectNode) call.get("functionCall")).set("args", GeminiWire.argsObject(callArgs.toString()));
    parts.add(call);
    call = null;
    callArgs = null;
  }

  private void chunk(ByteArrayOutputStream out, ArrayNode parts, String finishReason) {
    write(out, chunkNode(parts, finishReason));
  }

  private ObjectNode chunkNode(ArrayNode parts, String finishReason) {
    ObjectNode root = Json.mapper().createObjectNode();
    ObjectNode candidate = root.putArray("candidates").addObject();
    ObjectNode content = candidate.putObject("content");
    content.set("parts", parts);
    content.put("role", "model");
    if (finishReason != null) {
      candidate.put("finishReason", finishReason);
    }
    candidate.put("index", 0);
    if (options.model() != null) {
      root.put("modelVersion", options.model());
    }
    if (responseId != null) {
      root.put("responseId", responseId);
    }
    return root;
  }

  /** Puts usageMetadata after candidates, as Gemini orders its fields. */
  private static void order(ObjectNode root) {
    for (String field : new String[] {"modelVersion", "responseId"}) {
      if (root.has(field)) {
        root.set(field, root.remove(field));
      }
    }
  }

  private static void write(ByteArrayOutputStream out, ObjectNode root) {
    out.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(Json.write(root));
    out.writeBytes("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static void error(ByteArrayOutputStream out, ErrorKind kind, String message) {
    out.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(GeminiErrors.body(kind.status(), message == null ? "" : message));
    out.writeBytes("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
  }
}
