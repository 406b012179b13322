package dev.relaycluster.protocol.convert.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.convert.AnswerEvent;
import dev.relaycluster.protocol.convert.AnswerOptions;
import dev.relaycluster.protocol.convert.AnswerUsage;
import dev.relaycluster.protocol.convert.CarriedSignature;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.StreamEncoder;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.util.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * {@link AnswerEvent}s written as a Responses SSE stream the way api.openai.com sends it and Codex CLI reads
 * it: {@code response.created} and {@code .in_progress}; per piece an output item (message, reasoning,
 * function_call, or custom_tool_call for the client's free-form tools) added, its deltas, its done events
 * and {@code output_item.done} with the whole item (Codex keeps the done items as its history); then
 * {@code response.completed} (or {@code .incomplete}) with every item and the usage, or
 * {@code response.failed}. Every event has its {@code sequence_number}. Reasoning signed by another vendor
 * goes out as a {@link CarriedSignature} in {@code encrypted_content}, which Codex sends back.
 */
final class ResponsesEncoder implements StreamEncoder {
  private enum Kind { NONE, MESSAGE, REASONING, FUNCTION, CUSTOM }

  private final AnswerOptions options;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ArrayNode output = Json.mapper().createArrayNode();
  private int sequence;
  private boolean started;
  private boolean ended;
  private String responseId;
  private String idCore;
  private AnswerUsage usage;

  private Kind kind = Kind.NONE;
  private String itemId;
  private final StringBuilder buffer = new StringBuilder();
  private boolean partOpen;
  private boolean redacted;
  private String signature;
  private String origin;
  private String callId;
  private String callName;

  ResponsesEncoder(AnswerOptions options) {
    this.options = options;
  }

  @Override
  public byte[] encode(AnswerEvent event) {
    if (!ended) {
      if (event instanceof AnswerEvent.Started s) {
        start(s.id());
      } else {
        start(null);
        on(event);
      }
    }
    return drain();
  }

  @Override
  public byte[] end() {
    if (!ended) {
      start(null);
      fail(ErrorKind.BAD_GATEWAY, "the upstream stream broke off before the answer was complete");
    }
    return drain();
  }

  private void on(AnswerEvent event) {
    if (event instanceof AnswerEvent.TextStarted) {
      open(Kind.MESSAGE);
    } else if (event instanceof AnswerEvent.TextDelta d) {
      if (kind != Kind.MESSAGE) {
        open(Kind.MESSAGE);
      }
      textDelta(d.text());
    } else if (event instanceof AnswerEvent.ReasoningStarted r) {
      open(Kind.REASONING);
      redacted = r.redacted();
    } else if (event instanceof AnswerEvent.ReasoningDelta d) {
      if (kind != Kind.REASONING) {
        open(Kind.REASONING);
      }
      reasoningDelta(d.text());
    } else if (event instanceof AnswerEvent.ReasoningSignature s) {
      if (kind == Kind.REASONING) {
        signature = s.signature();
        origin = s.origin();
      }
    } else if (event instanceof AnswerEvent.ToolCallStarted c) {
      close();
      callId = c.id();
      callName = c.name();
      open(options.freeformTools().contains(c.name()) ? Kind.CUSTOM : Kind.FUNCTION);
    } else if (event instanceof AnswerEvent.ToolArgumentsDelta d) {
      argumentsDelta(d.json());
    } else if (event instanceof AnswerEvent.UsageUpdate u) {
      usage = u.usage();
    } else if (event instanceof AnswerEvent.Finished f) {
      close();
      String reason = ResponseObjects.incompleteReason(f.reason());
      String status = reason == null ? "completed" : "incomplete";
      ObjectNode e = event("response." + status);
      e.set("response", ResponseObjects.response(responseId, options.createdSeconds(), status, options.model(),
          output, usage == null ? AnswerUsage.ZERO : usage, reason, null));
      emit(e);
      ended = true;
    } else if (event instanceof AnswerEvent.Failed f) {
      fail(f.kind(), f.message());
    }
  }

  private void start(String upstreamId) {
    if (started) {
      return;
    }
    started = true;
    idCore = upstreamId != null && !upstreamId.isEmpty() ? upstreamId
        : UUID.randomUUID().toString().replace("-", "");
    responseId = "resp_" + idCore;
    for (String type : new String[] {"response.created", "response.in_progress"}) {
      ObjectNode e = event(type);
      e.set("response", ResponseObjects.response(responseId, options.createdSeconds(), "in_progress",
          options.model(), Json.mapper().createArrayNode(), null, null, null));
      emit(e);
    }
  }

  private void open(Kind next) {
    close();
    kind = next;
    buffer.setLength(0);
    partOpen = false;
    redacted = false;
    signature = null;
    origin = null;
    int index = output.size();
    ObjectNode item = switch (next) {
      case MESSAGE -> ResponseObjects.message(itemId = "msg_" + idCore + "_" + index, "in_progress", null);
      case REASONING -> ResponseObjects.reasoning(itemId = "rs_" + idCore + "_" + index, null, null, false);
      case FUNCTION -> ResponseObjects.functionCall(itemId = "fc_" + idCore + "_" + index, "in_progress", callId,
          callName, "");
      case CUSTOM -> ResponseObjects.customCall(itemId = "ctc_" + idCore + "_" + index, "in_progress", callId,
          callName, "");
      case NONE -> throw new IllegalStateException();
    };
    ObjectNode added = event("response.output_item.added");
    added.put("output_index", index);
    added.set("item", item);
    emit(added);
    if (next == Kind.MESSAGE) {
      ObjectNode part = itemEvent("response.content_part.added").put("content_index", 0);
      part.set("part", ResponseObjects.outputText(""));
      emit(part);
    }
  }

  private void textDelta(String text) {
    buffer.append(text);
    ObjectNode e = itemEvent("response.output_text.delta").put("content_index", 0).put("delta", text);
    e.putArray("logprobs");
    emit(e);
  }

  private void reasoningDelta(String text) {
    if (!partOpen) {
      partOpen = true;
      ObjectNode e = itemEvent("response.reasoning_summary_part.added").put("summary_index", 0);
      e.set("part", ResponseObjects.summaryText(""));
      emit(e);
    }
    buffer.append(text);
    emit(itemEvent("response.reasoning_summary_text.delta").put("summary_index", 0).put("delta", text));
  }

  private void argumentsDelta(String json) {
    if (kind == Kind.FUNCTION) {
      buffer.append(json);
      emit(itemEvent("response.function_call_arguments.delta").put("delta", json));
    } else if (kind == Kind.CUSTOM) {
      buffer.append(json);
    }
  }

  /** Ends the open item: its done events and {@code output_item.done}, and keeps it for the response. */
  private void close() {
    int index = output.size();
    ObjectNode item;
    switch (kind) {
      case NONE -> {
        return;
      }
      case MESSAGE -> {
        String text = buffer.toString();
        ObjectNode done = itemEvent("response.output_text.done").put("content_index", 0).put("text", text);
        done.putArray("logprobs");
        emit(done);
        ObjectNode part = itemEvent("response.content_part.done").put("content_index", 0);
        part.set("part", ResponseObjects.outputText(text));
        emit(part);
        item = ResponseObjects.message(itemId, "completed", text);
      }
      case REASONING -> {
        String text = buffer.toString();
        if (partOpen) {
          emit(itemEvent("response.reasoning_summary_text.done").put("summary_index", 0).put("text", text));
          ObjectNode part = itemEvent("response.reasoning_summary_part.done").put("summary_index", 0);
          part.set("part", ResponseObjects.summaryText(text));
          emit(part);
        }
        item = ResponseObjects.reasoning(itemId, text, encrypted(text), true);
      }
      case FUNCTION -> {
        if (buffer.length() == 0) {
          argumentsDelta("{}");
        }
        String args = buffer.toString();
        emit(itemEvent("response.function_call_arguments.done").put("arguments", args));
        item = ResponseObjects.functionCall(itemId, "completed", callId, callName, args);
      }
      case CUSTOM -> {
        String input = freeformInput(buffer.toString());
        emit(itemEvent("response.custom_tool_call_input.delta").put("delta", input));
        emit(itemEvent("response.custom_tool_call_input.done").put("input", input));
        item = ResponseObjects.customCall(itemId, "completed", callId, callName, input);
      }
      default -> throw new IllegalStateException();
    }
    ObjectNode done = event("response.output_item.done");
    done.put("output_index", index);
    done.set("item", item);
    emit(done);
    output.add(item);
    kind = Kind.NONE;
  }

  /** The encrypted content for the client: OpenAI's own as it came, another vendor's carried. */
  private String encrypted(String text) {
    if (signature == null) {
      return null;
    }
    if (InputReader.ORIGIN.equals(origin)) {
      return signature;
    }
    return CarriedSignature.wrap(new Part.Reasoning(text, signature, redacted, origin));
  }

  /** A free-form call's input: the "input" string of its arguments, or the arguments themselves. */
  static String freeformInput(String arguments) {
    var args = Json.tryParse(arguments).orElse(null);
    var in = args == null ? null : args.get("input");
    return in != null && in.isTextual() ? in.textValue() : arguments;
  }

  private void fail(ErrorKind errorKind, String message) {
    ObjectNode e = event("response.failed");
    e.set("response", ResponseObjects.response(responseId, options.createdSeconds(), "failed", options.model(),
        output, usage, null, ResponseObjects.error(errorKind, message)));
    emit(e);
    ended = true;
  }

  private ObjectNode event(String type) {
    ObjectNode e = Json.mapper().createObjectNode();
    e.put("type", type);
    e.put("sequence_number", sequence++);
    return e;
  }

  private ObjectNode itemEvent(String type) {
    return event(type).put("item_id", itemId).put("output_index", output.size());
  }

  private void emit(ObjectNode e) {
    out.writeBytes(("event: " + e.get("type").textValue() + "\ndata: ").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(Json.write(e));
    out.writeBytes("\n\n".getBytes(StandardCharsets.UTF_8));
  }

  private byte[] drain() {
    byte[] bytes = out.toByteArray();
    out.reset();
    return bytes;
  }
}
