package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.account.AccountSecrets;
import dev.relaycluster.account.AccountType;
import dev.relaycluster.upstream.CredentialSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The credentials and settings of the cloud and third-party account types, as an admin sends them:
 * Bedrock ({@code region} with {@code accessKeyId} / {@code secretAccessKey} / {@code sessionToken}, or
 * {@code bearerToken}; an optional {@code modelMap}), Azure OpenAI ({@code endpoint}, {@code deployment},
 * {@code apiVersion}, {@code apiKey}, the deployment's {@code model}) and Droid ({@code apiKey} for
 * {@code fk-} keys; {@code accessToken} / {@code refreshToken} / {@code organizationId} for a login).
 */
final class CloudAccountInput {
  static final String DROID_BASE_URL = "https://api.factory.ai/api/llm";
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\\d");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:/-]{1,200}");

  /** The fields of an edit that carry a new credential of one of these types. */
  static final java.util.Set<String> CREDENTIAL_FIELDS = java.util.Set.of("region", "accessKeyId", "secretAccessKey",
      "sessionToken", "bearerToken", "modelMap", "deployment", "apiVersion", "model", "organizationId");

  private CloudAccountInput() {}

  static boolean handles(AccountType type) {
    return type == AccountType.BEDROCK || type == AccountType.AZURE_OPENAI || type == AccountType.DROID_API
        || type == AccountType.DROID_OAUTH;
  }

  /** The base URL of a new account of {@code type}: the admin's {@code endpoint} or {@code baseUrl}, else the default. */
  static String baseUrl(AccountType type, JsonNode body) {
    String given = AccountFields.text(body, "endpoint", AccountFields.text(body, "baseUrl", null));
    if (given != null && !given.isBlank()) {
      return AccountFields.baseUrl(given.strip());
    }
    return switch (type) {
      case BEDROCK -> "https://bedrock-runtime." + region(body) + ".amazonaws.com";
      case AZURE_OPENAI -> throw AdminInputException.invalid(
          "endpoint: required, the resource's URL, e.g. https://my-resource.openai.azure.com");
      default -> DROID_BASE_URL;
    };
  }

  static AccountSecrets secrets(AccountType type, JsonNode body) {
    Map<String, String> settings = new LinkedHashMap<>();
    return switch (type) {
      case BEDROCK -> bedrock(body, settings);
      case AZURE_OPENAI -> {
        settings.put(CredentialSettings.DEPLOYMENT, name(body, "deployment", true));
        put(settings, CredentialSettings.API_VERSION, name(body, "apiVersion", false));
        put(settings, CredentialSettings.SERVED_MODEL, name(body, "model", false));
        yield new AccountSecrets(AccountFields.required(body, "apiKey"), null, null, 0).withSettings(settings);
      }
      case DROID_API -> new AccountSecrets(AccountFields.required(body, "apiKey"), null, null, 0);
      case DROID_OAUTH -> {
        put(settings, CredentialSettings.ORGANIZATION_ID, name(body, "organizationId", false));
        long expiresAt = body.has("expiresAt") ? AccountFields.expiresAt(body.get("expiresAt")) : 0;
        yield new AccountSecrets(null, AccountFields.required(body, "accessToken"),
            AccountFields.text(body, "refreshToken", null), expiresAt).withSettings(settings);
      }
      default -> throw new IllegalArgumentException("not a cloud account type: " + type);
    };
  }

  private static AccountSecrets bedrock(JsonNode body, Map<String, String> settings) {
    settings.put(CredentialSettings.REGION, region(body));
    String bearer = AccountFields.text(body, "bearerToken", null);
    boolean keys = body.hasNonNull("accessKeyId") || body.hasNonNull("secretAccessKey");
    if (bearer != null && !bearer.isBlank()) {
      if (keys) {
        throw AdminInputException.invalid("bearerToken: send either a Bedrock API key (bearerToken) or an access key"
            + " pair (accessKeyId, secretAccessKey), not both");
      }
    } else {
      settings.put(CredentialSettings.ACCESS_KEY_ID, AccountFields.required(body, "accessKeyId"));
      settings.put(CredentialSettings.SECRET_ACCESS_KEY, AccountFields.required(body, "secretAccessKey"));
      put(settings, CredentialSettings.SESSION_TOKEN, AccountFields.text(body, "sessionToken", null));
    }
    JsonNode map = body.get("modelMap");
    if (map != null && !map.isNull()) {
      if (!map.isObject()) {
        throw AdminInputException.invalid("modelMap: must be an object from Anthropic model names to Bedrock model"
            + " ids, e.g. {\"claude-sonnet-4-5\": \"us.anthropic.claude-sonnet-4-5-20250929-v1:0\"}");
      }
      map.fields().forEachRemaining(e -> {
        if (!e.getValue().isTextual() || !NAME.matcher(e.getValue().asText()).matches()
            || !NAME.matcher(e.getKey()).matches()) {
          throw AdminInputException.invalid("modelMap." + e.getKey() + ": must be a Bedrock model id or inference"
              + " profile (letters, digits, . _ : / -)");
        }
        settings.put(CredentialSettings.MODEL_PREFIX + e.getKey(), e.getValue().asText());
      });
    }
    return new AccountSecrets(bearer == null || bearer.isBlank() ? null : bearer.strip(), null, null, 0)
        .withSettings(settings);
  }

  private static String region(JsonNode body) {
    String region = AccountFields.text(body, "region", null);
    if (region == null || !REGION.matcher(region.strip()).matches()) {
      throw AdminInputException.invalid("region: required, an AWS region such as us-east-1");
    }
    return region.strip();
  }

  private static String name(JsonNode body, String field, boolean required) {
    String v = AccountFields.text(body, field, null);
    if (v == null || v.isBlank()) {
      if (required) {
        throw AdminInputException.invalid(field + ": required");
      }
      return null;
    }
    if (!NAME.matcher(v.strip()).matches()) {
      throw AdminInputException.invalid(field + ": letters, digits and . _ : / - only");
    }
    return v.strip();
  }

  private static void put(Map<String, String> settings, String name, String value) {
    if (value != null && !value.isBlank()) {
      settings.put(name, value.strip());
    }
  }
}
