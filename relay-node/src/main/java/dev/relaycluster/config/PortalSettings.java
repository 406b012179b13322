package dev.relaycluster.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The key holders' portal, {@code relay.portal}: {@code publicUrl} is the address clients reach this relay
 * at ({@code RELAY_PUBLIC_URL}, such as {@code https://relay.example.com} or {@code https://example.com/relay}),
 * used in the set-up snippets; empty: the address each request came to. Kept without a trailing slash.
 */
public record PortalSettings(String publicUrl) {
  public static final PortalSettings DEFAULTS = new PortalSettings("");

  public PortalSettings {
    publicUrl = normalise(publicUrl);
  }

  public boolean publicUrlSet() {
    return !publicUrl.isEmpty();
  }

  /** Reads {@code relay.portal} of the node's configuration; absent: no public URL. */
  public static PortalSettings from(Config root) {
    if (!root.hasPath("relay.portal.public-url")) {
      return DEFAULTS;
    }
    return new PortalSettings(root.getString("relay.portal.public-url"));
  }

  /** An absolute http(s) URL with a host and no query or fragment, without its trailing slashes; or "". */
  static String normalise(String url) {
    String u = url == null ? "" : url.strip();
    if (u.isEmpty()) {
      return "";
    }
    try {
      URI uri = new URI(u);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawQuery() != null
          || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
        throw new URISyntaxException(u, "not an http(s) address with a host and no query");
      }
    } catch (URISyntaxException e) {
      throw new ConfigException.BadValue("relay.portal.public-url",
          "'" + u + "' is not an address such as https://relay.example.com (http or https, a host, no query)");
    }
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }
}
