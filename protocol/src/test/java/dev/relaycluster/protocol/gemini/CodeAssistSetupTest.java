package dev.relaycluster.protocol.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.gemini.CodeAssistSetup.Found;
import dev.relaycluster.protocol.gemini.CodeAssistSetup.Loaded;
import dev.relaycluster.protocol.gemini.CodeAssistSetup.Onboard;
import dev.relaycluster.protocol.gemini.CodeAssistSetup.Operation;
import dev.relaycluster.protocol.gemini.CodeAssistSetup.Refused;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CodeAssistSetupTest {

  /** A free-tier user who has onboarded before, as loadCodeAssist answers. */
  private static final String ONBOARDED = """
      {"currentTier":{"id":"free-tier","name":"Gemini Code Assist for individuals","description":"…",
        "userDefinedCloudaicompanionProject":false,"privacyNotice":{"showNotice":false},"hasOnboardedPreviously":true},
       "allowedTiers":[{"id":"free-tier","name":"Gemini Code Assist for individuals","isDefault":true,
         "userDefinedCloudaicompanionProject":false},
        {"id":"standard-tier","name":"Gemini Code Assist","userDefinedCloudaicompanionProject":true}],
       "cloudaicompanionProject":"wise-river-abc12","gcpManaged":false}
      """;

  /** A new user: no current tier yet. */
  private static final String NEW_USER = """
      {"allowedTiers":[{"id":"free-tier","name":"Gemini Code Assist for individuals","isDefault":true,
         "userDefinedCloudaicompanionProject":false},
        {"id":"standard-tier","name":"Gemini Code Assist","userDefinedCloudaicompanionProject":true}]}
      """;

  @Test
  void loadCodeAssistBodyWithAndWithoutAProject() {
    assertEquals("{\"metadata\":{\"ideType\":\"IDE_UNSPECIFIED\",\"platform\":\"PLATFORM_UNSPECIFIED\","
        + "\"pluginType\":\"GEMINI\"}}", utf8(CodeAssistSetup.loadCodeAssistBody(null)));
    assertEquals("{\"cloudaicompanionProject\":\"my-proj\",\"metadata\":{\"ideType\":\"IDE_UNSPECIFIED\","
        + "\"platform\":\"PLATFORM_UNSPECIFIED\",\"pluginType\":\"GEMINI\",\"duetProject\":\"my-proj\"}}",
        utf8(CodeAssistSetup.loadCodeAssistBody("my-proj")));
  }

  @Test
  void onboardBodyLeavesTheProjectOutForTheFreeTier() {
    assertEquals("{\"tierId\":\"free-tier\",\"metadata\":{\"ideType\":\"IDE_UNSPECIFIED\",\"platform\":"
        + "\"PLATFORM_UNSPECIFIED\",\"pluginType\":\"GEMINI\"}}",
        utf8(CodeAssistSetup.onboardBody(CodeAssistSetup.FREE_TIER, "ignored-proj")));
    assertEquals("{\"tierId\":\"standard-tier\",\"cloudaicompanionProject\":\"corp-proj\",\"metadata\":{\"ideType\":"
        + "\"IDE_UNSPECIFIED\",\"platform\":\"PLATFORM_UNSPECIFIED\",\"pluginType\":\"GEMINI\",\"duetProject\":"
        + "\"corp-proj\"}}", utf8(CodeAssistSetup.onboardBody(CodeAssistSetup.STANDARD_TIER, "corp-proj")));
  }

  @Test
  void anOnboardedUserHasTheirProject() {
    Loaded loaded = CodeAssistSetup.readLoad(bytes(ONBOARDED));
    assertEquals("free-tier", loaded.currentTier().id());
    assertEquals("wise-river-abc12", loaded.project());
    assertEquals(2, loaded.allowedTiers().size());
    assertTrue(loaded.allowedTiers().get(1).userDefinedProject());
    assertEquals(new Found("wise-river-abc12", "free-tier"), CodeAssistSetup.next(loaded, null));
    assertEquals(new Found("wise-river-abc12", "free-tier"), CodeAssistSetup.next(loaded, "mine"),
        "the server's project wins, as in Gemini CLI");
  }

  @Test
  void aStandardTierUserWithoutAProjectMustGiveOne() {
    Loaded loaded = CodeAssistSetup.readLoad(bytes("{\"currentTier\":{\"id\":\"standard-tier\"}}"));
    assertNull(loaded.project());
    Refused refused = assertInstanceOf(Refused.class, CodeAssistSetup.next(loaded, null));
    assertTrue(refused.message().contains("give projectId"), refused.message());
    assertEquals(new Found("corp-proj", "standard-tier"), CodeAssistSetup.next(loaded, "corp-proj"));
  }

  @Test
  void aNewUserIsOnboardedToTheDefaultTier() {
    Loaded loaded = CodeAssistSetup.readLoad(bytes(NEW_USER));
    assertNull(loaded.currentTier());
    assertEquals("free-tier", loaded.defaultTier().id());
    assertEquals(new Onboard("free-tier"), CodeAssistSetup.next(loaded, null));
    Loaded none = CodeAssistSetup.readLoad(bytes("{}"));
    assertEquals(new Onboard(CodeAssistSetup.LEGACY_TIER), CodeAssistSetup.next(none, null),
        "no default tier: the legacy tier, as Gemini CLI does");
  }

  @Test
  void verificationIsAskedForBeforeOnboarding() {
    Loaded loaded = CodeAssistSetup.readLoad(bytes("""
        {"ineligibleTiers":[{"reasonCode":"VALIDATION_REQUIRED","reasonMessage":"Verify your account",
          "tierId":"free-tier","validationUrl":"https://accounts.google.com/signin/continue?x=1"}]}
        """));
    Refused refused = assertInstanceOf(Refused.class, CodeAssistSetup.next(loaded, null));
    assertTrue(refused.message().contains("https://accounts.google.com/signin/continue?x=1"), refused.message());
    Loaded ineligible = CodeAssistSetup.readLoad(bytes("""
        {"currentTier":{"id":"standard-tier"},"ineligibleTiers":[{"reasonCode":"INELIGIBLE_ACCOUNT",
          "reasonMessage":"Your account is not eligible for the free tier"}]}
        """));
    Refused why = assertInstanceOf(Refused.class, CodeAssistSetup.next(ineligible, null));
    assertTrue(why.message().contains("Your account is not eligible for the free tier"), why.message());
  }

  @Test
  void readsTheOnboardingOperation() {
    Operation running = CodeAssistSetup.readOperation(bytes("{\"name\":\"operations/onboard-123\",\"done\":false}"));
    assertEquals(new Operation("operations/onboard-123", false, null, null), running);
    Operation done = CodeAssistSetup.readOperation(bytes("""
        {"name":"operations/onboard-123","done":true,"response":{"@type":
          "type.googleapis.com/google.internal.cloud.code.v1internal.OnboardUserResponse",
          "cloudaicompanionProject":{"id":"gen-lang-client-0123","name":"Gemini project"}}}
        """));
    assertTrue(done.done());
    assertEquals("gen-lang-client-0123", done.project());
    Loaded loaded = CodeAssistSetup.readLoad(bytes(NEW_USER));
    assertEquals(new Found("gen-lang-client-0123", "free-tier"),
        CodeAssistSetup.afterOnboarding(done, loaded, "free-tier", null));
    Operation failed = CodeAssistSetup.readOperation(bytes("{\"done\":true,\"error\":{\"code\":9,\"message\":"
        + "\"Precondition Failed\"}}"));
    Refused refused = assertInstanceOf(Refused.class, CodeAssistSetup.afterOnboarding(failed, loaded, "free-tier", null));
    assertTrue(refused.message().contains("Precondition Failed"));
    Operation empty = new Operation("x", true, null, null);
    assertEquals(new Found("mine", "standard-tier"), CodeAssistSetup.afterOnboarding(empty, loaded, "standard-tier",
        "mine"));
    assertFalse(CodeAssistSetup.afterOnboarding(empty, loaded, "free-tier", null) instanceof Found);
    assertThrows(IllegalArgumentException.class, () -> CodeAssistSetup.readOperation(bytes("not json")));
    assertThrows(IllegalArgumentException.class, () -> CodeAssistSetup.readLoad(null));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
