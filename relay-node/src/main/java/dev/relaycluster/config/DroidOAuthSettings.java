package dev.relaycluster.config;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Factory (Droid) logins, {@code relay.accounts.droid-oauth}: the WorkOS API base URL, the public client id the
 * device flow and the token refresh use, the longest wait for one call, and how long a started device login is
 * kept for its status queries.
 */
public record DroidOAuthSettings(String workosBaseUrl, String clientId, Duration timeout, Duration flowTtl) {
  /** WorkOS itself and the Droid CLI's client. */
  public static final DroidOAuthSettings DEFAULTS = new DroidOAuthSettings("https://api.workos.com",
      "client_01HNM792M5G5G1A2THWPXKFMXB", Duration.ofSeconds(30), Duration.ofMinutes(20));

  public DroidOAuthSettings {
    workosBaseUrl = workosBaseUrl.endsWith("/") ? workosBaseUrl.substring(0, workosBaseUrl.length() - 1) : workosBaseUrl;
  }

  public static DroidOAuthSettings from(Config base) {
    if (!base.hasPath("relay.accounts.droid-oauth")) {
      return DEFAULTS;
    }
    Config c = base.getConfig("relay.accounts.droid-oauth");
    return new DroidOAuthSettings(c.getString("workos-base-url").strip(), c.getString("client-id").strip(),
        c.getDuration("timeout"), c.getDuration("flow-ttl"));
  }
}
