package dev.relaycluster.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.apikey.KeyEntry;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.gemini.GeminiDialect;
import dev.relaycluster.usage.PriceBook;
import java.util.List;
import java.util.function.Predicate;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * The models a key may use in each pool, in each dialect's list format, from the price table (so a
 * model the operator prices appears) filtered by the key's model rules.
 */
public final class ModelLists {
  private final PriceBook prices;

  public ModelLists(PriceBook prices) {
    this.prices = prices;
  }

  /** Anthropic's {@code GET /v1/models}: Claude models. */
  public HttpResponse anthropic(KeyEntry key) {
    ObjectNode body = JsonResponses.MAPPER.createObjectNode();
    ArrayNode data = body.putArray("data");
    List<String> claude = names(key, m -> m.startsWith("claude-"));
    for (String id : claude) {
      data.addObject().put("type", "model").put("id", id).put("display_name", id)
          .put("created_at", "1970-01-01T00:00:00Z");
    }
    body.put("has_more", false);
    body.put("first_id", claude.isEmpty() ? null : claude.get(0));
    body.put("last_id", claude.isEmpty() ? null : claude.get(claude.size() - 1));
    return JsonResponses.ok(body);
  }

  /** OpenAI's {@code GET /v1/models} list: the GPT, o-series and Codex models of the OpenAI pool. */
  public HttpResponse openai(KeyEntry key) {
    ObjectNode body = JsonResponses.MAPPER.createObjectNode();
    body.put("object", "list");
    ArrayNode data = body.putArray("data");
    for (String id : names(key, ModelLists::openAiModel)) {
      data.addObject().put("id", id).put("object", "model").put("created", 0).put("owned_by", "openai");
    }
    return JsonResponses.ok(body);
  }

  /** Gemini's {@code GET /v1beta/models} list: the Gemini models, named {@code models/<id>}, one page. */
  public HttpResponse gemini(KeyEntry key) {
    return JsonResponses.ok(geminiList(key));
  }

  private ObjectNode geminiList(KeyEntry key) {
    ObjectNode body = JsonResponses.MAPPER.createObjectNode();
    ArrayNode models = body.putArray("models");
    for (String id : names(key, m -> m.startsWith("gemini-"))) {
      ObjectNode model = models.addObject();
      model.put("name", "models/" + id).put("baseModelId", id).put("version", "001").put("displayName", id);
      ArrayNode methods = model.putArray("supportedGenerationMethods");
      methods.add("generateContent").add("streamGenerateContent").add("countTokens");
    }
    return body;
  }

  /** Gemini's {@code GET /v1beta/models/{model}}: that model's entry, or Gemini's 404. */
  public HttpResponse geminiModel(KeyEntry key, String model) {
    String id = model.startsWith("models/") ? model.substring("models/".length()) : model;
    JsonNode list = geminiList(key);
    for (JsonNode entry : list.path("models")) {
      if (entry.path("baseModelId").asText().equals(id)) {
        return JsonResponses.ok(entry);
      }
    }
    return DialectResponses.error(GeminiDialect.INSTANCE, ErrorKind.NOT_FOUND, "models/" + id + " is not found");
  }

  static boolean openAiModel(String m) {
    return m.startsWith("gpt-") || m.contains("codex") || m.matches("o\\d.*");
  }

  private List<String> names(KeyEntry key, Predicate<String> ofPool) {
    return prices.current().models().stream()
        .filter(m -> !m.contains(":") && !m.contains("/"))
        .filter(ofPool)
        .filter(m -> key.settings().access().allowsModel(m))
        .toList();
  }
}
