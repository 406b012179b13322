package dev.relaycluster.account;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.pekko.serialization.jackson.JacksonMigration;

/**
 * Reads snapshots of an account written while its state was the nested record {@code AccountEntity.State}
 * (manifest {@code dev.relaycluster.account.AccountEntity$State}, version 1) as {@link AccountState}: the
 * class moved, its JSON did not change. Registered in {@code pekko.serialization.jackson.migrations} under
 * the old class name, which is what the serializer looks a manifest's migration up by.
 */
public final class AccountStateMigration extends JacksonMigration {
  /** The manifest the state's snapshots carried before it moved. */
  public static final String OLD_CLASS_NAME = "dev.relaycluster.account.AccountEntity$State";

  @Override
  public int currentVersion() {
    return 2;
  }

  @Override
  public String transformClassName(int fromVersion, String className) {
    return AccountState.class.getName();
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    return json;
  }
}
