package dev.relaycluster.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.store.CredentialCipher;
import dev.relaycluster.store.CredentialDecryptionException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CredentialVaultTest {
  private final CredentialVault vault =
      new CredentialVault(CredentialCipher.fromSecret("vault-test-secret-0123456789abcdef"));

  private static final AccountSecrets SECRETS =
      new AccountSecrets("sk-ant-api03-AAAA", "sk-ant-oat01-BBBB", "sk-ant-ort01-CCCC", 1_760_000_000_000L);

  @Test
  void sealAndOpenRoundTrip() {
    byte[] sealed = vault.seal("acc-1", SECRETS);
    assertEquals(SECRETS, vault.open("acc-1", sealed));
  }

  @Test
  void nullFieldsRoundTrip() {
    AccountSecrets apiKeyOnly = new AccountSecrets("sk-ant-api03-AAAA", null, null, 0);
    assertEquals(apiKeyOnly, vault.open("acc-1", vault.seal("acc-1", apiKeyOnly)));
  }

  @Test
  void sealedBytesDoNotContainTheSecrets() {
    String sealed = new String(vault.seal("acc-1", SECRETS), StandardCharsets.ISO_8859_1);
    assertFalse(sealed.contains("sk-ant-api03-AAAA"));
  }

  @Test
  void openWithAnotherAccountIdFails() {
    byte[] sealed = vault.seal("acc-1", SECRETS);
    assertThrows(CredentialDecryptionException.class, () -> vault.open("acc-2", sealed));
  }

  @Test
  void openWithAnotherKeyFails() {
    byte[] sealed = vault.seal("acc-1", SECRETS);
    CredentialVault other = new CredentialVault(CredentialCipher.fromSecret("another-secret-0123456789abcdefgh"));
    assertThrows(CredentialDecryptionException.class, () -> other.open("acc-1", sealed));
  }

  @Test
  void toStringMasksTheSecrets() {
    String s = SECRETS.toString();
    assertFalse(s.contains("sk-ant-api03-AAAA"), s);
    assertFalse(s.contains("sk-ant-oat01-BBBB"), s);
    assertFalse(s.contains("sk-ant-ort01-CCCC"), s);
    assertFalse(s.contains("AAAA") || s.contains("BBBB") || s.contains("CCCC"), s);
    assertEquals("AccountSecrets[apiKey=****(17), accessToken=****(17), refreshToken=****(17), expiresAt=1760000000000,"
        + " scopes=[], proxyUrl=-]", s);
    String proxied = SECRETS.withProxy("socks5://user:hunter2@proxy.example:1080").toString();
    assertFalse(proxied.contains("hunter2") || proxied.contains("proxy.example"), proxied);
    assertTrue(new AccountSecrets(null, "", "x", 0).toString().contains("apiKey=-, accessToken=-, refreshToken=****(1)"));
  }

  @Test
  void secretsSealedBeforeScopesAndProxiesExistedStillOpen() {
    byte[] old = CredentialCipher.fromSecret("vault-test-secret-0123456789abcdef").encrypt(
        "{\"apiKey\":null,\"accessToken\":\"a\",\"refreshToken\":\"r\",\"expiresAt\":5}"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8), "account:acc-old");
    AccountSecrets opened = new CredentialVault(CredentialCipher.fromSecret("vault-test-secret-0123456789abcdef")).open("acc-old", old);
    assertEquals(new AccountSecrets(null, "a", "r", 5), opened);
    assertEquals(java.util.List.of(), opened.scopes());
  }

  @Test
  void sealedTextOpensOnlyForItsRecord() {
    String sealed = vault.sealText("oauth-login:1", "{\"verifier\":\"v-secret\"}");
    assertFalse(sealed.contains("v-secret"));
    assertEquals("{\"verifier\":\"v-secret\"}", vault.openText("oauth-login:1", sealed));
    org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> vault.openText("oauth-login:2", sealed));
  }

  @Test
  void definitionToStringOmitsTheSealedBlob() {
    AccountDefinition d = new AccountDefinition("acc-1", "main", AccountType.CLAUDE_CONSOLE, "https://api.anthropic.com",
        10, 2, false, vault.seal("acc-1", SECRETS), 1, 2);
    assertFalse(d.toString().contains("sealedSecrets"), d.toString());
  }
}
