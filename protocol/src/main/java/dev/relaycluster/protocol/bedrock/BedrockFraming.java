package dev.relaycluster.protocol.bedrock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.dialect.AnswerFraming;
import dev.relaycluster.protocol.dialect.StreamReframer;
import dev.relaycluster.protocol.util.Json;

/**
 * Bedrock's successful answers in the Anthropic API's own framing: a whole answer ({@code /invoke}) is already
 * Anthropic JSON and only names the model as the client asked; a stream is Bedrock's binary event stream,
 * decoded into Anthropic SSE by {@link BedrockEventStream}. Pure.
 */
public final class BedrockFraming implements AnswerFraming {
  private final String clientModel;

  /** @param clientModel the model as the client named it, or null to leave upstream's */
  public BedrockFraming(String clientModel) {
    this.clientModel = clientModel;
  }

  @Override
  public boolean identity() {
    return false;
  }

  @Override
  public byte[] whole(byte[] body) {
    if (clientModel == null) {
      return body;
    }
    return Json.tryParse(body)
        .filter(n -> n instanceof ObjectNode o && o.has("model"))
        .map(n -> Json.write(((ObjectNode) n).put("model", clientModel)))
        .orElse(body);
  }

  @Override
  public StreamReframer newStream() {
    return new BedrockEventStream(clientModel);
  }

  @Override
  public String streamContentType() {
    return "text/event-stream";
  }
}
