package dev.relaycluster.admin.oidc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reading what a verified ID token says about the admin (pure): the name (the configured claim, else
 * {@code email}, else {@code sub}) and the values of the role claim, which may be a string, a list, or sit
 * inside an object ({@code realm_access.roles}: a dotted path is followed when no claim has the whole name).
 */
public final class OidcClaims {
  /** What an admin's name may be, as for admins made with a password. */
  public static final String NAME_PATTERN = "[A-Za-z0-9._@-]{1,100}";

  private OidcClaims() {}

  /** The admin's name, or empty when no claim gives a usable one. */
  public static Optional<String> username(Map<String, Object> claims, String usernameClaim) {
    for (String claim : List.of(usernameClaim, "email", "sub")) {
      Object v = claims.get(claim);
      if (v instanceof String s && !s.isBlank()) {
        return s.strip().matches(NAME_PATTERN) ? Optional.of(s.strip()) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The values of {@code roleClaim}: none when it is absent. */
  public static List<String> roleValues(Map<String, Object> claims, String roleClaim) {
    Object v = claims.containsKey(roleClaim) ? claims.get(roleClaim) : nested(claims, roleClaim);
    List<String> out = new ArrayList<>();
    if (v instanceof String s) {
      out.add(s);
    } else if (v instanceof Collection<?> list) {
      list.stream().filter(e -> e instanceof String).map(e -> (String) e).forEach(out::add);
    }
    return out;
  }

  private static Object nested(Map<String, Object> claims, String path) {
    Object at = claims;
    for (String part : path.split("\\.")) {
      if (!(at instanceof Map<?, ?> map)) {
        return null;
      }
      at = map.get(part);
    }
    return at;
  }
}
