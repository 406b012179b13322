package dev.relaycluster.store;

import java.util.List;

/**
 * The journal and snapshot tables on embedded H2, created before the plugin's own script (whose
 * {@code IF NOT EXISTS} then leaves them alone). Same columns as the plugin's H2 schema, but payloads
 * are {@code BINARY VARYING} instead of {@code BLOB}: our events are a few hundred bytes of CBOR, and H2
 * stores every BLOB out of line and keeps each one it has read in memory for {@code LOB_TIMEOUT}, which
 * under load costs a write per event and a heap full of LOB handles. Existing databases keep their BLOBs.
 */
final class H2JournalSchema {
  private H2JournalSchema() {}

  static List<String> ddl() {
    return List.of(
        """
        CREATE TABLE IF NOT EXISTS "event_journal" (
          "ordering" BIGINT UNIQUE NOT NULL AUTO_INCREMENT,
          "deleted" BOOLEAN DEFAULT false NOT NULL,
          "persistence_id" VARCHAR(255) NOT NULL,
          "sequence_number" BIGINT NOT NULL,
          "writer" VARCHAR NOT NULL,
          "write_timestamp" BIGINT NOT NULL,
          "adapter_manifest" VARCHAR NOT NULL,
          "event_payload" BINARY VARYING NOT NULL,
          "event_ser_id" INTEGER NOT NULL,
          "event_ser_manifest" VARCHAR NOT NULL,
          "meta_payload" BINARY VARYING,
          "meta_ser_id" INTEGER,
          "meta_ser_manifest" VARCHAR,
          PRIMARY KEY ("persistence_id", "sequence_number"))""",
        "CREATE UNIQUE INDEX IF NOT EXISTS \"event_journal_ordering_idx\" ON \"event_journal\" (\"ordering\")",
        """
        CREATE TABLE IF NOT EXISTS "event_tag" (
          "event_id" BIGINT NOT NULL,
          "tag" VARCHAR NOT NULL,
          PRIMARY KEY ("event_id", "tag"),
          CONSTRAINT fk_event_journal FOREIGN KEY ("event_id") REFERENCES "event_journal" ("ordering") ON DELETE CASCADE)""",
        """
        CREATE TABLE IF NOT EXISTS "snapshot" (
          "persistence_id" VARCHAR(255) NOT NULL,
          "sequence_number" BIGINT NOT NULL,
          "created" BIGINT NOT NULL,
          "snapshot_ser_id" INTEGER NOT NULL,
          "snapshot_ser_manifest" VARCHAR NOT NULL,
          "snapshot_payload" BINARY VARYING NOT NULL,
          "meta_ser_id" INTEGER,
          "meta_ser_manifest" VARCHAR,
          "meta_payload" BINARY VARYING,
          PRIMARY KEY ("persistence_id", "sequence_number"))""");
  }
}
