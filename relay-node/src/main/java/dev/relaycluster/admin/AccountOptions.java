package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.oauth.SubscriptionTier;
import dev.relaycluster.upstream.ProxySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The account settings an admin may send with a new account or an edit, validated: groups, price
 * multiplier, outbound proxy and subscription tier. Absent fields are null.
 * {@code proxyUrl} "" means "remove the proxy".
 */
record AccountOptions(List<String> groups, Double priceMultiplier, String proxyUrl, ProxySpec proxy,
    SubscriptionTier tier) {

  static AccountOptions parse(JsonNode body) {
    return new AccountOptions(groups(body), priceMultiplier(body), proxyUrl(body), proxy(body), tier(body));
  }

  boolean changesProxy() {
    return proxyUrl != null;
  }

  /** The display form of the proxy for the definition: null when none, "" when it is being removed. */
  String proxyDisplay() {
    return proxyUrl == null ? null : proxy == null ? "" : proxy.display();
  }

  private static List<String> groups(JsonNode body) {
    JsonNode n = body.get("groups");
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isArray()) {
      throw AdminInputException.invalid("groups: must be an array of group names");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode g : n) {
      if (!g.isTextual() || g.asText().isBlank() || g.asText().length() > 64) {
        throw AdminInputException.invalid("groups: each group is a non-empty name of at most 64 characters");
      }
      if (!out.contains(g.asText().strip())) {
        out.add(g.asText().strip());
      }
    }
    return List.copyOf(out);
  }

  private static Double priceMultiplier(JsonNode body) {
    JsonNode n = body.get("priceMultiplier");
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isNumber() || !(n.asDouble() > 0) || Double.isInfinite(n.asDouble())) {
      throw AdminInputException.invalid("priceMultiplier: must be a number greater than 0 (1.0 = list price)");
    }
    return n.asDouble();
  }

  private static String proxyUrl(JsonNode body) {
    JsonNode n = body.get("proxy");
    if (n == null) {
      return null;
    }
    if (n.isNull() || (n.isTextual() && n.asText().isBlank())) {
      return "";
    }
    if (!n.isTextual()) {
      throw AdminInputException.invalid("proxy: must be a URL like socks5://user:pass@host:1080, or null");
    }
    return n.asText().strip();
  }

  private static ProxySpec proxy(JsonNode body) {
    String url = proxyUrl(body);
    if (url == null || url.isEmpty()) {
      return null;
    }
    try {
      return ProxySpec.parse(url);
    } catch (IllegalArgumentException e) {
      throw AdminInputException.invalid("proxy: " + e.getMessage());
    }
  }

  private static SubscriptionTier tier(JsonNode body) {
    JsonNode n = body.get("tier");
    if (n == null || n.isNull()) {
      return null;
    }
    try {
      return SubscriptionTier.valueOf(n.asText("").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw AdminInputException.invalid("tier: must be \"free\", \"pro\", \"max\", \"plus\", \"team\", \"business\", "
          + "\"enterprise\", \"edu\" or \"unknown\"");
    }
  }
}
