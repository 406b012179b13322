package dev.relaycluster.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.util.Json;
import dev.relaycluster.upstream.UpstreamCall;
import java.util.Optional;
import org.apache.pekko.util.ByteString;

/**
 * A request that goes upstream in its own dialect but for another model than it named (the model map
 * resolved an alias): the model is renamed where the request names it, the body's top-level
 * {@code model} or the endpoint's {@code models/{model}:method} segment. Nothing else changes.
 */
final class ModelRewrite {
  private ModelRewrite() {}

  static UpstreamCall to(UpstreamCall call, String model) {
    if (model == null || model.equals(call.view().model())) {
      return call;
    }
    String endpoint = call.endpoint();
    ByteString body = call.body();
    if (endpoint.startsWith("models/") && endpoint.indexOf(':') > 0) {
      endpoint = "models/" + model + endpoint.substring(endpoint.indexOf(':'));
    } else {
      Optional<JsonNode> parsed = Json.tryParse(body.toArrayUnsafe());
      if (parsed.isPresent() && parsed.get() instanceof ObjectNode object && object.path("model").isTextual()) {
        object.put("model", model);
        body = ByteString.fromArrayUnsafe(Json.write(object));
      }
    }
    dev.relaycluster.protocol.dialect.RequestView v = call.view();
    return new UpstreamCall(endpoint, call.rawQuery(), call.headers(), call.contentType(), body,
        new dev.relaycluster.protocol.dialect.RequestView(model, v.stream(), v.maxTokens(), v.generates(),
            v.sessionKey()));
  }
}
