package dev.relaycluster.apikey;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One key's budget shares on one node (see {@link KeyBudgets}): what the entity granted, what requests in
 * flight hold of it (their estimates), what the ended ones spent (their rated cost and tokens) and how many
 * window requests were taken, and whether an ask for another share is out. A request is admitted on the
 * first share that is still live (not past its life or its window's end, granted under the key's settings
 * now) and has room for its estimate; a share leaves once it is no longer live, its window requests are
 * all taken or it sat idle, and is given back when no request of it is in flight, that is, when the usage of
 * each of its requests is recorded at the entity (until then the share's reservation there covers it). Every
 * method answers the shares the caller must now give back. Safe for any thread (each method holds the lock).
 */
final class NodeBudget {
  /** After an ask that got nothing, how long before asking again. */
  static final long REFUSED_PAUSE_MILLIS = 200;
  static final long UNLIMITED = BudgetGrants.UNLIMITED;

  /** One share granted to this node. */
  static final class Share {
    final String id;
    final long cost;
    final long tokens;
    final long requests;
    final boolean opus;
    final long expiresAt;
    /** From when another share is asked for in the background, so requests seldom wait for one. */
    final long renewAt;
    final long revision;
    long costHeld;
    long tokensHeld;
    long requestsTaken;
    int inFlight;
    long lastUsed;
    boolean leaving;

    Share(String id, BudgetGranted granted, boolean opus, long expiresAt, long renewAt, long revision, long now) {
      this.id = id;
      this.cost = granted.costMicros();
      this.tokens = granted.tokens();
      this.requests = granted.requests();
      this.opus = opus;
      this.expiresAt = expiresAt;
      this.renewAt = renewAt;
      this.revision = revision;
      this.lastUsed = now;
    }

    boolean fits(long costEstimate, long tokenEstimate) {
      return (cost == UNLIMITED || costHeld + costEstimate <= cost)
          && (tokens == UNLIMITED || tokensHeld + tokenEstimate <= tokens)
          && (requests == UNLIMITED || requestsTaken < requests);
    }

    /** Half of its room taken, or near the end of its life: time to ask for the next one. */
    boolean low(long now) {
      return now >= renewAt
          || (requests != UNLIMITED && 2 * requestsTaken >= requests)
          || (cost != UNLIMITED && 2 * costHeld >= cost)
          || (tokens != UNLIMITED && 2 * tokensHeld >= tokens);
    }

    /** The window requests it took and no request used. */
    long unusedRequests() {
      return requests == UNLIMITED ? 0 : Math.max(0, requests - requestsTaken);
    }
  }

  /** What one admitted request holds of a share until it ends. */
  record Hold(Share share, long costMicros, long tokens) {}

  private final List<Share> shares = new ArrayList<>();
  private boolean asking;
  /** Requests taken since the last ask started: the demand the next share is sized for. */
  private long takesSinceAsk;
  private CompletableFuture<Void> growth;
  private long askAgainAt;

  /**
   * A hold on the first live share with room for the request, or null.
   *
   * @param opusOnly only a share that counts toward the weekly Opus limit will do (an Opus request of a key
   *     with that limit)
   * @param revision the key's settings revision on the replica now: shares granted under another leave
   */
  synchronized Hold take(long cost, long tokens, boolean opusOnly, long revision, long now) {
    for (Share s : shares) {
      if (s.revision != revision) {
        // Granted under other settings (a limit may have changed): it leaves once its requests ended.
        s.leaving = true;
      }
      if (!s.leaving && now < s.expiresAt && (s.opus || !opusOnly) && s.fits(cost, tokens)) {
        s.costHeld += cost;
        s.tokensHeld += tokens;
        s.requestsTaken++;
        s.inFlight++;
        s.lastUsed = now;
        takesSinceAsk++;
        return new Hold(s, cost, tokens);
      }
    }
    return null;
  }

  /**
   * The request of {@code hold} ended: its estimates are let go and what it really used stays spent on the
   * share (so the share has room for other requests only as far as the key's allowance it was granted goes).
   * It still counts as in flight until {@link #recorded}.
   */
  synchronized void end(Hold hold, long spentCost, long spentTokens, long now) {
    Share s = hold.share();
    s.costHeld += Math.max(0, spentCost) - hold.costMicros();
    s.tokensHeld += Math.max(0, spentTokens) - hold.tokens();
    s.lastUsed = now;
  }

  /**
   * The usage of the request of {@code hold} is recorded at the entity (or kept to be sent again): its share
   * may be given back now without the entity ever counting that usage neither in the share nor as spent.
   */
  synchronized List<Share> recorded(Hold hold, long now) {
    Share s = hold.share();
    s.inFlight = Math.max(0, s.inFlight - 1);
    return leave(now, Long.MAX_VALUE);
  }

  /** The periodic check: shares past their life or idle for {@code idleMillis} leave. */
  synchronized List<Share> check(long now, long idleMillis) {
    return leave(now, idleMillis);
  }

  /** The key no longer takes budget shares (or is gone): every share leaves. */
  synchronized List<Share> dropAll() {
    shares.forEach(s -> s.leaving = true);
    return leave(0, Long.MAX_VALUE);
  }

  /**
   * Whether an ask may start now; when so, one is out until {@link #answered}, and the answer is the requests
   * taken since the last ask (at least 0); else -1.
   */
  synchronized long startAsking(long now) {
    if (asking || now < askAgainAt) {
      return -1;
    }
    asking = true;
    growth = new CompletableFuture<>();
    long taken = takesSinceAsk;
    takesSinceAsk = 0;
    return taken;
  }

  /** Whether every live share is {@link Share#low}: another should be asked for now, in the background. */
  synchronized boolean wantsMore(long now) {
    for (Share s : shares) {
      if (!s.leaving && now < s.expiresAt && !s.low(now)) {
        return false;
      }
    }
    return true;
  }

  /** While an ask is out: what completes once it has been answered; else null. */
  synchronized CompletableFuture<Void> growth() {
    return asking ? growth : null;
  }

  /**
   * The ask that was out has been answered with {@code granted} (null: nothing): the share joins the others.
   * Answers the ask's future, for the caller to complete outside the lock (its waiters then take from it).
   */
  synchronized CompletableFuture<Void> answered(Share granted, long now) {
    asking = false;
    askAgainAt = granted == null ? now + REFUSED_PAUSE_MILLIS : 0;
    if (granted != null) {
      shares.add(0, granted);
    }
    CompletableFuture<Void> done = growth;
    growth = null;
    return done;
  }

  /** Rated cost the shares hold now: the estimates of requests in flight and what ended ones spent. */
  synchronized long costHeld() {
    return shares.stream().mapToLong(s -> s.costHeld).sum();
  }

  synchronized long tokensHeld() {
    return shares.stream().mapToLong(s -> s.tokensHeld).sum();
  }

  synchronized int size() {
    return shares.size();
  }

  synchronized int inFlight() {
    return shares.stream().mapToInt(s -> s.inFlight).sum();
  }

  /** Marks the shares that must leave and takes out those with no request in flight. */
  private List<Share> leave(long now, long idleMillis) {
    List<Share> out = new ArrayList<>();
    for (Iterator<Share> it = shares.iterator(); it.hasNext(); ) {
      Share s = it.next();
      boolean usedUp = s.requests != UNLIMITED && s.requestsTaken >= s.requests;
      if (now >= s.expiresAt || usedUp || (s.inFlight == 0 && now - s.lastUsed >= idleMillis)) {
        s.leaving = true;
      }
      if (s.leaving && s.inFlight == 0) {
        it.remove();
        out.add(s);
      }
    }
    return out;
  }
}
