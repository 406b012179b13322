package dev.relaycluster.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Inputs for the admin API: login with mutated bodies, and every other call with a valid token, none, a
 * forged one or a relay key in its place; keys, accounts, OAuth account flows, usage queries, repricing and
 * webhooks with mutated bodies, ids and query strings. Account and key ids are the rig's (so calls reach
 * real entities), made up, or odd. The admin family runs after the client families: what it creates and
 * changes cannot disturb them. (Logout is left out: it would end the token the rest of the family uses.)
 */
final class AdminInputs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String token;
  private final String relayKey;
  private final List<String> ids;

  AdminInputs(String token, String relayKey, List<String> ids) {
    this.token = token;
    this.relayKey = relayKey;
    this.ids = ids;
  }

  FuzzInput next(int index, Junk junk) {
    JsonMutator mutator = new JsonMutator(junk);
    String id = id(junk);
    String method;
    String path;
    ObjectNode seed = null;
    // Login is one case in twenty-five: each wrong password costs the node an Argon2 hash.
    switch (junk.below(25)) {
      case 0 -> {
        method = "POST";
        path = "/admin/api/login";
        seed = JSON.createObjectNode().put("username", junk.pick("admin", "root", "", "ADMIN"))
            .put("password", junk.pick("wrong-password", "", "x".repeat(100_000), "test-admin-password-12"));
      }
      case 1, 2, 3 -> {
        method = "POST";
        path = "/admin/api/keys";
        seed = key(junk);
      }
      case 4, 5 -> {
        method = "PATCH";
        path = "/admin/api/keys/" + id;
        seed = key(junk);
      }
      case 6, 7, 20 -> {
        method = "POST";
        path = "/admin/api/accounts";
        seed = account(junk);
      }
      case 8 -> {
        method = "PATCH";
        path = "/admin/api/accounts/" + id;
        seed = account(junk);
        seed.remove("type");
      }
      case 9 -> {
        method = junk.pick("GET", "DELETE", "POST");
        path = "/admin/api/" + junk.pick("keys/", "accounts/") + id
            + junk.pick("", "/revoke", "/restore", "/reset", "");
      }
      case 10 -> {
        method = "POST";
        path = "/admin/api/accounts/" + junk.pick("oauth", "openai-oauth", "gemini-oauth") + "/"
            + junk.pick("generate-auth-url", "exchange-code");
        seed = JSON.createObjectNode().put("sessionId", junk.letters(1 + junk.below(40)))
            .put("code", junk.letters(1 + junk.below(80)))
            .put("callbackUrl", "http://localhost:1455/auth/callback?code=x")
            .put("name", "oauth-" + junk.below(100));
      }
      case 11 -> {
        method = "POST";
        path = "/admin/api/accounts/gemini-oauth/import-creds";
        seed = JSON.createObjectNode().put("name", "imported").put("credsJson", "{\"access_token\":\"x\","
            + "\"refresh_token\":\"" + junk.letters(12) + "\",\"expiry_date\":1}");
      }
      case 12, 13, 21 -> {
        method = "GET";
        path = "/admin/api/usage/" + junk.pick("requests", "requests.csv", "aggregates", "aggregates.csv", "accounts",
            "dashboard", "prices") + "?" + usageQuery(junk);
      }
      case 14 -> {
        method = "POST";
        path = "/admin/api/usage/reprice";
        seed = JSON.createObjectNode().put("from", "2025-01-01T00:00:00Z").put("to", "2025-01-02T00:00:00Z");
      }
      case 15 -> {
        method = junk.pick("POST", "PATCH");
        path = "/admin/api/webhooks" + (method.equals("PATCH") ? "/" + id : "");
        seed = JSON.createObjectNode().put("name", "hook").put("channel", junk.pick("webhook", "slack", "x"))
            .put("enabled", false);
        seed.putObject("config").put("url", "http://127.0.0.1:1/hook").put("secret", junk.letters(8));
        seed.putArray("kinds").add("account.cooling");
      }
      case 16 -> {
        method = "GET";
        path = "/admin/api/" + junk.pick("keys?deleted=true&usage=true", "keys?usage=" + junk.letters(3), "accounts",
            "cluster", "webhooks", "webhooks/channels", "webhooks/" + id);
      }
      default -> {
        method = junk.pick("GET", "POST", "PUT", "DELETE", "OPTIONS");
        path = "/admin/api/" + ClientInputs.pathSafe(junk.pick("", "nothing", "keys/" + id + "/x",
            "accounts/" + id + "/test", junk.letters(1 + junk.below(200))));
      }
    }
    HttpBytes request = new HttpBytes(method, path).header("Host", "relay");
    String auth = auth(junk, path);
    if (auth != null) {
      request.header("Authorization", auth);
    }
    byte[] body = seed == null ? (junk.chance(20) ? new JsonMutator(junk).mutate(JSON.createObjectNode()) : null)
        : mutator.mutate(seed);
    if (body != null) {
      request.header("content-type", junk.chance(90) ? "application/json" : "text/plain");
      request.body(body, junk.chance(90) ? HttpBytes.Framing.LENGTH : HttpBytes.Framing.CHUNKED);
    }
    boolean clean = path.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    return new FuzzInput("admin", index, method + " " + (path.length() > 70 ? path.substring(0, 60) + "…" : path)
        + " auth:" + authLabel(auth) + " body:" + (body == null ? "none" : mutator.applied()),
        FuzzInput.Shape.ADMIN, request.bytes(junk), clean && request.inStep() ? FuzzInput.Delivery.KEEP_ALIVE
        : FuzzInput.Delivery.FRESH, 1, false);
  }

  private String id(Junk junk) {
    return switch (junk.below(6)) {
      case 0, 1 -> junk.pick(ids);
      case 2 -> java.util.UUID.randomUUID().toString();
      case 3 -> ClientInputs.pathSafe(junk.string());
      case 4 -> "%2E%2E";
      default -> "key-" + junk.below(1_000);
    };
  }

  private String auth(Junk junk, String path) {
    if (path.endsWith("/login") && junk.chance(80)) {
      return null;
    }
    int roll = junk.below(100);
    if (roll < 70) {
      return "Bearer " + token;
    }
    return switch (roll % 6) {
      case 0 -> null;
      case 1 -> "Bearer " + relayKey;
      case 2 -> "Bearer " + token.substring(0, token.length() - 1) + (token.endsWith("a") ? "b" : "a");
      case 3 -> "Bearer " + junk.letters(1 + junk.below(600));
      case 4 -> "Basic YWRtaW46eA==";
      default -> "Bearer";
    };
  }

  private String authLabel(String auth) {
    if (auth == null) {
      return "none";
    }
    if (auth.equals("Bearer " + token)) {
      return "token";
    }
    return auth.equals("Bearer " + relayKey) ? "relay-key" : "forged";
  }

  private static ObjectNode key(Junk junk) {
    ObjectNode key = JSON.createObjectNode().put("name", "fuzz-" + junk.below(10_000)).put("concurrencyLimit", 2)
        .put("dailyCostLimit", 5.5).put("weeklyResetDay", 1).put("weeklyResetHour", 0);
    key.putArray("permissions").add(junk.pick("claude", "openai", "gemini", "codex", "all"));
    key.putObject("rateLimit").put("windowMinutes", 60).put("requests", 100).put("tokens", 10_000).put("cost", 1.25);
    key.putObject("expiry").put("mode", junk.pick("none", "fixed", "activation")).put("days", 30)
        .put("expiresAt", "2030-01-01T00:00:00Z");
    key.putArray("allowedModels").add("claude-sonnet-4-5-20250929");
    key.putArray("allowedClients").add("claude-code");
    key.putObject("serviceRates").put("claude", 1.0);
    key.putObject("bindings").putObject("claude").put("group", "g1").put("fallbackToPool", true);
    key.putArray("tags").add("team");
    return key;
  }

  private static ObjectNode account(Junk junk) {
    String platform = junk.pick("claude", "openai", "gemini");
    String type = switch (platform) {
      case "claude" -> junk.pick("claude-console", "claude-oauth", "bedrock");
      case "openai" -> junk.pick("openai-api", "codex-oauth", "azure-openai");
      default -> junk.pick("gemini-api", "gemini-oauth");
    };
    ObjectNode account = JSON.createObjectNode().put("name", "fuzz-account").put("platform", platform)
        .put("type", type).put("apiKey", "sk-fuzz-" + junk.letters(10)).put("accessToken", "tok")
        .put("baseUrl", junk.pick("http://127.0.0.1:1", "https://api.example.invalid", "not a url", "ftp://x", ""))
        .put("priority", 50).put("maxConcurrency", 2).put("priceMultiplier", 1.0).put("tier", "pro");
    account.putArray("groups").add("g1");
    if (junk.chance(30)) {
      account.put("proxy", junk.pick("socks5://user:pass@127.0.0.1:1", "http://127.0.0.1:1", "x://y"));
    }
    return account;
  }

  private static String usageQuery(Junk junk) {
    StringBuilder q = new StringBuilder();
    for (int i = junk.below(4); i >= 0; i--) {
      String name = junk.pick("keyId", "accountId", "from", "to", "limit", "cursor", "period", "groupBy", "format",
          "model", "status", "days", "zone");
      String value = junk.pick("1", "-1", "0", "99999999999999999999", "2025-01-01", "2025-13-45T99:99:99Z",
          "day", "hour", "month", "csv", "json", "x", "", "Europe/Nowhere", ClientInputs.pathSafe(junk.string()));
      q.append(q.length() == 0 ? "" : "&").append(name).append('=').append(value);
    }
    return q.toString();
  }
}
