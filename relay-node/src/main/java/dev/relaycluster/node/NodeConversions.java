package dev.relaycluster.node;

import dev.relaycluster.protocol.anthropic.AnthropicDialect;
import dev.relaycluster.protocol.convert.Codecs;
import dev.relaycluster.protocol.convert.anthropic.AnthropicCodec;
import dev.relaycluster.protocol.convert.chat.ChatCodec;
import dev.relaycluster.protocol.convert.gemini.GeminiCodec;
import dev.relaycluster.protocol.convert.responses.ResponsesCodec;
import dev.relaycluster.protocol.gemini.GeminiDialect;
import dev.relaycluster.protocol.openai.ChatDialect;
import dev.relaycluster.protocol.openai.ResponsesDialect;
import dev.relaycluster.relay.Conversions;

/** The dialects this release speaks and the codecs it converts between them with. */
final class NodeConversions {
  private NodeConversions() {}

  static Conversions standard() {
    return new Conversions(new Codecs(ChatCodec.INSTANCE, AnthropicCodec.INSTANCE, GeminiCodec.INSTANCE,
        ResponsesCodec.INSTANCE), AnthropicDialect.INSTANCE, ResponsesDialect.INSTANCE, GeminiDialect.INSTANCE,
        ChatDialect.INSTANCE);
  }
}
