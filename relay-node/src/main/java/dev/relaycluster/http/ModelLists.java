package dev.relaycluster.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.apikey.KeyEntry;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.gemini.GeminiDialect;
import dev.relaycluster.usage.PriceBook;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

  /**
   * OpenAI's {@code GET /v1/models} list for Chat Completions clients: what the key may use across its pools
   * (the priced Claude, OpenAI and Gemini models of each pool its permissions allow, by the key's model
   * rules), then {@code extraNames} (the model map's aliases the key may use) not listed yet. Each entry's
   * {@code owned_by} names the vendor ("relay" for an alias).
   */
  public HttpResponse openaiAll(KeyEntry key, Collection<String> extraNames) {
    return openaiList(key, extraNames, null);
  }

  /** OpenAI's list of one pool's priced models the key may use (a pinned path's); empty without the permission. */
  public HttpResponse openaiOf(KeyEntry key, String pool) {
    return openaiList(key, List.of(), pool);
  }

  private HttpResponse openaiList(KeyEntry key, Collection<String> extraNames, String onlyPool) {
    ObjectNode body = JsonResponses.MAPPER.createObjectNode();
    body.put("object", "list");
    ArrayNode data = body.putArray("data");
    Set<String> listed = new HashSet<>();
    for (String[] pool : POOLS) {
      if (!key.settings().access().allowsPool(pool[0]) || (onlyPool != null && !onlyPool.equals(pool[0]))) {
        continue;
      }
      for (String id : names(key, ofPool(pool[0]))) {
        if (listed.add(id)) {
          data.addObject().put("id", id).put("object", "model").put("created", 0).put("owned_by", pool[1]);
        }
      }
    }
    for (String id : extraNames == null ? List.<String>of() : extraNames) {
      if (id != null && !id.isBlank() && key.settings().access().allowsModel(id) && listed.add(id)) {
        data.addObject().put("id", id).put("object", "model").put("created", 0).put("owned_by", "relay");
      }
    }
    return JsonResponses.ok(body);
  }

  /** The pools a Chat client reaches by model name, and the vendor each list entry is owned by. */
  private static final String[][] POOLS = {{"claude", "anthropic"}, {"openai", "openai"}, {"gemini", "google"}};

  private static Predicate<String> ofPool(String pool) {
    return switch (pool) {
      case "claude" -> m -> m.startsWith("claude-");
      case "gemini" -> m -> m.startsWith("gemini-");
      default -> ModelLists::openAiModel;
    };
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
