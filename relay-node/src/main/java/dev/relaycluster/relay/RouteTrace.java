package dev.relaycluster.relay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.session.SessionKeySource;
import dev.relaycluster.scheduling.CandidateReport;
import dev.relaycluster.scheduling.Demand;
import dev.relaycluster.tracing.RequestSpans;
import dev.relaycluster.usage.RequestOutcome;
import dev.relaycluster.usage.UsageRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * What the relay decided for one request, as it went: the session key's source and hash, for each try how
 * the account was routed (the session's binding, a rebinding, or the scheduler) with the pool as it stood, the
 * lease, upstream's status and verdict and what followed, and the end. Written by the request's own path
 * (appends are synchronized: the steps of one request may run on different threads), read as JSON by
 * {@link TraceBook}. The candidates are explained when the trace is read, from the pool snapshot the try
 * saw.
 */
public final class RouteTrace {
  private final String requestId;
  private final String node;
  /**
   * What the trace shows of the call, copied out of it: a kept trace must not hold the call itself, whose body
   * (often hundreds of kilobytes for a coding agent) would stay in memory as long as the trace.
   */
  private final Facts facts;
  private final List<Step> steps = new ArrayList<>(2);
  private String admission = "not admitted yet";
  private End end;
  /** The tries in short, noted whether or not the trace is kept (null: {@link #OFF}, which notes nothing). */
  private final List<ShortTry> shortTries;

  /** The longest {@link #shortForm()}: longer chains end in {@code ...}. */
  static final int SHORT_MAX = 400;

  private static final class ShortTry {
    String how = "?";
    String accountId;
    /** Null until the try has a result (most tries: one, the success). */
    String result;

    void result(String r) {
      result = result == null ? r : result + ',' + r;
    }
  }

  /**
   * How the request ended, as the trace shows it. Kept as fields, not as the JSON it becomes when read: a node
   * keeps its last {@code relay.trace.capacity} traces, which outlive young collections: every object a trace
   * holds is copied by them and, with the trace, promoted to the old generation.
   */
  private record End(int status, String outcome, String accountId, int attempts, long durationMs, long firstByteMs,
      String errorType) {}

  private static final class Step {
    final int attempt;
    final long at;
    final Collection<PoolEntry> pool;
    final Demand demand;
    final Set<String> excluded;
    String routedBy;
    String accountId;
    String lease;
    Integer upstreamStatus;
    String verdict;
    long upstreamMillis = -1;
    String next;

    Step(int attempt, long at, Collection<PoolEntry> pool, Demand demand, Set<String> excluded) {
      this.attempt = attempt;
      this.at = at;
      this.pool = pool;
      this.demand = demand;
      this.excluded = excluded;
    }
  }

  /** A trace that records nothing (WebSocket turns, a node that keeps no traces). */
  static final RouteTrace OFF = new RouteTrace(null, null, false, RequestSpans.NONE);

  private final boolean kept;
  private final RequestSpans spans;
  private final Consumer<RouteTrace> whenNotable;

  /** @param kept whether the steps are kept for reading; {@code spans} are told each step either way */
  private record Facts(long startedAt, DialectId dialect, String pool, String endpoint, String model, String keyId,
      String keyName, SessionKeySource sessionSource, String sessionValue) {
    static Facts of(RelayCall call) {
      java.util.Optional<dev.relaycluster.protocol.session.SessionKey> session = call.sessionKey();
      return new Facts(call.startedAtMillis(), call.dialect().id(), call.pool(), call.endpoint(),
          call.request().model(), call.key().id(), call.key().name(), session.map(k -> k.source()).orElse(null),
          session.map(k -> k.value()).orElse(null));
    }
  }

  RouteTrace(String node, RelayCall call, boolean kept, RequestSpans spans) {
    this(node, call, kept, spans, trace -> {});
  }

  /** @param whenNotable told a kept trace whose request did more than succeed on its first try, when it ends */
  RouteTrace(String node, RelayCall call, boolean kept, RequestSpans spans, Consumer<RouteTrace> whenNotable) {
    this.whenNotable = whenNotable;
    this.requestId = call == null ? null : call.requestId();
    this.node = node;
    this.facts = call == null || !kept ? null : Facts.of(call);
    this.kept = kept;
    this.spans = spans;
    this.shortTries = call == null ? null : new ArrayList<>(2);
  }

  public String requestId() {
    return requestId;
  }

  synchronized void admitted() {
    spans.admitted(true, 0, null);
    if (!kept) {
      return;
    }
    admission = "admitted";
  }

  synchronized void refused(int status, String message) {
    spans.admitted(false, status, message);
    if (!kept) {
      return;
    }
    admission = "refused with " + status + ": " + message;
  }

  /** A try begins: the pool as this node saw it, what the request needs, the accounts already tried. */
  synchronized void routing(int attempt, Collection<PoolEntry> pool, Demand demand, Set<String> excluded) {
    spans.routing(attempt);
    if (shortTries != null) {
      shortTries.add(new ShortTry());
    }
    if (!kept) {
      return;
    }
    steps.add(new Step(attempt, System.currentTimeMillis(), pool, demand, excluded));
  }

  synchronized void routed(String how, String accountId) {
    spans.routed(how, accountId);
    ShortTry t = currentShort();
    if (t != null) {
      t.how = routeCode(how);
      t.accountId = accountId;
    }
    if (!kept) {
      return;
    }
    Step s = current();
    if (s != null) {
      s.routedBy = how;
      s.accountId = accountId;
    }
  }

  synchronized void lease(String outcome) {
    spans.leased(outcome.startsWith("granted"), outcome);
    ShortTry t = currentShort();
    if (t != null && !outcome.startsWith("granted")) {
      t.result("lease-refused");
    }
    if (!kept) {
      return;
    }
    Step s = current();
    if (s != null) {
      s.lease = outcome;
    }
  }

  /** Upstream's answer on the current try: its status (null: none came), the verdict, and what came next. */
  /** A call to upstream starts; the headers that carry the trace context upstream (none unless allowed). */
  synchronized java.util.Map<String, String> calling(int attempt, String accountId, String platform) {
    return spans.calling(attempt, accountId, platform);
  }

  synchronized void answered(Integer status, String verdict, long millis, String next) {
    spans.answered(status, verdict);
    ShortTry t = currentShort();
    if (t != null) {
      String v = verdict == null || verdict.equals("success") ? null
          : verdict.equals("answered by the relay") ? "local" : verdict.replace(' ', '-');
      t.result(status == null ? String.valueOf(v) : v == null ? status.toString() : status + " " + v);
    }
    if (!kept) {
      return;
    }
    Step s = current();
    if (s != null) {
      s.upstreamStatus = status;
      s.verdict = verdict;
      s.upstreamMillis = millis;
      s.next = next;
    }
  }

  /** What followed the current try, when it is decided after its answer (failing over, giving up). */
  synchronized void then(String next) {
    Step s = current();
    if (kept && s != null) {
      s.next = next;
    }
  }

  void ended(UsageRecord usage) {
    boolean notable;
    synchronized (this) {
      spans.ended(usage.status(), usage.outcome().name(), usage.inputTokens(), usage.outputTokens());
      if (!kept) {
        return;
      }
      end = new End(usage.status(), usage.outcome().name(), usage.accountId(), usage.attempts(), usage.durationMs(),
          usage.firstByteMs(), usage.errorType());
      notable = notable(usage);
    }
    if (notable) {
      whenNotable.accept(this);
    }
  }

  /**
   * Whether the request did more than succeed on its first try: it was refused or failed, failed over, or its
   * one try took more than one answer (a token refreshed and the call made again).
   */
  private boolean notable(UsageRecord usage) {
    if (usage.outcome() != RequestOutcome.COMPLETED || usage.status() >= 400 || shortTries.size() != 1) {
      return true;
    }
    String result = shortTries.get(0).result;
    return result == null || result.length() != 3 || result.charAt(0) != '2';
  }

  /** The request's usage landed in its key's ledger, or was kept on disk to be sent again. */
  void delivered(boolean landed) {
    spans.settled(landed);
  }

  private ShortTry currentShort() {
    return shortTries == null || shortTries.isEmpty() ? null : shortTries.get(shortTries.size() - 1);
  }

  /**
   * The tries in one line, for the request log: each as {@code how:account=result}, joined by {@code " > "}, as
   * {@code session-cached:acc-1=429 rate_limited > scheduler:acc-2=200}. {@code how} is {@code session},
   * {@code session-cached}, {@code session-rebound} or {@code scheduler}; the result is upstream's status with
   * its verdict when it was not a success ({@code 529 overloaded}), or what ended the try without one
   * ({@code timeout}, {@code unreachable}, {@code lease-refused}, ...), several joined by {@code ,} (a 401 that
   * refreshed the token and was tried again: {@code 401 unauthorized,200}); a try that found no account is
   * {@code none}. {@code -} when no try was made (refused before routing); at most {@link #SHORT_MAX} characters.
   * Null for {@link #OFF}, which notes nothing. Works whether or not the trace is kept.
   */
  public synchronized String shortForm() {
    if (shortTries == null) {
      return null;
    }
    if (shortTries.isEmpty()) {
      return "-";
    }
    StringBuilder out = new StringBuilder();
    for (ShortTry t : shortTries) {
      if (out.length() > 0) {
        out.append(" > ");
      }
      if (t.accountId == null) {
        out.append(t.how.equals("?") ? "?" : "none");
        continue;
      }
      out.append(t.how).append(':').append(t.accountId);
      if (t.result != null) {
        out.append('=').append(t.result);
      }
    }
    return out.length() <= SHORT_MAX ? out.toString() : out.substring(0, SHORT_MAX - 3) + "...";
  }

  /** A routing decision in one word: how the trace's text for it begins. */
  static String routeCode(String how) {
    if (how.startsWith("none")) {
      return "none";
    }
    if (how.startsWith("session (cached")) {
      return "session-cached";
    }
    if (how.startsWith("session (rebound")) {
      return "session-rebound";
    }
    if (how.startsWith("session")) {
      return "session";
    }
    if (how.startsWith("scheduler")) {
      return "scheduler";
    }
    int end = how.indexOf(' ');
    return end < 0 ? how : how.substring(0, end);
  }

  private Step current() {
    return steps.isEmpty() ? null : steps.get(steps.size() - 1);
  }

  /** The trace as JSON; {@code names} gives account names, {@code lastUsedAt} the order's last tie-break. */
  synchronized ObjectNode toJson(java.util.function.Function<String, String> names, double maxCoolingShare,
      ToLongFunction<String> lastUsedAt) {
    ObjectNode t = JsonNodeFactory.instance.objectNode();
    t.put("requestId", requestId).put("node", node)
        .put("startedAt", Instant.ofEpochMilli(facts.startedAt()).toString())
        .put("dialect", facts.dialect().name().toLowerCase(Locale.ROOT)).put("pool", facts.pool())
        .put("endpoint", facts.endpoint()).put("model", facts.model());
    t.putObject("key").put("id", facts.keyId()).put("name", facts.keyName());
    ObjectNode session = t.putObject("session");
    if (facts.sessionSource() != null) {
      session.put("source", facts.sessionSource().name().toLowerCase(Locale.ROOT)).put("hash",
          dev.relaycluster.protocol.util.Hashing.sha256Hex(facts.keyId() + "\n" + facts.sessionValue()).substring(0, 12));
    } else {
      session.put("source", "none");
    }
    t.put("admission", admission);
    ArrayNode tries = t.putArray("attempts");
    for (Step s : steps) {
      ObjectNode a = tries.addObject();
      a.put("attempt", s.attempt).put("at", Instant.ofEpochMilli(s.at).toString());
      a.put("routedBy", s.routedBy);
      a.put("accountId", s.accountId).put("accountName", s.accountId == null ? null : names.apply(s.accountId));
      a.put("lease", s.lease);
      if (s.upstreamStatus != null) {
        a.put("upstreamStatus", s.upstreamStatus);
      }
      a.put("verdict", s.verdict);
      if (s.upstreamMillis >= 0) {
        a.put("upstreamMs", s.upstreamMillis);
      }
      a.put("then", s.next);
      ArrayNode candidates = a.putArray("candidates");
      for (CandidateReport.Candidate c : CandidateReport.explain(s.pool, s.demand, s.excluded, s.at, maxCoolingShare,
          lastUsedAt)) {
        ObjectNode o = candidates.addObject().put("accountId", c.accountId()).put("name", c.name());
        if (c.rank() > 0) {
          o.put("rank", c.rank());
        }
        if (c.why() != null) {
          o.put("why", c.why());
        }
      }
    }
    if (end != null) {
      ObjectNode e = t.putObject("end");
      e.put("status", end.status()).put("outcome", end.outcome()).put("accountId", end.accountId())
          .put("attempts", end.attempts()).put("durationMs", end.durationMs()).put("firstByteMs", end.firstByteMs());
      if (end.errorType() != null) {
        e.put("errorType", end.errorType());
      }
    }
    return t;
  }
}
