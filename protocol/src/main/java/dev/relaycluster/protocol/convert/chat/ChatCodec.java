package dev.relaycluster.protocol.convert.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.convert.AnswerOptions;
import dev.relaycluster.protocol.convert.Conversation;
import dev.relaycluster.protocol.convert.DialectCodec;
import dev.relaycluster.protocol.convert.ReplayBook;
import dev.relaycluster.protocol.convert.StreamDecoder;
import dev.relaycluster.protocol.convert.StreamEncoder;
import dev.relaycluster.protocol.convert.WholeAnswer;
import dev.relaycluster.protocol.convert.WrittenRequest;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.util.Json;

/**
 * The OpenAI Chat Completions side of every conversion (ARCHITECTURE.md §2, platforms.md §2): mostly the
 * client side (the OpenAI SDKs and OpenAI-compatible tools in front of Claude, Gemini and Codex pools),
 * and the upstream side for OpenAI-compatible accounts. One endpoint, {@value #ENDPOINT}.
 *
 * <p>Reading: system and developer messages are system text; consecutive same-role messages merge; tool
 * messages become the tool results of one user turn right after the assistant's calls; a request of system
 * messages only reads as no turns at all (each writer adds what its dialect needs). Chat has no place for
 * reasoning signatures: assistant {@code reasoning_content} reads as unsigned reasoning, and reasoning is
 * neither written into requests nor streamed with signatures.
 */
public final class ChatCodec implements DialectCodec {
  public static final ChatCodec INSTANCE = new ChatCodec();

  /** The endpoint name of {@code POST /v1/chat/completions}. */
  public static final String ENDPOINT = ChatRequestWriter.ENDPOINT;

  private ChatCodec() {}

  @Override
  public DialectId dialect() {
    return DialectId.OPENAI_CHAT;
  }

  @Override
  public Conversation readRequest(String endpoint, byte[] body) {
    if (!ENDPOINT.equals(endpoint)) {
      throw new IllegalArgumentException("the Chat Completions dialect has no endpoint " + endpoint);
    }
    return ChatRequestReader.read(body);
  }

  @Override
  public WrittenRequest writeRequest(Conversation conversation, ReplayBook replay) {
    return ChatRequestWriter.write(conversation);
  }

  @Override
  public StreamDecoder newDecoder() {
    return new ChatStreamDecoder();
  }

  @Override
  public StreamEncoder newEncoder(AnswerOptions options) {
    return new ChatStreamEncoder(options);
  }

  @Override
  public WholeAnswer readAnswer(byte[] body) {
    return ChatAnswers.read(body);
  }

  @Override
  public byte[] writeAnswer(WholeAnswer answer, AnswerOptions options) {
    return ChatAnswers.write(answer, options);
  }

  @Override
  public String errorMessage(byte[] body) {
    return ChatAnswers.errorMessage(body);
  }

  /**
   * Whether a Chat request asks for usage in its stream ({@code stream_options.include_usage}), for the
   * caller's {@link AnswerOptions}; false for anything unreadable.
   */
  @Override
  public boolean wantsStreamUsage(byte[] body) {
    return includeUsage(body);
  }

  public static boolean includeUsage(byte[] body) {
    JsonNode root = body == null ? null : Json.tryParse(body).orElse(null);
    return root != null && root.path("stream_options").path("include_usage").asBoolean(false);
  }
}
