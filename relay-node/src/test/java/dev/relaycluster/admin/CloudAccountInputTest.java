package dev.relaycluster.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.account.AccountSecrets;
import dev.relaycluster.account.AccountType;
import dev.relaycluster.protocol.util.Json;
import dev.relaycluster.upstream.CredentialSettings;
import org.junit.jupiter.api.Test;

/** The admin's JSON for Bedrock, Azure OpenAI and Droid accounts, read into sealed-to-be secrets and a base URL. */
class CloudAccountInputTest {

  private static JsonNode json(String s) {
    return Json.tryParse(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)).orElseThrow();
  }

  @Test
  void bedrockWithAKeyPairAndAModelMap() {
    JsonNode body = json("{\"region\":\"eu-west-1\",\"accessKeyId\":\"AKIA1\",\"secretAccessKey\":\"s3cr3t\","
        + "\"sessionToken\":\"tok\",\"modelMap\":{\"claude-sonnet-4-5\":\"eu.anthropic.claude-sonnet-4-5-20250929-v1:0\"}}");
    AccountSecrets s = CloudAccountInput.secrets(AccountType.BEDROCK, body);
    assertNull(s.apiKey());
    assertEquals("eu-west-1", s.settings().get(CredentialSettings.REGION));
    assertEquals("AKIA1", s.settings().get(CredentialSettings.ACCESS_KEY_ID));
    assertEquals("s3cr3t", s.settings().get(CredentialSettings.SECRET_ACCESS_KEY));
    assertEquals("tok", s.settings().get(CredentialSettings.SESSION_TOKEN));
    assertEquals("eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
        s.settings().get(CredentialSettings.MODEL_PREFIX + "claude-sonnet-4-5"));
    assertEquals("https://bedrock-runtime.eu-west-1.amazonaws.com", CloudAccountInput.baseUrl(AccountType.BEDROCK, body));
    assertTrue(!s.toString().contains("s3cr3t") && !s.toString().contains("AKIA1"), s.toString());
    assertEquals(java.util.Map.of("region", "eu-west-1", "model:claude-sonnet-4-5",
        "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"), CredentialSettings.shown(s.settings()));
  }

  @Test
  void bedrockWithAnApiKeyAndAnEndpointOverride() {
    JsonNode body = json("{\"region\":\"us-east-1\",\"bearerToken\":\"ABSKkey\",\"endpoint\":\"http://127.0.0.1:9\"}");
    AccountSecrets s = CloudAccountInput.secrets(AccountType.BEDROCK, body);
    assertEquals("ABSKkey", s.apiKey());
    assertNull(s.settings().get(CredentialSettings.SECRET_ACCESS_KEY));
    assertEquals("http://127.0.0.1:9", CloudAccountInput.baseUrl(AccountType.BEDROCK, body));
  }

  @Test
  void bedrockRefusesWhatItCannotUse() {
    assertRefused(AccountType.BEDROCK, "{\"accessKeyId\":\"A\",\"secretAccessKey\":\"S\"}", "region");
    assertRefused(AccountType.BEDROCK, "{\"region\":\"mars\",\"accessKeyId\":\"A\",\"secretAccessKey\":\"S\"}", "region");
    assertRefused(AccountType.BEDROCK, "{\"region\":\"us-east-1\",\"accessKeyId\":\"A\"}", "secretAccessKey");
    assertRefused(AccountType.BEDROCK, "{\"region\":\"us-east-1\",\"bearerToken\":\"B\",\"accessKeyId\":\"A\"}", "not both");
    assertRefused(AccountType.BEDROCK, "{\"region\":\"us-east-1\",\"bearerToken\":\"B\",\"modelMap\":[1]}", "modelMap");
    assertRefused(AccountType.BEDROCK, "{\"region\":\"us-east-1\",\"bearerToken\":\"B\",\"modelMap\":{\"a\":\"b c\"}}",
        "modelMap.a");
  }

  @Test
  void azureNeedsItsEndpointDeploymentAndKey() {
    JsonNode body = json("{\"endpoint\":\"https://res.openai.azure.com\",\"deployment\":\"gpt5-prod\","
        + "\"apiVersion\":\"2025-04-01-preview\",\"model\":\"gpt-5\",\"apiKey\":\"azk\"}");
    AccountSecrets s = CloudAccountInput.secrets(AccountType.AZURE_OPENAI, body);
    assertEquals("azk", s.apiKey());
    assertEquals("gpt5-prod", s.settings().get(CredentialSettings.DEPLOYMENT));
    assertEquals("2025-04-01-preview", s.settings().get(CredentialSettings.API_VERSION));
    assertEquals("gpt-5", s.settings().get(CredentialSettings.SERVED_MODEL));
    assertEquals("https://res.openai.azure.com", CloudAccountInput.baseUrl(AccountType.AZURE_OPENAI, body));
    AdminInputException e = assertThrows(AdminInputException.class,
        () -> CloudAccountInput.baseUrl(AccountType.AZURE_OPENAI, json("{\"apiKey\":\"k\"}")));
    assertTrue(e.getMessage().startsWith("endpoint"), e.getMessage());
    assertRefused(AccountType.AZURE_OPENAI, "{\"apiKey\":\"k\"}", "deployment");
    assertRefused(AccountType.AZURE_OPENAI, "{\"deployment\":\"d\"}", "apiKey");
  }

  @Test
  void droidKeysAndLogins() {
    assertEquals("fk-1", CloudAccountInput.secrets(AccountType.DROID_API, json("{\"apiKey\":\"fk-1\"}")).apiKey());
    assertEquals(CloudAccountInput.DROID_BASE_URL, CloudAccountInput.baseUrl(AccountType.DROID_API, json("{}")));
    AccountSecrets login = CloudAccountInput.secrets(AccountType.DROID_OAUTH,
        json("{\"accessToken\":\"at\",\"refreshToken\":\"rt\",\"organizationId\":\"org_1\"}"));
    assertEquals("at", login.accessToken());
    assertEquals("rt", login.refreshToken());
    assertEquals("org_1", login.settings().get(CredentialSettings.ORGANIZATION_ID));
    assertRefused(AccountType.DROID_API, "{}", "apiKey");
  }

  private static void assertRefused(AccountType type, String body, String says) {
    AdminInputException e = assertThrows(AdminInputException.class, () -> {
      CloudAccountInput.secrets(type, json(body));
    });
    assertTrue(e.getMessage().contains(says), e.getMessage());
  }
}
