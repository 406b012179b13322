package dev.relaycluster.upstream;

import dev.relaycluster.protocol.dialect.AnswerFraming;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;

/**
 * How one type of upstream account is called (ARCHITECTURE.md §2): the dialect it speaks, the request
 * built from a client call and the account's credential, which response headers say something about
 * the account's health, and how an answer is judged ({@link AnswerVerdict}, through the vendor's pure
 * {@code *Answers} rules in {@code protocol}). Stateless; one instance per account type in {@link Platforms}.
 */
public interface Platform {

  /** The account type this platform serves ("claude-oauth", "codex-oauth", …). */
  String accountType();

  /** The pool its accounts belong to ("claude", "openai", …). */
  String pool();

  /** The dialect its upstream speaks (the one a request in another dialect is converted to). */
  DialectId dialect();

  /**
   * Whether its upstream takes requests in {@code clientDialect} as they are (an OpenAI API account takes
   * Chat Completions as well as Responses); a request in a dialect it does not speak is converted to
   * {@link #dialect()}.
   */
  default boolean speaks(DialectId clientDialect) {
    return clientDialect == dialect();
  }

  /** Whether its credential is an OAuth access token that its account entity refreshes. */
  boolean oauth();

  /** Whether its upstream answers only streams (a client's whole answer is then added up from one). */
  default boolean streamsOnly() {
    return false;
  }

  /** Whether it serves the client dialect's endpoint ("messages", "responses", "compact", …). */
  boolean serves(String endpoint);

  /** The upstream request for {@code call} made with {@code credential}. */
  HttpRequest request(UpstreamCall call, Credential credential);

  /**
   * The upstream WebSocket handshake for a client's socket on {@code call}'s endpoint (the Responses
   * WebSocket mode), or empty when this platform has no socket mode.
   */
  default java.util.Optional<WebSocketRequest> socketRequest(UpstreamCall call, Credential credential) {
    return java.util.Optional.empty();
  }

  /**
   * How this platform's successful answers to {@code call} are decoded into its own dialect's framing before
   * anything reads them (the usage tap, the first-byte wait, {@link #framing}, a conversion): identity unless its
   * upstream frames answers otherwise than the dialect it speaks (Bedrock's binary event stream for Anthropic
   * SSE). A stream is decoded chunk by chunk ({@link AnswerFraming#newStream()}), a whole answer at once.
   */
  default AnswerFraming decoding(UpstreamCall call) {
    return AnswerFraming.IDENTITY;
  }

  /**
   * An error answer's body said in this platform's dialect (same status), or null when upstream's body already
   * is one (the default): what a client of that dialect, or a conversion from it, reads.
   */
  default byte[] dialectErrorBody(int status, HttpResponse response, byte[] body) {
    return null;
  }

  /**
   * How this platform's successful answers to {@code call} are re-framed for the client (ARCHITECTURE §1
   * step 8): identity unless the upstream frames them otherwise than the client asked (the Code Assist
   * envelope, a JSON-array stream from an SSE one).
   */
  default AnswerFraming framing(UpstreamCall call) {
    return AnswerFraming.IDENTITY;
  }

  /**
   * An answer this platform gives itself, without calling upstream, to a call its upstream has no method
   * for but the client needs answered to go on (a Code Assist side call on a Gemini API-key account);
   * empty to call upstream. It is recorded as a zero-token request of the account.
   */
  default java.util.Optional<HttpResponse> localAnswer(UpstreamCall call, Credential credential) {
    return java.util.Optional.empty();
  }

  /**
   * The message of an upstream error body that is not in a client dialect's shape, so that the relay says it
   * again in the client's dialect; null (the default) when this platform's error bodies are the dialect's
   * own and pass unchanged to a client of the same dialect.
   */
  default String foreignErrorMessage(int status, byte[] body) {
    return null;
  }

  /** Whether a response header (lower-case name) carries health news that {@link #classify} reads. */
  boolean healthHeader(String lowerCaseName);

  /**
   * What an answer says about the account: {@code headers} are the health headers only (lower-case
   * names), {@code body} the error body or null for a success.
   */
  AnswerVerdict classify(int status, Map<String, String> headers, byte[] body, long nowMillis);

  /**
   * What an error event inside a started stream says about the account ({@code errorJson} is the event's
   * JSON, {@code errorType} its type); null when it says nothing.
   */
  AnswerVerdict classifyStreamError(String errorType, byte[] errorJson, long nowMillis);

  /** A cheap model to send the admin's one-token test request to. */
  String probeModel();

  /** The admin's one-token test request with {@code model}: the smallest real request of this platform's dialect. */
  UpstreamCall probe(String model);

  /**
   * How this account's answers name the model that served them, for pricing and the usage record: given the
   * model upstream reported (null when it named none), the one to price, or null to price the model the
   * client asked for. Upstream's name unless the account serves a model under a name of its own (a cloud
   * deployment) and its settings say which model that is. The function keeps no secret of the credential.
   */
  default java.util.function.UnaryOperator<String> servedModels(Credential credential) {
    return java.util.function.UnaryOperator.identity();
  }

  /** The model family cooldowns of this platform are kept per ("opus", "sonnet", …; "other"). */
  String modelFamily(String model);

  /** The health headers of a response, by lower-case name. */
  default Map<String, String> healthHeaders(HttpResponse response) {
    Map<String, String> out = new java.util.HashMap<>();
    for (HttpHeader h : response.getHeaders()) {
      String name = h.lowercaseName();
      if (healthHeader(name)) {
        out.put(name, h.value());
      }
    }
    return out;
  }

  /** Upstream response headers the client may see (rate-limit headers, request ids, retry-after). */
  default List<HttpHeader> clientHeaders(HttpResponse upstream) {
    List<HttpHeader> out = new ArrayList<>();
    for (HttpHeader h : upstream.getHeaders()) {
      if (HeaderPolicy.forwardToClient(h.lowercaseName())) {
        out.add(h);
      }
    }
    return out;
  }
}
