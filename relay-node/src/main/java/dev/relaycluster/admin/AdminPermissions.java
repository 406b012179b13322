package dev.relaycluster.admin;

import java.util.List;
import java.util.Locale;

/**
 * The least role each admin endpoint needs (pure): one table from (method, path under {@code /admin/api/})
 * to a role, read top to bottom, first match wins. A pattern segment {@code *} matches one path segment, a
 * last {@code **} matches any number (none too). Reads are GET and HEAD; every other method writes.
 * Anything the table does not name needs {@code owner}, so an endpoint added without a rule is closed, not open.
 * A path with a {@code reveal} segment (a secret shown again) is never for viewers, whatever its method.
 */
public final class AdminPermissions {
  private static final String READ = "read";
  private static final String WRITE = "write";
  private static final String ANY = "any";

  private record Rule(String methods, String[] pattern, AdminRole least) {}

  private static final List<Rule> RULES = List.of(
      rule(ANY, "logout", AdminRole.VIEWER),
      // Each admin's own profile, password and two-factor.
      rule(READ, "me", AdminRole.VIEWER),
      rule("PATCH", "me", AdminRole.VIEWER),
      rule("POST", "me/totp", AdminRole.VIEWER),
      rule("POST", "me/totp/confirm", AdminRole.VIEWER),
      rule("POST", "me/totp/disable", AdminRole.VIEWER),
      // Other admins, and the security settings, are the owner's.
      rule(ANY, "admins/**", AdminRole.OWNER),
      rule(READ, "settings/**", AdminRole.VIEWER),
      rule(WRITE, "settings/security", AdminRole.OWNER),
      rule(WRITE, "settings/**", AdminRole.ADMIN),
      rule(READ, "audit", AdminRole.VIEWER),
      // The operator's model map is a setting: anyone reads, admins change.
      rule(READ, "model-map", AdminRole.VIEWER),
      rule(WRITE, "model-map", AdminRole.ADMIN),
      // A Factory device login in progress is part of adding an account: admins follow it.
      rule(READ, "accounts/droid-oauth/device-authorization/*", AdminRole.ADMIN),
      // The relay's own objects: anyone reads, admins change.
      rule(READ, "accounts/**", AdminRole.VIEWER),
      rule(WRITE, "accounts/**", AdminRole.ADMIN),
      rule(READ, "keys/**", AdminRole.VIEWER),
      rule(WRITE, "keys/**", AdminRole.ADMIN),
      rule(READ, "webhooks/**", AdminRole.VIEWER),
      rule(WRITE, "webhooks/**", AdminRole.ADMIN),
      rule(READ, "usage/**", AdminRole.VIEWER),
      rule(WRITE, "usage/**", AdminRole.ADMIN),
      rule(READ, "requests/*/trace", AdminRole.VIEWER),
      // Importing another relay's keys and accounts is an admin's change of many objects.
      rule("POST", "import/crs", AdminRole.ADMIN),
      rule(READ, "cluster", AdminRole.VIEWER));

  /** What a session that must first enrol in two-factor may call: its profile, the enrolment, logging out. */
  private static final List<Rule> ENROLMENT = List.of(
      rule(ANY, "logout", AdminRole.VIEWER),
      rule(READ, "me", AdminRole.VIEWER),
      rule("POST", "me/totp", AdminRole.VIEWER),
      rule("POST", "me/totp/confirm", AdminRole.VIEWER));

  private AdminPermissions() {}

  private static Rule rule(String methods, String pattern, AdminRole least) {
    return new Rule(methods, pattern.split("/"), least);
  }

  /** The least role for {@code method} on the path segments after {@code /admin/api}. */
  public static AdminRole required(String method, List<String> path) {
    AdminRole least = RULES.stream().filter(r -> matches(r, method, path)).findFirst()
        .map(Rule::least).orElse(AdminRole.OWNER);
    if (path.contains("reveal") && least == AdminRole.VIEWER) {
      return AdminRole.ADMIN;
    }
    return least;
  }

  /** Whether a session limited to enrolling in two-factor may make this call. */
  public static boolean allowedWhileEnrolling(String method, List<String> path) {
    return ENROLMENT.stream().anyMatch(r -> matches(r, method, path));
  }

  public static boolean isRead(String method) {
    String m = method.toUpperCase(Locale.ROOT);
    return m.equals("GET") || m.equals("HEAD");
  }

  private static boolean matches(Rule rule, String method, List<String> path) {
    boolean methodOk = switch (rule.methods()) {
      case ANY -> true;
      case READ -> isRead(method);
      case WRITE -> !isRead(method);
      default -> rule.methods().equalsIgnoreCase(method);
    };
    return methodOk && matches(rule.pattern(), path);
  }

  private static boolean matches(String[] pattern, List<String> path) {
    for (int i = 0; i < pattern.length; i++) {
      if (pattern[i].equals("**") && i == pattern.length - 1) {
        return true;
      }
      if (i >= path.size() || !(pattern[i].equals("*") || pattern[i].equals(path.get(i)))) {
        return false;
      }
    }
    return pattern.length == path.size();
  }
}
