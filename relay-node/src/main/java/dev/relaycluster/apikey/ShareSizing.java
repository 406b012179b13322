package dev.relaycluster.apikey;

/**
 * How big a node's share of a key's concurrency slots should be (pure). A share grows when a request
 * finds no free slot, toward twice what is in use plus one, in steps of at most {@link #MAX_STEP}, never
 * past the key's limit. It shrinks so that other nodes can get slots: free slots that sat unused for a
 * while are returned, keeping a small margin above what is in use only while the key is busy on the node
 * (an idle key keeps nothing, so a node never sits on a slot another node needs for longer than the idle
 * time).
 */
public final class ShareSizing {
  /** The most slots asked for at once. */
  public static final int MAX_STEP = 8;
  /** Free slots kept above those in use while the key is busy on the node. */
  public static final int MARGIN = 1;

  private ShareSizing() {}

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
    long target = Math.min(limit, 2L * inUse + 1);
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
    int held = inUse + free;
    // Above the limit (it went down): return what is free at once.
    int overLimit = Math.max(0, held - limit);
    boolean busy = inUse > 0 || idleFree < free;
    int keep = busy ? inUse + MARGIN : 0;
    int surplus = Math.min(idleFree, Math.max(0, held - keep));
    return Math.min(free, Math.max(overLimit, surplus));
  }
}
