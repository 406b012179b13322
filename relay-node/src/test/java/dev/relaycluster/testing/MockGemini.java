package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mock Google upstream on a raw socket (one thread per connection, HTTP/1.1 keep-alive, chunked streams
 * cut inside JSON values and multi-byte characters), speaking the real wire formats of:
 * <ul>
 *   <li>the public Gemini API (gemini-api accounts): {@code POST /v1beta/models/{model}:generateContent},
 *       {@code :streamGenerateContent} ({@code ?alt=sse}: {@code data: <json>\r\n\r\n} events; without it the
 *       JSON array stream {@code [<obj>\n,\r\n<obj>…]}), {@code :countTokens}, the same under {@code /v1/},
 *       {@code GET /v1beta/models[/{model}]}; the key in {@code x-goog-api-key} or {@code ?key=};</li>
 *   <li>Gemini Code Assist (gemini-oauth accounts): {@code POST /v1internal:<method>} with an access token this
 *       mock issued, the envelope {@code {model, project, user_prompt_id, request:{…, session_id}}} in and
 *       {@code {response:{…}, traceId}} out (per SSE event too), the {@code project} checked against the
 *       account's, and the setup calls ({@link MockGeminiCodeAssist});</li>
 *   <li>Google OAuth: {@code POST /token}, {@code GET /oauth2/v2/userinfo}, {@code /oauth2/v3/tokeninfo}
 *       ({@link MockGeminiAuth}).</li>
 * </ul>
 * The model picks a scenario on both APIs: {@code mock-429}, {@code mock-429-daily}, {@code mock-quota-exhausted},
 * {@code mock-403-validation}, {@code mock-503} (see {@link MockGeminiErrors}), {@code mock-break} (a stream is
 * cut in the middle of its third event, a whole answer in the middle of its body: the socket closes without
 * the chunked terminator),
 * {@code mock-slow} (chunks {@link #SLOW_GAP_MILLIS} apart), {@code mock-cached} (usage with cached tokens);
 * any other model answers normally ({@link MockGeminiAnswers} says what, with which usage).
 */
public final class MockGemini implements AutoCloseable {
  public static final String API_KEY = "mock-gemini-api-key";
  public static final String SECOND_API_KEY = "mock-gemini-api-key-2";
  public static final String CLIENT_ID = "mock-client-id.apps.googleusercontent.com";
  public static final String CLIENT_SECRET = "mock-client-secret";
  public static final String REFRESH_TOKEN = "mock-refresh-token";
  public static final String PROJECT = "mock-project-1";
  public static final String ONBOARDED_PROJECT = "mock-project-onboarded";
  public static final String EMAIL = "gemini-user@example.com";
  public static final String TEXT = MockGeminiAnswers.TEXT;
  public static final long SLOW_GAP_MILLIS = 200;

  /** How loadCodeAssist answers for the default account. */
  public enum Setup { CURRENT_TIER, ONBOARD }

  /** One request as received: path without query (percent-decoded), raw query, lower-case header names. */
  public record Received(String method, String path, String query, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public String queryParam(String name) {
      return MockGeminiWire.query(query).get(name);
    }

    public JsonNode json() {
      try {
        JsonNode n = MockGeminiAnswers.JSON.readTree(body);
        return n == null ? MockGeminiAnswers.JSON.missingNode() : n;
      } catch (IOException e) {
        return MockGeminiAnswers.JSON.missingNode();
      }
    }
  }

  private final ServerSocket server;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "mock-gemini");
    t.setDaemon(true);
    return t;
  });
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  final List<Received> received = new CopyOnWriteArrayList<>();
  final Map<String, AtomicInteger> byPath = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> byCredential = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> byAccount = new ConcurrentHashMap<>();
  final List<String> projects = new CopyOnWriteArrayList<>();
  final Set<String> apiKeys = ConcurrentHashMap.newKeySet();
  final MockGeminiAuth auth = new MockGeminiAuth(CLIENT_ID, CLIENT_SECRET);
  final MockGeminiCodeAssist codeAssist = new MockGeminiCodeAssist();
  final MockGeminiAuth.Account defaultAccount = auth.addAccount(REFRESH_TOKEN, EMAIL, PROJECT);
  private final MockGeminiRoutes routes = new MockGeminiRoutes(this);

  private MockGemini() throws IOException {
    server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    apiKeys.add(API_KEY);
    apiKeys.add(SECOND_API_KEY);
    pool.execute(this::acceptLoop);
  }

  public static MockGemini start() throws IOException {
    return new MockGemini();
  }

  // ---- addresses ----

  public int port() {
    return server.getLocalPort();
  }

  /** {@code http://127.0.0.1:<port>}; the public API is under /v1beta and /v1, Code Assist under /v1internal. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  public String tokenUrl() {
    return baseUrl() + "/token";
  }

  public String userinfoUrl() {
    return baseUrl() + "/oauth2/v2/userinfo";
  }

  // ---- credentials and accounts ----

  private final Map<String, String> forcedScenarios = new ConcurrentHashMap<>();

  /**
   * Model calls made with this API key or access token answer as the scenario model {@code scenario} (e.g.
   * "mock-429") whatever model they name, until {@link #clear()}; null stops it.
   */
  public void failWith(String credential, String scenario) {
    if (scenario == null) {
      forcedScenarios.remove(credential);
    } else {
      forcedScenarios.put(credential, scenario);
    }
  }

  String scenarioFor(String credential, String model) {
    return credential == null ? model : forcedScenarios.getOrDefault(credential, model);
  }

  /** Makes another API key valid. */
  public void acceptApiKey(String key) {
    apiKeys.add(key);
  }

  /** A new access token of the default account (valid until {@link #expireAccessTokens()}). */
  public String issueAccessToken() {
    return auth.issueAccessToken(defaultAccount);
  }

  /** A new access token of the account with this email (added with {@link #addAccount}). */
  public String issueAccessToken(String email) {
    return auth.issueAccessToken(account(email));
  }

  /** Adds a Google account whose refresh token the token endpoint accepts and whose loadCodeAssist gives project. */
  public void addAccount(String refreshToken, String email, String project) {
    auth.addAccount(refreshToken, email, project);
  }

  /** Every access token issued so far answers 401 UNAUTHENTICATED from now on. */
  public void expireAccessTokens() {
    auth.expireAccessTokens();
  }

  /** A one-time code for the default account, for the PKCE verifier whose S256 is codeChallenge. */
  public String authorizationCode(String codeChallenge, String redirectUri) {
    return auth.authorizationCode(defaultAccount, codeChallenge, redirectUri);
  }

  /** The default account's refresh_token grant answers 400 invalid_grant from now on. */
  public void revokeRefreshToken() {
    auth.revokeRefreshToken(defaultAccount);
  }

  /** The refresh_token grant of the account with this email answers 400 invalid_grant from now on. */
  public void revokeRefreshToken(String email) {
    auth.revokeRefreshToken(account(email));
  }

  /**
   * How loadCodeAssist answers for the default account: CURRENT_TIER (default) reports a current tier and
   * {@link #PROJECT}; ONBOARD reports none until onboardUser's operation is done, then {@link #ONBOARDED_PROJECT}.
   */
  public void setup(Setup setup) {
    defaultAccount.project = setup == Setup.CURRENT_TIER ? PROJECT : null;
  }

  /** The remainingFraction of every retrieveUserQuota bucket (default 1.0). */
  public void setQuotaRemaining(double fraction) {
    codeAssist.remainingFraction(fraction);
  }

  /** The OAuth side (token-endpoint counters and more). */
  public MockGeminiAuth auth() {
    return auth;
  }

  private MockGeminiAuth.Account account(String email) {
    MockGeminiAuth.Account a = auth.account(email);
    if (a == null) {
      throw new IllegalArgumentException("no account " + email);
    }
    return a;
  }

  // ---- what arrived ----

  /** Requests whose path (without query) equals path, e.g. {@code /v1internal:streamGenerateContent}. */
  public int requests(String path) {
    AtomicInteger n = byPath.get(path);
    return n == null ? 0 : n.get();
  }

  /**
   * Model calls (generateContent, streamGenerateContent, countTokens, on either API, refused ones included)
   * made with this API key or access token.
   */
  public int requestsByCredential(String apiKeyOrToken) {
    AtomicInteger n = byCredential.get(apiKeyOrToken);
    return n == null ? 0 : n.get();
  }

  /** Code Assist model calls made with any live token of the account with this email. */
  public int requestsByAccount(String email) {
    AtomicInteger n = byAccount.get(email);
    return n == null ? 0 : n.get();
  }

  /** The {@code project} of every Code Assist generate call, in order. */
  public List<String> projectsSeen() {
    return List.copyOf(projects);
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** The received requests to this path, in order. */
  public List<Received> received(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  /** Forgets what arrived (not the accounts, tokens or settings). */
  public void clear() {
    forcedScenarios.clear();
    received.clear();
    byPath.clear();
    byCredential.clear();
    byAccount.clear();
    projects.clear();
  }

  // ---- connections ----

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
        Received req = MockGeminiWire.read(in);
        if (req == null) {
          return;
        }
        received.add(req);
        byPath.computeIfAbsent(req.path(), p -> new AtomicInteger()).incrementAndGet();
        if (playedFault(req, socket)) {
          return;
        }
        if (!routes.answer(req, out) || "close".equalsIgnoreCase(req.header("connection"))) {
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client hung up, or a scenario cut the connection
    } catch (RuntimeException e) {
      e.printStackTrace();
    } finally {
      sockets.remove(socket);
    }
  }

  // ---- faults (MockFault) ----

  private final MockFaults faults = new MockFaults();

  /**
   * Every generateContent / streamGenerateContent call of the public API made with this API key gets this
   * {@link MockFault} instead of its answer; null: normal answers again.
   */
  public void fault(String apiKey, MockFault fault) {
    faults.set(apiKey, fault);
  }

  /** How many requests with this API key got a {@link MockFault}. */
  public int faultsPlayed(String apiKey) {
    return faults.played(apiKey);
  }

  /** Plays the API key's fault on a model call; true when it did (the connection then ends). */
  private boolean playedFault(Received req, Socket socket) throws IOException, InterruptedException {
    String path = req.path();
    int colon = path.lastIndexOf(':');
    if (!req.method().equals("POST") || !path.startsWith("/v1") || colon < 0 || !path.contains("/models/")) {
      return false;
    }
    String verb = path.substring(colon + 1);
    if (!verb.equals("generateContent") && !verb.equals("streamGenerateContent")) {
      return false;
    }
    String key = req.header("x-goog-api-key") != null ? req.header("x-goog-api-key") : req.queryParam("key");
    MockFault fault = faults.take(key);
    if (fault == null) {
      return false;
    }
    String model = path.substring(path.indexOf("/models/") + "/models/".length(), colon);
    boolean stream = verb.equals("streamGenerateContent");
    MockFaults.play(fault, MockFaultWires.gemini(model, !stream || "sse".equals(req.queryParam("alt"))), socket,
        stream);
    return true;
  }

  static void count(Map<String, AtomicInteger> counters, String key) {
    if (key != null) {
      counters.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }
  }


  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // already gone
      }
    }
    pool.shutdownNow();
  }
}
