package dev.relaycluster.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The journal schema is the plugin's current one for both dialects, whatever {@code jdbc-journal.dao}
 * says (the plugin's own schema helper switches to its legacy tables for any DAO but its own).
 */
class SchemaSetupTest {
  @Test
  void theJournalScriptCreatesTheEventJournalAndItsTagTableNotTheLegacyJournal() {
    for (SqlDialect dialect : SqlDialect.values()) {
      String script = SchemaSetup.journalScript(dialect).toLowerCase(Locale.ROOT).replace("\"", "");
      assertTrue(script.contains("create table if not exists public.event_journal"), dialect + ": event_journal");
      assertTrue(script.contains("create table if not exists public.event_tag"), dialect + ": event_tag");
      assertTrue(script.contains("create table if not exists public.snapshot"), dialect + ": snapshot");
      assertFalse(script.matches("(?s).*create table if not exists public\\.journal\\b.*"), dialect + ": legacy journal table");
    }
  }

  @Test
  void aTableAnotherNodeCreatedAMomentAgoIsNotAnError() {
    // Three nodes starting on a fresh PostgreSQL database: one of them got 'type "relay_admin_oidc" already
    // exists' (42710) from CREATE TABLE IF NOT EXISTS, and failed to start.
    assertTrue(SchemaSetup.alreadyExists(new java.sql.SQLException("type \"relay_admin_oidc\" already exists", "42710")));
    assertTrue(SchemaSetup.alreadyExists(new java.sql.SQLException("relation already exists", "42P07")));
    assertFalse(SchemaSetup.alreadyExists(new java.sql.SQLException("syntax error", "42601")));
  }
}
