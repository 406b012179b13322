package dev.relaycluster.admin.crs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.account.AccountType;
import dev.relaycluster.apikey.KeyBinding;
import dev.relaycluster.apikey.KeyExpiry;
import dev.relaycluster.apikey.KeySettings;
import dev.relaycluster.testing.CrsExport;
import dev.relaycluster.upstream.CredentialSettings;
import dev.relaycluster.usage.UsageRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Decryption and mapping against the real claude-relay-service 1.1.314 export (test resources {@code crs/}):
 * its ciphertexts open with its ENCRYPTION_KEY to the credentials the scenario created, a wrong key opens none,
 * and its key and account records map to this relay's settings.
 */
class CrsMappingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static JsonNode export;
  private static JsonNode scenario;
  private static String key;

  @BeforeAll
  static void load() throws Exception {
    export = CrsExport.export();
    scenario = CrsExport.scenario();
    key = export.get("encryptionKey").asText();
  }

  private static JsonNode scenarioAccount(String name) {
    for (JsonNode a : scenario.get("accounts")) {
      if (a.get("name").asText().equals(name)) {
        return a;
      }
    }
    throw new AssertionError("no account " + name);
  }

  private static JsonNode scenarioKey(String name) {
    for (JsonNode k : scenario.get("keys")) {
      if (k.get("name").asText().equals(name)) {
        return k;
      }
    }
    throw new AssertionError("no key " + name);
  }

  private static CrsData.CrsRecord record(String prefix, String id) {
    Map<String, String> fields = CrsExport.hash(export, prefix + id);
    if (fields == null) {
      for (JsonNode k : export.get("keys")) {
        if (k.get("key").asText().equals(prefix + id)) {
          fields = new LinkedHashMap<>();
          Map<String, String> f = fields;
          try {
            JSON.readTree(k.get("value").asText()).fields().forEachRemaining(e -> f.put(e.getKey(),
                e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        }
      }
    }
    return new CrsData.CrsRecord(prefix, id, fields);
  }

  private static Map<String, CrsData.CrsGroup> groups() {
    Map<String, CrsData.CrsGroup> out = new LinkedHashMap<>();
    for (JsonNode g : scenario.get("groups")) {
      String id = g.get("id").asText();
      List<String> members = new ArrayList<>();
      for (JsonNode k : export.get("keys")) {
        if (k.get("key").asText().equals("account_group_members:" + id)) {
          k.get("value").forEach(m -> members.add(m.asText()));
        }
      }
      out.put(id, new CrsData.CrsGroup(id, g.get("name").asText(), g.get("platform").asText(), members));
    }
    return out;
  }

  @Test
  void theOldKeyOpensEachTypesCredentialsAndAWrongOneOpensNone() throws Exception {
    JsonNode console = scenarioAccount("console-mock-shared");
    CrsData.CrsRecord r = record("claude_console_account:", console.get("id").asText());
    CrsCipher right = new CrsCipher(key);
    assertEquals(console.at("/credentials/apiKey").asText(), right.decrypt(r.fields().get("apiKey"),
        "claude-console-salt"));
    CrsCipher wrong = new CrsCipher(key + "x");
    assertThrows(CrsCipher.DecryptionFailed.class, () -> wrong.decrypt(r.fields().get("apiKey"),
        "claude-console-salt"));
    // The salt matters too: the same key under another type's salt does not open it.
    assertThrows(CrsCipher.DecryptionFailed.class, () -> right.decrypt(r.fields().get("apiKey"), "salt"));
    assertEquals(1, right.opened());
    assertEquals(1, right.failed());
    assertEquals(0, wrong.opened());
    // A value stored without encryption (no colon) is read as it is.
    assertEquals("plain", right.decrypt("plain", "salt"));
  }

  @Test
  void everyScenarioKeyHashesToItsStoredHash() {
    Map<String, String> hashMap = CrsExport.hash(export, "apikey:hash_map");
    for (JsonNode k : scenario.get("keys")) {
      String hash = CrsCipher.keyHash(k.get("plainKey").asText(), key);
      assertEquals(hash, CrsExport.hash(export, "apikey:" + k.get("id").asText()).get("apiKey"), k.toString());
      if (!k.get("deleted").asBoolean()) {
        assertEquals(k.get("id").asText(), hashMap.get(hash));
      }
    }
  }

  @Test
  void accountsOfEveryKindMapWithTheirCredentials() throws Exception {
    Map<String, CrsData.CrsGroup> groups = groups();
    CrsCipher cipher = new CrsCipher(key);
    Map<String, AccountType> expected = Map.of("claude-oauth", AccountType.CLAUDE_OAUTH, "claude-console",
        AccountType.CLAUDE_CONSOLE, "bedrock", AccountType.BEDROCK, "gemini-oauth", AccountType.GEMINI_OAUTH,
        "gemini-api", AccountType.GEMINI_API, "openai-oauth", AccountType.CODEX_OAUTH, "openai-responses",
        AccountType.OPENAI_API, "azure-openai", AccountType.AZURE_OPENAI, "droid", AccountType.DROID_API);
    String[] prefixes = {"claude:account:", "claude_console_account:", "bedrock_account:", "gemini_account:",
        "gemini_api_account:", "openai:account:", "openai_responses_account:", "azure_openai:account:",
        "droid:account:", "ccr_account:"};
    for (JsonNode a : scenario.get("accounts")) {
      String id = a.get("id").asText();
      CrsData.CrsRecord r = null;
      for (String p : prefixes) {
        CrsData.CrsRecord candidate = record(p, id);
        if (candidate.fields() != null) {
          r = candidate;
        }
      }
      assertTrue(r != null, "no record for " + a.get("name"));
      String type = a.get("crsType").asText();
      if (type.equals("ccr")) {
        CrsData.CrsRecord ccr = r;
        assertThrows(CrsAccountMapping.Unusable.class, () -> CrsAccountMapping.map(ccr, groups, cipher));
        continue;
      }
      List<CrsAccountMapping.ImportedAccount> mapped = CrsAccountMapping.map(r, groups, cipher);
      CrsAccountMapping.ImportedAccount m = mapped.get(0);
      assertEquals(expected.get(type), m.type(), a.get("name").asText());
      assertEquals(id, m.id());
      assertEquals(a.get("name").asText(), m.name());
      JsonNode c = a.get("credentials");
      switch (type) {
        case "claude-oauth" -> {
          assertEquals(c.get("accessToken").asText(), m.secrets().accessToken());
          assertEquals(c.get("expiresAt").asLong(), m.secrets().expiresAt());
          assertEquals(c.get("refreshToken").asText().isEmpty() ? null : c.get("refreshToken").asText(),
              m.secrets().refreshToken());
        }
        case "claude-console", "gemini-api", "openai-responses", "azure-openai" ->
            assertEquals(c.get("apiKey").asText(), m.secrets().apiKey());
        case "bedrock" -> {
          if (c.has("bearerToken")) {
            assertEquals(c.get("bearerToken").asText(), m.secrets().apiKey());
          } else {
            assertEquals(c.get("secretAccessKey").asText(),
                m.secrets().settings().get(CredentialSettings.SECRET_ACCESS_KEY));
          }
          assertEquals(a.at("/settings/region").asText(), m.secrets().settings().get(CredentialSettings.REGION));
        }
        case "gemini-oauth" -> {
          assertEquals(c.get("refresh_token").asText(), m.secrets().refreshToken());
          assertEquals(a.at("/settings/projectId").asText(), m.secrets().upstreamAccountId());
        }
        case "openai-oauth" -> {
          assertEquals(c.get("accessToken").asText(), m.secrets().accessToken());
          assertEquals(a.at("/settings/accountInfo/accountId").asText(), m.secrets().upstreamAccountId());
        }
        case "droid" -> {
          assertEquals(c.get("apiKeys").size(), mapped.size());
          for (int i = 0; i < mapped.size(); i++) {
            assertEquals(c.get("apiKeys").get(i).asText(), mapped.get(i).secrets().apiKey());
          }
        }
        default -> throw new AssertionError(type);
      }
    }
    assertEquals(0, cipher.failed());
    // Settings that come across: proxy (without its password in the display form), priority, schedulable, groups.
    CrsAccountMapping.ImportedAccount dedicated = CrsAccountMapping.map(record("claude:account:",
        scenarioAccount("claude-max-dedicated").get("id").asText()), groups, cipher).get(0);
    assertEquals("socks5://proxyuser:****@10.0.0.9:1080", dedicated.proxy());
    assertEquals("socks5://proxyuser:proxypass@10.0.0.9:1080", dedicated.secrets().proxyUrl());
    CrsAccountMapping.ImportedAccount grouped = CrsAccountMapping.map(record("claude:account:",
        scenarioAccount("claude-pro-grouped").get("id").asText()), groups, cipher).get(0);
    assertEquals(20, grouped.priority());
    assertEquals(List.of("claude-team"), grouped.groups());
    assertTrue(CrsAccountMapping.map(record("claude:account:",
        scenarioAccount("claude-setup-token-shared").get("id").asText()), groups, cipher).get(0).paused());
    CrsAccountMapping.ImportedAccount console = CrsAccountMapping.map(record("claude_console_account:",
        scenarioAccount("console-mapped-grouped").get("id").asText()), groups, cipher).get(0);
    assertEquals("http://127.0.0.1:3391", console.baseUrl(), "the /v1/messages CRS kept in apiUrl is cut");
  }

  @Test
  void keysMapWithTheirLimitsAccessExpiryRatesAndBindings() throws Exception {
    Map<String, CrsData.CrsGroup> groups = groups();
    CrsKeyMapping.ImportedKey alice = CrsKeyMapping.map(CrsExport.hash(export, "apikey:"
        + scenarioKey("alice-claude").get("id").asText()), groups);
    KeySettings s = alice.settings();
    assertEquals("alice-claude", s.name());
    assertEquals(List.of("team-a", "cli"), s.tags());
    assertEquals(3, s.limits().concurrency());
    assertEquals(60, s.limits().rateWindow().minutes());
    assertEquals(100, s.limits().rateWindow().maxRequests());
    assertEquals(5_000_000, s.limits().rateWindow().maxCostMicros());
    assertEquals(10_000_000, s.limits().dailyCostMicros());
    assertEquals(100_000_000, s.limits().totalCostMicros());
    assertEquals(20_000_000, s.limits().weeklyOpusCostMicros());
    assertEquals(Set.of("claude"), s.access().pools());
    assertEquals(new KeyBinding("adf98813-dffc-44f6-889d-78e079a26688", null, true), s.bindings().get("claude"));
    assertTrue(!alice.deleted());

    Map<String, String> bobFields = CrsExport.hash(export, "apikey:" + scenarioKey("bob-everything").get("id").asText());
    KeySettings bob = CrsKeyMapping.map(bobFields, groups).settings();
    assertEquals(Set.of(), bob.access().pools(), "[] is every service");
    // Bob's activation-mode key was used, so its clock runs: it ends when CRS says.
    assertEquals(KeyExpiry.fixed(Instant.parse(bobFields.get("expiresAt")).toEpochMilli()), bob.expiry());
    Map<String, String> unused = new LinkedHashMap<>(bobFields);
    unused.put("isActivated", "false");
    unused.put("expiresAt", "");
    assertEquals(KeyExpiry.activation(30L * 24 * 3_600_000), CrsKeyMapping.map(unused, groups).settings().expiry());
    assertEquals(List.of("claude-opus-4-1-20250805", "gpt-5-pro"), bob.access().blockedModels());
    assertEquals(Map.of("openai", 0.5), bob.serviceRates());
    assertEquals("c056df18-2f8d-4ef1-9a4a-cf1bf5bcc0c8", bob.bindings().get("openai").accountId());
    assertEquals("ce22047b-b763-479b-a102-c9272d938042", bob.bindings().get("gemini").accountId());
    assertEquals("d51d6595-c7de-4f80-bb5f-d04200d9cce9", bob.bindings().get("claude").accountId());

    KeySettings carol = CrsKeyMapping.map(CrsExport.hash(export, "apikey:"
        + scenarioKey("carol-groups").get("id").asText()), groups).settings();
    assertEquals("claude-team", carol.bindings().get("claude").group());
    assertEquals("openai-team", carol.bindings().get("openai").group());
    assertEquals(List.of("claude-code", "codex"), carol.access().allowedClients());
    assertEquals(KeyExpiry.fixed(Instant.parse("2027-06-30T00:00:00Z").toEpochMilli()), carol.expiry());
    assertEquals(3, carol.limits().weeklyResetDay());
    assertEquals(9, carol.limits().weeklyResetHour());

    KeySettings dave = CrsKeyMapping.map(CrsExport.hash(export, "apikey:"
        + scenarioKey("dave-gemini").get("id").asText()), groups).settings();
    assertEquals(500_000, dave.limits().rateWindow().maxTokens());
    assertEquals("gemini-team", dave.bindings().get("gemini").group());

    CrsKeyMapping.ImportedKey erin = CrsKeyMapping.map(CrsExport.hash(export, "apikey:"
        + scenarioKey("erin-openai-disabled").get("id").asText()), groups);
    assertTrue(erin.deleted(), "a disabled key comes across soft-deleted");
    CrsKeyMapping.ImportedKey frank = CrsKeyMapping.map(CrsExport.hash(export, "apikey:"
        + scenarioKey("frank-deleted").get("id").asText()), groups);
    assertTrue(frank.deleted());
    assertNull(CrsKeyMapping.map(CrsExport.hash(export, "apikey:"
        + scenarioKey("carol-groups").get("id").asText()), groups).note());
  }

  @Test
  void usageBecomesImportedEntriesWhoseRatedCostIsTheKeysTotal() {
    String alice = scenarioKey("alice-claude").get("id").asText();
    List<CrsData.CrsKeyUsage.Bucket> buckets = new ArrayList<>();
    double rated = 0;
    double real = 0;
    for (JsonNode k : export.get("keys")) {
      String name = k.get("key").asText();
      for (String kind : List.of("daily", "monthly", "alltime")) {
        String prefix = "usage:" + alice + ":model:" + kind + ":";
        if (name.startsWith(prefix)) {
          String rest = name.substring(prefix.length());
          int colon = kind.equals("alltime") ? rest.length() : rest.lastIndexOf(':');
          buckets.add(new CrsData.CrsKeyUsage.Bucket(kind, rest.substring(0, colon),
              kind.equals("alltime") ? null : rest.substring(colon + 1), CrsExport.hash(export, name)));
        }
      }
      if (name.equals("usage:cost:total:" + alice)) {
        rated = Double.parseDouble(k.get("value").asText());
      }
      if (name.equals("usage:cost:real:total:" + alice)) {
        real = Double.parseDouble(k.get("value").asText());
      }
    }
    long now = System.currentTimeMillis();
    List<UsageRecord> records = CrsUsageMapping.map(alice, new CrsData.CrsKeyUsage(rated, real, buckets), 0,
        ZoneOffset.ofHours(8), now);
    assertEquals(2, records.size(), records.toString());
    long sum = records.stream().mapToLong(UsageRecord::ratedCostMicros).sum();
    assertTrue(Math.abs(sum - Math.round(rated * 1_000_000)) <= 2, sum + " vs " + rated);
    for (UsageRecord u : records) {
      assertTrue(u.imported());
      assertTrue(u.startedAt() < now);
    }
    // A key whose buckets are gone still keeps its all-time cost, as one earlier entry.
    List<UsageRecord> rest = CrsUsageMapping.map(alice, new CrsData.CrsKeyUsage(1.25, 1.25, List.of()), 1_000, ZoneOffset.UTC,
        now);
    assertEquals(1, rest.size());
    assertEquals(1_250_000, rest.get(0).ratedCostMicros());
    assertEquals(CrsUsageMapping.EARLIER_MODEL, rest.get(0).model());
  }
}
