package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a successful admin write did, for the audit log (pure): from the method and the path under
 * {@code /admin/api/} to an action ({@code created}, {@code changed}, {@code deleted}, {@code revoked},
 * {@code role-changed}, {@code totp-enabled}, …), the object's type and, when the path names it, its id.
 * Reads are not logged. A write this table does not know is still logged, as its method on its first path
 * segment. The only body values read are an admin's new role and disabled flag and the number of a model map's
 * rules, which are not secrets.
 */
public final class AuditActions {
  private static final Set<String> OAUTH_FLOWS = Set.of("oauth", "openai-oauth", "gemini-oauth");

  private AuditActions() {}

  public static Optional<AuditAction> describe(String method, List<String> path, JsonNode body) {
    if (AdminPermissions.isRead(method) || path.isEmpty()) {
      return Optional.empty();
    }
    String m = method.toUpperCase(Locale.ROOT);
    String first = path.get(0);
    String id = path.size() > 1 ? path.get(1) : null;
    String last = path.get(path.size() - 1);
    AuditAction known = switch (first) {
      case "logout" -> new AuditAction("logged-out", "session", null, null);
      case "me" -> me(path);
      case "admins" -> admins(m, path, body);
      case "settings" -> new AuditAction("changed", "settings", id, null);
      case "model-map" -> path.size() != 1 ? null
          : m.equals("DELETE") ? new AuditAction("reset", "model-map", null, null)
          : m.equals("PUT") ? new AuditAction("changed", "model-map", null, ruleCount(body)) : null;
      case "accounts" -> path.size() == 3 && OAUTH_FLOWS.contains(id)
          ? new AuditAction(last.equals("generate-auth-url") ? "oauth-started" : "created", "account", null, id)
          : object(m, path, "account");
      case "keys" -> object(m, path, "key");
      case "import" -> path.size() == 2 && m.equals("POST") ? new AuditAction(body != null
          && body.path("dryRun").asBoolean(false) ? "import-dry-run" : "imported", path.get(1), null, null) : null;
      case "webhooks" -> object(m, path, "webhook-target");
      case "usage" -> path.size() == 2 && last.equals("reprice") ? new AuditAction("repriced", "usage", null, null)
          : path.size() == 2 && last.equals("rebuild") ? new AuditAction("rebuilt", "usage", null, null) : null;
      default -> null;
    };
    return Optional.of(known != null ? known
        : new AuditAction(m.toLowerCase(Locale.ROOT), first, id, String.join("/", path)));
  }

  /** The relay's objects: create on the collection, change and delete on one, a verb after it. */
  private static AuditAction object(String method, List<String> path, String type) {
    if (path.size() == 1) {
      return method.equals("POST") ? new AuditAction("created", type, null, null) : null;
    }
    String id = path.get(1);
    if (path.size() == 2) {
      return switch (method) {
        case "PATCH", "PUT" -> new AuditAction("changed", type, id, null);
        case "DELETE" -> new AuditAction("deleted", type, id, null);
        default -> null;
      };
    }
    if (path.size() == 3 && method.equals("POST")) {
      return switch (path.get(2)) {
        case "reset" -> new AuditAction("reset", type, id, null);
        case "test" -> new AuditAction("tested", type, id, null);
        case "restore" -> new AuditAction("restored", type, id, null);
        case "revoke" -> new AuditAction("revoked", type, id, null);
        case "enable" -> new AuditAction("enabled", type, id, null);
        case "disable" -> new AuditAction("disabled", type, id, null);
        default -> null;
      };
    }
    return null;
  }

  private static AuditAction me(List<String> path) {
    String what = String.join("/", path);
    return switch (what) {
      case "me" -> new AuditAction("password-changed", "admin", null, null);
      case "me/totp" -> new AuditAction("totp-enrolment-started", "admin", null, null);
      case "me/totp/confirm" -> new AuditAction("totp-enabled", "admin", null, null);
      case "me/totp/disable" -> new AuditAction("totp-disabled", "admin", null, null);
      default -> null;
    };
  }

  private static AuditAction admins(String method, List<String> path, JsonNode body) {
    if (path.size() == 1) {
      return method.equals("POST") ? new AuditAction("created", "admin", null, role(body)) : null;
    }
    String name = path.get(1);
    if (path.size() == 2 && method.equals("DELETE")) {
      return new AuditAction("deleted", "admin", name, null);
    }
    if (path.size() == 2 && method.equals("PATCH")) {
      String role = role(body);
      JsonNode disabled = body == null ? null : body.get("disabled");
      String flag = disabled != null && disabled.isBoolean() ? "disabled=" + disabled.booleanValue() : null;
      if (role != null) {
        return new AuditAction("role-changed", "admin", name, flag == null ? role : role + ", " + flag);
      }
      return new AuditAction(flag == null ? "changed" : disabled.booleanValue() ? "disabled" : "enabled", "admin",
          name, null);
    }
    if (path.size() == 3 && path.get(2).equals("password") && method.equals("POST")) {
      return new AuditAction("password-reset", "admin", name, null);
    }
    if (path.size() == 3 && path.get(2).equals("totp") && method.equals("DELETE")) {
      return new AuditAction("totp-reset", "admin", name, null);
    }
    return null;
  }

  /** "rules=N" for a model map's body (a count, not the rules: the log line stays short). */
  private static String ruleCount(JsonNode body) {
    JsonNode rules = body == null ? null : body.get("rules");
    return rules != null && rules.isArray() ? "rules=" + rules.size() : null;
  }

  /** "role=…" when the body names a valid role. */
  private static String role(JsonNode body) {
    JsonNode role = body == null ? null : body.get("role");
    if (role == null || !role.isTextual()) {
      return null;
    }
    return AdminRole.parse(role.asText()).map(r -> "role=" + r.wireName()).orElse(null);
  }
}
