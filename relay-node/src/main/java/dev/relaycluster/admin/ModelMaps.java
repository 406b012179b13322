package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.config.ModelMap;
import dev.relaycluster.config.ModelMapJson;
import dev.relaycluster.config.ModelRule;
import dev.relaycluster.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's model map as it is now: an admin's map saved in {@code relay_model_map} (one row per rule, in
 * order), else the configured defaults ({@code relay.models}) when the table is empty. Every node reads the table
 * at start and again every few seconds ({@link #reload()}); the node that saved a change uses it at once.
 * {@link #current()} is what the request path reads: no database call.
 */
public final class ModelMaps {
  public static final String TABLE = "relay_model_map";
  private static final Logger log = LoggerFactory.getLogger(ModelMaps.class);

  private final Database database;
  private final ModelMap defaults;
  private volatile ModelMap saved;

  public ModelMaps(Database database, ModelMap defaults) {
    this.database = database;
    this.defaults = defaults;
  }

  public static List<String> ddl() {
    return List.of("CREATE TABLE IF NOT EXISTS " + TABLE + " (rule_index INT PRIMARY KEY, match_pattern VARCHAR("
        + ModelMap.MAX_NAME + ") NOT NULL, pool VARCHAR(20) NOT NULL, target_model VARCHAR(" + ModelMap.MAX_NAME
        + "))");
  }

  /** The map requests are routed by: the saved one, else the defaults. */
  public ModelMap current() {
    ModelMap s = saved;
    return s == null ? defaults : s;
  }

  public ModelMap defaults() {
    return defaults;
  }

  /** Whether an admin's map is in force (not the defaults). */
  public boolean overridden() {
    return saved != null;
  }

  /** Reads the table again; a failed read keeps the map in force and is logged. */
  public CompletionStage<ModelMap> reload() {
    return database.async(ModelMaps::read).handle((rules, failure) -> {
      if (failure != null) {
        log.warn("could not read the model map, keeping the one in force: {}", failure.toString());
      } else {
        saved = rules.isEmpty() ? null : new ModelMap(rules);
      }
      return current();
    });
  }

  /** Replaces the saved map with the body's {@code rules} (checked; none = the defaults again). */
  public CompletionStage<ModelMap> replace(JsonNode body) {
    List<ModelRule> rules;
    try {
      body.fieldNames().forEachRemaining(f -> {
        if (!f.equals("rules")) {
          throw AdminInputException.invalid(f + ": unknown field (rules)");
        }
      });
      if (!body.has("rules") || !body.get("rules").isArray()) {
        throw AdminInputException.invalid("rules: a list of {match, pool, model} rules (an empty list: the defaults)");
      }
      rules = ModelMapJson.parse(body.get("rules"), "rules");
    } catch (AdminInputException e) {
      return CompletableFuture.failedFuture(e);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(AdminInputException.invalid(e.getMessage()));
    }
    return database.async(c -> {
      write(c, rules);
      return null;
    }).thenApply(v -> {
      saved = rules.isEmpty() ? null : new ModelMap(rules);
      return current();
    });
  }

  /** Forgets the saved map: the defaults again. */
  public CompletionStage<ModelMap> reset() {
    return database.async(c -> {
      write(c, List.of());
      return null;
    }).thenApply(v -> {
      saved = null;
      return current();
    });
  }

  private static List<ModelRule> read(Connection c) throws SQLException {
    List<ModelRule> rules = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement(
        "SELECT match_pattern, pool, target_model FROM " + TABLE + " ORDER BY rule_index");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        rules.add(new ModelRule(rs.getString(1), rs.getString(2), rs.getString(3)));
      }
    }
    return rules;
  }

  /** The whole map in one transaction, so another node never reads half of it. */
  private static void write(Connection c, List<ModelRule> rules) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      try (PreparedStatement del = c.prepareStatement("DELETE FROM " + TABLE)) {
        del.executeUpdate();
      }
      try (PreparedStatement ins = c.prepareStatement(
          "INSERT INTO " + TABLE + " (rule_index, match_pattern, pool, target_model) VALUES (?, ?, ?, ?)")) {
        for (int i = 0; i < rules.size(); i++) {
          ins.setInt(1, i);
          ins.setString(2, rules.get(i).match());
          ins.setString(3, rules.get(i).pool());
          ins.setString(4, rules.get(i).model());
          ins.addBatch();
        }
        if (!rules.isEmpty()) {
          ins.executeBatch();
        }
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }
}
