package dev.relaycluster.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.relaycluster.store.CredentialCipher;
import dev.relaycluster.store.CredentialDecryptionException;
import dev.relaycluster.store.Database;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert targets, in a table every node reads (H2 or PostgreSQL). Secret settings are one
 * AES-256-GCM blob per target with the target id as associated data; a masked copy is kept beside
 * it, so listing never decrypts. Delivery reads the enabled targets through a short cache; changes
 * made through this node clear it at once.
 */
public final class WebhookTargetStore {
  private static final Logger log = LoggerFactory.getLogger(WebhookTargetStore.class);
  public static final String TABLE = "relay_alert_targets";
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
  private static final String COLUMNS =
      "id, name, channel, enabled, kinds, settings, secrets, masked, created_at, updated_at";

  private record Cached(long loadedAt, CompletionStage<List<WebhookTarget>> targets) {}

  private final Database database;
  private final CredentialCipher cipher;
  private final Duration cacheTtl;
  private volatile Cached cache;

  public WebhookTargetStore(Database database, CredentialCipher cipher, Duration cacheTtl) {
    this.database = database;
    this.cipher = cipher;
    this.cacheTtl = cacheTtl;
  }

  public static List<String> ddl() {
    return List.of("CREATE TABLE IF NOT EXISTS " + TABLE + " (id VARCHAR(64) PRIMARY KEY, name VARCHAR(200) NOT NULL, "
        + "channel VARCHAR(20) NOT NULL, enabled BOOLEAN NOT NULL, kinds VARCHAR(400) NOT NULL, "
        + "settings VARCHAR(8000) NOT NULL, secrets VARCHAR(16000) NOT NULL, masked VARCHAR(8000) NOT NULL, "
        + "created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)");
  }

  /** Every target, masked, oldest first. */
  public CompletionStage<List<WebhookTargetView>> list() {
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE + " ORDER BY created_at, id");
           ResultSet rs = st.executeQuery()) {
        List<WebhookTargetView> out = new ArrayList<>();
        while (rs.next()) {
          out.add(view(rs));
        }
        return out;
      }
    });
  }

  public CompletionStage<Optional<WebhookTargetView>> view(String id) {
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE id = ?")) {
        st.setString(1, id);
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() ? Optional.of(view(rs)) : Optional.<WebhookTargetView>empty();
        }
      }
    });
  }

  /**
   * One target with its secrets decrypted.
   *
   * @throws CredentialDecryptionException (in the stage) when the secrets do not decrypt with this key
   */
  public CompletionStage<Optional<WebhookTarget>> load(String id) {
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE id = ?")) {
        st.setString(1, id);
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() ? Optional.of(target(rs)) : Optional.<WebhookTarget>empty();
        }
      }
    });
  }

  public CompletionStage<Void> insert(WebhookTarget target) {
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement("INSERT INTO " + TABLE + " (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        bind(st, target);
        st.executeUpdate();
        return null;
      }
    }).thenRun(this::invalidate);
  }

  /** Replaces a target; false when it no longer exists. */
  public CompletionStage<Boolean> update(WebhookTarget target) {
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement("UPDATE " + TABLE + " SET id = ?, name = ?, channel = ?, "
          + "enabled = ?, kinds = ?, settings = ?, secrets = ?, masked = ?, created_at = ?, updated_at = ? WHERE id = ?")) {
        bind(st, target);
        st.setString(11, target.id());
        return st.executeUpdate() > 0;
      }
    }).whenComplete((r, e) -> invalidate());
  }

  /** Flips only the enabled flag (no decryption needed); false when the target does not exist. */
  public CompletionStage<Boolean> setEnabled(String id, boolean enabled, long now) {
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement("UPDATE " + TABLE + " SET enabled = ?, updated_at = ? WHERE id = ?")) {
        st.setBoolean(1, enabled);
        st.setLong(2, now);
        st.setString(3, id);
        return st.executeUpdate() > 0;
      }
    }).whenComplete((r, e) -> invalidate());
  }

  public CompletionStage<Boolean> delete(String id) {
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement("DELETE FROM " + TABLE + " WHERE id = ?")) {
        st.setString(1, id);
        return st.executeUpdate() > 0;
      }
    }).whenComplete((r, e) -> invalidate());
  }

  /**
   * The enabled targets with their secrets, from the cache while it is fresh. A target whose secrets
   * do not decrypt (ENCRYPTION_KEY changed) is skipped with a warning.
   */
  public CompletionStage<List<WebhookTarget>> enabledTargets() {
    long now = System.currentTimeMillis();
    Cached c = cache;
    if (c != null && now - c.loadedAt() < cacheTtl.toMillis()) {
      return c.targets();
    }
    CompletableFuture<List<WebhookTarget>> loading = new CompletableFuture<>();
    Cached fresh = new Cached(now, loading);
    cache = fresh;
    database.async(conn -> {
      try (PreparedStatement st = conn.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE
          + " WHERE enabled = ? ORDER BY created_at, id")) {
        st.setBoolean(1, true);
        try (ResultSet rs = st.executeQuery()) {
          List<WebhookTarget> out = new ArrayList<>();
          while (rs.next()) {
            try {
              out.add(target(rs));
            } catch (CredentialDecryptionException e) {
              log.warn("alert target {} is skipped: its secrets do not decrypt with this ENCRYPTION_KEY", rs.getString("id"));
            }
          }
          return List.copyOf(out);
        }
      }
    }).whenComplete((targets, failure) -> {
      if (failure != null) {
        if (cache == fresh) {
          cache = null;
        }
        loading.completeExceptionally(failure);
      } else {
        loading.complete(targets);
      }
    });
    return loading;
  }

  public void invalidate() {
    cache = null;
  }

  private void bind(PreparedStatement st, WebhookTarget t) throws SQLException {
    Map<String, String> plain = new LinkedHashMap<>();
    Map<String, String> secret = new LinkedHashMap<>();
    for (ChannelField f : t.channel().fields()) {
      String v = t.settings().get(f.name());
      if (v != null) {
        (f.secret() ? secret : plain).put(f.name(), v);
      }
    }
    st.setString(1, t.id());
    st.setString(2, t.name());
    st.setString(3, t.channel().wireName());
    st.setBoolean(4, t.enabled());
    st.setString(5, t.kinds().stream().map(AlertText::kindName).sorted().collect(Collectors.joining(",")));
    st.setString(6, json(plain));
    st.setString(7, Base64.getEncoder().encodeToString(
        cipher.encrypt(json(secret).getBytes(StandardCharsets.UTF_8), t.id())));
    st.setString(8, json(TargetSettings.masked(t.channel(), t.settings())));
    st.setLong(9, t.createdAt());
    st.setLong(10, t.updatedAt());
  }

  private WebhookTarget target(ResultSet rs) throws SQLException {
    String id = rs.getString("id");
    Channel channel = channel(rs);
    Map<String, String> settings = new HashMap<>(map(rs.getString("settings")));
    byte[] sealed = Base64.getDecoder().decode(rs.getString("secrets"));
    settings.putAll(map(new String(cipher.decrypt(sealed, id), StandardCharsets.UTF_8)));
    return new WebhookTarget(id, rs.getString("name"), channel, rs.getBoolean("enabled"), kinds(rs.getString("kinds")),
        settings, rs.getLong("created_at"), rs.getLong("updated_at"));
  }

  private static WebhookTargetView view(ResultSet rs) throws SQLException {
    return new WebhookTargetView(rs.getString("id"), rs.getString("name"), channel(rs), rs.getBoolean("enabled"),
        kinds(rs.getString("kinds")), map(rs.getString("masked")), rs.getLong("created_at"), rs.getLong("updated_at"));
  }

  private static Channel channel(ResultSet rs) throws SQLException {
    String name = rs.getString("channel");
    return Channel.parse(name).orElseThrow(() -> new SQLException("unknown alert channel '" + name + "' in " + TABLE));
  }

  private static Set<AlertKind> kinds(String joined) {
    if (joined == null || joined.isBlank()) {
      return Set.of();
    }
    EnumSet<AlertKind> out = EnumSet.noneOf(AlertKind.class);
    Arrays.stream(joined.split(",")).map(k -> AlertKind.valueOf(k.strip().toUpperCase(java.util.Locale.ROOT)))
        .forEach(out::add);
    return out;
  }

  private static String json(Map<String, String> map) {
    try {
      return AlertPayloads.JSON.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise target settings", e);
    }
  }

  private static Map<String, String> map(String json) throws SQLException {
    try {
      return AlertPayloads.JSON.readValue(json, STRING_MAP);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable target settings in " + TABLE);
    }
  }
}
