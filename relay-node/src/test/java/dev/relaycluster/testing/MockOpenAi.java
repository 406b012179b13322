package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mock OpenAI upstream on a raw socket (one thread per connection, HTTP/1.1 keep-alive, chunked SSE
 * flushed in pieces whose borders fall inside events and inside multi-byte characters), serving both
 * kinds of Codex account:
 * <ul>
 *   <li>the OpenAI API (API-key accounts): {@code POST /v1/responses} (SSE when {@code stream:true}, else
 *       the JSON response object), {@code POST /v1/responses/compact}, {@code GET /v1/models}; bearer API
 *       keys, {@code x-ratelimit-*} headers;</li>
 *   <li>the ChatGPT Codex backend (codex-oauth accounts): {@code POST /backend-api/codex/responses} (always
 *       SSE), {@code …/responses/compact}, {@code GET …/models}; a bearer access token issued by this mock's
 *       {@code POST /oauth/token} (or registered by the test) plus a matching {@code chatgpt-account-id};
 *       {@code x-codex-primary-*} (300-minute window) and {@code x-codex-secondary-*} (10080) headers;</li>
 *   <li>WebSocket mode on {@code GET /v1/responses} and {@code GET /backend-api/codex/responses}: one event
 *       JSON per text frame, {@code previous_response_id} valid only on the same connection,
 *       {@code generate:false} prewarms, errors as wrapped error frames;</li>
 *   <li>Chat Completions on the API: {@code POST /v1/chat/completions} (whole or SSE, tool calls, usage chunk on
 *       request), see {@link MockOpenAiChat};</li>
 *   <li>the ChatGPT OAuth token endpoint {@code POST /oauth/token} (form or JSON) with PKCE code exchange and
 *       rotating single-use refresh tokens ({@code refresh_token_reused} on reuse), see {@link MockOpenAiAuth}.</li>
 * </ul>
 * The request's model picks a scenario: {@code mock-429}, {@code mock-limit-in-stream} (a 200 stream whose
 * second event is an {@code error} with usage_limit_reached), {@code mock-limit-failed} (the same as a
 * {@code response.failed} whose response.error is usage_limit_reached: the form codex-rs reads), {@code mock-500},
 * {@code mock-not-included} (429 usage_not_included: the ChatGPT plan lacks the model), {@code mock-break} (stream
 * cut mid-way), {@code mock-tool} or a last user message saying MOCK_TOOL ({@link MockOpenAiTools}: a function
 * call running {@link MockOpenAiEvents#TOOL_COMMAND}; once the
 * input carries its function_call_output, a text answer quoting it), {@code mock-slow} (events 200 ms
 * apart), {@code mock-hang} (no answer for 30 s); any other model answers normally, echoing the model.
 * Over a WebSocket the same models apply: mock-429 / mock-500 answer a wrapped error frame and keep the
 * socket, mock-limit-in-stream sends response.created and the error frame then closes (1011), mock-break
 * drops the socket mid-answer; the codex backend's sockets start each answer with a codex.rate_limits frame.
 * Every answer carries {@code x-request-id} and {@code x-codex-turn-state} (the request's, else a fresh
 * one). Tests can make one credential fail, and read counters and the last request per credential.
 */
public final class MockOpenAi implements AutoCloseable {
  /** The API key accepted without registration. */
  public static final String API_KEY = "sk-mock-openai-key";
  /** The ChatGPT access token and account id accepted without registration. */
  public static final String ACCESS_TOKEN = "mock-chatgpt-access-token";
  public static final String ACCOUNT_ID = "acct-mock-0001";
  public static final String CLIENT_ID = MockOpenAiAuth.CLIENT_ID;
  public static final String REDIRECT_URI = MockOpenAiAuth.REDIRECT_URI;

  public static final int PRIMARY_WINDOW_MINUTES = 300;
  public static final int SECONDARY_WINDOW_MINUTES = 10080;
  public static final long PRIMARY_RESET_AFTER_SECONDS = 9000;
  public static final long SECONDARY_RESET_AFTER_SECONDS = 302400;
  /** mock-429 / failWith(…, 429): usage_limit_reached resets this far ahead (codex backend). */
  public static final long USAGE_LIMIT_RESETS_IN_SECONDS = 3600;
  /** mock-429 / failWith(…, 429): retry-after on the API. */
  public static final int RETRY_AFTER_SECONDS = 20;

  /** Usage of a normal answer (see {@link MockOpenAiEvents} for the tool-call and compaction usage). */
  public static final int INPUT_TOKENS = MockOpenAiEvents.INPUT_TOKENS;
  public static final int CACHED_TOKENS = MockOpenAiEvents.CACHED_TOKENS;
  public static final int OUTPUT_TOKENS = MockOpenAiEvents.OUTPUT_TOKENS;
  public static final int REASONING_TOKENS = MockOpenAiEvents.REASONING_TOKENS;
  public static final int TOTAL_TOKENS = MockOpenAiEvents.TOTAL_TOKENS;
  public static final String TEXT = MockOpenAiEvents.TEXT;

  /** Which upstream a path belongs to. */
  public enum Kind { API, CODEX }

  /**
   * One request as the mock received it; header names lower-case. A WebSocket {@code response.create}
   * frame is recorded too: method {@code WS}, the upgrade's target and headers, the frame as body.
   */
  public record Received(String method, String target, Map<String, String> headers, byte[] body) {
    public String header(String name) {
      return headers.get(name);
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public String path() {
      int q = target.indexOf('?');
      return q < 0 ? target : target.substring(0, q);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        return JSON.missingNode();
      }
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ServerSocket server;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "mock-openai");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closed;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicInteger ids = new AtomicInteger();

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> requestsByCredential = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> hitsByPath = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> upgradesByCredential = new ConcurrentHashMap<>();
  private final AtomicInteger allUpgrades = new AtomicInteger();
  private final Map<String, Received> lastByCredential = new ConcurrentHashMap<>();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final Map<String, Integer> socketTurnFailures = new ConcurrentHashMap<>();
  private final Map<String, ConcurrentLinkedDeque<Integer>> nextFailures = new ConcurrentHashMap<>();
  private final Map<String, double[]> usedPercent = new ConcurrentHashMap<>();

  private final Set<String> apiKeys = ConcurrentHashMap.newKeySet();
  private final MockOpenAiAuth auth = new MockOpenAiAuth(ACCESS_TOKEN, ACCOUNT_ID, this::baseUrl);

  public MockOpenAi() throws IOException {
    server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    apiKeys.add(API_KEY);
    pool.execute(this::acceptLoop);
  }

  // ---- addresses ----

  public int port() {
    return server.getLocalPort();
  }

  /** {@code http://127.0.0.1:<port>} */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** The OpenAI API base, {@code …/v1} (append {@code /responses}). */
  public String apiBaseUrl() {
    return baseUrl() + "/v1";
  }

  /** The ChatGPT Codex backend base, {@code …/backend-api/codex} (append {@code /responses}). */
  public String codexBaseUrl() {
    return baseUrl() + "/backend-api/codex";
  }

  public String tokenUrl() {
    return baseUrl() + "/oauth/token";
  }

  /** {@code ws://127.0.0.1:<port>/v1/responses} or {@code …/backend-api/codex/responses}. */
  public String webSocketUrl(Kind kind) {
    return "ws://127.0.0.1:" + port() + (kind == Kind.API ? "/v1" : "/backend-api/codex") + "/responses";
  }

  // ---- credentials ----

  /** Makes this API key valid (besides {@link #API_KEY}). */
  public void acceptApiKey(String key) {
    apiKeys.add(key);
  }

  /** The OAuth side: issued tokens, codes, refresh counters (also reachable through the delegates below). */
  public MockOpenAiAuth auth() {
    return auth;
  }

  /** Makes this access token valid on the codex backend for this account (with a default user and email). */
  public void acceptAccessToken(String token, String accountId) {
    auth.acceptAccessToken(token, accountId);
  }

  /** The codex backend answers 401 to this access token from now on (an expired or revoked token). */
  public void revokeAccessToken(String token) {
    auth.revokeAccessToken(token);
  }

  /** Issues tokens for an account as a completed login would, without the code exchange. */
  public MockOpenAiAuth.Tokens login(String accountId, String email) {
    return auth.login(accountId, email);
  }

  /** What the authorize page would do after the login: a code bound to this PKCE S256 challenge. */
  public String issueCode(String codeChallenge, String accountId, String email) {
    return auth.issueCode(codeChallenge, accountId, email);
  }

  public boolean refreshTokenLive(String token) {
    return auth.refreshTokenLive(token);
  }

  public boolean accessTokenLive(String token) {
    return auth.accessTokenLive(token);
  }

  /** Calls of the refresh_token grant (answered or refused). */
  public int refreshCalls() {
    return auth.refreshCalls();
  }

  /** Calls of the authorization_code grant. */
  public int exchangeCalls() {
    return auth.exchangeCalls();
  }

  // ---- per-credential behaviour ----

  /**
   * Every model call and WebSocket upgrade made with this credential (an API key, an access token or a
   * chatgpt-account-id) is refused with this status and the upstream's body for it (429: usage_limit_reached
   * on the codex backend, rate_limit_exceeded on the API); status 0 clears it. An open WebSocket answers
   * its next response.create with the wrapped error frame.
   */
  public void failWith(String credential, int status) {
    if (status == 0) {
      failures.remove(credential);
    } else {
      failures.put(credential, status);
    }
  }

  /**
   * WebSocket upgrades with this credential are accepted, but every response.create on them is answered with
   * the wrapped error frame of this status (429: usage_limit_reached on the codex backend), as the backend does
   * when the limit is reached while a socket is open; status 0 clears it.
   */
  public void failSocketTurnsWith(String credential, int status) {
    if (status == 0) {
      socketTurnFailures.remove(credential);
    } else {
      socketTurnFailures.put(credential, status);
    }
  }

  /** The next model calls with this credential fail with these statuses, one each. */
  public void failNext(String credential, int... statuses) {
    ConcurrentLinkedDeque<Integer> q = nextFailures.computeIfAbsent(credential, c -> new ConcurrentLinkedDeque<>());
    for (int s : statuses) {
      q.add(s);
    }
  }

  /** The x-codex-primary/secondary-used-percent this credential's answers report (default 25 and 10). */
  public void usedPercent(String credential, double primary, double secondary) {
    usedPercent.put(credential, new double[] {primary, secondary});
  }

  // ---- what arrived ----

  /** Model calls (POSTs to a responses or compact path, and WebSocket response.create frames) with this credential. */
  public int requests(String credential) {
    AtomicInteger n = requestsByCredential.get(credential);
    return n == null ? 0 : n.get();
  }

  /** HTTP requests to this path (without query), any method, upgrades included. */
  public int pathHits(String path) {
    AtomicInteger n = hitsByPath.get(path);
    return n == null ? 0 : n.get();
  }

  /** Accepted WebSocket upgrades with this credential. */
  public int upgrades(String credential) {
    AtomicInteger n = upgradesByCredential.get(credential);
    return n == null ? 0 : n.get();
  }

  /** All accepted WebSocket upgrades. */
  public int upgrades() {
    return allUpgrades.get();
  }

  /** The last model call with this credential (null if none). */
  public Received last(String credential) {
    return lastByCredential.get(credential);
  }

  public Map<String, String> lastHeaders(String credential) {
    Received r = last(credential);
    return r == null ? null : r.headers();
  }

  public String lastBody(String credential) {
    Received r = last(credential);
    return r == null ? null : r.bodyText();
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public void clear() {
    received.clear();
    requestsByCredential.clear();
    hitsByPath.clear();
    upgradesByCredential.clear();
    allUpgrades.set(0);
    lastByCredential.clear();
  }

  // ---- connection handling ----

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = server.accept();
        pool.execute(() -> serve(socket));
      } catch (IOException e) {
        if (!closed) {
          e.printStackTrace();
        }
      }
    }
  }

  private void serve(Socket socket) {
    sockets.add(socket);
    try (socket) {
      socket.setTcpNoDelay(true);
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (!closed) {
        Received req = read(in);
        if (req == null) {
          return;
        }
        received.add(req);
        hitsByPath.computeIfAbsent(req.path(), p -> new AtomicInteger()).incrementAndGet();
        if (playedFault(req, socket)) {
          return;
        }
        if (!answer(req, in, out) || "close".equalsIgnoreCase(req.header("connection"))) {
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client hung up: nothing to do
    } finally {
      sockets.remove(socket);
    }
  }

  static Received read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] requestLine = lines[0].split(" ");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
            (a, b) -> a + ", " + b);
      }
    }
    byte[] body;
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      while (true) {
        String size = readLine(in);
        int n = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (n == 0) {
          while (!readLine(in).isEmpty()) {
            // trailers
          }
          break;
        }
        all.write(in.readNBytes(n));
        readLine(in);
      }
      body = all.toByteArray();
    } else {
      body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
    }
    return new Received(requestLine[0], requestLine[1], headers, body);
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder s = new StringBuilder();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new EOFException();
      }
      if (b != '\r') {
        s.append((char) b);
      }
    }
    return s.toString();
  }

  /** Answers one request; false when the connection must end. */
  private boolean answer(Received req, InputStream in, OutputStream out) throws IOException, InterruptedException {
    String path = req.path();
    if (path.equals("/oauth/token") && req.method().equals("POST")) {
      return token(req, out);
    }
    Kind kind = path.startsWith("/v1/") ? Kind.API : path.startsWith("/backend-api/codex/") ? Kind.CODEX : null;
    String rest = kind == null ? "" : path.substring(kind == Kind.API ? 3 : 18);
    boolean chat = kind == Kind.API && rest.equals(MockOpenAiChat.PATH);
    if (kind == null || !(chat || rest.equals("/responses") || rest.equals("/responses/compact") || rest.equals("/models"))) {
      return send(out, 404, "Not Found", json404(path), "");
    }
    String credential = bearer(req);
    String account = req.header("chatgpt-account-id");
    boolean upgrade = req.method().equals("GET") && rest.equals("/responses")
        && "websocket".equalsIgnoreCase(req.header("upgrade"));
    if ((chat || rest.startsWith("/responses")) && req.method().equals("POST")) {
      count(requestsByCredential, credential, account);
      remember(req, credential, account);
    } else if (!upgrade && !(rest.equals("/models") && req.method().equals("GET"))) {
      return send(out, 405, "Method Not Allowed", errorJson("Method not allowed", "invalid_request_error", null), "");
    }
    String authError = authenticate(kind, credential, account);
    if (authError != null) {
      int status = authError.startsWith("403") ? 403 : 401;
      return send(out, status, reason(status), authError.substring(4), turnState(req));
    }
    Integer failure = failure(credential, account, !rest.equals("/models"));
    if (failure != null) {
      return fail(out, kind, failure, req, credential, account);
    }
    if (upgrade) {
      allUpgrades.incrementAndGet();
      count(upgradesByCredential, credential, account);
      webSocket(kind, req, in, out, credential, account);
      return false;
    }
    if (rest.equals("/models")) {
      return send(out, 200, "OK", models(kind), commonHeaders(kind, req, credential, account));
    }
    if (chat) {
      return MockOpenAiChat.answer(out, req, commonHeaders(kind, req, credential, account),
          status -> fail(out, kind, status, req, credential, account));
    }
    JsonNode body;
    try {
      body = JSON.readTree(req.body());
    } catch (IOException e) {
      return send(out, 400, "Bad Request",
          errorJson("We could not parse the JSON body of your request.", "invalid_request_error", null), "");
    }
    if (body == null || !body.isObject()) {
      return send(out, 400, "Bad Request", errorJson("The body must be a JSON object.", "invalid_request_error", null),
          "");
    }
    String model = body.path("model").asText("");
    String headers = commonHeaders(kind, req, credential, account);
    if (rest.equals("/responses/compact")) {
      return switch (model) {
        case "mock-429" -> fail(out, kind, 429, req, credential, account);
        case "mock-500" -> fail(out, kind, 500, req, credential, account);
        default -> send(out, 200, "OK", compaction(model, body), headers);
      };
    }
    boolean stream = kind == Kind.CODEX || body.path("stream").asBoolean(false);
    return respond(out, kind, model, body, stream, headers, req, credential, account);
  }

  private boolean respond(OutputStream out, Kind kind, String model, JsonNode body, boolean stream, String headers,
      Received req, String credential, String account) throws IOException, InterruptedException {
    String id = newResponseId();
    String previous = body.hasNonNull("previous_response_id") ? body.get("previous_response_id").asText() : null;
    switch (model) {
      case "mock-429" -> {
        return fail(out, kind, 429, req, credential, account);
      }
      case "mock-not-included" -> {
        ObjectNode error = JSON.createObjectNode().put("type", "usage_not_included")
            .put("message", "Your ChatGPT plan does not include this model.").put("plan_type", "plus");
        return send(out, 429, "Too Many Requests", MockOpenAiEvents.errorBody(error),
            commonHeaders(kind, req, credential, account));
      }
      case "mock-500" -> {
        return fail(out, kind, 500, req, credential, account);
      }
      case "mock-hang" -> {
        Thread.sleep(30_000);
        return false;
      }
      case "mock-limit-in-stream" -> {
        List<ObjectNode> events = MockOpenAiEvents.textEvents(id, model, MockOpenAiEvents.TEXT_DELTAS,
            MockOpenAiEvents.textUsage(), previous);
        ObjectNode error = MockOpenAiEvents.errorEvent(usageLimit());
        error.put("sequence_number", 1);
        streamHead(out, headers);
        chunk(out, MockOpenAiEvents.sse(events.get(0)) + MockOpenAiEvents.sse(error));
        endChunks(out);
        return true; // the chunked body ended whole: the connection stays usable, as a client's pool assumes
      }
      case "mock-limit-failed" -> {
        streamHead(out, headers);
        chunk(out, MockOpenAiEvents.sse(limitFailed(id, model, previous)));
        endChunks(out);
        return true;
      }
      case "mock-break" -> {
        List<ObjectNode> events = MockOpenAiEvents.textEvents(id, model, MockOpenAiEvents.TEXT_DELTAS,
            MockOpenAiEvents.textUsage(), previous);
        String all = MockOpenAiEvents.sse(events.subList(0, 6));
        String next = MockOpenAiEvents.sse(events.get(6));
        streamHead(out, headers);
        chunk(out, all + next.substring(0, next.length() / 2));
        out.flush();
        return false;
      }
      default -> {
        // a normal answer below
      }
    }
    List<ObjectNode> events = answerEvents(id, model, body, previous);
    if (!stream) {
      return send(out, 200, "OK", events.get(events.size() - 1).get("response").toString(), headers);
    }
    streamHead(out, headers);
    if (model.equals("mock-slow")) {
      for (ObjectNode e : events) {
        chunk(out, MockOpenAiEvents.sse(e));
        out.flush();
        Thread.sleep(200);
      }
    } else {
      // Several chunks whose borders fall inside events and inside a multi-byte character.
      byte[] bytes = MockOpenAiEvents.sse(events).getBytes(StandardCharsets.UTF_8);
      int emoji = new String(bytes, StandardCharsets.UTF_8).indexOf("🌍");
      int inside = emoji < 0 ? bytes.length / 2
          : new String(bytes, StandardCharsets.UTF_8).substring(0, emoji).getBytes(StandardCharsets.UTF_8).length + 2;
      int[] cuts = {0, 37, Math.min(inside, bytes.length / 3), bytes.length / 3 + 1, inside, bytes.length - 10,
          bytes.length};
      java.util.Arrays.sort(cuts);
      for (int i = 0; i + 1 < cuts.length; i++) {
        if (cuts[i + 1] > cuts[i]) {
          chunk(out, bytes, cuts[i], cuts[i + 1] - cuts[i]);
          out.flush();
        }
      }
    }
    endChunks(out);
    return true;
  }

  /** The events of a successful answer: text, or for mock-tool a function call until its output comes back. */
  private List<ObjectNode> answerEvents(String id, String model, JsonNode body, String previous) {
    if (model.equals("mock-tool") || triggered(body)) {
      String toolOutput = pendingToolOutput(body.path("input"));
      if (toolOutput == null) {
        String[] call = toolCall(body.path("tools"));
        return MockOpenAiEvents.functionCallEvents(id, model, "call_" + id.substring(5), call[0], call[1],
            MockOpenAiEvents.toolUsage(), previous);
      }
      String text = MockOpenAiEvents.TOOL_RESULT_PREFIX + MockOpenAiTools.withoutReminders(toolOutput).strip();
      int third = Math.max(1, text.length() / 3);
      List<String> deltas = List.of(text.substring(0, third), text.substring(third, 2 * third),
          text.substring(2 * third));
      return MockOpenAiEvents.textEvents(id, model, deltas, MockOpenAiEvents.textUsage(), previous);
    }
    return MockOpenAiEvents.textEvents(id, model, MockOpenAiEvents.TEXT_DELTAS, MockOpenAiEvents.textUsage(),
        previous);
  }

  /** The output of a function_call_output that comes after the last user message, else null. */
  private static String pendingToolOutput(JsonNode input) {
    String output = null;
    if (input.isArray()) {
      for (JsonNode item : input) {
        String type = item.path("type").asText(item.has("role") ? "message" : "");
        if (type.equals("message") && item.path("role").asText().equals("user")) {
          output = null;
        } else if (type.equals("function_call_output")) {
          JsonNode o = item.path("output");
          if (o.isTextual()) {
            output = o.asText();
          } else {
            StringBuilder s = new StringBuilder();
            for (JsonNode part : o) {
              s.append(part.path("text").asText(""));
            }
            output = s.length() > 0 ? s.toString() : o.toString();
          }
        }
      }
    }
    return output;
  }

  /** The name and JSON arguments of the shell call, shaped for the shell tool the request offers. */
  private static String[] toolCall(JsonNode tools) {
    String cmd = MockOpenAiEvents.TOOL_COMMAND;
    for (String name : List.of("exec_command", "shell_command", "shell")) {
      for (JsonNode tool : tools) {
        if (name.equals(tool.path("name").asText())) {
          JsonNode props = tool.path("parameters").path("properties");
          ObjectNode args = JSON.createObjectNode();
          if (props.has("cmd")) {
            args.put("cmd", cmd);
          } else if (props.path("command").path("type").asText().equals("array")) {
            args.putArray("command").add("bash").add("-lc").add(cmd);
          } else {
            args.put("command", cmd);
          }
          return new String[] {name, args.toString()};
        }
      }
    }
    String[] other = MockOpenAiTools.otherShellCall(tools);
    if (other != null) {
      return other;
    }
    ObjectNode args = JSON.createObjectNode();
    args.putArray("command").add("bash").add("-lc").add(cmd);
    return new String[] {"shell", args.toString()};
  }

  private static String compaction(String model, JsonNode body) {
    ObjectNode r = JSON.createObjectNode();
    r.put("id", "resp_cmp_" + UUID.randomUUID().toString().replace("-", "")).put("object", "response.compaction")
        .put("created_at", System.currentTimeMillis() / 1000).put("model", model);
    ArrayNode output = r.putArray("output");
    ObjectNode summary = output.addObject().put("type", "message").put("role", "user");
    summary.putArray("content").addObject().put("type", "input_text").put("text", "Summary of "
        + body.path("input").size() + " items (mock compaction)");
    output.addObject().put("type", "compaction").put("id", "cmp_" + UUID.randomUUID().toString().replace("-", ""))
        .put("encrypted_content", "gAAAAmock-compacted-history");
    r.set("usage", MockOpenAiEvents.compactUsage());
    return r.toString();
  }

  private static String models(Kind kind) {
    ObjectNode r = JSON.createObjectNode();
    r.put("object", "list");
    ArrayNode data = r.putArray("data");
    for (String id : List.of("gpt-5", "gpt-5-codex", "gpt-5.1-codex-max")) {
      data.addObject().put("id", id).put("object", "model").put("created", 1_754_000_000L).put("owned_by", "system");
    }
    if (kind == Kind.CODEX) {
      r.putArray("models");
    }
    return r.toString();
  }

  // ---- WebSocket ----

  private void webSocket(Kind kind, Received req, InputStream in, OutputStream out, String credential,
      String account) throws IOException, InterruptedException {
    String key = req.header("sec-websocket-key");
    if (key == null) {
      send(out, 400, "Bad Request", errorJson("Missing Sec-WebSocket-Key", "invalid_request_error", null), "");
      return;
    }
    out.write(("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\n"
        + "sec-websocket-accept: " + WebSocketFrames.accept(key) + "\r\n"
        + commonHeaders(kind, req, credential, account) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    Set<String> produced = new HashSet<>();
    ByteArrayOutputStream partial = new ByteArrayOutputStream();
    int[] partialOpcode = new int[1];
    while (!closed) {
      WebSocketFrames.Frame frame = WebSocketFrames.read(in, partial, partialOpcode);
      switch (frame.opcode()) {
        case WebSocketFrames.PING -> WebSocketFrames.write(out, WebSocketFrames.PONG, frame.payload());
        case WebSocketFrames.PONG -> { }
        case WebSocketFrames.CLOSE -> {
          WebSocketFrames.write(out, WebSocketFrames.CLOSE, frame.payload().length >= 2
              ? java.util.Arrays.copyOf(frame.payload(), 2) : new byte[0]);
          return;
        }
        case WebSocketFrames.TEXT -> {
          if (!wsMessage(kind, req, frame.text(), out, credential, account, produced)) {
            return;
          }
        }
        default -> {
          WebSocketFrames.writeClose(out, 1003, "text frames only");
          return;
        }
      }
    }
  }

  /** Answers one client text frame; false when the connection must end abruptly. */
  private boolean wsMessage(Kind kind, Received upgrade, String text, OutputStream out, String credential,
      String account, Set<String> produced) throws IOException, InterruptedException {
    JsonNode msg;
    try {
      msg = JSON.readTree(text);
    } catch (IOException e) {
      WebSocketFrames.writeText(out, MockOpenAiEvents.wrappedError(400,
          MockOpenAiEvents.apiError("Invalid JSON in the frame.", "invalid_request_error", "invalid_json"), null)
          .toString());
      return true;
    }
    if (!msg.path("type").asText().equals("response.create")) {
      return true; // response.processed and the like need no answer
    }
    Received frame = new Received("WS", upgrade.target(), upgrade.headers(), text.getBytes(StandardCharsets.UTF_8));
    received.add(frame);
    count(requestsByCredential, credential, account);
    remember(frame, credential, account);
    String model = msg.path("model").asText("");
    Integer failure = failure(credential, account, true);
    if (failure == null) {
      failure = socketTurnFailures.get(credential);
    }
    if (failure == null && model.equals("mock-429")) {
      failure = 429;
    } else if (failure == null && model.equals("mock-500")) {
      failure = 500;
    }
    if (failure != null) {
      ObjectNode headers = JSON.createObjectNode();
      for (String line : failureHeaders(kind, failure, credential, account).split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
      }
      WebSocketFrames.writeText(out,
          MockOpenAiEvents.wrappedError(failure, failureError(kind, failure), headers).toString());
      return true;
    }
    String previous = msg.hasNonNull("previous_response_id") ? msg.get("previous_response_id").asText() : null;
    if (previous != null && !produced.contains(previous)) {
      ObjectNode error = MockOpenAiEvents.apiError("Previous response with id '" + previous + "' not found.",
          "invalid_request_error", "previous_response_not_found");
      error.put("param", "previous_response_id");
      WebSocketFrames.writeText(out, MockOpenAiEvents.wrappedError(400, error, null).toString());
      return true;
    }
    String id = newResponseId();
    produced.add(id);
    List<ObjectNode> events;
    if (msg.has("generate") && !msg.path("generate").asBoolean(true)) {
      events = MockOpenAiEvents.prewarmEvents(id, model, previous);
    } else if (model.equals("mock-limit-failed")) {
      for (ObjectNode e : limitFailed(id, model, previous)) {
        WebSocketFrames.writeText(out, e.toString());
      }
      return true;
    } else if (model.equals("mock-limit-in-stream")) {
      ObjectNode error = MockOpenAiEvents.errorEvent(usageLimit());
      error.put("sequence_number", 1);
      WebSocketFrames.writeText(out, MockOpenAiEvents.textEvents(id, model, MockOpenAiEvents.TEXT_DELTAS,
          MockOpenAiEvents.textUsage(), previous).get(0).toString());
      WebSocketFrames.writeText(out, error.toString());
      WebSocketFrames.writeClose(out, 1011, "usage limit reached");
      return false;
    } else {
      events = answerEvents(id, model, msg, previous);
    }
    if (kind == Kind.CODEX) {
      WebSocketFrames.writeText(out, rateLimitsEvent(credential, account).toString());
    }
    for (int i = 0; i < events.size(); i++) {
      if (model.equals("mock-break") && i == 6) {
        return false; // the socket just ends, no close frame
      }
      WebSocketFrames.writeText(out, events.get(i).toString());
      if (model.equals("mock-slow")) {
        Thread.sleep(200);
      }
    }
    return true;
  }

  /** response.created, then response.failed whose response.error is usage_limit_reached (type and code). */
  private static List<ObjectNode> limitFailed(String id, String model, String previous) {
    ObjectNode error = usageLimit();
    error.put("code", "usage_limit_reached");
    ObjectNode created = MockOpenAiEvents.textEvents(id, model, MockOpenAiEvents.TEXT_DELTAS,
        MockOpenAiEvents.textUsage(), previous).get(0);
    ObjectNode failed = MockOpenAiEvents.failedEvent(id, model, error, previous);
    failed.put("sequence_number", 1);
    return List.of(created, failed);
  }

  private ObjectNode rateLimitsEvent(String credential, String account) {
    double[] used = used(credential, account);
    long now = System.currentTimeMillis() / 1000;
    ObjectNode e = JSON.createObjectNode();
    e.put("type", "codex.rate_limits").put("plan_type", "plus");
    ObjectNode limits = e.putObject("rate_limits");
    limits.putObject("primary").put("used_percent", used[0]).put("window_minutes", PRIMARY_WINDOW_MINUTES)
        .put("reset_at", now + PRIMARY_RESET_AFTER_SECONDS);
    limits.putObject("secondary").put("used_percent", used[1]).put("window_minutes", SECONDARY_WINDOW_MINUTES)
        .put("reset_at", now + SECONDARY_RESET_AFTER_SECONDS);
    e.putNull("credits");
    return e;
  }

  // ---- auth, failures, headers ----

  private static String bearer(Received req) {
    String auth = req.header("authorization");
    return auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
  }

  /** Null when the credential is good, else "<status> <body>". */
  private String authenticate(Kind kind, String credential, String account) {
    if (kind == Kind.API) {
      if (credential == null) {
        return "401 " + errorJson("You didn't provide an API key. You need to provide your API key in an "
            + "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", "invalid_request_error",
            null);
      }
      if (!apiKeys.contains(credential)) {
        String shown = credential.length() > 8 ? credential.substring(0, 3) + "*****" + credential.substring(
            credential.length() - 4) : "*****";
        return "401 " + errorJson("Incorrect API key provided: " + shown + ". You can find your API key at "
            + "https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key");
      }
      return null;
    }
    String tokenAccount = credential == null ? null : auth.accountOf(credential);
    if (tokenAccount == null) {
      return "401 " + errorJson("Provided authentication token is expired. Please try signing in again.",
          "invalid_request_error", "token_expired");
    }
    if (account == null || !account.equals(tokenAccount)) {
      return "403 " + errorJson("The chatgpt-account-id header does not match the token's account.",
          "invalid_request_error", "account_mismatch");
    }
    return null;
  }

  private Integer failure(String credential, String account, boolean consumeNext) {
    for (String c : new String[] {credential, account}) {
      if (c == null) {
        continue;
      }
      ConcurrentLinkedDeque<Integer> q = nextFailures.get(c);
      Integer next = consumeNext && q != null ? q.pollFirst() : null;
      if (next != null) {
        return next;
      }
      Integer always = failures.get(c);
      if (always != null) {
        return always;
      }
    }
    return null;
  }

  private boolean fail(OutputStream out, Kind kind, int status, Received req, String credential, String account)
      throws IOException {
    String extra = failureHeaders(kind, status, credential, account);
    StringBuilder headers = new StringBuilder();
    for (String line : commonHeaders(kind, req, credential, account).split("(?<=\r\n)")) {
      String name = line.substring(0, Math.max(0, line.indexOf(':')) + 1);
      if (name.isEmpty() || !extra.contains(name)) {
        headers.append(line); // the failure's own value of a header replaces the normal one
      }
    }
    return send(out, status, reason(status), errorBody(failureError(kind, status)), headers + extra);
  }

  private ObjectNode failureError(Kind kind, int status) {
    return switch (status) {
      case 429 -> kind == Kind.CODEX ? usageLimit() : MockOpenAiEvents.apiError("Rate limit reached for requests. "
          + "Please try again in " + RETRY_AFTER_SECONDS + "s.", "requests", "rate_limit_exceeded");
      case 401 -> kind == Kind.CODEX
          ? MockOpenAiEvents.apiError("Provided authentication token is expired. Please try signing in again.",
              "invalid_request_error", "token_expired")
          : MockOpenAiEvents.apiError("Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
      case 402 -> MockOpenAiEvents.apiError("Payment required.", "invalid_request_error", "deactivated_workspace");
      case 403 -> MockOpenAiEvents.apiError("You are not allowed to sample from this model.", "invalid_request_error",
          "forbidden");
      case 503 -> MockOpenAiEvents.apiError("The server is overloaded or not ready yet.", "server_error",
          "server_is_overloaded");
      default -> MockOpenAiEvents.apiError("The server had an error while processing your request. Sorry about that!",
          "server_error", null);
    };
  }

  private String failureHeaders(Kind kind, int status, String credential, String account) {
    if (status != 429) {
      return "";
    }
    if (kind == Kind.API) {
      return "retry-after: " + RETRY_AFTER_SECONDS + "\r\nx-ratelimit-remaining-requests: 0\r\n"
          + "x-ratelimit-reset-requests: " + RETRY_AFTER_SECONDS + "s\r\n";
    }
    return "x-codex-primary-used-percent: 100\r\n";
  }

  private static ObjectNode usageLimit() {
    return MockOpenAiEvents.usageLimitError(System.currentTimeMillis() / 1000 + USAGE_LIMIT_RESETS_IN_SECONDS,
        USAGE_LIMIT_RESETS_IN_SECONDS);
  }

  private double[] used(String credential, String account) {
    double[] u = credential == null ? null : usedPercent.get(credential);
    if (u == null && account != null) {
      u = usedPercent.get(account);
    }
    return u == null ? new double[] {25, 10} : u;
  }

  /** x-request-id, x-codex-turn-state and the upstream's quota headers ("name: value\r\n" each). */
  private String commonHeaders(Kind kind, Received req, String credential, String account) {
    StringBuilder h = new StringBuilder();
    h.append("x-request-id: req_").append(UUID.randomUUID().toString().replace("-", "")).append("\r\n");
    h.append("openai-processing-ms: 42\r\n");
    h.append(turnState(req));
    if (kind == Kind.API) {
      h.append("openai-version: 2020-10-01\r\nopenai-organization: org-mock\r\n");
      h.append("x-ratelimit-limit-requests: 10000\r\nx-ratelimit-remaining-requests: 9999\r\n");
      h.append("x-ratelimit-reset-requests: 6ms\r\nx-ratelimit-limit-tokens: 30000000\r\n");
      h.append("x-ratelimit-remaining-tokens: 29998800\r\nx-ratelimit-reset-tokens: 2ms\r\n");
    } else {
      double[] used = used(credential, account);
      long now = System.currentTimeMillis() / 1000;
      h.append("x-codex-plan-type: plus\r\nx-codex-active-limit: codex\r\n");
      h.append("x-codex-primary-used-percent: ").append(number(used[0])).append("\r\n");
      h.append("x-codex-primary-window-minutes: ").append(PRIMARY_WINDOW_MINUTES).append("\r\n");
      h.append("x-codex-primary-reset-after-seconds: ").append(PRIMARY_RESET_AFTER_SECONDS).append("\r\n");
      h.append("x-codex-primary-reset-at: ").append(now + PRIMARY_RESET_AFTER_SECONDS).append("\r\n");
      h.append("x-codex-secondary-used-percent: ").append(number(used[1])).append("\r\n");
      h.append("x-codex-secondary-window-minutes: ").append(SECONDARY_WINDOW_MINUTES).append("\r\n");
      h.append("x-codex-secondary-reset-after-seconds: ").append(SECONDARY_RESET_AFTER_SECONDS).append("\r\n");
      h.append("x-codex-secondary-reset-at: ").append(now + SECONDARY_RESET_AFTER_SECONDS).append("\r\n");
      h.append("x-codex-primary-over-secondary-limit-percent: 0\r\n");
    }
    return h.toString();
  }

  /** The request's x-codex-turn-state echoed, or a fresh one. */
  private static String turnState(Received req) {
    String state = req.header("x-codex-turn-state");
    return "x-codex-turn-state: " + (state != null ? state : "ts_" + UUID.randomUUID().toString().replace("-", ""))
        + "\r\n";
  }

  private static String number(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static void count(Map<String, AtomicInteger> counters, String credential, String account) {
    if (credential != null) {
      counters.computeIfAbsent(credential, c -> new AtomicInteger()).incrementAndGet();
    }
    if (account != null && !account.equals(credential)) {
      counters.computeIfAbsent(account, c -> new AtomicInteger()).incrementAndGet();
    }
  }

  private void remember(Received req, String credential, String account) {
    if (credential != null) {
      lastByCredential.put(credential, req);
    }
    if (account != null) {
      lastByCredential.put(account, req);
    }
  }

  private String newResponseId() {
    return "resp_" + String.format("%08x", ids.incrementAndGet()) + UUID.randomUUID().toString().replace("-", "");
  }

  // ---- OAuth token endpoint ----

  private boolean token(Received req, OutputStream out) throws IOException, InterruptedException {
    MockOpenAiAuth.Answer a = auth.token(req.header("content-type"), req.body());
    return send(out, a.status(), reason(a.status()), a.body(), "");
  }

  // ---- bytes out ----

  private static String errorJson(String message, String type, String code) {
    return errorBody(MockOpenAiEvents.apiError(message, type, code));
  }

  private static String errorBody(ObjectNode error) {
    return MockOpenAiEvents.errorBody(error);
  }

  private static String json404(String path) {
    return errorJson("Invalid URL (" + path + ")", "invalid_request_error", null);
  }

  static void streamHead(OutputStream out, String headers) throws IOException {
    out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\ncache-control: no-cache\r\n"
        + headers + "transfer-encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  static void chunk(OutputStream out, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    chunk(out, b, 0, b.length);
  }

  static void chunk(OutputStream out, byte[] b, int off, int len) throws IOException {
    out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(b, off, len);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  static void endChunks(OutputStream out) throws IOException {
    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** A JSON answer with content-length; the connection stays open. */
  static boolean send(OutputStream out, int status, String reason, String body, String headers)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 " + status + " " + reason + "\r\ncontent-type: application/json\r\n" + headers
        + "content-length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(b);
    out.flush();
    return true;
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 402 -> "Payment Required";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 429 -> "Too Many Requests";
      case 503 -> "Service Unavailable";
      default -> status >= 500 ? "Internal Server Error" : "Error";
    };
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // already gone
      }
    }
    pool.shutdownNow();
  }

  // ---- faults (MockFault) ----

  private final MockFaults faults = new MockFaults();

  /**
   * Every Responses or Chat Completions call made with this credential (an API key or an access token) gets
   * this {@link MockFault} instead of its answer; null: normal answers again.
   */
  public void fault(String credential, MockFault fault) {
    faults.set(credential, fault);
  }

  /** How many requests with this credential got a {@link MockFault}. */
  public int faultsPlayed(String credential) {
    return faults.played(credential);
  }

  /** Plays the credential's fault on a model call; true when it did (the connection then ends). */
  private boolean playedFault(Received req, Socket socket) throws IOException, InterruptedException {
    String path = req.path();
    boolean codex = path.equals("/backend-api/codex/responses");
    boolean chat = path.equals("/v1" + MockOpenAiChat.PATH);
    if (!req.method().equals("POST") || !(codex || chat || path.equals("/v1/responses"))) {
      return false;
    }
    MockFault fault = faults.take(bearer(req));
    if (fault == null) {
      return false;
    }
    JsonNode body;
    try {
      body = JSON.readTree(req.body());
    } catch (IOException notJson) {
      body = JSON.createObjectNode();
    }
    String model = body.path("model").asText("gpt-mock");
    MockFaults.Wire wire = chat
        ? MockFaultWires.chat(model, body.path("stream_options").path("include_usage").asBoolean(false))
        : MockFaultWires.responses(model);
    MockFaults.play(fault, wire, socket, codex || body.path("stream").asBoolean(false));
    return true;
  }

  /** Whether a request asks for the tool loop; a body of another shape (the fuzz tests send such) does not. */
  private static boolean triggered(JsonNode body) {
    try {
      return MockOpenAiTools.triggered(body);
    } catch (RuntimeException oddShape) {
      return false;
    }
  }
}
