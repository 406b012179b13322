package dev.relaycluster.account;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.store.CredentialCipher;
import java.io.IOException;

/**
 * Seals account secrets into AES-GCM blobs bound to the account id, and opens them again. The last
 * opened secrets of each account are kept in memory (keyed by the exact sealed bytes), so the request
 * path decrypts only when an account's credentials changed.
 */
public final class CredentialVault {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final CredentialCipher cipher;
  private final java.util.concurrent.ConcurrentHashMap<String, Opened> opened = new java.util.concurrent.ConcurrentHashMap<>();

  private record Opened(byte[] sealed, AccountSecrets secrets) {}

  public CredentialVault(CredentialCipher cipher) {
    this.cipher = cipher;
  }

  public byte[] seal(String accountId, AccountSecrets secrets) {
    try {
      return cipher.encrypt(JSON.writeValueAsBytes(secrets), "account:" + accountId);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise account secrets", e);
    }
  }

  public AccountSecrets open(String accountId, byte[] sealed) {
    Opened cached = opened.get(accountId);
    if (cached != null && java.util.Arrays.equals(cached.sealed(), sealed)) {
      return cached.secrets();
    }
    AccountSecrets secrets = decrypt(accountId, sealed);
    opened.put(accountId, new Opened(sealed.clone(), secrets));
    return secrets;
  }

  /** Seals a short secret that is not an account's (e.g. a pending login's PKCE verifier) as base64 text. */
  public String sealText(String recordId, String text) {
    return java.util.Base64.getEncoder().encodeToString(
        cipher.encrypt(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), "text:" + recordId));
  }

  /** Opens what {@link #sealText} sealed for the same record id. */
  public String openText(String recordId, String sealed) {
    return new String(cipher.decrypt(java.util.Base64.getDecoder().decode(sealed), "text:" + recordId),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  private AccountSecrets decrypt(String accountId, byte[] sealed) {
    byte[] plain = cipher.decrypt(sealed, "account:" + accountId);
    try {
      return JSON.readValue(plain, AccountSecrets.class);
    } catch (IOException e) {
      throw new IllegalStateException("stored account secrets are unreadable", e);
    }
  }
}
