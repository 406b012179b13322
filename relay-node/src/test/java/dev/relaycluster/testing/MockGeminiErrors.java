package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The error bodies {@link MockGemini} sends, in Google's shape
 * {@code {"error":{"code","message","status","details":[{"@type":"type.googleapis.com/google.rpc.…",…}]}}}
 * (pretty-printed as Google's front ends do), with the details gemini-cli's {@code googleQuotaErrors.ts}
 * reads: {@code QuotaFailure.violations[].quotaId}, {@code RetryInfo.retryDelay}, {@code ErrorInfo{reason,
 * domain, metadata}} and {@code Help.links}.
 */
public final class MockGeminiErrors {
  /** mock-429: RetryInfo.retryDelay of the per-minute limit. */
  public static final String RETRY_DELAY = "7s";
  /** mock-429-daily: RetryInfo.retryDelay of the daily limit (over gemini-cli's 300 s "terminal" bound). */
  public static final String DAILY_RETRY_DELAY = "18000s";
  /** mock-quota-exhausted: RetryInfo.retryDelay and ErrorInfo metadata quotaResetDelay. */
  public static final String QUOTA_RESET_DELAY = "7384s";
  public static final String PER_MINUTE_QUOTA_ID = "GenerateRequestsPerMinutePerProjectPerModel-FreeTier";
  public static final String PER_DAY_QUOTA_ID = "GenerateRequestsPerDayPerProjectPerModel-FreeTier";
  /** mock-403-validation: the first Help link (the verification page) and the learn-more link. */
  public static final String VALIDATION_URL = "https://accounts.google.com/signin/continue?sarp=1&scc=1&mock=validate";
  public static final String LEARN_MORE_URL = "https://support.google.com/accounts/answer/mock-validation";

  static final String CLOUD_CODE = "cloudcode-pa.googleapis.com";
  static final String GENERATIVE_LANGUAGE = "generativelanguage.googleapis.com";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A scenario's refusal: HTTP status and Google error body. */
  public record Failure(int status, String body) {}

  private MockGeminiErrors() {}

  /** A Google error body (pretty-printed); details may be null. */
  public static String body(int code, String status, String message, ArrayNode details) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("code", code).put("message", message).put("status", status);
    if (details != null) {
      error.set("details", details);
    }
    return MockGeminiAnswers.pretty(root);
  }

  /** A wrong API key: 400 INVALID_ARGUMENT, ErrorInfo API_KEY_INVALID. */
  public static String apiKeyInvalid() {
    ArrayNode d = JSON.createArrayNode();
    errorInfo(d, "API_KEY_INVALID", "googleapis.com").putObject("metadata").put("service", GENERATIVE_LANGUAGE);
    d.addObject().put("@type", "type.googleapis.com/google.rpc.LocalizedMessage").put("locale", "en-US")
        .put("message", "API key not valid. Please pass a valid API key.");
    return body(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", d);
  }

  /** No API key at all: 403 PERMISSION_DENIED, ErrorInfo CONSUMER_INVALID ("unregistered callers"). */
  public static String apiKeyMissing() {
    ArrayNode d = JSON.createArrayNode();
    ObjectNode info = errorInfo(d, "CONSUMER_INVALID", "googleapis.com");
    info.putObject("metadata").put("service", GENERATIVE_LANGUAGE).put("consumer", "projects/unknown");
    return body(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established "
        + "identity). Please use API Key or other form of API consumer identity to call this API.", d);
  }

  /** A missing, unknown or expired OAuth token: 401 UNAUTHENTICATED. */
  public static String unauthenticated(boolean expired, String service, String method) {
    ArrayNode d = JSON.createArrayNode();
    errorInfo(d, expired ? "ACCESS_TOKEN_EXPIRED" : "CREDENTIALS_MISSING", "googleapis.com").putObject("metadata")
        .put("service", service).put("method", method);
    return body(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access "
        + "token, login cookie or other valid authentication credential. See "
        + "https://developers.google.com/identity/sign-in/web/devconsole-project.", d);
  }

  /** A Code Assist call for a project the account may not use: 403 PERMISSION_DENIED. */
  public static String projectDenied(String project) {
    String resource = "//cloudaicompanion.googleapis.com/projects/" + project + "/locations/global";
    ArrayNode d = JSON.createArrayNode();
    errorInfo(d, "IAM_PERMISSION_DENIED", "cloudaicompanion.googleapis.com").putObject("metadata")
        .put("permission", "cloudaicompanion.companions.generateChat").put("resource", "projects/" + project);
    return body(403, "PERMISSION_DENIED", "Permission 'cloudaicompanion.companions.generateChat' denied on resource '"
        + resource + "' (or it may not exist).", d);
  }

  public static String invalidArgument(String message) {
    return body(400, "INVALID_ARGUMENT", message, null);
  }

  public static String notFound(String message) {
    return body(404, "NOT_FOUND", message, null);
  }

  /**
   * The answer of a scenario model ({@code mock-429}, {@code mock-429-daily}, {@code mock-quota-exhausted},
   * {@code mock-403-validation}, {@code mock-503}) as a {@link Failure}, or null for any other model.
   *
   * @param codeAssist whether the call came to {@code v1internal} (ErrorInfo domain cloudcode-pa) or to the
   *     public API (domain generativelanguage)
   */
  public static Failure scenario(String model, boolean codeAssist) {
    String domain = codeAssist ? CLOUD_CODE : GENERATIVE_LANGUAGE;
    switch (model) {
      case "mock-429" -> {
        ArrayNode d = JSON.createArrayNode();
        quotaFailure(d, PER_MINUTE_QUOTA_ID, model, "2");
        errorInfo(d, "RATE_LIMIT_EXCEEDED", domain).putObject("metadata").put("model", model)
            .put("quota_metric", GENERATIVE_LANGUAGE + "/generate_content_free_tier_requests");
        retryInfo(d, RETRY_DELAY);
        return new Failure(429, body(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check "
            + "your plan and billing details. For more information on this error, head to: "
            + "https://ai.google.dev/gemini-api/docs/rate-limits.\n* Quota exceeded for metric: "
            + GENERATIVE_LANGUAGE + "/generate_content_free_tier_requests, limit: 2, model: " + model
            + "\nPlease retry in 7s.", d));
      }
      case "mock-429-daily" -> {
        ArrayNode d = JSON.createArrayNode();
        quotaFailure(d, PER_DAY_QUOTA_ID, model, "50");
        errorInfo(d, "RATE_LIMIT_EXCEEDED", domain).putObject("metadata").put("model", model)
            .put("quota_metric", GENERATIVE_LANGUAGE + "/generate_content_free_tier_requests");
        retryInfo(d, DAILY_RETRY_DELAY);
        return new Failure(429, body(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check "
            + "your plan and billing details.\n* Quota exceeded for metric: " + GENERATIVE_LANGUAGE
            + "/generate_content_free_tier_requests, limit: 50, model: " + model + "\nPlease retry in 18000s.", d));
      }
      case "mock-quota-exhausted" -> {
        ArrayNode d = JSON.createArrayNode();
        String reset = Instant.now().plusSeconds(7384).truncatedTo(ChronoUnit.SECONDS).toString();
        errorInfo(d, "QUOTA_EXHAUSTED", CLOUD_CODE).putObject("metadata").put("uiMessage", "true")
            .put("model", model).put("quotaResetDelay", "2h3m4s").put("quotaResetTimeStamp", reset);
        retryInfo(d, QUOTA_RESET_DELAY);
        return new Failure(429, body(429, "RESOURCE_EXHAUSTED", "You have exhausted your capacity on this model. "
            + "Your quota will reset after 2h3m4s.", d));
      }
      case "mock-403-validation" -> {
        ArrayNode d = JSON.createArrayNode();
        errorInfo(d, "VALIDATION_REQUIRED", CLOUD_CODE).putObject("metadata").put("validation_link", VALIDATION_URL);
        ArrayNode links = d.addObject().put("@type", "type.googleapis.com/google.rpc.Help").putArray("links");
        links.addObject().put("description", "Verify your account").put("url", VALIDATION_URL);
        links.addObject().put("description", "Learn more").put("url", LEARN_MORE_URL);
        return new Failure(403, body(403, "PERMISSION_DENIED", "Verify your account to continue.", d));
      }
      case "mock-503" -> {
        return new Failure(503, body(503, "UNAVAILABLE", "The model is overloaded. Please try again later.", null));
      }
      default -> {
        return null;
      }
    }
  }

  private static ObjectNode errorInfo(ArrayNode details, String reason, String domain) {
    return details.addObject().put("@type", "type.googleapis.com/google.rpc.ErrorInfo").put("reason", reason)
        .put("domain", domain);
  }

  private static void quotaFailure(ArrayNode details, String quotaId, String model, String value) {
    ObjectNode v = details.addObject().put("@type", "type.googleapis.com/google.rpc.QuotaFailure").putArray("violations")
        .addObject();
    v.put("quotaMetric", GENERATIVE_LANGUAGE + "/generate_content_free_tier_requests").put("quotaId", quotaId);
    v.putObject("quotaDimensions").put("location", "global").put("model", model);
    v.put("quotaValue", value);
  }

  private static void retryInfo(ArrayNode details, String delay) {
    details.addObject().put("@type", "type.googleapis.com/google.rpc.RetryInfo").put("retryDelay", delay);
  }
}
