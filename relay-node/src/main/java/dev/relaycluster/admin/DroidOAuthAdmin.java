package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.account.AccountSecrets;
import dev.relaycluster.account.AccountType;
import dev.relaycluster.account.CredentialVault;
import dev.relaycluster.account.DroidOAuthClient;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.protocol.oauth.DevicePoll;
import dev.relaycluster.protocol.oauth.OAuthTokens;
import dev.relaycluster.protocol.oauth.SubscriptionTier;
import dev.relaycluster.store.TtlStore;
import dev.relaycluster.upstream.CredentialSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds Factory (droid-oauth) accounts the way the Droid CLI logs in: the WorkOS device flow.
 * {@link #start} asks WorkOS for a device code and answers the code and page the admin opens; this node then
 * polls WorkOS in the background (honouring the interval, {@code authorization_pending}, {@code slow_down},
 * {@code expired_token} and {@code access_denied}) and, on success, creates the account with its tokens, expiry
 * and organisation. The flow's state (the device code and the admin's account settings sealed at rest) lives in
 * the TTL store, so {@link #status} answers on any node.
 */
public final class DroidOAuthAdmin {
  private static final Logger log = LoggerFactory.getLogger(DroidOAuthAdmin.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY_PREFIX = "droid-oauth-device:";
  /** RFC 8628 §3.5: a slow_down adds five seconds to the interval. */
  private static final long SLOW_DOWN_SECONDS = 5;

  /** A flow's status as the admin API shows it; {@code account} once created, {@code error} once failed. */
  public record Status(String status, PoolEntry account, String error) {}

  /** The stored state of one flow (sealed). */
  record Flow(String status, String deviceCode, long intervalSeconds, long expiresAt, JsonNode settings,
      String accountId, String error) {
    Flow with(String newStatus, String newAccountId, String newError) {
      return new Flow(newStatus, deviceCode, intervalSeconds, expiresAt, settings, newAccountId, newError);
    }

    Flow slower() {
      return new Flow(status, deviceCode, intervalSeconds + SLOW_DOWN_SECONDS, expiresAt, settings, accountId, error);
    }
  }

  private final ActorSystem<?> system;
  private final TtlStore store;
  private final CredentialVault vault;
  private final DroidOAuthClient oauth;
  private final PoolView pool;
  private final OAuthAccountFlow accounts;

  public DroidOAuthAdmin(ActorSystem<?> system, TtlStore store, CredentialVault vault, DroidOAuthClient oauth,
      Duration askTimeout, PoolView pool) {
    this.system = system;
    this.store = store;
    this.vault = vault;
    this.oauth = oauth;
    this.pool = pool;
    // Only its account creation is used: the device flow keeps its own state (a PKCE login's is not needed).
    this.accounts = new OAuthAccountFlow(system, store, vault, askTimeout, pool, KEY_PREFIX + "login:");
  }

  /**
   * {@code {name?, priority?, maxConcurrency?, groups?, priceMultiplier?, proxy?, baseUrl?}} →
   * {@code {flowId, userCode, verificationUri, verificationUriComplete, expiresIn, interval}}.
   */
  public CompletionStage<ObjectNode> start(JsonNode body) {
    OAuthAccountRequest request;
    try {
      request = OAuthAccountRequest.settings(body, CloudAccountInput.DROID_BASE_URL);
    } catch (AdminInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    return oauth.authorizeDevice(request.options().proxy()).thenCompose(device -> {
      String flowId = UUID.randomUUID().toString();
      Flow flow = new Flow("pending", device.deviceCode(), device.interval(),
          System.currentTimeMillis() + device.expiresIn() * 1000, body, null, null);
      return save(flowId, flow).thenApply(v -> {
        schedule(flowId, flow, request);
        ObjectNode out = JSON.createObjectNode();
        out.put("flowId", flowId).put("userCode", device.userCode()).put("verificationUri", device.verificationUri())
            .put("verificationUriComplete", device.verificationUriComplete()).put("expiresIn", device.expiresIn())
            .put("interval", device.interval());
        return out;
      });
    });
  }

  /** The flow's status; 404 when unknown or gone. */
  public CompletionStage<Status> status(String flowId) {
    try {
      UUID.fromString(flowId);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(AdminInputException.notFound("no device login " + flowId));
    }
    return load(flowId).thenApply(found -> {
      Flow flow = found.orElseThrow(() -> AdminInputException.notFound(
          "no device login " + flowId + " (unknown or expired): start a new one"));
      PoolEntry account = flow.accountId() == null ? null : pool.find(flow.accountId()).orElse(null);
      return new Status(flow.status(), account, flow.error());
    });
  }

  private void schedule(String flowId, Flow flow, OAuthAccountRequest request) {
    system.scheduler().scheduleOnce(Duration.ofSeconds(flow.intervalSeconds()), () -> poll(flowId, flow, request),
        system.executionContext());
  }

  /** One poll, then the next one or the end of the flow. */
  private void poll(String flowId, Flow flow, OAuthAccountRequest request) {
    if (System.currentTimeMillis() > flow.expiresAt()) {
      end(flowId, flow.with("expired", null, "the device code expired before the login was approved"));
      return;
    }
    oauth.poll(flow.deviceCode(), request.options().proxy()).whenComplete((answer, failure) -> {
      if (failure != null) {
        // WorkOS unreachable this time: try again until the code expires.
        log.warn("device login {}: {}", flowId, failure.getMessage());
        schedule(flowId, flow, request);
        return;
      }
      switch (answer.kind()) {
        case PENDING -> schedule(flowId, flow, request);
        case SLOW_DOWN -> schedule(flowId, flow.slower(), request);
        case EXPIRED -> end(flowId, flow.with("expired", null, "the device code expired before the login was approved"));
        case DENIED -> end(flowId, flow.with("denied", null, "the login was denied"));
        case FAILED -> end(flowId, flow.with("failed", null, answer.error()));
        case TOKENS -> create(flowId, flow, request, answer);
      }
    });
  }

  private void create(String flowId, Flow flow, OAuthAccountRequest request, DevicePoll answer) {
    OAuthTokens tokens = DroidOAuthClient.tokens(answer, System.currentTimeMillis());
    AccountSecrets secrets = new AccountSecrets(null, tokens.accessToken(), tokens.refreshToken(), tokens.expiresAt());
    if (tokens.organizationUuid() != null) {
      secrets = secrets.withSettings(Map.of(CredentialSettings.ORGANIZATION_ID, tokens.organizationUuid()));
    }
    accounts.create(request, AccountType.DROID_OAUTH, tokens.email(), secrets, SubscriptionTier.UNKNOWN)
        .whenComplete((entry, failure) -> {
          if (failure != null) {
            log.warn("device login {}: the account could not be created: {}", flowId, failure.getMessage());
            end(flowId, flow.with("failed", null, "the login succeeded but the account could not be created"));
          } else {
            log.info("device login {}: created droid-oauth account {}", flowId, entry.id());
            end(flowId, flow.with("created", entry.id(), null));
          }
        });
  }

  private void end(String flowId, Flow flow) {
    save(flowId, flow).whenComplete((v, failure) -> {
      if (failure != null) {
        log.warn("device login {}: its outcome ({}) could not be stored: {}", flowId, flow.status(), failure.toString());
      }
    });
  }

  private CompletionStage<Void> save(String flowId, Flow flow) {
    String key = KEY_PREFIX + flowId;
    try {
      return store.set(key, vault.sealText(key, JSON.writeValueAsString(flow)), oauth.config().flowTtl());
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletionStage<Optional<Flow>> load(String flowId) {
    String key = KEY_PREFIX + flowId;
    return store.get(key).thenApply(value -> value.map(sealed -> {
      try {
        return JSON.readValue(vault.openText(key, sealed), Flow.class);
      } catch (IOException | RuntimeException e) {
        throw AdminInputException.invalid("the stored device login is unreadable: start a new one");
      }
    }));
  }
}
