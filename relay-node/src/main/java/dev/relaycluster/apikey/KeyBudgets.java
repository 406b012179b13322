package dev.relaycluster.apikey;

import dev.relaycluster.cluster.LeaseBook;
import dev.relaycluster.cluster.LeaseHolder;
import dev.relaycluster.usage.UsageRecord;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * This node's budget shares of keys with a rate window or a cost limit ({@link AdmissionMode#BUDGET}), so
 * that most of their requests are admitted without asking the key's entity. A share is part of the key's
 * allowance that the entity granted this node ({@link ApiKeyEntity.GrantBudget}, decided by
 * {@link BudgetGrants}): rated cost, window tokens and window requests, reserved at the entity like a
 * request's estimate, as an ordinary lease held by this node's {@link LeaseHolder} and noted in its
 * {@link LeaseBook} (so it goes when this node dies, and comes back, at the most its id names, when the
 * entity restarts). A request is admitted on a share with room for its estimate; when it ends, its estimate
 * is let go and its real cost and tokens stay spent on the share. A request that finds no room makes the node
 * ask for another share (one ask per key at a time, sized by {@link BudgetSizing}) and waits for the answer;
 * if that brought no room, the request asks the entity as before, which decides with every share counted.
 * Once every share is half taken or near the end of its life, a request that still found room starts the
 * next ask in the background, so that on a busy node requests seldom wait for one.
 * A share lives {@link #LIFE} at most (and never past its rate window's end); it is given back once it
 * no longer lives, its window requests are all taken or it sat unused for {@link #IDLE}, and once the usage
 * of each of its requests is recorded at the entity, with the window requests it did not use. A request on a
 * share settles under its request id and the share's ({@link BudgetLease#settleId}): the entity takes what it
 * spent off the share's reservation as it counts it as spent. One per node; safe for any thread.
 */
public final class KeyBudgets {
  /** How often the node looks for shares to give back. */
  public static final Duration CHECK_EVERY = Duration.ofMillis(500);
  /** How long a share is used at most: a node holds no part of a key's allowance for long. */
  public static final Duration LIFE = Duration.ofSeconds(2);
  /** How long a share sits unused before it is given back. */
  public static final Duration IDLE = Duration.ofSeconds(1);

  /** The keys' entities, as the shares use them. */
  public interface Entities {
    CompletionStage<BudgetGranted> grant(String keyId, String leaseId, long minCostMicros, long minTokens);

    void giveBack(String keyId, String leaseId, long unusedRequests);
  }

  /** What one request admitted on a share holds until it {@link #end}s. */
  public static final class Ticket {
    private final String keyId;
    private final NodeBudget budget;
    private final NodeBudget.Hold hold;

    private Ticket(String keyId, NodeBudget budget, NodeBudget.Hold hold) {
      this.keyId = keyId;
      this.budget = budget;
      this.hold = hold;
    }

    public String keyId() {
      return keyId;
    }

    /** The lease id of the share it holds. */
    public String shareId() {
      return hold.share().id;
    }
  }

  private final ConcurrentHashMap<String, NodeBudget> budgets = new ConcurrentHashMap<>();
  private final Entities entities;
  private final LeaseBook book;
  private final LongSupplier clock;
  private final String leasePrefix;
  private final AtomicLong counter = new AtomicLong();

  /** @param node names this node in lease ids (with a random part, so ids are unique across restarts too) */
  public KeyBudgets(Entities entities, LeaseBook book, LongSupplier clock, String node) {
    this.entities = entities;
    this.book = book;
    this.clock = clock;
    this.leasePrefix = Integer.toHexString(node.hashCode()) + "-" + UUID.randomUUID().toString().substring(0, 8) + "-";
  }

  /** The node's budget shares, asking the keys' entities through sharding, checked every {@link #CHECK_EVERY}. */
  public static KeyBudgets start(ActorSystem<?> system, ActorRef<LeaseHolder.Command> holder, LeaseBook book,
      Duration askTimeout) {
    ClusterSharding sharding = ClusterSharding.get(system);
    Entities entities = new Entities() {
      @Override
      public CompletionStage<BudgetGranted> grant(String keyId, String leaseId, long minCostMicros, long minTokens) {
        return sharding.entityRefFor(ApiKeyEntity.ENTITY_TYPE_KEY, keyId).<BudgetGranted>ask(
            r -> new ApiKeyEntity.GrantBudget(leaseId, minCostMicros, minTokens, holder, r), askTimeout);
      }

      @Override
      public void giveBack(String keyId, String leaseId, long unusedRequests) {
        sharding.entityRefFor(ApiKeyEntity.ENTITY_TYPE_KEY, keyId)
            .tell(new ApiKeyEntity.ReturnBudget(leaseId, unusedRequests));
      }
    };
    KeyBudgets budgets = new KeyBudgets(entities, book, System::currentTimeMillis, system.address().toString());
    system.scheduler().scheduleWithFixedDelay(CHECK_EVERY, CHECK_EVERY, budgets::check, system.executionContext());
    return budgets;
  }

  /**
   * A ticket on one of this node's shares of the key for the request, or null: the key takes no budget
   * shares (those it had leave), or no share has room and an ask for more did not bring any. A request that
   * finds no room waits for the ask that is out (or the one it starts). A ticket must be {@link #end}ed.
   */
  public CompletionStage<Ticket> acquire(KeyEntry key, RequestFacts facts) {
    Ticket ticket = takeNow(key, facts);
    if (ticket != null || AdmissionMode.of(key) != AdmissionMode.BUDGET) {
      return CompletableFuture.completedFuture(ticket);
    }
    NodeBudget budget = budgets.computeIfAbsent(key.id(), id -> new NodeBudget());
    ask(key, facts, budget);
    CompletableFuture<Void> growing = budget.growth();
    if (growing == null) {
      // No ask out: none could start (one just failed), or it was answered already.
      return CompletableFuture.completedFuture(takeNow(key, facts));
    }
    return growing.thenApply(done -> takeNow(key, facts));
  }

  /** A ticket on a share with room now, or null, without asking for more. */
  public Ticket takeNow(KeyEntry key, RequestFacts facts) {
    if (AdmissionMode.of(key) != AdmissionMode.BUDGET) {
      NodeBudget gone = key == null ? null : budgets.get(key.id());
      if (gone != null) {
        giveBack(key.id(), gone.dropAll());
      }
      return null;
    }
    NodeBudget budget = budgets.get(key.id());
    if (budget == null) {
      return null;
    }
    long now = clock.getAsLong();
    NodeBudget.Hold hold = budget.take(Math.max(0, facts.estimatedCostMicros()), Math.max(0, facts.estimatedTokens()),
        opusOnly(key, facts), key.revision(), now);
    if (hold == null) {
      return null;
    }
    if (budget.wantsMore(now)) {
      // The shares run low: the next one is asked for now, while this one still admits requests.
      ask(key, facts, budget);
    }
    return new Ticket(key.id(), budget, hold);
  }

  /** The request of {@code ticket} ended, with its usage (null: none, it used nothing). */
  public void end(Ticket ticket, UsageRecord usage) {
    long cost = usage == null ? 0 : ApiKeyState.ratedCost(usage);
    long tokens = usage == null ? 0 : usage.totalTokens();
    ticket.budget.end(ticket.hold, cost, tokens, clock.getAsLong());
  }

  /**
   * The usage of the request of {@code ticket} (ended before) is recorded at the entity or kept to be sent
   * again: only then may its share be given back, so the entity never stops counting the share before it
   * counts that usage.
   */
  public void recorded(Ticket ticket) {
    giveBack(ticket.keyId, ticket.budget.recorded(ticket.hold, clock.getAsLong()));
  }

  /** A ticket not used after all (its request went to the entity instead): nothing was spent on it. */
  public void cancel(Ticket ticket) {
    end(ticket, null);
    recorded(ticket);
  }

  /** Gives back the shares that no longer live or sat unused too long. */
  public void check() {
    long now = clock.getAsLong();
    budgets.forEach((keyId, budget) -> giveBack(keyId, budget.check(now, IDLE.toMillis())));
  }

  /** Shares of the key on this node now. */
  public int shares(String keyId) {
    NodeBudget budget = budgets.get(keyId);
    return budget == null ? 0 : budget.size();
  }

  private void ask(KeyEntry key, RequestFacts facts, NodeBudget budget) {
    long now = clock.getAsLong();
    long recent = budget.startAsking(now);
    if (recent < 0) {
      return;
    }
    KeyLimits limits = key.settings().limits();
    long cost = Math.max(0, facts.estimatedCostMicros());
    long tokens = Math.max(0, facts.estimatedTokens());
    boolean opus = opusOnly(key, facts);
    long requests = BudgetSizing.requestsToAsk(limits.rateWindow() == null ? 0 : limits.rateWindow().maxRequests(),
        recent);
    BudgetLease lease = BudgetLease.of(leasePrefix + counter.incrementAndGet(),
        BudgetSizing.toAsk(cost, budget.costHeld()), BudgetSizing.toAsk(tokens, budget.tokensHeld()), requests, opus);
    String entity = ApiKeyEntity.persistenceId(key.id()).id();
    // Noted before asking: an entity restarting meanwhile learns of the share from this node's holder.
    book.held(entity, lease.id());
    long revision = key.revision();
    entities.grant(key.id(), lease.id(), cost, tokens).whenComplete((granted, failure) -> {
      long at = clock.getAsLong();
      NodeBudget.Share share = null;
      if (failure == null && granted != null && granted.granted()) {
        long life = at + LIFE.toMillis();
        long end = granted.windowEnd() > 0 ? Math.min(life, granted.windowEnd()) : life;
        share = new NodeBudget.Share(lease.id(), granted, opus, end, end - LIFE.toMillis() / 4, revision, at);
      } else {
        // Not granted, or the ask gave up (the entity may have granted it after all): give it back.
        book.released(entity, lease.id());
        entities.giveBack(key.id(), lease.id(), requests);
      }
      CompletableFuture<Void> answered = budget.answered(share, at);
      if (answered != null) {
        answered.complete(null);
      }
    });
  }

  /** An Opus request of a key with a weekly Opus limit needs a share that counts toward that limit. */
  private static boolean opusOnly(KeyEntry key, RequestFacts facts) {
    return facts.opus() && key.settings().limits().weeklyOpusCostMicros() > 0;
  }

  private void giveBack(String keyId, List<NodeBudget.Share> shares) {
    if (shares.isEmpty()) {
      return;
    }
    String entity = ApiKeyEntity.persistenceId(keyId).id();
    for (NodeBudget.Share s : shares) {
      entities.giveBack(keyId, s.id, s.unusedRequests());
      book.released(entity, s.id);
    }
  }
}
