package dev.relaycluster.admin.crs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.account.AccountSecrets;
import dev.relaycluster.account.AccountType;
import dev.relaycluster.admin.AccountAdmin;
import dev.relaycluster.protocol.oauth.CodexIdToken;
import dev.relaycluster.protocol.util.Json;
import dev.relaycluster.upstream.CredentialSettings;
import dev.relaycluster.upstream.ProxySpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A claude-relay-service account as this relay's account (pure but for decryption with the old key): the type
 * for its kind, its credentials decrypted ({@link CrsCipher}), its base URL, priority (lower first in both),
 * concurrency, proxy, groups and whether it may be scheduled. A CRS Droid account with several API keys becomes
 * one droid-api account per key (the first keeps the CRS id).
 */
final class CrsAccountMapping {
  /** The CRS kind's name for reports, by Redis prefix. */
  static final Map<String, String> KINDS = Map.of("claude:account:", "claude-official",
      "claude_console_account:", "claude-console", "bedrock_account:", "bedrock", "openai:account:", "openai",
      "openai_responses_account:", "openai-responses", "azure_openai:account:", "azure-openai",
      "gemini_account:", "gemini", "gemini_api_account:", "gemini-api", "droid:account:", "droid",
      "ccr_account:", "ccr");

  /** An account to create; {@code proxy} is its display form (no password); {@code note}: what did not come across. */
  record ImportedAccount(String id, String crsId, String name, AccountType type, String baseUrl, int priority,
      int maxConcurrency, boolean paused, List<String> groups, AccountSecrets secrets, String proxy, long createdAt,
      String note) {}

  /** Why an account cannot be imported: a kind not supported here, missing credentials, or undecryptable ones. */
  static final class Unusable extends Exception {
    Unusable(String reason) {
      super(reason, null, false, false);
    }
  }

  private CrsAccountMapping() {}

  /** A group's name here: its CRS name (at most 64 characters). */
  static String groupName(CrsData.CrsGroup g) {
    String n = g.name() == null || g.name().isBlank() ? g.id() : g.name().strip();
    return n.length() > 64 ? n.substring(0, 64) : n;
  }

  static List<ImportedAccount> map(CrsData.CrsRecord r, Map<String, CrsData.CrsGroup> groups, CrsCipher cipher)
      throws Unusable {
    Map<String, String> f = r.fields();
    String salt = CrsCipher.SALTS.get(r.prefix());
    List<String> notes = new ArrayList<>();
    String name = CrsFields.text(f, "name");
    name = name == null ? KINDS.get(r.prefix()) + "-" + r.id().substring(0, Math.min(8, r.id().length())) : name;
    int priority = (int) Math.max(0, Math.min(1000, CrsFields.integer(f, "priority", 50)));
    boolean paused = !CrsFields.flag(f, "schedulable", true) || !CrsFields.flag(f, "isActive", true);
    List<String> memberOf = groups.values().stream().filter(g -> g.members().contains(r.id()))
        .map(CrsAccountMapping::groupName).distinct().toList();
    String proxyUrl = proxyUrl(CrsFields.json(f, "proxy"), notes);
    long created = CrsFields.time(f, "createdAt");
    created = created > 0 ? created : System.currentTimeMillis();
    AccountType type;
    String baseUrl;
    int concurrency = (int) Math.max(0, CrsFields.integer(f, "maxConcurrency", 0));
    AccountSecrets secrets;
    List<ImportedAccount> extra = new ArrayList<>();
    switch (r.prefix()) {
      case "claude:account:" -> {
        type = AccountType.CLAUDE_OAUTH;
        String access = dec(cipher, f, "accessToken", salt);
        String refresh = dec(cipher, f, "refreshToken", salt);
        long expires = CrsFields.integer(f, "expiresAt", 0);
        List<String> scopes = CrsFields.text(f, "scopes") == null ? List.of()
            : Arrays.stream(CrsFields.text(f, "scopes").split("\\s+")).filter(s -> !s.isBlank()).toList();
        String blob = dec(cipher, f, "claudeAiOauth", salt);
        JsonNode oauth = blob.isEmpty() ? null : Json.tryParse(blob).orElse(null);
        if (oauth != null && oauth.isObject()) {
          access = access.isEmpty() ? oauth.path("accessToken").asText("") : access;
          refresh = refresh.isEmpty() ? oauth.path("refreshToken").asText("") : refresh;
          expires = expires > 0 ? expires : oauth.path("expiresAt").asLong(0);
        }
        if (access.isEmpty() && refresh.isEmpty()) {
          throw new Unusable("no OAuth token: the account's login was never completed");
        }
        secrets = new AccountSecrets(null, blank(access), blank(refresh), expires, scopes, null);
        baseUrl = AccountAdmin.defaultBaseUrl(type);
      }
      case "claude_console_account:" -> {
        type = AccountType.CLAUDE_CONSOLE;
        secrets = new AccountSecrets(required(dec(cipher, f, "apiKey", salt), "apiKey"), null, null, 0);
        baseUrl = base(CrsFields.text(f, "apiUrl"), type, "/v1/messages", "/v1");
        concurrency = (int) Math.max(0, CrsFields.integer(f, "maxConcurrentTasks", 0));
        noteModels(f, notes);
      }
      case "bedrock_account:" -> {
        type = AccountType.BEDROCK;
        String region = CrsFields.text(f, "region");
        region = region == null ? "us-east-1" : region;
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(CredentialSettings.REGION, region);
        String bearer = null;
        JsonNode aws = CrsFields.json(f, "awsCredentials");
        JsonNode token = CrsFields.json(f, "bearerToken");
        if (token != null && token.isObject() && token.has("encrypted")) {
          bearer = bedrock(cipher, token).path("token").asText(null);
        } else if (aws != null && aws.isObject()) {
          JsonNode keys = aws.has("encrypted") ? bedrock(cipher, aws) : aws;
          settings.put(CredentialSettings.ACCESS_KEY_ID, required(keys.path("accessKeyId").asText(""), "accessKeyId"));
          settings.put(CredentialSettings.SECRET_ACCESS_KEY, required(keys.path("secretAccessKey").asText(""),
              "secretAccessKey"));
          if (!keys.path("sessionToken").asText("").isBlank()) {
            settings.put(CredentialSettings.SESSION_TOKEN, keys.path("sessionToken").asText());
          }
        } else {
          throw new Unusable("no AWS credentials and no bearer token");
        }
        secrets = new AccountSecrets(bearer, null, null, 0).withSettings(settings);
        baseUrl = "https://bedrock-runtime." + region + ".amazonaws.com";
      }
      case "openai:account:" -> {
        type = AccountType.CODEX_OAUTH;
        String access = dec(cipher, f, "accessToken", salt);
        String refresh = dec(cipher, f, "refreshToken", salt);
        String idToken = dec(cipher, f, "idToken", salt);
        String chatgpt = CrsFields.text(f, "accountId");
        if (chatgpt == null && !idToken.isEmpty()) {
          try {
            chatgpt = CodexIdToken.decode(idToken).chatgptAccountId();
          } catch (IllegalArgumentException e) {
            chatgpt = null;
          }
        }
        if (access.isEmpty() && refresh.isEmpty()) {
          throw new Unusable("no OAuth token");
        }
        if (chatgpt == null || chatgpt.isBlank()) {
          throw new Unusable("no ChatGPT account id (accountId) and none in the id token");
        }
        secrets = new AccountSecrets(null, blank(access), blank(refresh), CrsFields.time(f, "expiresAt"))
            .withUpstreamAccountId(chatgpt);
        baseUrl = AccountAdmin.defaultBaseUrl(type);
      }
      case "openai_responses_account:" -> {
        type = AccountType.OPENAI_API;
        secrets = new AccountSecrets(required(dec(cipher, f, "apiKey", salt), "apiKey"), null, null, 0);
        baseUrl = base(CrsFields.text(f, "baseApi"), type, "/v1/responses", "/v1");
      }
      case "azure_openai:account:" -> {
        type = AccountType.AZURE_OPENAI;
        Map<String, String> settings = new LinkedHashMap<>();
        String deployment = CrsFields.text(f, "deploymentName");
        if (deployment == null) {
          throw new Unusable("no deploymentName");
        }
        settings.put(CredentialSettings.DEPLOYMENT, deployment);
        if (CrsFields.text(f, "apiVersion") != null) {
          settings.put(CredentialSettings.API_VERSION, CrsFields.text(f, "apiVersion"));
        }
        secrets = new AccountSecrets(required(dec(cipher, f, "apiKey", salt), "apiKey"), null, null, 0)
            .withSettings(settings);
        String endpoint = CrsFields.text(f, "azureEndpoint");
        if (endpoint == null) {
          throw new Unusable("no azureEndpoint");
        }
        baseUrl = trim(endpoint);
      }
      case "gemini_account:" -> {
        type = AccountType.GEMINI_OAUTH;
        if ("antigravity".equals(CrsFields.text(f, "oauthProvider"))) {
          throw new Unusable("an Antigravity login: only Gemini CLI logins are supported here");
        }
        String access = dec(cipher, f, "accessToken", salt);
        String refresh = dec(cipher, f, "refreshToken", salt);
        long expires = CrsFields.time(f, "expiresAt");
        String blob = dec(cipher, f, "geminiOauth", salt);
        JsonNode oauth = blob.isEmpty() ? null : Json.tryParse(blob).orElse(null);
        if (oauth != null && oauth.isObject()) {
          access = access.isEmpty() ? oauth.path("access_token").asText("") : access;
          refresh = refresh.isEmpty() ? oauth.path("refresh_token").asText("") : refresh;
          expires = expires > 0 ? expires : oauth.path("expiry_date").asLong(0);
        }
        if (refresh.isEmpty()) {
          throw new Unusable("no refresh token (Google access tokens last an hour)");
        }
        String project = CrsFields.text(f, "projectId") != null ? CrsFields.text(f, "projectId")
            : CrsFields.text(f, "tempProjectId");
        List<String> scopes = CrsFields.text(f, "scopes") == null ? List.of()
            : Arrays.stream(CrsFields.text(f, "scopes").split("\\s+")).filter(s -> !s.isBlank()).toList();
        secrets = new AccountSecrets(null, blank(access), refresh, expires, scopes, null, project);
        baseUrl = AccountAdmin.defaultBaseUrl(type);
      }
      case "gemini_api_account:" -> {
        type = AccountType.GEMINI_API;
        secrets = new AccountSecrets(required(dec(cipher, f, "apiKey", salt), "apiKey"), null, null, 0);
        String given = CrsFields.text(f, "baseUrl");
        if (given != null && given.contains("{")) {
          notes.add("base URL template " + given + " replaced by the default");
          given = null;
        }
        baseUrl = base(given, type, "/v1beta", "/v1");
        noteModels(f, notes);
      }
      case "droid:account:" -> {
        JsonNode keys = Json.tryParse(CrsFields.text(f, "apiKeys") == null ? "" : CrsFields.text(f, "apiKeys"))
            .orElse(null);
        baseUrl = AccountAdmin.defaultBaseUrl(AccountType.DROID_API);
        if (keys != null && keys.isArray() && keys.size() > 0) {
          type = AccountType.DROID_API;
          List<String> plain = new ArrayList<>();
          for (JsonNode k : keys) {
            plain.add(required(decrypt(cipher, k.path("encryptedKey").asText(""), salt), "apiKeys[].encryptedKey"));
          }
          secrets = new AccountSecrets(plain.get(0), null, null, 0);
          for (int i = 1; i < plain.size(); i++) {
            String id = keys.get(i).path("id").asText(r.id() + "-" + i);
            extra.add(new ImportedAccount(id, r.id(), name + " (key " + (i + 1) + ")", type, baseUrl, priority,
                concurrency, paused, memberOf, withProxy(new AccountSecrets(plain.get(i), null, null, 0), proxyUrl),
                display(proxyUrl), created, "one of the CRS account's " + plain.size() + " API keys"));
          }
          if (plain.size() > 1) {
            notes.add("its " + plain.size() + " API keys became " + plain.size() + " droid-api accounts");
          }
        } else {
          type = AccountType.DROID_OAUTH;
          String access = dec(cipher, f, "accessToken", salt);
          String refresh = dec(cipher, f, "refreshToken", salt);
          if (access.isEmpty()) {
            throw new Unusable("neither API keys nor an access token");
          }
          Map<String, String> settings = new LinkedHashMap<>();
          if (CrsFields.text(f, "organizationId") != null) {
            settings.put(CredentialSettings.ORGANIZATION_ID, CrsFields.text(f, "organizationId"));
          }
          secrets = new AccountSecrets(null, access, blank(refresh), CrsFields.time(f, "expiresAt"))
              .withSettings(settings);
        }
      }
      default -> throw new Unusable(KINDS.getOrDefault(r.prefix(), r.prefix())
          + " accounts are not supported here");
    }
    List<ImportedAccount> out = new ArrayList<>();
    out.add(new ImportedAccount(r.id(), r.id(), name, type, baseUrl, priority, concurrency, paused, memberOf,
        withProxy(secrets, proxyUrl), display(proxyUrl), created, notes.isEmpty() ? null : String.join("; ", notes)));
    out.addAll(extra);
    return out;
  }

  private static AccountSecrets withProxy(AccountSecrets s, String proxyUrl) {
    return proxyUrl == null ? s : s.withProxy(proxyUrl);
  }

  private static String display(String proxyUrl) {
    return proxyUrl == null ? null : ProxySpec.parse(proxyUrl).display();
  }

  /** CRS's proxy object {type, host, port, username, password} as a proxy URL; null when none or unusable. */
  static String proxyUrl(JsonNode p, List<String> notes) {
    if (p == null || !p.isObject() || p.path("host").asText("").isBlank()) {
      return null;
    }
    String type = p.path("type").asText("socks5").toLowerCase(java.util.Locale.ROOT);
    String scheme = type.startsWith("socks") ? "socks5" : "http";
    if (type.equals("https")) {
      notes.add("its https proxy is used as an http (CONNECT) proxy");
    }
    String user = p.path("username").asText("");
    String pass = p.path("password").asText("");
    String auth = user.isBlank() ? "" : enc(user) + (pass.isEmpty() ? "" : ":" + enc(pass)) + "@";
    String url = scheme + "://" + auth + p.path("host").asText().strip() + ":" + p.path("port").asText("").strip();
    try {
      ProxySpec.parse(url);
      return url;
    } catch (IllegalArgumentException e) {
      notes.add("its proxy was left out: " + e.getMessage());
      return null;
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void noteModels(Map<String, String> f, List<String> notes) {
    JsonNode models = CrsFields.json(f, "supportedModels");
    if (models != null && models.size() > 0) {
      notes.add("its supportedModels (" + models.size() + ") were not imported: set a model map if needed");
    }
  }

  /** A base URL without the API path CRS included and without a trailing slash; the type's default when absent. */
  private static String base(String given, AccountType type, String... suffixes) {
    if (given == null) {
      return AccountAdmin.defaultBaseUrl(type);
    }
    String b = trim(given);
    for (String s : suffixes) {
      if (b.endsWith(s)) {
        b = trim(b.substring(0, b.length() - s.length()));
      }
    }
    return b;
  }

  private static String trim(String s) {
    String b = s.strip();
    while (b.endsWith("/")) {
      b = b.substring(0, b.length() - 1);
    }
    return b;
  }

  private static String dec(CrsCipher cipher, Map<String, String> f, String field, String salt) throws Unusable {
    return decrypt(cipher, f.get(field), salt);
  }

  private static String decrypt(CrsCipher cipher, String stored, String salt) throws Unusable {
    try {
      return cipher.decrypt(stored, salt).strip();
    } catch (CrsCipher.DecryptionFailed e) {
      throw new Unusable("a credential " + e.getMessage());
    }
  }

  private static JsonNode bedrock(CrsCipher cipher, JsonNode sealed) throws Unusable {
    try {
      String plain = cipher.decryptBedrock(sealed.path("encrypted").asText(null), sealed.path("iv").asText(null));
      return Json.tryParse(plain).filter(JsonNode::isObject)
          .orElseThrow(() -> new Unusable("its AWS credentials decrypt to something that is not JSON"));
    } catch (CrsCipher.DecryptionFailed e) {
      throw new Unusable("its AWS credentials " + e.getMessage());
    }
  }

  private static String required(String v, String field) throws Unusable {
    if (v == null || v.isBlank()) {
      throw new Unusable("no " + field);
    }
    return v.strip();
  }

  private static String blank(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
