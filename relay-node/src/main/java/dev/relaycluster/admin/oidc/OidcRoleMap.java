package dev.relaycluster.admin.oidc;

import com.typesafe.config.ConfigException;
import dev.relaycluster.admin.AdminRole;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which relay role an issuer's claim values give (pure): {@code "relay-owners=owner,relay-admins=admin,*=viewer"}.
 * Of several matching values the highest role wins; {@code *} is for anyone whose values match nothing, and
 * without it such an admin is refused. Values are matched exactly (case counts: issuers' group names do).
 */
public final class OidcRoleMap {
  private static final String ANYONE = "*";

  private final Map<String, AdminRole> roles;

  private OidcRoleMap(Map<String, AdminRole> roles) {
    this.roles = Map.copyOf(roles);
  }

  /** Parses the map; a malformed one fails the node's start (a configuration error), never a login. */
  public static OidcRoleMap parse(String spec) {
    Map<String, AdminRole> roles = new LinkedHashMap<>();
    for (String part : spec == null ? new String[0] : spec.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.lastIndexOf('=');
      String value = eq < 0 ? "" : part.substring(0, eq).strip();
      Optional<AdminRole> role = eq < 0 ? Optional.empty() : AdminRole.parse(part.substring(eq + 1).strip());
      if (value.isEmpty() || role.isEmpty()) {
        throw new ConfigException.BadValue("relay.oidc.role-map", "'" + part.strip()
            + "' is not value=role (role: " + AdminRole.wireNames() + "), as in relay-admins=admin,*=viewer");
      }
      roles.put(value, role.get());
    }
    if (roles.isEmpty()) {
      throw new ConfigException.BadValue("relay.oidc.role-map",
          "RELAY_OIDC_ROLE_MAP is empty: map claim values to roles, as in relay-owners=owner,relay-admins=admin");
    }
    return new OidcRoleMap(roles);
  }

  /** The role for these claim values, or empty when none matches and the map has no {@code *}. */
  public Optional<AdminRole> roleFor(Collection<String> values) {
    Optional<AdminRole> best = values.stream().map(roles::get).filter(r -> r != null)
        .min(Enum::compareTo); // OWNER is the first constant: the highest role
    return best.isPresent() ? best : Optional.ofNullable(roles.get(ANYONE));
  }
}
