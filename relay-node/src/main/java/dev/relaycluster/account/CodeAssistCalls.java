package dev.relaycluster.account;

import dev.relaycluster.protocol.gemini.CodeAssistQuota;
import dev.relaycluster.protocol.gemini.CodeAssistSetup;
import dev.relaycluster.protocol.gemini.CodeAssistSetup.Found;
import dev.relaycluster.protocol.gemini.CodeAssistSetup.Loaded;
import dev.relaycluster.protocol.gemini.CodeAssistSetup.Onboard;
import dev.relaycluster.protocol.gemini.CodeAssistSetup.Operation;
import dev.relaycluster.protocol.gemini.CodeAssistSetup.Refused;
import dev.relaycluster.protocol.gemini.CodeAssistSetup.Step;
import dev.relaycluster.protocol.util.Json;
import dev.relaycluster.upstream.ProxySpec;
import dev.relaycluster.upstream.UpstreamFailures;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * The Code Assist calls a Google login's account needs besides requests, with its access token, through
 * its proxy: finding its project ({@code loadCodeAssist}, then {@code onboardUser} and polling the operation
 * every {@code pollInterval}, at most {@code maxPolls} times, when the user is on no tier yet), and reading
 * its quota ({@code retrieveUserQuota}). A refusal that is the login's (401, 403, a 4xx but 429, or no
 * usable project) is an {@link OAuthException} with {@code rejected = true}; Google's error message is
 * repeated, never a token.
 */
final class CodeAssistCalls {
  private static final int MAX_MESSAGE = 300;

  private final OAuthCalls calls;
  private final Duration pollInterval;
  private final int maxPolls;

  CodeAssistCalls(OAuthCalls calls, Duration pollInterval, int maxPolls) {
    this.calls = calls;
    this.pollInterval = pollInterval;
    this.maxPolls = maxPolls;
  }

  /**
   * The project the account's calls are to name, found as Gemini CLI finds it; {@code project} is the
   * operator's own (null: none), used where Google names none.
   */
  CompletionStage<String> discover(String baseUrl, String accessToken, String project, ProxySpec proxy) {
    return post(baseUrl, "loadCodeAssist", CodeAssistSetup.loadCodeAssistBody(project), accessToken, proxy)
        .thenCompose(body -> {
          Loaded loaded = read(() -> CodeAssistSetup.readLoad(body));
          Step step = CodeAssistSetup.next(loaded, project);
          if (step instanceof Onboard onboard) {
            return post(baseUrl, "onboardUser", CodeAssistSetup.onboardBody(onboard.tierId(), project), accessToken,
                proxy)
                .thenCompose(first -> poll(baseUrl, accessToken, proxy, read(() -> CodeAssistSetup.readOperation(first)),
                    maxPolls))
                .thenApply(done -> project(CodeAssistSetup.afterOnboarding(done, loaded, onboard.tierId(), project)));
          }
          return CompletableFuture.completedFuture(project(step));
        });
  }

  /** The account's quota buckets now. */
  CompletionStage<QuotaSnapshot> quota(String baseUrl, String accessToken, String project, ProxySpec proxy) {
    return post(baseUrl, "retrieveUserQuota", CodeAssistQuota.requestBody(project), accessToken, proxy)
        .thenApply(body -> new QuotaSnapshot(System.currentTimeMillis(), read(() -> CodeAssistQuota.read(body))));
  }

  private CompletionStage<Operation> poll(String baseUrl, String accessToken, ProxySpec proxy, Operation op,
      int pollsLeft) {
    if (op.done()) {
      return CompletableFuture.completedFuture(op);
    }
    if (op.name() == null) {
      return CompletableFuture.failedFuture(new OAuthException(
          "project discovery: onboardUser is not done and names no operation to wait for", false));
    }
    if (pollsLeft <= 0) {
      return CompletableFuture.failedFuture(new OAuthException(
          "project discovery: onboarding the Google account did not finish in time; try again", false));
    }
    Duration wait = pollInterval;
    return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS))
        .thenCompose(v -> call(HttpRequest.GET(base(baseUrl) + "/v1internal/" + op.name()), accessToken, proxy,
            "onboarding"))
        .thenCompose(body -> poll(baseUrl, accessToken, proxy, read(() -> CodeAssistSetup.readOperation(body)),
            pollsLeft - 1));
  }

  private static String project(Step step) {
    if (step instanceof Found found) {
      return found.project();
    }
    throw new OAuthException("project discovery: " + ((Refused) step).message(), true);
  }

  private CompletionStage<byte[]> post(String baseUrl, String method, byte[] body, String accessToken,
      ProxySpec proxy) {
    return call(HttpRequest.create(base(baseUrl) + "/v1internal:" + method).withMethod(HttpMethods.POST)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body)), accessToken, proxy, method);
  }

  private CompletionStage<byte[]> call(HttpRequest request, String accessToken, ProxySpec proxy, String what) {
    HttpRequest authorized = request.addHeader(RawHeader.create("authorization", "Bearer " + accessToken))
        .addHeader(RawHeader.create("accept", "application/json"));
    return calls.bounded(authorized, proxy)
        .exceptionally(t -> {
          throw new OAuthException(what + ": Code Assist is unreachable (" + UpstreamFailures.describe(t) + ")",
              false);
        })
        .thenCompose(calls::strict)
        .thenApply(answer -> {
          int status = answer.status();
          if (status == 200) {
            return answer.body();
          }
          boolean rejected = status >= 400 && status < 500 && status != 429;
          String why = message(answer.body());
          throw new OAuthException(what + " refused (" + status + ")" + (why == null ? "" : ": " + why)
              + (status == 401 ? " (the access token is not valid)" : ""), rejected);
        });
  }

  private static <T> T read(java.util.function.Supplier<T> reading) {
    try {
      return reading.get();
    } catch (IllegalArgumentException e) {
      throw new OAuthException(e.getMessage(), false);
    }
  }

  /** Google's {@code error.message}, shortened; null when the body has none. */
  private static String message(byte[] body) {
    String m = body == null ? null : Json.tryParse(body).map(n -> Json.text(n.path("error"), "message")).orElse(null);
    return m == null || m.isBlank() ? null : m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "…" : m;
  }

  private static String base(String baseUrl) {
    return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }
}
