package dev.relaycluster.admin;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What an admin may do, from most to least: {@code owner} (everything, and manages admins), {@code admin}
 * (keys, accounts, settings, alert targets, re-pricing and rebuild) and {@code viewer} (reads, never a secret).
 */
public enum AdminRole {
  OWNER,
  ADMIN,
  VIEWER;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this role may do what {@code least} may do. */
  public boolean atLeast(AdminRole least) {
    return ordinal() <= least.ordinal();
  }

  public static Optional<AdminRole> parse(String wire) {
    return Arrays.stream(values()).filter(r -> r.wireName().equals(wire)).findFirst();
  }

  public static String wireNames() {
    return "owner, admin or viewer";
  }
}
