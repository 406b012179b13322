package dev.relaycluster.account;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.relaycluster.store.CredentialCipher;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccountPatchTest {
  private static final byte[] OLD_SECRETS = {1, 2, 3};
  private static final AccountDefinition BASE = new AccountDefinition("acc-1", "main", AccountType.CLAUDE_OAUTH,
      "https://api.anthropic.com", 10, 3, false, OLD_SECRETS, 1_000, 2_000);

  @Test
  void emptyPatchKeepsEveryFieldButUpdatedAt() {
    AccountDefinition d = new AccountPatch(null, null, null, null, null, null, 5_000).applyTo(BASE);
    assertEquals("acc-1", d.id());
    assertEquals("main", d.name());
    assertEquals(AccountType.CLAUDE_OAUTH, d.type());
    assertEquals("https://api.anthropic.com", d.baseUrl());
    assertEquals(10, d.priority());
    assertEquals(3, d.maxConcurrency());
    assertEquals(false, d.paused());
    assertSame(OLD_SECRETS, d.sealedSecrets());
    assertEquals(1_000, d.createdAt());
    assertEquals(5_000, d.updatedAt());
  }

  @Test
  void specifiedFieldsReplaceTheOldOnes() {
    byte[] newSecrets = {9, 9};
    AccountDefinition d = new AccountPatch("renamed", "https://proxy.example/v1", 1, 0, true, newSecrets, 6_000)
        .applyTo(BASE);
    assertEquals("acc-1", d.id());
    assertEquals("renamed", d.name());
    assertEquals(AccountType.CLAUDE_OAUTH, d.type());
    assertEquals("https://proxy.example/v1", d.baseUrl());
    assertEquals(1, d.priority());
    assertEquals(0, d.maxConcurrency());
    assertEquals(true, d.paused());
    assertArrayEquals(newSecrets, d.sealedSecrets());
    assertEquals(1_000, d.createdAt());
    assertEquals(6_000, d.updatedAt());
  }

  @Test
  void partialPatchChangesOnlyItsFields() {
    AccountDefinition d = new AccountPatch(null, null, null, null, true, null, 7_000).applyTo(BASE);
    assertEquals("main", d.name());
    assertEquals(10, d.priority());
    assertEquals(3, d.maxConcurrency());
    assertEquals(true, d.paused());
    assertSame(OLD_SECRETS, d.sealedSecrets());
  }

  @Test
  void aProjectEditChangesOnlyTheProjectAndNewCredentialsKeepIt() {
    CredentialVault vault = new CredentialVault(CredentialCipher.fromSecret("account-patch-test-secret-0123456789"));
    AccountSecrets current = new AccountSecrets(null, "ya29.old", "1//rt", 9_000, List.of(), "http://proxy:8080",
        "found-project");
    AccountDefinition gemini = new AccountDefinition("g-1", "gemini", AccountType.GEMINI_OAUTH,
        "https://cloudcode-pa.googleapis.com", 10, 0, false, vault.seal("g-1", current), 1_000, 2_000);
    AccountPatch projectOnly = new AccountPatch(null, null, null, null, null, null, 3_000, null, null, null, null, null,
        "my-own-project");
    AccountSecrets edited = vault.open("g-1", projectOnly.applyTo(gemini, vault, "g-1").sealedSecrets());
    assertEquals("my-own-project", edited.upstreamAccountId());
    assertEquals("ya29.old", edited.accessToken());
    assertEquals("http://proxy:8080", edited.proxyUrl());

    AccountPatch newTokens = new AccountPatch(null, null, null, null, null,
        vault.seal("g-1", new AccountSecrets(null, "ya29.new", "1//rt2", 10_000)), 4_000);
    AccountSecrets replaced = vault.open("g-1", newTokens.applyTo(gemini, vault, "g-1").sealedSecrets());
    assertEquals("ya29.new", replaced.accessToken());
    assertEquals("found-project", replaced.upstreamAccountId(), "new tokens that name no project keep it");
    assertEquals("http://proxy:8080", replaced.proxyUrl());

    AccountPatch cleared = new AccountPatch(null, null, null, null, null, null, 5_000, null, null, null, null, null, "");
    assertNull(vault.open("g-1", cleared.applyTo(gemini, vault, "g-1").sealedSecrets()).upstreamAccountId());
  }
}
