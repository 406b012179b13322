package dev.relaycluster.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SqlDialectTest {

  @Test
  void postgresInsertIgnoresConflictsOnTheKey() {
    assertEquals(
        "INSERT INTO request_log (request_id, key_id, cost) VALUES (?, ?, ?) ON CONFLICT (request_id) DO NOTHING",
        SqlDialect.POSTGRES.insertIgnoringDuplicates("request_log", "request_id", "request_id", "key_id", "cost"));
  }

  @Test
  void h2InsertIsAMergeThatOnlyInserts() {
    assertEquals(
        "MERGE INTO request_log t USING (VALUES (?, ?, ?)) s (request_id, key_id, cost) ON t.request_id = s.request_id"
            + " WHEN NOT MATCHED THEN INSERT (request_id, key_id, cost) VALUES (s.request_id, s.key_id, s.cost)",
        SqlDialect.H2.insertIgnoringDuplicates("request_log", "request_id", "request_id", "key_id", "cost"));
  }

  @Test
  void upserts() {
    assertEquals("INSERT INTO u (name, hash) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET hash = EXCLUDED.hash",
        SqlDialect.POSTGRES.upsert("u", "name", "name", "hash"));
    assertEquals("MERGE INTO u (name, hash) KEY (name) VALUES (?, ?)", SqlDialect.H2.upsert("u", "name", "name", "hash"));
  }

  @Test
  void singleColumn() {
    assertEquals("INSERT INTO t (id) VALUES (?) ON CONFLICT (id) DO NOTHING",
        SqlDialect.POSTGRES.insertIgnoringDuplicates("t", "id", "id"));
    assertEquals("MERGE INTO t t USING (VALUES (?)) s (id) ON t.id = s.id WHEN NOT MATCHED THEN INSERT (id) VALUES (s.id)",
        SqlDialect.H2.insertIgnoringDuplicates("t", "id", "id"));
  }

  @Test
  void dialectForUrl() {
    assertEquals(SqlDialect.POSTGRES, SqlDialect.forUrl("jdbc:postgresql://db:5432/relay"));
    assertEquals(SqlDialect.H2, SqlDialect.forUrl("jdbc:h2:file:/data/relay"));
    assertEquals(SqlDialect.H2, SqlDialect.forUrl(""));
  }

  @Test
  void driverProfileAndNames() {
    assertEquals("slick.jdbc.PostgresProfile$", SqlDialect.POSTGRES.slickProfile());
    assertEquals("slick.jdbc.H2Profile$", SqlDialect.H2.slickProfile());
    assertEquals("org.postgresql.Driver", SqlDialect.POSTGRES.driverClass());
    assertEquals("org.h2.Driver", SqlDialect.H2.driverClass());
    assertEquals("postgres-dialect", SqlDialect.POSTGRES.projectionDialect());
    assertEquals("h2-dialect", SqlDialect.H2.projectionDialect());
    assertEquals("postgresql", SqlDialect.POSTGRES.displayName());
    assertEquals("h2", SqlDialect.H2.displayName());
  }
}
