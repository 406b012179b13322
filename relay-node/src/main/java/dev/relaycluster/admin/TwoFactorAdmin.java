package dev.relaycluster.admin;

import dev.relaycluster.store.PasswordHasher;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * An admin's two-factor sign-in: enrolment (a new secret, shown once as base32 and as an otpauth URI),
 * activation with a first code (which answers the ten recovery codes, also shown once), turning it off
 * (password and a code), an owner turning it off for another admin, and checking a login code. A code is
 * six digits from the authenticator, accepted once per 30-second step, or a recovery code, accepted once.
 */
public final class TwoFactorAdmin {
  private final AdminUsers users;
  private final TotpRecords records;
  private final PasswordHasher hasher;
  private final Executor blocking;
  private final Totp totp = new Totp();

  public TwoFactorAdmin(AdminUsers users, TotpRecords records, PasswordHasher hasher, Executor blocking) {
    this.users = users;
    this.records = records;
    this.hasher = hasher;
    this.blocking = blocking;
  }

  /** Starts (or starts again) the enrolment: {secret, otpauthUri}. Refused while two-factor is on. */
  public CompletionStage<Map<String, Object>> enrol(String username) {
    byte[] secret = Totp.newSecret();
    return records.storePending(username, secret).thenApply(stored -> {
      if (!stored) {
        throw AdminRefusal.conflict("two-factor sign-in is already on; turn it off first");
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("secret", Totp.base32(secret));
      out.put("otpauthUri", Totp.otpauthUri(username, secret));
      out.put("confirm", "POST /admin/api/me/totp/confirm {\"code\"} with a code from the authenticator");
      return out;
    });
  }

  /** Activates two-factor with a first code from the authenticator; answers the new recovery codes. */
  public CompletionStage<List<String>> confirm(String username, String code) {
    return users.find(username).thenCompose(user -> {
      if (user.isPresent() && user.get().totpEnabled()) {
        throw AdminRefusal.conflict("two-factor sign-in is already on");
      }
      return records.secret(username);
    }).thenCompose(secret -> {
      if (secret.isEmpty()) {
        throw AdminRefusal.conflict("start the enrolment first: POST /admin/api/me/totp");
      }
      return totpCode(username, secret.get(), code);
    }).thenCompose(ok -> {
      if (!ok) {
        throw AdminInputException.invalid("wrong code; check the authenticator's clock and try the next code");
      }
      List<String> codes = RecoveryCodes.generate();
      List<String> hashes = codes.stream().map(c -> RecoveryCodes.hash(username, c).orElseThrow()).toList();
      return records.activate(username, hashes).thenApply(v -> codes);
    });
  }

  /** Turns the admin's own two-factor off, with the password and a code (or a recovery code). */
  public CompletionStage<Void> disable(String username, String password, String code) {
    return users.credentials(username).thenApplyAsync(found -> {
      if (found.isEmpty() || !hasher.verify(password, found.get().passwordHash())) {
        throw AdminInputException.invalid("wrong password");
      }
      if (!found.get().user().totpEnabled()) {
        throw AdminRefusal.conflict("two-factor sign-in is not on");
      }
      return found.get();
    }, blocking).thenCompose(found -> verify(username, code)).thenCompose(ok -> {
      if (!ok) {
        throw AdminInputException.invalid("wrong code");
      }
      return records.clear(username);
    });
  }

  /** An owner turns two-factor off for an admin who lost the authenticator and the recovery codes. */
  public CompletionStage<AdminUser> reset(String username) {
    return users.find(username).thenCompose(user -> {
      if (user.isEmpty()) {
        throw AdminInputException.notFound("no admin named " + username);
      }
      return records.clear(username).thenCompose(v -> users.find(username)).thenApply(u -> u.orElseThrow());
    });
  }

  /**
   * Whether the code signs the admin in: two-factor is on (not merely being enrolled) and the code is an
   * unused TOTP step of its secret or an unused recovery code.
   */
  public CompletionStage<Boolean> verify(String username, String code) {
    String given = code == null ? "" : code.strip();
    return users.find(username).thenCompose(user -> {
      if (user.isEmpty() || !user.get().totpEnabled()) {
        return CompletableFuture.completedFuture(false);
      }
      if (given.matches("\\d{6}")) {
        return records.secret(username).thenCompose(secret -> secret.isEmpty()
            ? CompletableFuture.completedFuture(false) : totpCode(username, secret.get(), given));
      }
      return RecoveryCodes.hash(username, given).map(hash -> records.useRecoveryCode(username, hash))
          .orElseGet(() -> CompletableFuture.completedFuture(false));
    });
  }

  public CompletionStage<Integer> recoveryCodesLeft(String username) {
    return records.recoveryCodesLeft(username);
  }

  private CompletionStage<Boolean> totpCode(String username, byte[] secret, String code) {
    var step = totp.matchingStep(secret, code, Instant.now());
    return step.isEmpty() ? CompletableFuture.completedFuture(false) : records.claimStep(username, step.getAsLong());
  }
}
