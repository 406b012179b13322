package dev.relaycluster.protocol.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.util.Json;
import java.util.Base64;

/**
 * A reasoning signature of one vendor carried through a client of another, so that replaying a tool turn
 * needs no store: Claude's thinking signature rides in a Responses reasoning item's
 * {@code encrypted_content}, OpenAI's encrypted reasoning in an Anthropic thinking block's
 * {@code signature}. Both fields are opaque to their clients, which send them back unchanged. The carried
 * form is {@code relay1.} + base64url of {@code {"o":origin,"s":signature,"t":text}}; anything else is a
 * native signature of the client's own dialect.
 */
public final class CarriedSignature {
  private static final String PREFIX = "relay1.";

  private CarriedSignature() {}

  /** The carried form of {@code reasoning} (its origin, signature and text). */
  public static String wrap(Part.Reasoning reasoning) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("o", reasoning.origin());
    node.put("s", reasoning.signature());
    node.put("t", reasoning.text() == null ? "" : reasoning.text());
    if (reasoning.redacted()) {
      node.put("r", true);
    }
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(node));
  }

  /**
   * The reasoning a carried signature stands for, or null when {@code value} is not one (a native
   * signature, or damaged).
   */
  public static Part.Reasoning unwrap(String value) {
    if (value == null || !value.startsWith(PREFIX)) {
      return null;
    }
    try {
      byte[] json = Base64.getUrlDecoder().decode(value.substring(PREFIX.length()));
      JsonNode node = Json.parse(json);
      String origin = node.path("o").asText(null);
      String signature = node.path("s").asText(null);
      if (origin == null || signature == null) {
        return null;
      }
      return new Part.Reasoning(node.path("t").asText(""), signature, node.path("r").asBoolean(false), origin);
    } catch (IllegalArgumentException | java.io.IOException e) {
      return null;
    }
  }

  /** Whether {@code value} is a carried signature (as opposed to a native one). */
  public static boolean isCarried(String value) {
    return value != null && value.startsWith(PREFIX);
  }
}
