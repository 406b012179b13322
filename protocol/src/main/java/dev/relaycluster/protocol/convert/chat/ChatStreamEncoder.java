package dev.relaycluster.protocol.convert.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.convert.AnswerEvent;
import dev.relaycluster.protocol.convert.AnswerOptions;
import dev.relaycluster.protocol.convert.AnswerUsage;
import dev.relaycluster.protocol.convert.StreamEncoder;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.util.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@link AnswerEvent}s written as a Chat Completions stream as api.openai.com sends it: every chunk is
 * {@code data: {"id","object":"chat.completion.chunk","created","model","choices":[{"index":0,"delta",
 * "logprobs":null,"finish_reason"}]}} (plus {@code "usage":null} when the client asked for usage, as OpenAI
 * does), the first delta is {@code {"role":"assistant","content":""}}, reasoning goes to
 * {@code reasoning_content}, tool calls are numbered 0, 1, 2 in the order they start; {@code Finished}
 * sends the finish reason, then the usage chunk ({@code "choices":[]}) when asked, then {@code [DONE]}.
 * An error is a {@code {"error":{…}}} chunk with no {@code [DONE]}.
 */
final class ChatStreamEncoder implements StreamEncoder {
  private static final byte[] NONE = new byte[0];
  static final String BROKE_OFF = "the upstream stream broke off before the answer was complete";

  private final AnswerOptions options;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private String id;
  private String model;
  private boolean begun;
  private boolean done;
  private int nextToolIndex;
  private int toolIndex = -1;
  private AnswerUsage usage = AnswerUsage.ZERO;

  ChatStreamEncoder(AnswerOptions options) {
    this.options = options;
  }

  @Override
  public byte[] encode(AnswerEvent event) {
    if (done) {
      return NONE;
    }
    if (event instanceof AnswerEvent.Started s) {
      if (id == null) {
        id = ChatAnswers.chunkId(s.id());
        model = options.model() != null ? options.model() : s.model();
      }
      begin();
    } else if (event instanceof AnswerEvent.TextStarted) {
      toolIndex = -1;
    } else if (event instanceof AnswerEvent.TextDelta t) {
      if (!t.text().isEmpty()) {
        begin();
        ObjectNode delta = Json.mapper().createObjectNode().put("content", t.text());
        chunk(delta, null);
      }
    } else if (event instanceof AnswerEvent.ReasoningStarted) {
      toolIndex = -1;
    } else if (event instanceof AnswerEvent.ReasoningDelta r) {
      if (!r.text().isEmpty()) {
        begin();
        chunk(Json.mapper().createObjectNode().put("reasoning_content", r.text()), null);
      }
    } else if (event instanceof AnswerEvent.ToolCallStarted c) {
      begin();
      toolIndex = nextToolIndex++;
      ObjectNode delta = Json.mapper().createObjectNode();
      ObjectNode call = delta.putArray("tool_calls").addObject();
      call.put("index", toolIndex).put("id", c.id()).put("type", "function");
      call.putObject("function").put("name", c.name()).put("arguments", "");
      chunk(delta, null);
    } else if (event instanceof AnswerEvent.ToolArgumentsDelta a) {
      if (toolIndex >= 0 && !a.json().isEmpty()) {
        ObjectNode delta = Json.mapper().createObjectNode();
        delta.putArray("tool_calls").addObject().put("index", toolIndex).putObject("function")
            .put("arguments", a.json());
        chunk(delta, null);
      }
    } else if (event instanceof AnswerEvent.UsageUpdate u) {
      usage = u.usage();
    } else if (event instanceof AnswerEvent.Finished f) {
      begin();
      chunk(Json.mapper().createObjectNode(), ChatAnswers.finishReason(f.reason(), nextToolIndex > 0));
      if (options.includeUsage()) {
        ObjectNode last = header();
        last.putArray("choices");
        last.set("usage", ChatAnswers.usageNode(usage));
        data(Json.write(last));
      }
      out.writeBytes("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
      done = true;
    } else if (event instanceof AnswerEvent.Failed e) {
      error(e.kind(), e.message());
    }
    return drain();
  }

  @Override
  public byte[] end() {
    if (!done) {
      error(ErrorKind.BAD_GATEWAY, BROKE_OFF);
    }
    return drain();
  }

  private void error(ErrorKind kind, String message) {
    data(ChatAnswers.errorBody(kind, message == null || message.isEmpty() ? "upstream error" : message));
    done = true;
  }

  /** The first chunk, once: the assistant's role and empty content. */
  private void begin() {
    if (begun) {
      return;
    }
    begun = true;
    if (id == null) {
      id = ChatAnswers.chunkId(null);
      model = options.model();
    }
    chunk(Json.mapper().createObjectNode().put("role", "assistant").put("content", ""), null);
  }

  private void chunk(ObjectNode delta, String finishReason) {
    ObjectNode chunk = header();
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    if (options.includeUsage()) {
      chunk.putNull("usage");
    }
    data(Json.write(chunk));
  }

  private ObjectNode header() {
    ObjectNode chunk = Json.mapper().createObjectNode();
    chunk.put("id", id);
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", options.createdSeconds());
    chunk.put("model", model);
    return chunk;
  }

  private void data(byte[] json) {
    out.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(json);
    out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
  }

  private byte[] drain() {
    byte[] bytes = out.toByteArray();
    out.reset();
    return bytes;
  }
}
