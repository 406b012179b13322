package dev.relaycluster.apikey;

/**
 * How big a node's share of a key's concurrency slots should be (pure). The slots a share holds beyond
 * those in use are slots other nodes cannot have, so a share stays small: it grows when a request finds no
 * free slot, toward what is in use plus its {@link #margin} (never past the key's limit), and it never keeps
 * more free slots than the margin: a slot freed beyond that goes back to the entity at once, and a key
 * idle on the node keeps nothing once its free slots sat unused for the idle time. The margin is one slot
 * for a small limit and a sixteenth of a large one (at most {@link #MAX_MARGIN}): with one slot of margin, a
 * busy key's share churns (each request that ends while another just ended gives a slot back, and the next
 * request finds none free and asks), which costs a large limit two messages per request for nothing. So all
 * nodes together hold at most one margin per node that used the key lately, beside the requests really in
 * flight.
 */
public final class ShareSizing {
  /** The most slots asked for at once. */
  public static final int MAX_STEP = 8;
  /** The most free slots a share keeps while the key is busy on the node. */
  public static final int MAX_MARGIN = 64;

  private ShareSizing() {}

  /** Free slots a share keeps while the key is busy on the node: a sixteenth of the limit, at least one. */
  public static int margin(int limit) {
    return Math.max(1, Math.min(MAX_MARGIN, limit / 16));
  }

  /**
   * How many more slots to ask the entity for when a request found none free.
   *
   * @param limit the key's concurrency limit
   * @param inUse slots of the share taken by requests now
   * @param held slots the share holds (in use and free)
   */
  public static int toAsk(int limit, int inUse, int held) {
    if (limit <= 0) {
      return 0;
    }
    long target = Math.min(limit, (long) inUse + margin(limit));
    return (int) Math.max(0, Math.min(MAX_STEP, target - held));
  }

  /**
   * How many free slots to return to the entity now.
   *
   * @param limit the key's concurrency limit on the replica now (0 when the key no longer shares slots)
   * @param inUse slots taken by requests now
   * @param free free slots
   * @param idleFree the free slots among them that sat unused for the idle time
   */
  public static int toReturn(int limit, int inUse, int free, int idleFree) {
    if (limit <= 0) {
      return free;
    }
    // Above the limit (it went down), or more free than the margin: at once.
    int overLimit = inUse + free - limit;
    int overMargin = free - margin(limit);
    // Nothing in use and every free slot unused for the idle time: the key is idle here, keep nothing.
    int idle = inUse == 0 && idleFree >= free ? free : 0;
    return Math.min(free, Math.max(0, Math.max(idle, Math.max(overLimit, overMargin))));
  }
}
