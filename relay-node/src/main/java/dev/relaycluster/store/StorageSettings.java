package dev.relaycluster.store;

import java.nio.file.Path;

/** What {@link StorageProfile} chooses by: the database settings and the data directory (for embedded H2). */
public interface StorageSettings {
  DbSettings db();

  Path dataDir();
}
