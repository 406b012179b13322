package dev.relaycluster.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.apikey.KeyAccess;
import dev.relaycluster.apikey.KeyBinding;
import dev.relaycluster.apikey.KeyEntry;
import dev.relaycluster.apikey.KeyExpiry;
import dev.relaycluster.apikey.KeyLimits;
import dev.relaycluster.apikey.KeySettings;
import dev.relaycluster.apikey.KeyStatus;
import dev.relaycluster.apikey.RateWindowLimit;
import dev.relaycluster.config.ModelRule;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeySettingsInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final KeySettingsInput input = new KeySettingsInput(Set.of("claude-code", "codex", "gemini-cli", "droid"));

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  private String error(String body) throws Exception {
    JsonNode node = json(body);
    return assertThrows(AdminInputException.class, () -> input.create(node)).getMessage();
  }

  @Test
  void everyOptionIsReadWithMoneyInUsd() throws Exception {
    KeySettings s = input.create(json("""
        {"name": " team ", "description": "for the team", "tags": ["a", "b", "a"],
         "permissions": ["claude", "codex"], "concurrencyLimit": 4,
         "rateLimit": {"windowMinutes": 60, "requests": 100, "tokens": 200000, "cost": 2.5},
         "dailyCostLimit": 10, "totalCostLimit": "100.25", "weeklyOpusCostLimit": 0.000001,
         "weeklyResetDay": 7, "weeklyResetHour": 23,
         "expiry": {"mode": "activation", "days": 30},
         "allowedModels": ["claude-sonnet-*"], "blockedModels": ["claude-opus-*"], "allowedClients": ["claude-code"],
         "serviceRates": {"claude": 1.5}, "bindings": {"claude": {"group": "team-a"}, "openai": {"accountId": "acc-1",
         "fallbackToPool": true}}}"""));
    assertEquals(new KeySettings("team", "for the team", List.of("a", "b"),
        new KeyLimits(4, new RateWindowLimit(60, 100, 200_000, 2_500_000), 10_000_000, 100_250_000, 1, 7, 23),
        new KeyAccess(Set.of("claude", "openai"), List.of("claude-sonnet-*"), List.of("claude-opus-*"),
            List.of("claude-code")),
        KeyExpiry.activation(30L * 24 * 3_600_000), Map.of("claude", 1.5),
        Map.of("claude", new KeyBinding(null, "team-a", false), "openai", new KeyBinding("acc-1", null, true))), s);
  }

  @Test
  void aPatchChangesOnlyWhatItNamesAndNullClears() throws Exception {
    KeySettings s = input.create(json("""
        {"name": "k", "dailyCostLimit": 5, "rateLimit": {"windowMinutes": 1, "requests": 2},
         "expiry": {"mode": "fixed", "expiresAt": "2027-01-01T00:00:00Z"}, "permissions": ["gemini"]}"""));
    KeySettings patched = input.apply(s, json("{\"rateLimit\": null, \"permissions\": \"all\", \"concurrencyLimit\": 2}"));
    assertEquals(5_000_000, patched.limits().dailyCostMicros());
    assertEquals(null, patched.limits().rateWindow());
    assertEquals(2, patched.limits().concurrency());
    assertEquals(Set.of(), patched.access().pools());
    assertEquals(KeyExpiry.fixed(Instant.parse("2027-01-01T00:00:00Z").toEpochMilli()), patched.expiry());
    assertEquals("k", patched.name());
  }

  @Test
  void permissionsListingEveryPoolMeanAll() throws Exception {
    assertEquals(Set.of(), input.create(json("{\"name\":\"k\",\"permissions\":[\"claude\",\"openai\",\"gemini\",\"droid\"]}"))
        .access().pools());
  }

  @Test
  void invalidInputNamesTheField() throws Exception {
    assertTrue(error("{}").startsWith("name:"));
    assertTrue(error("{\"name\":\"k\",\"colour\":1}").startsWith("colour: unknown field"));
    assertTrue(error("{\"name\":\"k\",\"concurrencyLimit\":-1}").startsWith("concurrencyLimit:"));
    assertTrue(error("{\"name\":\"k\",\"concurrencyLimit\":1.5}").startsWith("concurrencyLimit:"));
    assertTrue(error("{\"name\":\"k\",\"dailyCostLimit\":-0.01}").startsWith("dailyCostLimit:"));
    assertTrue(error("{\"name\":\"k\",\"dailyCostLimit\":\"ten\"}").startsWith("dailyCostLimit:"));
    assertTrue(error("{\"name\":\"k\",\"rateLimit\":{\"requests\":5}}").startsWith("rateLimit.windowMinutes:"));
    assertTrue(error("{\"name\":\"k\",\"rateLimit\":{\"windowMinutes\":5}}").startsWith("rateLimit: give at least"));
    assertTrue(error("{\"name\":\"k\",\"rateLimit\":{\"windowMinutes\":0,\"requests\":1}}")
        .startsWith("rateLimit.windowMinutes:"));
    assertTrue(error("{\"name\":\"k\",\"weeklyResetDay\":0}").startsWith("weeklyResetDay:"));
    assertTrue(error("{\"name\":\"k\",\"weeklyResetHour\":24}").startsWith("weeklyResetHour:"));
    assertTrue(error("{\"name\":\"k\",\"permissions\":[\"azure\"]}").startsWith("permissions:"));
    assertTrue(error("{\"name\":\"k\",\"permissions\":[]}").startsWith("permissions:"));
    assertTrue(error("{\"name\":\"k\",\"allowedClients\":[\"cursor\"]}").startsWith("allowedClients: unknown client"));
    assertTrue(error("{\"name\":\"k\",\"expiry\":{\"mode\":\"fixed\",\"expiresAt\":\"tomorrow\"}}")
        .startsWith("expiry.expiresAt:"));
    assertTrue(error("{\"name\":\"k\",\"expiry\":{\"mode\":\"activation\",\"days\":1,\"hours\":2}}")
        .startsWith("expiry: activation needs exactly one"));
    assertTrue(error("{\"name\":\"k\",\"expiry\":{\"mode\":\"soon\"}}").startsWith("expiry:"));
    assertTrue(error("{\"name\":\"k\",\"serviceRates\":{\"claude\":0}}").startsWith("serviceRates:"));
    assertTrue(error("{\"name\":\"k\",\"bindings\":{\"claude\":{\"accountId\":\"a\",\"group\":\"g\"}}}")
        .startsWith("bindings.claude: give exactly one"));
    assertTrue(error("{\"name\":\"k\",\"bindings\":{\"claude\":{}}}").startsWith("bindings.claude:"));
    assertTrue(error("{\"name\":\"k\",\"bindings\":{\"vertex\":{\"group\":\"g\"}}}").startsWith("bindings.vertex:"));
    assertTrue(error("{\"name\":\"k\",\"allowedModels\":[\"\"]}").startsWith("allowedModels:"));
  }

  @Test
  void theJsonOfAKeyReadsBackToTheSameSettings() throws Exception {
    KeySettings s = input.create(json("""
        {"name": "round trip", "description": "d", "tags": ["x"], "permissions": ["claude"], "concurrencyLimit": 4,
         "rateLimit": {"windowMinutes": 60, "requests": 100, "tokens": 0, "cost": 2.5},
         "dailyCostLimit": 10.5, "totalCostLimit": 0, "weeklyOpusCostLimit": 3,
         "weeklyResetDay": 3, "weeklyResetHour": 9, "expiry": {"mode": "activation", "hours": 36},
         "allowedModels": [], "blockedModels": ["claude-opus-*"], "allowedClients": ["codex"],
         "serviceRates": {"claude": 1.5}, "bindings": {"claude": {"accountId": "acc-1"}},
         "modelMap": [{"match": "claude-*", "pool": "openai", "model": "gpt-5.1-codex"}, {"match": "g*", "pool": "gemini"}]}"""));
    KeyEntry entry = new KeyEntry("id", s.name(), "h", "cr_x", 4, KeyStatus.ACTIVE, 1, 0, 2, s, 0, 0);
    var shown = KeyJson.key(entry);
    for (String field : List.of("id", "keyHint", "status", "createdAt")) {
      shown.remove(field);
    }
    assertEquals(s, input.create(shown));
    assertEquals("2.5", shown.get("rateLimit").get("cost").toString());
    assertEquals("10.5", shown.get("dailyCostLimit").toString());
  }

  @Test
  void aKeysModelMapIsCheckedKeptAndCleared() throws Exception {
    KeySettings s = input.create(json("{\"name\":\"k\",\"modelMap\":[{\"match\":\"Sonnet\",\"pool\":\"Claude\","
        + "\"model\":\"claude-sonnet-4-6\"}]}"));
    assertEquals(List.of(new ModelRule("Sonnet", "claude", "claude-sonnet-4-6")), s.modelMap());
    assertEquals(s.modelMap(), input.apply(s, json("{\"description\":\"d\"}")).modelMap(), "kept when not named");
    assertEquals(List.of(), input.apply(s, json("{\"modelMap\":null}")).modelMap());
    assertEquals(List.of(), input.apply(s, json("{\"modelMap\":[]}")).modelMap());
    assertEquals(List.of(), input.create(json("{\"name\":\"k\"}")).modelMap());
    assertEquals("modelMap[0].pool: one of claude, droid, gemini, openai",
        error("{\"name\":\"k\",\"modelMap\":[{\"match\":\"x\",\"pool\":\"vertex\"}]}"));
    assertEquals("modelMap: a list of {match, pool, model} rules", error("{\"name\":\"k\",\"modelMap\":{}}"));
    assertEquals("modelMap[0].match: a model name or a pattern with *, such as claude-*",
        error("{\"name\":\"k\",\"modelMap\":[{\"pool\":\"claude\"}]}"));
  }
}
