package dev.relaycluster.relay;

import dev.relaycluster.usage.UsageRecord;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * Delivers one request's usage to its key's entity, settling the key lease it names: completes once the
 * entity has it in its journal (or already had it), fails when the entity could not be reached in time.
 */
@FunctionalInterface
public interface UsageDelivery {
  CompletionStage<Done> deliver(String keyId, String leaseId, UsageRecord usage);
}
