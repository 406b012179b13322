package dev.relaycluster.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.config.ModelMap;
import dev.relaycluster.config.ModelRule;
import dev.relaycluster.store.Database;
import dev.relaycluster.store.SqlDialect;
import dev.relaycluster.store.StorageProfile;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operator's map in its table, as two nodes sharing a database see it: the defaults while the table is
 * empty, a replaced map at once on the node that saved it and on another at its next read, the defaults again
 * after a reset, and a refused map that changes nothing.
 */
class ModelMapsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ModelMap DEFAULTS = new ModelMap(List.of(new ModelRule("claude-*", "claude", null)));

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void twoNodesShareTheSavedMap() throws Exception {
    String url = "jdbc:h2:mem:model-map-" + UUID.randomUUID() + ";DATABASE_TO_UPPER=false;DB_CLOSE_DELAY=-1";
    var executor = Executors.newFixedThreadPool(2);
    try (Database db = Database.open(new StorageProfile(url, "sa", "", 2, SqlDialect.H2), executor)) {
      db.sync(c -> {
        try (var st = c.createStatement()) {
          for (String sql : ModelMaps.ddl()) {
            st.execute(sql);
          }
        }
        return null;
      });
      ModelMaps one = new ModelMaps(db, DEFAULTS);
      ModelMaps two = new ModelMaps(db, DEFAULTS);
      assertEquals(DEFAULTS, await(one.reload()));
      assertEquals(DEFAULTS, await(two.reload()));
      assertFalse(one.overridden());

      List<ModelRule> rules = List.of(new ModelRule("sonnet", "claude", "claude-sonnet-4-5"),
          new ModelRule("claude-*", "openai", "gpt-5.1-codex"), new ModelRule("gemini-*", "gemini", null));
      ModelMap saved = await(one.replace(JSON.readTree("{\"rules\":[{\"match\":\"sonnet\",\"pool\":\"claude\","
          + "\"model\":\"claude-sonnet-4-5\"},{\"match\":\"claude-*\",\"pool\":\"openai\",\"model\":\"gpt-5.1-codex\"},"
          + "{\"match\":\"gemini-*\",\"pool\":\"gemini\"}]}")));
      assertEquals(new ModelMap(rules), saved);
      assertEquals(new ModelMap(rules), one.current(), "the saving node uses it at once");
      assertTrue(one.overridden());
      assertEquals(DEFAULTS, two.current(), "another node until its next read");
      assertEquals(new ModelMap(rules), await(two.reload()));
      assertEquals(new ModelMap(rules), two.current());

      ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> await(one.replace(JSON.readTree("{\"rules\":[{\"match\":\"x\",\"pool\":\"bedrock\"}]}"))));
      AdminInputException e = assertInstanceOf(AdminInputException.class, refused.getCause());
      assertEquals("rules[0].pool: one of claude, droid, gemini, openai", e.getMessage());
      assertEquals(new ModelMap(rules), await(two.reload()), "a refused map changes nothing");

      // A shorter map replaces the whole longer one, in order.
      await(one.replace(JSON.readTree("{\"rules\":[{\"match\":\"fast\",\"pool\":\"gemini\",\"model\":\"gemini-3.8-flash\"}]}")));
      assertEquals(new ModelMap(List.of(new ModelRule("fast", "gemini", "gemini-3.8-flash"))), await(two.reload()));

      assertEquals(DEFAULTS, await(one.reset()));
      assertFalse(one.overridden());
      assertEquals(DEFAULTS, await(two.reload()));
      assertFalse(two.overridden());
      // An empty map is the defaults too.
      await(one.replace(JSON.readTree("{\"rules\":[{\"match\":\"x\",\"pool\":\"claude\"}]}")));
      assertEquals(DEFAULTS, await(one.replace(JSON.readTree("{\"rules\":[]}"))));
      assertEquals(DEFAULTS, await(two.reload()));
    } finally {
      executor.shutdownNow();
    }
  }
}
