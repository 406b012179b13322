package dev.relaycluster.apikey;

import dev.relaycluster.apikey.ApiKeyEntity.Settle;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Answers settlements whose usage is written: a settlement that was asked is answered on its own; those told
 * with a receipt are answered together, one {@link SettleReceipts} for each node's receipts of one write, so a
 * busy key sends a node one message a write rather than one a request.
 */
final class SettleAnswers {
  private SettleAnswers() {}

  static void answer(Settle settle) {
    if (settle.receipts() != null) {
      settle.receipts().tell(new SettleReceipts(new long[] {settle.receipt()}));
    } else if (settle.replyTo() != null) {
      settle.replyTo().tell(Done.getInstance());
    }
  }

  static void answer(List<Settle> settled) {
    Map<ActorRef<SettleReceipts>, Receipts> byNode = new HashMap<>();
    for (Settle s : settled) {
      if (s.receipts() == null) {
        answer(s);
      } else {
        byNode.computeIfAbsent(s.receipts(), node -> new Receipts(settled.size())).add(s.receipt());
      }
    }
    byNode.forEach((node, receipts) -> node.tell(receipts.message()));
  }

  /** One node's receipts of a write, gathered. */
  private static final class Receipts {
    private final long[] ids;
    private int count;

    Receipts(int capacity) {
      ids = new long[capacity];
    }

    void add(long id) {
      ids[count++] = id;
    }

    SettleReceipts message() {
      return new SettleReceipts(count == ids.length ? ids : Arrays.copyOf(ids, count));
    }
  }
}
