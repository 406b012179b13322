package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mock Azure OpenAI resource ({@code https://{resource}.openai.azure.com}) on a raw socket, on Azure's wire:
 * <ul>
 *   <li>the v1 API: {@code POST /openai/v1/responses} and {@code /openai/v1/chat/completions}, the body's
 *       {@code model} naming the deployment ({@code api-version} optional);</li>
 *   <li>the classic API: {@code POST /openai/responses?api-version=…} (model = deployment; an api-version
 *       before 2025-03-01-preview is refused) and {@code POST /openai/deployments/{dep}/chat/completions
 *       ?api-version=…} (api-version required);</li>
 *   <li>the {@code api-key} header only: a missing or wrong key is a 401 with Azure's body, whatever
 *       {@code authorization} says;</li>
 *   <li>a deployment the resource does not have: 404 {@code DeploymentNotFound}; any other path 404
 *       {@code Resource not found};</li>
 *   <li>{@link #rateLimit}: 429 with {@code retry-after-ms}, {@code retry-after} and a spent
 *       {@code x-ratelimit-remaining-requests}; a last user message containing {@link #FILTER_TRIGGER}: 400
 *       {@code content_filter} with its {@code innererror};</li>
 *   <li>answers: Responses as OpenAI's ({@link MockOpenAiEvents}, SSE or JSON); Chat as OpenAI's
 *       ({@link MockOpenAiChatBodies}) with Azure's additions: a first stream chunk with {@code choices:[]},
 *       no id or model and {@code prompt_filter_results}, {@code content_filter_results} in every choice, and
 *       {@code prompt_filter_results} in a whole answer. The model named is the deployment's served model
 *       ({@link #deploy}).</li>
 * </ul>
 */
public final class MockAzureOpenAi implements AutoCloseable {
  public static final String API_KEY = "azure-mock-key-0123456789abcdef";
  public static final String FILTER_TRIGGER = "MOCK_FILTER";
  public static final String NOT_FOUND_MESSAGE = "The API deployment for this resource does not exist. If you created"
      + " the deployment within the last 5 minutes, please wait a moment and try again.";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FILTER_SAFE = "{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},\"self_harm\":"
      + "{\"filtered\":false,\"severity\":\"safe\"},\"sexual\":{\"filtered\":false,\"severity\":\"safe\"},"
      + "\"violence\":{\"filtered\":false,\"severity\":\"safe\"}}";

  private final ServerSocket server;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "mock-azure-openai");
    t.setDaemon(true);
    return t;
  });
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Map<String, String> deployments = new ConcurrentHashMap<>();
  private final Map<String, Long> rateLimited = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final List<MockOpenAi.Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  private volatile boolean closed;

  public MockAzureOpenAi() throws IOException {
    server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
    pool.execute(this::acceptLoop);
  }

  /** The resource endpoint, {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** Adds a deployment whose answers name {@code servedModel} (Azure names the model, or the deployment). */
  public MockAzureOpenAi deploy(String deployment, String servedModel) {
    deployments.put(deployment, servedModel);
    return this;
  }

  /** Calls to this deployment answer 429 asking to wait {@code retryAfterMs}; 0 clears it. */
  public void rateLimit(String deployment, long retryAfterMs) {
    if (retryAfterMs <= 0) {
      rateLimited.remove(deployment);
    } else {
      rateLimited.put(deployment, retryAfterMs);
    }
  }

  /** Model calls that named this deployment (answered or refused). */
  public int calls(String deployment) {
    AtomicInteger n = calls.get(deployment);
    return n == null ? 0 : n.get();
  }

  public List<MockOpenAi.Received> received() {
    return List.copyOf(received);
  }

  public void clear() {
    received.clear();
    calls.clear();
  }

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
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (!closed) {
        MockOpenAi.Received req = MockOpenAi.read(in);
        if (req == null) {
          return;
        }
        received.add(req);
        answer(req, out);
      }
    } catch (IOException e) {
      // the client hung up
    } finally {
      sockets.remove(socket);
    }
  }

  private void answer(MockOpenAi.Received req, OutputStream out) throws IOException {
    String path = req.path();
    String version = query(req.target(), "api-version");
    String headers = headers();
    boolean chat;
    String deployment = null;
    if (path.equals("/openai/v1/responses") || path.equals("/openai/v1/chat/completions")) {
      chat = path.endsWith("/chat/completions");
    } else if (path.equals("/openai/responses") && version != null) {
      chat = false;
      if (version.compareTo("2025-03-01-preview") < 0) {
        send(out, 400, error("BadRequest", "Azure OpenAI Responses API is enabled only for api-version"
            + " 2025-03-01-preview and later", null), headers);
        return;
      }
    } else if (path.startsWith("/openai/deployments/") && path.endsWith("/chat/completions") && version != null) {
      chat = true;
      deployment = path.substring("/openai/deployments/".length(), path.length() - "/chat/completions".length());
    } else {
      send(out, 404, error("404", "Resource not found", null), headers);
      return;
    }
    if (!req.method().equals("POST")) {
      send(out, 405, error("405", "Method not allowed", null), headers);
      return;
    }
    if (!API_KEY.equals(req.header("api-key"))) {
      send(out, 401, error("401", "Access denied due to invalid subscription key or wrong API endpoint. Make sure to"
          + " provide a valid key for an active subscription and use a correct regional API endpoint for your"
          + " resource.", null), "");
      return;
    }
    JsonNode body = req.json();
    if (!body.isObject()) {
      send(out, 400, error("BadRequest", "Invalid request body", null), headers);
      return;
    }
    if (deployment == null) {
      deployment = body.path("model").asText("");
    }
    calls.computeIfAbsent(deployment, d -> new AtomicInteger()).incrementAndGet();
    String served = deployments.get(deployment);
    if (served == null) {
      send(out, 404, error("DeploymentNotFound", NOT_FOUND_MESSAGE, null), headers);
      return;
    }
    Long wait = rateLimited.get(deployment);
    if (wait != null) {
      send(out, 429, error("429", "Requests to the " + (chat ? "ChatCompletions_Create" : "Responses_Create")
          + " Operation under Azure OpenAI API version " + (version == null ? "v1" : version) + " have exceeded"
          + " token rate limit of your current AIServices S0 pricing tier. Please retry after "
          + (wait + 999) / 1000 + " seconds.", null), "retry-after-ms: " + wait + "\r\nretry-after: "
          + (wait + 999) / 1000 + "\r\nx-ratelimit-remaining-requests: 0\r\nx-ratelimit-remaining-tokens: 0\r\n"
          + headers);
      return;
    }
    if (req.bodyText().contains(FILTER_TRIGGER)) {
      send(out, 400, contentFilter(), headers);
      return;
    }
    boolean stream = body.path("stream").asBoolean(false);
    if (chat) {
      chat(out, served, body, stream, headers);
    } else {
      responses(out, served, stream, headers);
    }
  }

  private void responses(OutputStream out, String model, boolean stream, String headers) throws IOException {
    String id = "resp_" + String.format("%04x", ids.incrementAndGet()) + UUID.randomUUID().toString().replace("-", "");
    List<ObjectNode> events = MockOpenAiEvents.textEvents(id, model, MockOpenAiEvents.TEXT_DELTAS,
        MockOpenAiEvents.textUsage(), null);
    if (!stream) {
      send(out, 200, events.get(events.size() - 1).get("response").toString(), headers);
      return;
    }
    byte[] bytes = MockOpenAiEvents.sse(events).getBytes(StandardCharsets.UTF_8);
    MockOpenAi.streamHead(out, headers);
    int half = bytes.length / 2 + 3;
    MockOpenAi.chunk(out, bytes, 0, half);
    out.flush();
    MockOpenAi.chunk(out, bytes, half, bytes.length - half);
    MockOpenAi.endChunks(out);
  }

  private void chat(OutputStream out, String model, JsonNode body, boolean stream, String headers)
      throws IOException {
    String id = "chatcmpl-" + String.format("%04x", ids.incrementAndGet()) + "Az" + UUID.randomUUID().toString()
        .replace("-", "").substring(0, 18);
    if (!stream) {
      ObjectNode whole = MockOpenAiChatBodies.completion(id, model, MockOpenAiEvents.TEXT, null, null);
      ((ObjectNode) whole.path("choices").path(0)).set("content_filter_results", json(FILTER_SAFE));
      whole.set("prompt_filter_results", promptFilterResults());
      send(out, 200, whole.toString(), headers);
      return;
    }
    boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
    List<ObjectNode> chunks = new ArrayList<>();
    ObjectNode filter = JSON.createObjectNode();
    filter.putArray("choices");
    filter.put("created", 0).put("id", "").put("model", "").put("object", "");
    filter.set("prompt_filter_results", promptFilterResults());
    chunks.add(filter);
    for (ObjectNode c : MockOpenAiChatBodies.textChunks(id, model, MockOpenAiEvents.TEXT_DELTAS, includeUsage)) {
      JsonNode choice = c.path("choices").path(0);
      if (choice instanceof ObjectNode o) {
        boolean content = o.path("delta").path("content").asText("").length() > 0;
        o.set("content_filter_results", content ? json(FILTER_SAFE) : JSON.createObjectNode());
      }
      chunks.add(c);
    }
    byte[] bytes = MockOpenAiChatBodies.sse(chunks, true).getBytes(StandardCharsets.UTF_8);
    MockOpenAi.streamHead(out, headers);
    int[] cuts = {0, 17, bytes.length / 3, bytes.length / 2 + 1, bytes.length - 5, bytes.length};
    for (int i = 0; i + 1 < cuts.length; i++) {
      MockOpenAi.chunk(out, bytes, cuts[i], cuts[i + 1] - cuts[i]);
      out.flush();
    }
    MockOpenAi.endChunks(out);
  }

  private static ArrayNode promptFilterResults() {
    ArrayNode results = JSON.createArrayNode();
    ObjectNode r = results.addObject().put("prompt_index", 0);
    ObjectNode f = (ObjectNode) json(FILTER_SAFE);
    f.putObject("jailbreak").put("filtered", false).put("detected", false);
    r.set("content_filter_results", f);
    return results;
  }

  private static String contentFilter() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode e = root.putObject("error");
    e.put("message", "The response was filtered due to the prompt triggering Azure OpenAI's content management"
        + " policy. Please modify your prompt and retry. To learn more about our content filtering policies please"
        + " read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766");
    e.putNull("type").put("param", "prompt").put("code", "content_filter").put("status", 400);
    ObjectNode inner = e.putObject("innererror").put("code", "ResponsibleAIPolicyViolation");
    ObjectNode result = (ObjectNode) json(FILTER_SAFE);
    result.putObject("violence").put("filtered", true).put("severity", "high");
    inner.set("content_filter_result", result);
    return root.toString();
  }

  private static String error(String code, String message, String param) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode e = root.putObject("error").put("code", code).put("message", message);
    if (param != null) {
      e.put("param", param);
    }
    return root.toString();
  }

  private String headers() {
    return "apim-request-id: " + UUID.randomUUID() + "\r\nx-request-id: " + UUID.randomUUID()
        + "\r\nx-ms-region: Sweden Central\r\nx-ratelimit-remaining-requests: 249\r\n"
        + "x-ratelimit-remaining-tokens: 249000\r\n";
  }

  private static void send(OutputStream out, int status, String body, String headers) throws IOException {
    String reason = switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 429 -> "Too Many Requests";
      default -> "Error";
    };
    MockOpenAi.send(out, status, reason, body, headers);
  }

  private static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String query(String target, String name) {
    int q = target.indexOf('?');
    if (q < 0) {
      return null;
    }
    for (String pair : target.substring(q + 1).split("&")) {
      if (pair.startsWith(name + "=")) {
        return java.net.URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
    pool.shutdownNow();
  }
}
