package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * The admin UI's site name and icon: the operator's default ({@code WEB_TITLE}, HOCON
 * {@code relay.admin.web-title}), overridable in the admin settings. The override is one row per field in its own
 * table (an icon given as a data URL is larger than {@code relay_meta} holds), so every node reads the same; it is
 * read on each call, so a change shows at once everywhere. Nothing here is secret: the login page reads it.
 */
public final class Branding {
  public static final String TABLE = "relay_branding";
  public static final int MAX_NAME = 80;
  public static final int MAX_ICON = 100_000;
  private static final String NAME = "site-name";
  private static final String ICON = "icon-url";
  /** A base64 data URL of an image type browsers show as an icon, or a path on this origin. */
  private static final Pattern DATA_ICON = Pattern.compile(
      "data:image/(png|jpeg|gif|webp|svg\\+xml|x-icon|vnd\\.microsoft\\.icon);base64,[A-Za-z0-9+/]+={0,2}");
  private static final Pattern PATH_ICON = Pattern.compile("/(?!/)[A-Za-z0-9._~/%-]*");

  private final Database database;
  private final String defaultName;
  private volatile boolean tableReady;

  public Branding(Database database, String defaultName) {
    this.database = database;
    this.defaultName = defaultName == null || defaultName.isBlank() ? "Relay Cluster" : defaultName.strip();
  }

  public static java.util.List<String> ddl() {
    return java.util.List.of("CREATE TABLE IF NOT EXISTS " + TABLE
        + " (name VARCHAR(40) PRIMARY KEY, meta_value VARCHAR(" + (MAX_ICON + 100) + ") NOT NULL)");
  }

  public CompletionStage<BrandingSettings> current() {
    return database.async(c -> {
      ensureTable(c);
      String name = read(c, NAME);
      String icon = read(c, ICON);
      return new BrandingSettings(name == null ? defaultName : name, icon, defaultName, name != null || icon != null);
    });
  }

  /**
   * Changes the fields the body names: {@code siteName} (text, or null for the default) and {@code iconUrl}
   * (a base64 {@code data:image/…} URL or a path on this origin, or null for the built-in icon).
   */
  public CompletionStage<BrandingSettings> update(JsonNode body) {
    String name;
    String icon;
    try {
      name = body.has("siteName") ? siteName(body.get("siteName")) : null;
      icon = body.has("iconUrl") ? iconUrl(body.get("iconUrl")) : null;
      if (!body.has("siteName") && !body.has("iconUrl")) {
        throw AdminInputException.invalid("give siteName, iconUrl or both (null resets one to the default)");
      }
      body.fieldNames().forEachRemaining(f -> {
        if (!f.equals("siteName") && !f.equals("iconUrl")) {
          throw AdminInputException.invalid(f + ": unknown field (siteName, iconUrl)");
        }
      });
    } catch (AdminInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    return database.async(c -> {
      ensureTable(c);
      if (body.has("siteName")) {
        write(c, NAME, name);
      }
      if (body.has("iconUrl")) {
        write(c, ICON, icon);
      }
      return null;
    }).thenCompose(v -> current());
  }

  private static String siteName(JsonNode v) {
    if (v.isNull()) {
      return null;
    }
    String s = v.isTextual() ? v.asText().strip() : "";
    if (s.isEmpty() || s.length() > MAX_NAME || s.chars().anyMatch(Character::isISOControl)) {
      throw AdminInputException.invalid("siteName: text of 1 to " + MAX_NAME + " characters, or null for the default");
    }
    return s;
  }

  private static String iconUrl(JsonNode v) {
    if (v.isNull() || (v.isTextual() && v.asText().isBlank())) {
      return null;
    }
    String s = v.isTextual() ? v.asText().strip() : "";
    if (s.length() > MAX_ICON || !(DATA_ICON.matcher(s).matches() || PATH_ICON.matcher(s).matches())) {
      throw AdminInputException.invalid("iconUrl: a base64 data:image/… URL (png, jpeg, gif, webp, svg+xml, x-icon) "
          + "of at most " + MAX_ICON + " characters, or a path on this site such as /icons/relay.png, or null");
    }
    return s;
  }

  private void ensureTable(Connection c) throws SQLException {
    if (tableReady) {
      return;
    }
    try (var st = c.createStatement()) {
      for (String sql : ddl()) {
        st.execute(sql);
      }
    }
    tableReady = true;
  }

  private static String read(Connection c, String name) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT meta_value FROM " + TABLE + " WHERE name = ?")) {
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private void write(Connection c, String name, String value) throws SQLException {
    if (value == null) {
      try (PreparedStatement st = c.prepareStatement("DELETE FROM " + TABLE + " WHERE name = ?")) {
        st.setString(1, name);
        st.executeUpdate();
      }
      return;
    }
    try (PreparedStatement st = c.prepareStatement(database.dialect().upsert(TABLE, "name", "name", "meta_value"))) {
      st.setString(1, name);
      st.setString(2, value);
      st.executeUpdate();
    }
  }
}
