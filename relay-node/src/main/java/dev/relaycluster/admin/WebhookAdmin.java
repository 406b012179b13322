package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.alerts.AccountAlert;
import dev.relaycluster.alerts.AlertDelivery;
import dev.relaycluster.alerts.AlertKind;
import dev.relaycluster.alerts.Channel;
import dev.relaycluster.alerts.DeliveryResult;
import dev.relaycluster.alerts.TargetSettings;
import dev.relaycluster.alerts.WebhookTarget;
import dev.relaycluster.alerts.WebhookTargetStore;
import dev.relaycluster.alerts.WebhookTargetView;
import dev.relaycluster.store.CredentialDecryptionException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Alert targets over the admin API: checks the input completely before anything is written, keeps
 * secrets that an update leaves out, and sends test alerts. Input:
 * {@code {"name","channel","enabled","kinds":[…],"config":{…}}} (see README, "Account alerts").
 */
public final class WebhookAdmin {
  private static final Set<String> FIELDS = Set.of("name", "channel", "enabled", "kinds", "config");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final WebhookTargetStore store;
  private final AlertDelivery delivery;

  public WebhookAdmin(WebhookTargetStore store, AlertDelivery delivery) {
    this.store = store;
    this.delivery = delivery;
  }

  public CompletionStage<List<WebhookTargetView>> list() {
    return store.list();
  }

  public CompletionStage<WebhookTargetView> get(String id) {
    return store.view(id).thenApply(v -> v.orElseThrow(() -> notFound(id)));
  }

  public CompletionStage<WebhookTargetView> create(JsonNode body) {
    try {
      checkFields(body);
      String name = name(body);
      JsonNode channelNode = body.get("channel");
      if (channelNode == null || !channelNode.isTextual()) {
        throw AdminInputException.invalid("channel: required, one of " + Channel.wireNames());
      }
      Channel channel = Channel.parse(channelNode.asText()).orElseThrow(() ->
          AdminInputException.invalid("channel: must be one of " + Channel.wireNames()));
      boolean enabled = enabled(body, true);
      Set<AlertKind> kinds = kinds(body, Set.of());
      Map<String, String> settings = settings(channel, body, Map.of());
      long now = System.currentTimeMillis();
      WebhookTarget target = new WebhookTarget(newId(), name, channel, enabled, kinds, settings, now, now);
      return store.insert(target).thenApply(v -> WebhookTargetView.of(target));
    } catch (AdminInputException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  public CompletionStage<WebhookTargetView> update(String id, JsonNode body) {
    try {
      checkFields(body);
    } catch (AdminInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    return loadForChange(id).thenCompose(old -> {
      JsonNode channelNode = body.get("channel");
      if (channelNode != null && !channelNode.asText().equals(old.channel().wireName())) {
        throw AdminInputException.invalid("channel: cannot be changed; create a new target instead");
      }
      String name = body.has("name") ? name(body) : old.name();
      WebhookTarget changed = new WebhookTarget(id, name, old.channel(), enabled(body, old.enabled()),
          kinds(body, old.kinds()), settings(old.channel(), body, old.settings()), old.createdAt(),
          System.currentTimeMillis());
      return store.update(changed).thenApply(found -> {
        if (!found) {
          throw notFound(id);
        }
        return WebhookTargetView.of(changed);
      });
    });
  }

  public CompletionStage<WebhookTargetView> setEnabled(String id, boolean enabled) {
    return store.setEnabled(id, enabled, System.currentTimeMillis()).thenCompose(found -> {
      if (!found) {
        throw notFound(id);
      }
      return get(id);
    });
  }

  public CompletionStage<Void> delete(String id) {
    return store.delete(id).thenAccept(found -> {
      if (!found) {
        throw notFound(id);
      }
    });
  }

  /** Sends a TEST alert to the target now (enabled or not, whatever its kinds), one attempt. */
  public CompletionStage<DeliveryResult> test(String id, String adminUser) {
    return loadForChange(id).thenCompose(target -> delivery.deliverOnce(target, new AccountAlert(AlertKind.TEST,
        "", "", "", "A test alert sent by " + adminUser + " from the admin API; this target works.",
        System.currentTimeMillis(), 0)));
  }

  private CompletionStage<WebhookTarget> loadForChange(String id) {
    return store.load(id).handle((found, failure) -> {
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof CredentialDecryptionException) {
          throw AdminInputException.invalid("the secrets of target " + id
              + " do not decrypt with this ENCRYPTION_KEY; delete it and create it again");
        }
        throw new CompletionException(cause);
      }
      return found.orElseThrow(() -> notFound(id));
    });
  }

  private static void checkFields(JsonNode body) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        throw AdminInputException.invalid(field + ": unknown field (fields: name, channel, enabled, kinds, config)");
      }
    }
  }

  private static String name(JsonNode body) {
    JsonNode n = body.get("name");
    if (n == null || !n.isTextual() || n.asText().isBlank()) {
      throw AdminInputException.invalid("name: required, a non-empty string");
    }
    String name = n.asText().strip();
    if (name.length() > 200) {
      throw AdminInputException.invalid("name: at most 200 characters");
    }
    return name;
  }

  private static boolean enabled(JsonNode body, boolean current) {
    JsonNode n = body.get("enabled");
    if (n == null) {
      return current;
    }
    if (!n.isBoolean()) {
      throw AdminInputException.invalid("enabled: must be true or false");
    }
    return n.asBoolean();
  }

  private static Set<AlertKind> kinds(JsonNode body, Set<AlertKind> current) {
    JsonNode n = body.get("kinds");
    if (n == null) {
      return current;
    }
    String allowed = "unauthorized, blocked, rate_limited, recovered, disabled_by_admin, refresh_failed";
    if (n.isNull()) {
      return Set.of();
    }
    if (!n.isArray()) {
      throw AdminInputException.invalid("kinds: must be an array of alert kinds (" + allowed + "); empty = all");
    }
    EnumSet<AlertKind> out = EnumSet.noneOf(AlertKind.class);
    for (JsonNode k : n) {
      AlertKind kind = null;
      if (k.isTextual()) {
        try {
          kind = AlertKind.valueOf(k.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          kind = null;
        }
      }
      if (kind == null || kind == AlertKind.TEST) {
        throw AdminInputException.invalid("kinds: '" + k.asText() + "' is not one of " + allowed);
      }
      out.add(kind);
    }
    return out;
  }

  private static Map<String, String> settings(Channel channel, JsonNode body, Map<String, String> previous) {
    JsonNode config = body.get("config");
    if (config != null && !config.isObject()) {
      throw AdminInputException.invalid("config: must be an object");
    }
    Map<String, String> given = new LinkedHashMap<>();
    if (config != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        given.put(e.getKey(), value(e.getKey(), e.getValue()));
      }
    }
    try {
      return TargetSettings.validate(channel, given, previous);
    } catch (IllegalArgumentException e) {
      throw AdminInputException.invalid(e.getMessage());
    }
  }

  /** A config value as text: strings, numbers, and arrays of strings (joined with commas); null clears. */
  private static String value(String field, JsonNode v) {
    if (v.isNull()) {
      return null;
    }
    if (v.isTextual() || v.isNumber()) {
      return v.asText();
    }
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      for (JsonNode p : v) {
        if (!p.isTextual()) {
          throw AdminInputException.invalid("config." + field + ": must be a string or an array of strings");
        }
        parts.add(p.asText());
      }
      return String.join(",", parts);
    }
    throw AdminInputException.invalid("config." + field + ": must be a string");
  }

  private static AdminInputException notFound(String id) {
    return AdminInputException.notFound("no alert target with id " + id);
  }

  private static String newId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return "wh_" + HexFormat.of().formatHex(bytes);
  }
}
