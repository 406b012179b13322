package dev.relaycluster.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/**
 * Single sign-on for admins with OpenID Connect, {@code relay.oidc}: the issuer (discovered at
 * {@code <issuer>/.well-known/openid-configuration}), the client registered there (its secret only from
 * {@code RELAY_OIDC_CLIENT_SECRET}, never in {@link #toString()}), the scopes asked for, the claim that carries
 * the admin's groups or role and the map from its values to relay roles ({@code roleMap}, read by
 * {@code admin/oidc/OidcRoleMap}), the claim that names the admin, where the issuer sends the browser back
 * ({@code redirectUrl}, else {@code publicUrl} + the callback path, else the request's host), the label of the
 * sign-in button, and whether password login stays on. Sign-on is on when an issuer and a client id are given;
 * password login can only be turned off then.
 */
public record OidcSettings(String issuer, String clientId, String clientSecret, String scopes, String roleClaim,
    String roleMap, String usernameClaim, String redirectUrl, String publicUrl, String label, boolean passwordLogin,
    Duration loginTtl, Duration connectTimeout, Duration readTimeout) {
  public static final String DEFAULT_SCOPES = "openid profile email";
  public static final String DEFAULT_USERNAME_CLAIM = "preferred_username";
  public static final OidcSettings OFF = new OidcSettings("", "", "", DEFAULT_SCOPES, "", "", DEFAULT_USERNAME_CLAIM,
      "", "", "", true, Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofSeconds(10));

  public OidcSettings {
    issuer = strip(issuer);
    clientId = strip(clientId);
    clientSecret = clientSecret == null ? "" : clientSecret;
    scopes = strip(scopes).isEmpty() ? DEFAULT_SCOPES : strip(scopes);
    roleClaim = strip(roleClaim);
    roleMap = strip(roleMap);
    usernameClaim = strip(usernameClaim).isEmpty() ? DEFAULT_USERNAME_CLAIM : strip(usernameClaim);
    redirectUrl = strip(redirectUrl);
    publicUrl = strip(publicUrl);
    label = strip(label);
    if (!issuer.isEmpty() && clientId.isEmpty()) {
      throw new ConfigException.BadValue("relay.oidc.client-id",
          "RELAY_OIDC_ISSUER is set: give RELAY_OIDC_CLIENT_ID too");
    }
    if (!issuer.isEmpty() && !issuer.matches("https?://\\S+")) {
      throw new ConfigException.BadValue("relay.oidc.issuer",
          "an http(s) URL, such as https://login.example.com/realms/x");
    }
    if (!issuer.isEmpty() && roleClaim.isEmpty()) {
      throw new ConfigException.BadValue("relay.oidc.role-claim",
          "RELAY_OIDC_ISSUER is set: name the claim that carries the role or groups (RELAY_OIDC_ROLE_CLAIM)");
    }
    if (!issuer.isEmpty() && !(" " + scopes + " ").contains(" openid ")) {
      throw new ConfigException.BadValue("relay.oidc.scopes", "must contain openid");
    }
  }

  /** Whether single sign-on is configured. */
  public boolean enabled() {
    return !issuer.isEmpty() && !clientId.isEmpty();
  }

  /** Whether POST /admin/api/login is refused: only when password login is off and sign-on is configured. */
  public boolean passwordLoginOff() {
    return enabled() && !passwordLogin;
  }

  /** The button's label: the configured one, else the issuer's host. */
  public String displayLabel() {
    if (!label.isEmpty()) {
      return label;
    }
    String rest = issuer.replaceFirst("^https?://", "");
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  /** Reads {@code relay.oidc}; absent: sign-on off, password login on. */
  public static OidcSettings from(Config root) {
    if (!root.hasPath("relay.oidc")) {
      return OFF;
    }
    Config c = root.getConfig("relay.oidc");
    String password = text(c, "password-login", "on").toLowerCase(java.util.Locale.ROOT);
    if (!password.matches("on|off|true|false")) {
      throw new ConfigException.BadValue("relay.oidc.password-login", "on or off (RELAY_PASSWORD_LOGIN)");
    }
    return new OidcSettings(text(c, "issuer", ""), text(c, "client-id", ""), text(c, "client-secret", ""),
        text(c, "scopes", DEFAULT_SCOPES), text(c, "role-claim", ""), text(c, "role-map", ""),
        text(c, "username-claim", DEFAULT_USERNAME_CLAIM), text(c, "redirect-url", ""), text(c, "public-url", ""),
        text(c, "label", ""), password.equals("on") || password.equals("true"),
        c.hasPath("login-ttl") ? c.getDuration("login-ttl") : OFF.loginTtl(),
        c.hasPath("connect-timeout") ? c.getDuration("connect-timeout") : OFF.connectTimeout(),
        c.hasPath("read-timeout") ? c.getDuration("read-timeout") : OFF.readTimeout());
  }

  private static String text(Config c, String path, String otherwise) {
    return c.hasPath(path) ? c.getString(path) : otherwise;
  }

  private static String strip(String s) {
    return s == null ? "" : s.strip();
  }

  @Override
  public String toString() {
    return "OidcSettings[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret="
        + (clientSecret.isEmpty() ? "-" : "****") + ", scopes=" + scopes + ", roleClaim=" + roleClaim + ", roleMap="
        + roleMap + ", usernameClaim=" + usernameClaim + ", redirectUrl=" + redirectUrl + ", publicUrl=" + publicUrl
        + ", label=" + label + ", passwordLogin=" + passwordLogin + "]";
  }
}
