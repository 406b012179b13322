package dev.relaycluster.admin.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigException;
import dev.relaycluster.admin.AdminRole;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The role map and the claims it reads, without a node. */
class OidcRoleMapTest {
  @Test
  void theHighestMatchingRoleWinsAndStarIsTheRest() {
    OidcRoleMap map = OidcRoleMap.parse("relay-owners=owner, relay-admins=admin,*=viewer");
    assertEquals(Optional.of(AdminRole.OWNER), map.roleFor(List.of("relay-admins", "relay-owners")));
    assertEquals(Optional.of(AdminRole.ADMIN), map.roleFor(List.of("x", "relay-admins")));
    assertEquals(Optional.of(AdminRole.VIEWER), map.roleFor(List.of("marketing")));
    assertEquals(Optional.of(AdminRole.VIEWER), map.roleFor(List.of()));
  }

  @Test
  void withoutStarAnUnmappedValueHasNoRole() {
    OidcRoleMap map = OidcRoleMap.parse("relay-admins=admin");
    assertEquals(Optional.empty(), map.roleFor(List.of("Relay-Admins", "marketing")));
    assertEquals(Optional.empty(), map.roleFor(List.of()));
  }

  @Test
  void aMalformedMapIsAConfigurationError() {
    assertThrows(ConfigException.class, () -> OidcRoleMap.parse(""));
    assertThrows(ConfigException.class, () -> OidcRoleMap.parse("relay-admins"));
    assertThrows(ConfigException.class, () -> OidcRoleMap.parse("relay-admins=root"));
    assertThrows(ConfigException.class, () -> OidcRoleMap.parse("=admin"));
  }

  @Test
  void claimsGiveTheNameAndTheRoleValues() {
    Map<String, Object> claims = Map.of("sub", "s-1", "email", "e@x.test", "groups", List.of("a", "b"),
        "role", "admin", "realm_access", Map.of("roles", List.of("relay-admins")));
    assertEquals(Optional.of("e@x.test"), OidcClaims.username(claims, "preferred_username"));
    assertEquals(Optional.of("s-1"), OidcClaims.username(Map.of("sub", "s-1"), "preferred_username"));
    assertEquals(Optional.empty(), OidcClaims.username(Map.of("preferred_username", "a b"), "preferred_username"));
    assertEquals(List.of("a", "b"), OidcClaims.roleValues(claims, "groups"));
    assertEquals(List.of("admin"), OidcClaims.roleValues(claims, "role"));
    assertEquals(List.of("relay-admins"), OidcClaims.roleValues(claims, "realm_access.roles"));
    assertEquals(List.of(), OidcClaims.roleValues(claims, "missing"));
  }
}
