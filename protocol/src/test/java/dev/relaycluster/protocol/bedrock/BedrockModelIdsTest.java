package dev.relaycluster.protocol.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BedrockModelIdsTest {

  @Test
  void datedNamesAndAliasesBecomeTheRegionsInferenceProfile() {
    assertEquals("us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        BedrockModelIds.resolve("claude-sonnet-4-5", "us-east-1", Map.of()));
    assertEquals("us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        BedrockModelIds.resolve("claude-sonnet-4-5-20250929", "us-west-2", Map.of()));
    assertEquals("eu.anthropic.claude-opus-4-1-20250805-v1:0",
        BedrockModelIds.resolve("claude-opus-4-1", "eu-central-1", Map.of()));
    assertEquals("apac.anthropic.claude-haiku-4-5-20251001-v1:0",
        BedrockModelIds.resolve("claude-haiku-4-5", "ap-northeast-1", Map.of()));
    assertEquals("us.anthropic.claude-opus-4-5-20251101-v1:0",
        BedrockModelIds.resolve("claude-opus-4-5-20251101", "us-east-1", Map.of()));
    assertEquals("us.anthropic.claude-3-7-sonnet-20250219-v1:0",
        BedrockModelIds.resolve("claude-3-7-sonnet-latest", "us-east-1", Map.of()));
    assertEquals("us.anthropic.claude-3-5-sonnet-20241022-v2:0",
        BedrockModelIds.resolve("claude-3-5-sonnet-20241022", "us-east-1", Map.of()));
    assertEquals("anthropic.claude-sonnet-4-20250514-v1:0",
        BedrockModelIds.resolve("claude-sonnet-4", "ca-central-1", Map.of()), "no profile in this region");
  }

  @Test
  void theAccountsOwnMapWinsAndIsTakenAsItIs() {
    Map<String, String> own = Map.of("claude-sonnet-4-5", "global.anthropic.claude-sonnet-4-5-20250929-v1:0");
    assertEquals("global.anthropic.claude-sonnet-4-5-20250929-v1:0",
        BedrockModelIds.resolve("claude-sonnet-4-5", "eu-west-1", own));
    assertEquals("eu.anthropic.claude-haiku-4-5-20251001-v1:0",
        BedrockModelIds.resolve("claude-haiku-4-5", "eu-west-1", own));
  }

  @Test
  void bedrockIdsAndArnsPassThrough() {
    String arn = "arn:aws:bedrock:us-east-2:123456789012:application-inference-profile/abc123";
    assertEquals(arn, BedrockModelIds.resolve(arn, "us-east-2", Map.of()));
    assertEquals("global.anthropic.claude-sonnet-4-5-20250929-v1:0",
        BedrockModelIds.resolve("global.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1", Map.of()));
    assertEquals("anthropic.claude-3-haiku-20240307-v1:0",
        BedrockModelIds.resolve("anthropic.claude-3-haiku-20240307-v1:0", "us-east-1", Map.of()));
  }

  @Test
  void aNewerDatedReleaseFollowsBedrocksNamingAndAnUnknownNamePassesThrough() {
    assertEquals("us.anthropic.claude-sonnet-5-20270101-v1:0",
        BedrockModelIds.resolve("claude-sonnet-5-20270101", "us-east-1", Map.of()));
    assertEquals("my-custom-model", BedrockModelIds.resolve("my-custom-model", "us-east-1", Map.of()));
    assertThrows(IllegalArgumentException.class, () -> BedrockModelIds.resolve(" ", "us-east-1", Map.of()));
  }

  @Test
  void regionPrefixes() {
    assertEquals("us.", BedrockModelIds.profilePrefix("us-east-1"));
    assertEquals("us-gov.", BedrockModelIds.profilePrefix("us-gov-west-1"));
    assertEquals("eu.", BedrockModelIds.profilePrefix("eu-west-3"));
    assertEquals("apac.", BedrockModelIds.profilePrefix("ap-southeast-2"));
    assertEquals("", BedrockModelIds.profilePrefix("sa-east-1"));
    assertEquals("", BedrockModelIds.profilePrefix(null));
  }
}
