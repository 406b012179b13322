package dev.relaycluster.upstream.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.dialect.AnswerFraming;
import dev.relaycluster.protocol.openai.ChatDialect;
import dev.relaycluster.protocol.openai.ChatIncludeUsage;
import dev.relaycluster.protocol.util.Json;
import dev.relaycluster.upstream.UpstreamCall;
import org.apache.pekko.util.ByteString;

/**
 * What an upstream that takes Chat Completions as the client sent them (OpenAI API keys, Azure OpenAI) does
 * with them: a streamed request that did not ask for usage goes up with
 * {@code stream_options.include_usage: true} (the ledger needs the usage chunk), and that chunk is dropped
 * from the client's stream again after the usage tap read it; an error object inside a Chat stream (a bare
 * {@code {"error":{…}}}) is judged as the {@code error} event it stands for.
 */
public final class ChatUpstream {
  private ChatUpstream() {}

  /** Whether {@code call} is a Chat Completions call. */
  public static boolean isChat(UpstreamCall call) {
    return ChatDialect.COMPLETIONS.equals(call.endpoint());
  }

  /** The body with usage asked for when the relay must ask, else the client's as it is. */
  public static ByteString body(UpstreamCall call) {
    if (askUsage(call)) {
      return ByteString.fromArrayUnsafe(ChatIncludeUsage.ask(call.body().toArrayUnsafe()));
    }
    return call.body();
  }

  /** The framing that hides the usage chunk the relay asked for; identity when the client asked, or for other calls. */
  public static AnswerFraming framing(UpstreamCall call) {
    return askUsage(call) ? ChatIncludeUsage.framing() : AnswerFraming.IDENTITY;
  }

  private static boolean askUsage(UpstreamCall call) {
    return isChat(call) && call.view() != null && call.view().stream()
        && ChatIncludeUsage.mustAsk(call.body().toArrayUnsafe());
  }

  /** A Chat stream's bare {@code {"error":{…}}} as an {@code error} event; any other JSON as it is. */
  public static byte[] asErrorEvent(byte[] json) {
    JsonNode root = json == null ? null : Json.tryParse(json).orElse(null);
    if (root instanceof ObjectNode o && !o.has("type") && o.path("error").isObject()) {
      ObjectNode event = Json.mapper().createObjectNode();
      event.put("type", "error");
      event.setAll(o);
      return Json.write(event);
    }
    return json;
  }
}
