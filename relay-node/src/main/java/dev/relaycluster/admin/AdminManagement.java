package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.store.PasswordHasher;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The admins over the admin API: the owner's list, create, role and disable changes, password resets and
 * deletes (never leaving no enabled owner), each admin's own password change, and the security settings.
 * Input is checked completely before anything is written; passwords are hashed off the caller's thread.
 */
public final class AdminManagement {
  public static final int MIN_PASSWORD = 12;
  private static final int MAX_PASSWORD = 200;
  private static final String NAME_PATTERN = "[A-Za-z0-9._@-]{1,100}";

  private final AdminUsers users;
  private final AdminSettings settings;
  private final PasswordHasher hasher;
  private final Executor blocking;

  public AdminManagement(AdminUsers users, AdminSettings settings, PasswordHasher hasher, Executor blocking) {
    this.users = users;
    this.settings = settings;
    this.hasher = hasher;
    this.blocking = blocking;
  }

  public CompletionStage<List<AdminUser>> list() {
    return users.list();
  }

  public CompletionStage<AdminUser> get(String username) {
    return users.find(username).thenApply(u -> u.orElseThrow(() -> notFound(username)));
  }

  /** {"username","role","password"?}: without a password the node makes one up and answers it once. */
  public CompletionStage<CreatedAdmin> create(JsonNode body) {
    return checked(() -> {
      fields(body, Set.of("username", "role", "password"));
      String username = text(body, "username");
      if (username == null || !username.matches(NAME_PATTERN)) {
        throw AdminInputException.invalid("username: 1 to 100 letters, digits or . _ @ -");
      }
      AdminRole role = role(body);
      if (role == null) {
        throw AdminInputException.invalid("role: required, " + AdminRole.wireNames());
      }
      String given = password(body, "password");
      String password = given != null ? given : AdminBootstrap.randomPassword(24);
      return hash(password).thenCompose(hash -> users.insert(username, role, hash)).thenCompose(inserted -> {
        if (!inserted) {
          throw AdminRefusal.conflict("an admin named " + username + " exists");
        }
        return get(username);
      }).thenApply(user -> new CreatedAdmin(user, given != null ? null : password));
    });
  }

  /** {"role"?, "disabled"?}. */
  public CompletionStage<AdminUser> update(String username, JsonNode body) {
    return checked(() -> {
      fields(body, Set.of("role", "disabled"));
      AdminRole role = role(body);
      JsonNode disabled = body.get("disabled");
      if (disabled != null && !disabled.isBoolean()) {
        throw AdminInputException.invalid("disabled: true or false");
      }
      if (role == null && disabled == null) {
        throw AdminInputException.invalid("nothing to change: give role and/or disabled");
      }
      CompletionStage<AdminUser> out = get(username);
      if (role != null) {
        out = out.thenCompose(u -> users.setRole(username, role));
      }
      if (disabled != null) {
        out = out.thenCompose(u -> users.setDisabled(username, disabled.booleanValue()));
      }
      return out;
    });
  }

  /** {"password"?}: sets it (or a made-up one, answered once); the admin's sessions end. */
  public CompletionStage<CreatedAdmin> resetPassword(String username, JsonNode body) {
    return checked(() -> {
      fields(body, Set.of("password"));
      String given = password(body, "password");
      String password = given != null ? given : AdminBootstrap.randomPassword(24);
      return get(username).thenCompose(u -> hash(password)).thenCompose(hash -> users.setPassword(username, hash))
          .thenApply(user -> new CreatedAdmin(user, given != null ? null : password));
    });
  }

  public CompletionStage<AdminUser> delete(String username) {
    return users.delete(username);
  }

  /** {"currentPassword","newPassword"}: the admin's own password; every session of theirs begun before ends. */
  public CompletionStage<AdminUser> changeOwnPassword(String username, JsonNode body) {
    return checked(() -> {
      fields(body, Set.of("currentPassword", "newPassword"));
      String current = text(body, "currentPassword");
      String next = password(body, "newPassword");
      if (current == null || next == null) {
        throw AdminInputException.invalid("currentPassword and newPassword are required");
      }
      return users.credentials(username).thenApplyAsync(found -> {
        if (found.isEmpty() || !hasher.verify(current, found.get().passwordHash())) {
          throw AdminInputException.invalid("the current password is wrong");
        }
        return hasher.hash(next);
      }, blocking).thenCompose(hash -> users.setPassword(username, hash));
    });
  }

  public CompletionStage<Boolean> requireTwoFactor() {
    return settings.requireTwoFactor();
  }

  /** {"requireTwoFactor": bool}; an owner turns it on only with two-factor of their own, not to be locked out. */
  public CompletionStage<Boolean> setSecurity(String owner, JsonNode body) {
    return checked(() -> {
      fields(body, Set.of("requireTwoFactor"));
      JsonNode require = body.get("requireTwoFactor");
      if (require == null || !require.isBoolean()) {
        throw AdminInputException.invalid("requireTwoFactor: true or false");
      }
      return get(owner).thenCompose(me -> {
        if (require.booleanValue() && !me.totpEnabled()) {
          throw AdminRefusal.conflict("turn on two-factor sign-in for yourself first (POST /admin/api/me/totp)");
        }
        return settings.setRequireTwoFactor(require.booleanValue());
      });
    });
  }

  private CompletionStage<String> hash(String password) {
    return CompletableFuture.supplyAsync(() -> hasher.hash(password), blocking);
  }

  private static <T> CompletionStage<T> checked(Supplier<CompletionStage<T>> call) {
    try {
      return call.get();
    } catch (AdminInputException | AdminRefusal e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static void fields(JsonNode body, Set<String> allowed) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw AdminInputException.invalid("unknown field " + name + "; allowed: " + String.join(", ", allowed));
      }
    }
  }

  private static String text(JsonNode body, String name) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw AdminInputException.invalid(name + ": must be a string");
    }
    return v.asText();
  }

  private static AdminRole role(JsonNode body) {
    String wire = text(body, "role");
    if (wire == null) {
      return null;
    }
    return AdminRole.parse(wire).orElseThrow(() -> AdminInputException.invalid("role: " + AdminRole.wireNames()));
  }

  private static String password(JsonNode body, String name) {
    String p = text(body, name);
    if (p != null && (p.length() < MIN_PASSWORD || p.length() > MAX_PASSWORD)) {
      throw AdminInputException.invalid(name + ": " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
    }
    return p;
  }

  private static AdminInputException notFound(String username) {
    return AdminInputException.notFound("no admin named " + username);
  }
}
