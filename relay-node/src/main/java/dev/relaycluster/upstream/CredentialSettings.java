package dev.relaycluster.upstream;

/**
 * The names of the per-account settings a platform reads from {@link Credential#settings()}: what an
 * account needs besides its key or token. They are sealed with the credentials (an AWS secret key is a
 * secret; a region or a deployment is kept beside it so that one edit replaces the whole credential).
 */
public final class CredentialSettings {
  /** AWS region of a Bedrock account ("us-east-1"). */
  public static final String REGION = "region";
  /** AWS access key id of a Bedrock account signed with SigV4. */
  public static final String ACCESS_KEY_ID = "accessKeyId";
  /** AWS secret access key of a Bedrock account signed with SigV4. */
  public static final String SECRET_ACCESS_KEY = "secretAccessKey";
  /** AWS session token of temporary Bedrock credentials (STS). */
  public static final String SESSION_TOKEN = "sessionToken";
  /**
   * Prefix of a Bedrock account's model map entries: {@code model:<anthropic name>} → Bedrock model id or
   * inference profile.
   */
  public static final String MODEL_PREFIX = "model:";
  /** Azure OpenAI deployment name (sent as the model). */
  public static final String DEPLOYMENT = "deployment";
  /** Azure OpenAI api-version query parameter (absent: the v1 API). */
  public static final String API_VERSION = "apiVersion";
  /** The model an Azure deployment serves, named as the price book names it ("gpt-5"). */
  public static final String SERVED_MODEL = "model";
  /** WorkOS organisation id of a Droid OAuth login (needed to refresh its token). */
  public static final String ORGANIZATION_ID = "organizationId";

  private static final java.util.Set<String> SHOWN = java.util.Set.of(REGION, DEPLOYMENT, API_VERSION, SERVED_MODEL,
      ORGANIZATION_ID);

  private CredentialSettings() {}

  /** The settings an admin may see: none of the secret ones (keys, tokens), the model map entries included. */
  public static java.util.Map<String, String> shown(java.util.Map<String, String> settings) {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    settings.forEach((name, value) -> {
      if (SHOWN.contains(name) || name.startsWith(MODEL_PREFIX)) {
        out.put(name, value);
      }
    });
    return out;
  }
}
