package dev.relaycluster.store;

/** A stored credential could not be decrypted: wrong ENCRYPTION_KEY, wrong record, or tampered bytes. */
public final class CredentialDecryptionException extends RuntimeException {
  public CredentialDecryptionException(String message) {
    super(message);
  }
}
