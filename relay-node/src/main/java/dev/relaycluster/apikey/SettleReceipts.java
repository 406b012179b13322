package dev.relaycluster.apikey;

import dev.relaycluster.cluster.CborSerializable;

/**
 * A key entity's answer to the settlements one node told it ({@link ApiKeyEntity.Settle} with a receipt): the
 * receipts of those whose usage is now in the journal (or was already), all from one write.
 */
public record SettleReceipts(long[] receipts) implements CborSerializable {}
