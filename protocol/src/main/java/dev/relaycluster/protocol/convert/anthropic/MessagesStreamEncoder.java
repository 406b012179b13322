package dev.relaycluster.protocol.convert.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.anthropic.AnthropicErrors;
import dev.relaycluster.protocol.convert.AnswerEvent;
import dev.relaycluster.protocol.convert.AnswerOptions;
import dev.relaycluster.protocol.convert.AnswerUsage;
import dev.relaycluster.protocol.convert.CarriedSignature;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.StopReason;
import dev.relaycluster.protocol.convert.StreamEncoder;
import dev.relaycluster.protocol.util.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Writes answer events as the Messages API streams them. message_start waits for the first event after
 * Started, so that a usage update right after it puts the input counts in; content blocks count 0, 1, 2.
 * Reasoning of another vendor keeps its signature as a {@link CarriedSignature}, so that Claude Code sends
 * it back to us; a redacted piece is one redacted_thinking block, started once its signature is known.
 */
final class MessagesStreamEncoder implements StreamEncoder {
  static final String BROKE_OFF = "upstream stream broke off";

  private enum Block { NONE, TEXT, THINKING, PENDING_REDACTED, REDACTED, TOOL }

  private final AnswerOptions options;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private String id;
  private boolean started;
  private boolean ended;
  private AnswerUsage usage = AnswerUsage.ZERO;
  private Block block = Block.NONE;
  private int nextIndex;
  private final StringBuilder reasoningText = new StringBuilder();
  private boolean signed;
  private boolean sawTool;

  MessagesStreamEncoder(AnswerOptions options) {
    this.options = options;
  }

  @Override
  public byte[] encode(AnswerEvent event) {
    if (ended) {
      return new byte[0];
    }
    if (event instanceof AnswerEvent.Started s) {
      id = s.id();
    } else if (event instanceof AnswerEvent.UsageUpdate u) {
      usage = u.usage() == null ? AnswerUsage.ZERO : u.usage();
      ensureStarted();
    } else if (event instanceof AnswerEvent.Failed f) {
      ended = true;
      out.writeBytes(AnthropicErrors.sseEvent(AnthropicWire.errorType(f.kind()), f.message()));
    } else {
      ensureStarted();
      content(event);
    }
    return drain();
  }

  @Override
  public byte[] end() {
    if (!ended) {
      ended = true;
      out.writeBytes(AnthropicErrors.sseEvent("api_error", BROKE_OFF));
    }
    return drain();
  }

  private void content(AnswerEvent event) {
    if (event instanceof AnswerEvent.TextStarted) {
      open(Block.TEXT, AnthropicWire.object().put("type", "text").put("text", ""));
    } else if (event instanceof AnswerEvent.TextDelta d) {
      if (block != Block.TEXT) {
        open(Block.TEXT, AnthropicWire.object().put("type", "text").put("text", ""));
      }
      if (!d.text().isEmpty()) {
        delta(AnthropicWire.object().put("type", "text_delta").put("text", d.text()));
      }
    } else if (event instanceof AnswerEvent.ReasoningStarted r) {
      startReasoning(r.redacted());
    } else if (event instanceof AnswerEvent.ReasoningDelta d) {
      if (block != Block.THINKING && block != Block.PENDING_REDACTED) {
        startReasoning(false);
      }
      reasoningText.append(d.text());
      if (block == Block.THINKING && !d.text().isEmpty()) {
        delta(AnthropicWire.object().put("type", "thinking_delta").put("thinking", d.text()));
      }
    } else if (event instanceof AnswerEvent.ReasoningSignature s) {
      signature(s);
    } else if (event instanceof AnswerEvent.ToolCallStarted c) {
      sawTool = true;
      ObjectNode start = AnthropicWire.object().put("type", "tool_use").put("id", c.id()).put("name", c.name());
      start.putObject("input");
      open(Block.TOOL, start);
    } else if (event instanceof AnswerEvent.ToolArgumentsDelta a) {
      if (block == Block.TOOL && !a.json().isEmpty()) {
        delta(AnthropicWire.object().put("type", "input_json_delta").put("partial_json", a.json()));
      }
    } else if (event instanceof AnswerEvent.Finished f) {
      finish(f);
    }
  }

  private void startReasoning(boolean redacted) {
    closeBlock();
    reasoningText.setLength(0);
    signed = false;
    if (redacted) {
      block = Block.PENDING_REDACTED;
    } else {
      open(Block.THINKING, AnthropicWire.object().put("type", "thinking").put("thinking", "").put("signature", ""));
    }
  }

  private void signature(AnswerEvent.ReasoningSignature s) {
    if (s.signature() == null || s.signature().isEmpty() || signed) {
      return;
    }
    boolean native_ = AnthropicWire.ORIGIN.equals(s.origin());
    if (block == Block.THINKING) {
      signed = true;
      String value = native_ ? s.signature()
          : CarriedSignature.wrap(new Part.Reasoning(reasoningText.toString(), s.signature(), false, s.origin()));
      delta(AnthropicWire.object().put("type", "signature_delta").put("signature", value));
    } else if (block == Block.PENDING_REDACTED) {
      signed = true;
      String value = native_ ? s.signature()
          : CarriedSignature.wrap(new Part.Reasoning(reasoningText.toString(), s.signature(), true, s.origin()));
      block = Block.NONE;
      open(Block.REDACTED, AnthropicWire.object().put("type", "redacted_thinking").put("data", value));
    }
  }

  private void finish(AnswerEvent.Finished f) {
    closeBlock();
    StopReason reason = f.reason() == StopReason.END_TURN && sawTool ? StopReason.TOOL_USE : f.reason();
    ObjectNode delta = AnthropicWire.object().put("type", "message_delta");
    ObjectNode d = delta.putObject("delta").put("stop_reason", AnthropicWire.stopReason(reason));
    if (f.stopSequence() == null) {
      d.putNull("stop_sequence");
    } else {
      d.put("stop_sequence", f.stopSequence());
    }
    AnthropicWire.putUsage(delta.putObject("usage"), usage);
    event("message_delta", delta);
    event("message_stop", AnthropicWire.object().put("type", "message_stop"));
    ended = true;
  }

  private void ensureStarted() {
    if (started) {
      return;
    }
    started = true;
    ObjectNode start = AnthropicWire.object().put("type", "message_start");
    ObjectNode message = start.putObject("message");
    message.put("id", messageId(id)).put("type", "message").put("role", "assistant");
    message.putArray("content");
    message.put("model", options.model());
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    AnthropicWire.putUsage(message.putObject("usage"), usage);
    event("message_start", start);
  }

  static String messageId(String upstream) {
    if (upstream == null || upstream.isEmpty()) {
      return "msg_" + UUID.randomUUID().toString().replace("-", "");
    }
    return upstream.startsWith("msg_") ? upstream : "msg_" + upstream;
  }

  private void open(Block kind, ObjectNode contentBlock) {
    closeBlock();
    block = kind;
    ObjectNode start = AnthropicWire.object().put("type", "content_block_start").put("index", nextIndex);
    start.set("content_block", contentBlock);
    event("content_block_start", start);
  }

  private void delta(ObjectNode delta) {
    ObjectNode node = AnthropicWire.object().put("type", "content_block_delta").put("index", nextIndex);
    node.set("delta", delta);
    event("content_block_delta", node);
  }

  private void closeBlock() {
    if (block != Block.NONE && block != Block.PENDING_REDACTED) {
      event("content_block_stop", AnthropicWire.object().put("type", "content_block_stop").put("index", nextIndex));
      nextIndex++;
    }
    block = Block.NONE;
  }

  private void event(String name, ObjectNode data) {
    out.writeBytes(("event: " + name + "\ndata: ").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(Json.write(data));
    out.writeBytes(new byte[] {'\n', '\n'});
  }

  private byte[] drain() {
    byte[] bytes = out.toByteArray();
    out.reset();
    return bytes;
  }
}
