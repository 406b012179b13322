package dev.relaycluster.admin.oidc;

import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.relaycluster.account.CredentialVault;
import dev.relaycluster.admin.AdminRole;
import dev.relaycluster.admin.AdminSessions;
import dev.relaycluster.admin.AdminUsers;
import dev.relaycluster.admin.LoginResult;
import dev.relaycluster.config.OidcSettings;
import dev.relaycluster.store.Database;
import dev.relaycluster.store.TtlStore;
import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin sign-on with OpenID Connect, step by step: {@link #start} keeps a fresh state, nonce and PKCE verifier
 * and answers the issuer's authorization URL; {@link #finish} takes the state back (once), trades the code for
 * a verified ID token, maps its claims to a name and a role, makes or updates the admin ({@link OidcAdmins})
 * and starts the same session a password login does, kept under a one-time code; {@link #exchange} trades
 * that code for the session. The issuer does the second factor, so the local TOTP is not asked for.
 */
public final class OidcLogin {
  private static final Logger log = LoggerFactory.getLogger(OidcLogin.class);
  private final OidcSettings settings;
  private final OidcRoleMap roles;
  private final OidcProvider provider;
  private final OidcPending pending;
  private final OidcAdmins admins;
  private final AdminSessions sessions;
  private final Executor blocking;
  private final SecureRandom random = new SecureRandom();

  /**
   * What a finished sign-on answers: the admin, its role, the one-time code for the browser, whether this
   * sign-on made the admin, and its role before (for the audit log).
   */
  public record SignedIn(String username, AdminRole role, String code, boolean created, AdminRole roleBefore) {}

  /** The session a one-time code was traded for. */
  public record Session(String username, String role, String token, long expiresAt, boolean enrolmentRequired) {}

  OidcLogin(OidcSettings settings, OidcProvider provider, OidcPending pending, OidcAdmins admins,
      AdminSessions sessions, Executor blocking) {
    this.settings = settings;
    this.roles = settings.enabled() ? OidcRoleMap.parse(settings.roleMap()) : null;
    this.provider = provider;
    this.pending = pending;
    this.admins = admins;
    this.sessions = sessions;
    this.blocking = blocking;
  }

  /** The node's sign-on; with sign-on off, one whose {@link #enabled()} is false and that starts nothing. */
  public static OidcLogin create(OidcSettings settings, Database database, AdminUsers users, AdminSessions sessions,
      TtlStore store, CredentialVault vault, Executor blocking) {
    if (settings.enabled()) {
      log.info("Admin single sign-on: {}", settings);
    } else if (!settings.passwordLogin()) {
      log.warn("RELAY_PASSWORD_LOGIN=off is ignored: single sign-on is not configured (RELAY_OIDC_ISSUER, "
          + "RELAY_OIDC_CLIENT_ID), and password login is the only way in");
    }
    return new OidcLogin(settings, new OidcProvider(settings), new OidcPending(store, vault, settings.loginTtl()),
        new OidcAdmins(database, users), sessions, blocking);
  }

  public OidcSettings settings() {
    return settings;
  }

  public boolean enabled() {
    return settings.enabled();
  }

  /** The issuer's authorization URL for a new sign-on that comes back to {@code redirectUri}. */
  public CompletionStage<URI> start(URI redirectUri) {
    State state = new State();
    Nonce nonce = new Nonce();
    CodeVerifier verifier = new CodeVerifier();
    return CompletableFuture.supplyAsync(() -> provider.authorizationUrl(redirectUri, state, nonce, verifier), blocking)
        .thenCompose(url -> pending.keepLogin(state.getValue(), new OidcPending.Login(nonce.getValue(),
            verifier.getValue(), redirectUri.toString())).thenApply(v -> url));
  }

  /**
   * The issuer's answer at the callback: {@code error} when it refused, else {@code code} and {@code state}.
   * Fails with an {@link OidcRefusal} for every sign-on that gives no session.
   */
  public CompletionStage<SignedIn> finish(String code, String state, String error) {
    if (state == null || state.isBlank()) {
      return CompletableFuture.failedFuture(new OidcRefusal(OidcRefusal.EXPIRED, "the callback has no state", null));
    }
    return pending.takeLogin(state).thenCompose(found -> {
      if (found.isEmpty()) {
        throw new OidcRefusal(OidcRefusal.EXPIRED, "unknown, expired or used state", null);
      }
      if (error != null && !error.isBlank()) {
        throw new OidcRefusal(OidcRefusal.DENIED, "the issuer answered " + error.strip(), null);
      }
      if (code == null || code.isBlank()) {
        throw new OidcRefusal(OidcRefusal.INVALID, "the callback has no code", null);
      }
      OidcPending.Login login = found.get();
      return CompletableFuture.supplyAsync(() -> provider.exchange(code, URI.create(login.redirectUri()),
          new CodeVerifier(login.verifier()), new Nonce(login.nonce())), blocking);
    }).thenCompose(this::admit);
  }

  /** From verified claims to an admin and a session kept under a one-time code. */
  private CompletionStage<SignedIn> admit(Map<String, Object> claims) {
    String subject = String.valueOf(claims.get("sub"));
    Optional<String> username = OidcClaims.username(claims, settings.usernameClaim());
    if (username.isEmpty()) {
      throw new OidcRefusal(OidcRefusal.NO_NAME, "no usable name in " + settings.usernameClaim()
          + ", email or sub (letters, digits and . _ @ -, at most 100)", null);
    }
    List<String> values = OidcClaims.roleValues(claims, settings.roleClaim());
    AdminRole role = roles.roleFor(values).orElseThrow(() -> new OidcRefusal(OidcRefusal.NO_ROLE, "no role for "
        + settings.roleClaim() + " " + values, username.get()));
    return admins.signIn(String.valueOf(claims.get("iss")), subject, username.get(), role)
        .thenCompose(done -> sessions.issueSignedOn(done.user()).thenCompose(result -> {
          if (!(result instanceof LoginResult.Success ok)) {
            throw new OidcRefusal(OidcRefusal.INVALID, "no session was started", username.get());
          }
          String code = randomCode();
          return pending.keepSession(code, new OidcPending.Session(ok.username(), role.wireName(), ok.token(),
              ok.expiresAt(), ok.enrolmentRequired())).thenApply(v -> new SignedIn(ok.username(), role, code,
              done.created(), done.roleBefore()));
        }));
  }

  /** The session kept under a one-time code; empty when the code is unknown, expired or used. */
  public CompletionStage<Optional<Session>> exchange(String code) {
    if (code == null || !code.matches("[0-9a-f]{64}")) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return pending.takeSession(code).thenApply(s -> s.map(p -> new Session(p.username(), p.role(), p.token(),
        p.expiresAt(), p.enrolmentRequired())));
  }

  private String randomCode() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
