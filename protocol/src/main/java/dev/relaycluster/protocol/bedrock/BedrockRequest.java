package dev.relaycluster.protocol.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.util.Json;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A client's Anthropic Messages body as Bedrock's InvokeModel takes it: without {@code model} and
 * {@code stream} (the model is in the path, streaming is the method), with
 * {@code anthropic_version: "bedrock-2023-05-31"}, and the client's {@code anthropic-beta} header flags in the
 * body's {@code anthropic_beta} list. Bedrock refuses a request naming a beta flag it does not know, so only
 * the flags it offers are carried from the header (flags the client wrote into the body itself are kept).
 * Everything else passes unchanged. Pure.
 */
public final class BedrockRequest {
  public static final String ANTHROPIC_VERSION = "bedrock-2023-05-31";

  /** The beta flags Bedrock's Anthropic models take (others, such as Claude Code's own, are refused there). */
  private static final Set<String> BEDROCK_BETAS = Set.of(
      "computer-use-2024-10-22", "computer-use-2025-01-24", "computer-use-2025-11-24",
      "token-efficient-tools-2025-02-19", "interleaved-thinking-2025-05-14", "output-128k-2025-02-19",
      "dev-full-thinking-2025-05-14", "context-1m-2025-08-07", "context-management-2025-06-27",
      "effort-2025-11-24", "tool-search-tool-2025-10-19", "tool-examples-2025-10-29",
      "fine-grained-tool-streaming-2025-05-14");

  private BedrockRequest() {}

  /**
   * The invoke body for {@code clientBody} (an Anthropic Messages request) and the values of the client's
   * {@code anthropic-beta} headers (each possibly a comma-separated list).
   *
   * @throws IllegalArgumentException when the body is not a JSON object
   */
  public static byte[] invokeBody(byte[] clientBody, List<String> betaHeaders) {
    JsonNode parsed;
    try {
      parsed = Json.parse(clientBody);
    } catch (IOException e) {
      throw new IllegalArgumentException("the request body is not JSON");
    }
    if (!(parsed instanceof ObjectNode body)) {
      throw new IllegalArgumentException("the request body is not a JSON object");
    }
    body.remove("model");
    body.remove("stream");
    body.put("anthropic_version", ANTHROPIC_VERSION);
    Set<String> betas = new LinkedHashSet<>();
    JsonNode own = body.get("anthropic_beta");
    if (own != null && own.isArray()) {
      own.forEach(f -> betas.add(f.asText()));
    }
    for (String header : betaHeaders) {
      for (String flag : header.split(",")) {
        String f = flag.trim();
        if (BEDROCK_BETAS.contains(f)) {
          betas.add(f);
        }
      }
    }
    body.remove("anthropic_beta");
    if (!betas.isEmpty()) {
      ArrayNode list = body.putArray("anthropic_beta");
      betas.forEach(list::add);
    }
    return Json.write(body);
  }
}
