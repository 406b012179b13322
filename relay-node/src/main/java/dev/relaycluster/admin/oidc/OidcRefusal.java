package dev.relaycluster.admin.oidc;

/**
 * A sign-on that did not give a session: {@code code} is what the login page is told (a short word it
 * translates, never a detail of the issuer's answer), the message is for the audit log and the node's log,
 * and {@code username} names the admin when the ID token was verified.
 */
public final class OidcRefusal extends RuntimeException {
  /** The issuer refused or the admin cancelled. */
  public static final String DENIED = "denied";
  /** The state is unknown, expired, used, or the browser brought another login's. */
  public static final String EXPIRED = "expired";
  /** The code exchange or the ID token failed (signature, issuer, audience, expiry, nonce). */
  public static final String INVALID = "invalid";
  /** No role for the admin's claim values. */
  public static final String NO_ROLE = "no_role";
  /** No usable name in the claims. */
  public static final String NO_NAME = "no_name";
  /** The name belongs to an admin who does not sign on with this issuer and subject. */
  public static final String NAME_TAKEN = "name_taken";
  /** The admin is disabled. */
  public static final String DISABLED = "disabled";
  /** The mapped role would leave the relay with no enabled owner. */
  public static final String LAST_OWNER = "last_owner";
  /** The issuer could not be reached. */
  public static final String UNAVAILABLE = "unavailable";

  private final String code;
  private final String username;

  public OidcRefusal(String code, String message, String username) {
    super(message, null, false, false);
    this.code = code;
    this.username = username;
  }

  public String code() {
    return code;
  }

  public String username() {
    return username;
  }
}
