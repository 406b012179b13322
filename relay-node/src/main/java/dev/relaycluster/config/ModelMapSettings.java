package dev.relaycluster.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's default model map, {@code relay.models}: {@code rules} (a HOCON list of {match, pool, model}
 * objects), replaced as a whole by {@code RELAY_MODEL_MAP} ({@code relay.models.override}, the same objects as a
 * JSON array) when that is set. An admin's map saved at run time takes precedence over both.
 */
public final class ModelMapSettings {
  private ModelMapSettings() {}

  public static ModelMap from(Config base) {
    Config c = base.getConfig("relay.models");
    String override = c.hasPath("override") ? c.getString("override").strip() : "";
    List<ModelRule> rules;
    if (!override.isEmpty()) {
      try {
        JsonNode json = new ObjectMapper().readTree(override);
        rules = ModelMapJson.parse(json, "RELAY_MODEL_MAP");
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new ConfigException.BadValue("relay.models.override", "RELAY_MODEL_MAP is not JSON: a JSON array of "
            + "{\"match\": …, \"pool\": …, \"model\": …} objects");
      } catch (IllegalArgumentException e) {
        throw new ConfigException.BadValue("relay.models.override", e.getMessage());
      }
      return new ModelMap(rules);
    }
    rules = new ArrayList<>();
    for (Config rule : c.getConfigList("rules")) {
      rules.add(new ModelRule(rule.hasPath("match") ? rule.getString("match") : "",
          rule.hasPath("pool") ? rule.getString("pool") : "",
          rule.hasPath("model") ? rule.getString("model") : null));
    }
    try {
      ModelMapJson.check(rules, "relay.models.rules");
    } catch (IllegalArgumentException e) {
      throw new ConfigException.BadValue("relay.models.rules", e.getMessage());
    }
    return new ModelMap(rules);
  }
}
