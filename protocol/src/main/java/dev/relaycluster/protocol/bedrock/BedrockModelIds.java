package dev.relaycluster.protocol.bedrock;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Anthropic model names (dated, and the undated aliases clients send) to the Bedrock model id an account calls:
 * the account's own map first ({@code model:<anthropic name>} settings, taken as they are), else the built-in
 * table as a cross-region inference profile of the account's region ({@code us.}, {@code eu.}, {@code apac.};
 * a base id in regions without one). A name that already is a Bedrock id, an inference profile or an ARN
 * passes through. Pure.
 */
public final class BedrockModelIds {
  private static final Pattern DATED = Pattern.compile("claude-[a-z0-9-]+-\\d{8}");

  /** Anthropic name → Bedrock base id (no region prefix). Aliases point at the release they stand for. */
  private static final Map<String, String> BASE = Map.ofEntries(
      Map.entry("claude-opus-4-5-20251101", "anthropic.claude-opus-4-5-20251101-v1:0"),
      Map.entry("claude-opus-4-5", "anthropic.claude-opus-4-5-20251101-v1:0"),
      Map.entry("claude-opus-4-1-20250805", "anthropic.claude-opus-4-1-20250805-v1:0"),
      Map.entry("claude-opus-4-1", "anthropic.claude-opus-4-1-20250805-v1:0"),
      Map.entry("claude-opus-4-20250514", "anthropic.claude-opus-4-20250514-v1:0"),
      Map.entry("claude-opus-4-0", "anthropic.claude-opus-4-20250514-v1:0"),
      Map.entry("claude-opus-4", "anthropic.claude-opus-4-20250514-v1:0"),
      Map.entry("claude-sonnet-4-5-20250929", "anthropic.claude-sonnet-4-5-20250929-v1:0"),
      Map.entry("claude-sonnet-4-5", "anthropic.claude-sonnet-4-5-20250929-v1:0"),
      Map.entry("claude-sonnet-4-20250514", "anthropic.claude-sonnet-4-20250514-v1:0"),
      Map.entry("claude-sonnet-4-0", "anthropic.claude-sonnet-4-20250514-v1:0"),
      Map.entry("claude-sonnet-4", "anthropic.claude-sonnet-4-20250514-v1:0"),
      Map.entry("claude-haiku-4-5-20251001", "anthropic.claude-haiku-4-5-20251001-v1:0"),
      Map.entry("claude-haiku-4-5", "anthropic.claude-haiku-4-5-20251001-v1:0"),
      Map.entry("claude-3-7-sonnet-20250219", "anthropic.claude-3-7-sonnet-20250219-v1:0"),
      Map.entry("claude-3-7-sonnet-latest", "anthropic.claude-3-7-sonnet-20250219-v1:0"),
      Map.entry("claude-3-5-sonnet-20241022", "anthropic.claude-3-5-sonnet-20241022-v2:0"),
      Map.entry("claude-3-5-sonnet-latest", "anthropic.claude-3-5-sonnet-20241022-v2:0"),
      Map.entry("claude-3-5-sonnet-20240620", "anthropic.claude-3-5-sonnet-20240620-v1:0"),
      Map.entry("claude-3-5-haiku-20241022", "anthropic.claude-3-5-haiku-20241022-v1:0"),
      Map.entry("claude-3-5-haiku-latest", "anthropic.claude-3-5-haiku-20241022-v1:0"),
      Map.entry("claude-3-haiku-20240307", "anthropic.claude-3-haiku-20240307-v1:0"),
      Map.entry("claude-3-opus-20240229", "anthropic.claude-3-opus-20240229-v1:0"));

  private BedrockModelIds() {}

  /**
   * The Bedrock id for {@code model} on an account of {@code region} whose own map is {@code accountMap}
   * (Anthropic name → Bedrock id, may be empty).
   */
  public static String resolve(String model, String region, Map<String, String> accountMap) {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("no model named");
    }
    String own = accountMap.get(model);
    if (own == null) {
      own = accountMap.get(model.toLowerCase(Locale.ROOT));
    }
    if (own != null && !own.isBlank()) {
      return own.trim();
    }
    if (isBedrockId(model)) {
      return model;
    }
    String name = model.toLowerCase(Locale.ROOT);
    String base = BASE.get(name);
    if (base == null && DATED.matcher(name).matches()) {
      // A dated release newer than this table: Bedrock names those by the same rule.
      base = "anthropic." + name + "-v1:0";
    }
    if (base == null) {
      return model;
    }
    return profilePrefix(region) + base;
  }

  /** Whether {@code model} already names a Bedrock model: an ARN, a base id or an inference profile. */
  public static boolean isBedrockId(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    return m.startsWith("arn:") || m.startsWith("anthropic.") || m.contains(".anthropic.");
  }

  /** The cross-region inference profile prefix of a region ("us-east-1" → "us."), empty where there is none. */
  public static String profilePrefix(String region) {
    if (region == null) {
      return "";
    }
    String r = region.toLowerCase(Locale.ROOT);
    if (r.startsWith("us-gov-")) {
      return "us-gov.";
    }
    if (r.startsWith("us-")) {
      return "us.";
    }
    if (r.startsWith("eu-")) {
      return "eu.";
    }
    if (r.startsWith("ap-")) {
      return "apac.";
    }
    return "";
  }
}
