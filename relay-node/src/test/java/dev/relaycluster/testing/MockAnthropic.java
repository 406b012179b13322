package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A mock Anthropic Messages API on a raw socket, so tests control every byte, every flush and every
 * abrupt close. It speaks the real wire format: the message_start … message_stop SSE sequence with
 * full usage, JSON messages, real error bodies and headers. The request's model picks a scenario:
 * {@code mock-429}, {@code mock-500}, {@code mock-hang}, {@code mock-break} (stream cut mid-way),
 * {@code mock-break-json} (a JSON answer cut mid-body),
 * {@code mock-slow} (stream spread over about two seconds), {@code mock-paced…} (the same over half a
 * second); any other model answers normally, except for the agent tool loop of {@link MockAnthropicTools}
 * (a request offering a shell tool whose last user message says MOCK_TOOL, or carries a tool_result). It
 * counts how many answers per model run at once.
 */
public final class MockAnthropic implements AutoCloseable {
  /** The exact bytes of the streamed answer. */
  public static final String STREAM = String.join("",
      "event: message_start\n",
      "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\",",
      "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,",
      "\"stop_sequence\":null,\"usage\":{\"input_tokens\":1200,\"cache_creation_input_tokens\":3000,",
      "\"cache_read_input_tokens\":20000,\"cache_creation\":{\"ephemeral_5m_input_tokens\":1000,",
      "\"ephemeral_1h_input_tokens\":2000},\"output_tokens\":1,\"service_tier\":\"standard\"}}}\n\n",
      "event: content_block_start\n",
      "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
      "event: ping\n",
      "data: {\"type\": \"ping\"}\n\n",
      "event: content_block_delta\n",
      "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n",
      "event: content_block_delta\n",
      "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",",
      "\"text\":\" from the mock — ünïcödé 🌍\"}}\n\n",
      "event: content_block_stop\n",
      "data: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
      "event: message_delta\n",
      "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},",
      "\"usage\":{\"output_tokens\":57}}\n\n",
      "event: message_stop\n",
      "data: {\"type\":\"message_stop\"}\n\n");
  public static final String STREAM_TEXT = "Hello from the mock — ünïcödé 🌍";

  /** The non-streaming answer. */
  public static final String MESSAGE = "{\"id\":\"msg_013Zva2CMHLNnXjNJJKqJ2EF\",\"type\":\"message\","
      + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"text\","
      + "\"text\":\"Hi! How can I help?\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
      + "\"usage\":{\"input_tokens\":100,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
      + "\"output_tokens\":20,\"service_tier\":\"standard\"}}";
  public static final String MESSAGE_TEXT = "Hi! How can I help?";

  public static final String RATE_LIMIT_BODY = "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
      + "\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"},"
      + "\"request_id\":\"req_011CRateLimited\"}";
  public static final String SERVER_ERROR_BODY = "{\"type\":\"error\",\"error\":{\"type\":\"api_error\","
      + "\"message\":\"Internal server error\"},\"request_id\":\"req_011CServerError\"}";

  public static final String OVERLOADED_BODY = "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
      + "\"message\":\"Overloaded\"},\"request_id\":\"req_011COverloaded\"}";
  public static final String UNAUTHORIZED_BODY = "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
      + "\"message\":\"OAuth token has expired. Please obtain a new token or refresh your existing token.\"},"
      + "\"request_id\":\"req_011CUnauthorized\"}";
  public static final String ORG_DISABLED_BODY = "{\"type\":\"error\",\"error\":{\"type\":\"permission_error\","
      + "\"message\":\"This organization has been disabled.\"},\"request_id\":\"req_011CDisabled\"}";

  /**
   * A scripted answer for one credential (an x-api-key value or a bearer token): an error status with
   * its body and extra header lines ("name: value\r\n" each), or a stream cut after its first events.
   */
  private static final String STALL = "x-mock: stall\r\n";
  private static final String SLOW = "x-mock: slow=";

  public record Scripted(int status, String body, String headers, boolean cutStream) {
    public static Scripted error(int status, String body, String headers) {
      return new Scripted(status, body, headers, false);
    }

    /** A 200 stream that starts, then carries upstream's own {@code event: error} (overloaded) and ends. */
    public static Scripted overloadedMidStream() {
      return new Scripted(200, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
          + "\"message\":\"Overloaded\"}}\n\n", "", true);
    }

    public static Scripted overloaded() {
      return error(529, OVERLOADED_BODY, "");
    }

    public static Scripted serverError() {
      return error(500, SERVER_ERROR_BODY, "");
    }

    public static Scripted unauthorized() {
      return error(401, UNAUTHORIZED_BODY, "");
    }

    public static Scripted orgDisabled() {
      return error(403, ORG_DISABLED_BODY, "");
    }

    /** 429 with the unified reset at {@code resetEpochSeconds}, optionally about one family window. */
    public static Scripted rateLimited(long resetEpochSeconds, String claim) {
      return error(429, RATE_LIMIT_BODY, "anthropic-ratelimit-unified-status: rejected\r\n"
          + "anthropic-ratelimit-unified-reset: " + resetEpochSeconds + "\r\n"
          + (claim == null ? "" : "anthropic-ratelimit-unified-representative-claim: " + claim + "\r\n"));
    }

    public static Scripted streamCut() {
      return new Scripted(200, null, "", true);
    }

    /** The usual answer, after a pause of {@code millis} before anything is sent. */
    public static Scripted slowStart(long millis) {
      return new Scripted(200, null, SLOW + millis + "\r\n", false);
    }

    /** A 200 event-stream head, then nothing at all (the connection stays open until the client leaves). */
    public static Scripted stallAfterHeaders() {
      return new Scripted(200, null, STALL, false);
    }
  }

  /** One request as the mock received it; header names lower-case. */
  public record Received(String method, String target, Map<String, String> headers, byte[] body) {
    public String header(String name) {
      return headers.get(name);
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ServerSocket server;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "mock-anthropic");
    t.setDaemon(true);
    return t;
  });
  private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, int[]> concurrency = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean closed;
  private final Map<String, java.util.Deque<Scripted>> scripts = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Scripted> always = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> callsByCredential =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, String> utilisationByCredential = new java.util.concurrent.ConcurrentHashMap<>();
  private final MockFaults faults = new MockFaults();

  /** The next requests made with this credential get these answers, one each, then normal answers again. */
  public void script(String credential, Scripted... answers) {
    scripts.computeIfAbsent(credential, c -> new java.util.concurrent.ConcurrentLinkedDeque<>())
        .addAll(List.of(answers));
  }

  /** Every request made with this credential gets this answer (null: normal answers again). */
  public void always(String credential, Scripted answer) {
    if (answer == null) {
      always.remove(credential);
    } else {
      always.put(credential, answer);
    }
  }

  /** Every request made with this credential gets this {@link MockFault} (null: normal answers again). */
  public void fault(String credential, MockFault fault) {
    faults.set(credential, fault);
  }

  /** How many requests with this credential got a {@link MockFault}. */
  public int faultsPlayed(String credential) {
    return faults.played(credential);
  }

  private static boolean streamed(Received req) {
    try {
      return JSON.readTree(req.body()).path("stream").asBoolean(false);
    } catch (IOException notJson) {
      return false;
    }
  }

  /** Successful answers to this credential report this 5-hour utilisation (e.g. "0.8"). */
  public void utilisation(String credential, String fraction) {
    utilisationByCredential.put(credential, fraction);
  }

  /** How many Messages requests arrived with this credential (x-api-key value or bearer token). */
  public int calls(String credential) {
    java.util.concurrent.atomic.AtomicInteger n = callsByCredential.get(credential);
    return n == null ? 0 : n.get();
  }

  private static String credential(Received req) {
    String auth = req.header("authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).trim();
    }
    return req.header("x-api-key");
  }

  /** Answers a scripted credential's request; false when the credential has nothing scripted. */
  private boolean scripted(Received req, OutputStream out) throws IOException {
    String credential = credential(req);
    if (credential == null) {
      return false;
    }
    callsByCredential.computeIfAbsent(credential, c -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
    java.util.Deque<Scripted> queue = scripts.get(credential);
    Scripted next = queue == null ? null : queue.pollFirst();
    if (next == null) {
      next = always.get(credential);
    }
    if (next == null) {
      String u = utilisationByCredential.get(credential);
      if (u != null && !JSON.readTree(req.body()).path("stream").asBoolean(false)) {
        json(out, 200, MESSAGE, "anthropic-ratelimit-unified-5h-utilization: " + u + "\r\n");
        return true;
      }
      return false;
    }
    if (next.headers() != null && next.headers().startsWith(SLOW)) {
      try {
        Thread.sleep(Long.parseLong(next.headers().substring(SLOW.length()).strip()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return false;
    }
    if (STALL.equals(next.headers())) {
      streamHead(out);
      out.flush();
      long until = System.currentTimeMillis() + 60_000;
      while (!closed && System.currentTimeMillis() < until) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return true;
    }
    if (next.cutStream()) {
      streamHead(out);
      chunk(out, STREAM.substring(0, STREAM.indexOf("event: content_block_stop")));
      if (next.body() != null) {
        chunk(out, next.body());
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.flush();
      return true;
    }
    json(out, next.status(), next.body(), next.headers());
    return true;
  }

  public MockAnthropic() throws IOException {
    server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    pool.execute(this::acceptLoop);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  public List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** The most requests for this model that were being answered at the same moment. */
  public int maxConcurrent(String model) {
    int[] c = concurrency.get(model);
    synchronized (this) {
      return c == null ? 0 : c[1];
    }
  }

  private void enter(String model) {
    synchronized (this) {
      int[] c = concurrency.computeIfAbsent(model, m -> new int[2]);
      c[0]++;
      c[1] = Math.max(c[1], c[0]);
    }
  }

  private void leave(String model) {
    synchronized (this) {
      concurrency.get(model)[0]--;
    }
  }

  public void clear() {
    received.clear();
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
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      Received req = read(in);
      if (req == null) {
        return;
      }
      received.add(req);
      MockFault fault = faults.take(credential(req));
      if (fault != null) {
        MockFaults.play(fault, MockFaultWires.anthropic(), socket, streamed(req));
        return;
      }
      answer(req, out);
    } catch (IOException | InterruptedException e) {
      // the relay hung up: nothing to do
    }
  }

  private static Received read(InputStream in) throws IOException {
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
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Received(requestLine[0], requestLine[1], headers, body);
  }

  private void answer(Received req, OutputStream out) throws IOException, InterruptedException {
    if (req.target().startsWith("/v1/messages/count_tokens")) {
      json(out, 200, "{\"input_tokens\":42}", "");
      return;
    }
    if (scripted(req, out)) {
      return;
    }
    JsonNode body = JSON.readTree(req.body());
    String schemaProblem = body.isObject() ? MockAnthropicTools.schemaProblem(body) : null;
    if (schemaProblem != null) {
      json(out, 400, JSON.createObjectNode().put("type", "error").<com.fasterxml.jackson.databind.node.ObjectNode>set(
          "error", JSON.createObjectNode().put("type", "invalid_request_error").put("message", schemaProblem))
          .toString(), "");
      return;
    }
    String model = body.path("model").asText();
    enter(model);
    try {
      MockAnthropicTools.Answer tool;
      try {
        tool = MockAnthropicTools.answer(body);
      } catch (RuntimeException oddShape) {
        // A body of another shape than Messages (the fuzz tests send such): the plain answer, as before.
        tool = null;
      }
      if (tool != null) {
        toolAnswer(out, tool, model, body.path("stream").asBoolean(false));
        return;
      }
      answer(out, model, body.path("stream").asBoolean(false));
    } finally {
      leave(model);
    }
  }

  private void answer(OutputStream out, String model, boolean stream) throws IOException, InterruptedException {
    switch (model.startsWith("mock-paced") ? "mock-paced" : model) {
      case "mock-429" -> json(out, 429, RATE_LIMIT_BODY,
          "retry-after: 7\r\nanthropic-ratelimit-unified-status: rejected\r\nanthropic-ratelimit-unified-reset: 1795310000\r\n");
      case "mock-500" -> json(out, 500, SERVER_ERROR_BODY, "");
      case "mock-hang" -> Thread.sleep(30_000);
      case "mock-break-json" -> {
        // A JSON answer that promises more bytes than it sends, then the connection ends.
        byte[] b = MESSAGE.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nrequest-id: req_011CCut\r\n"
            + "content-length: " + b.length + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b, 0, b.length / 2);
        out.flush();
      }
      case "mock-break" -> {
        streamHead(out);
        String cut = STREAM.substring(0, STREAM.indexOf("event: content_block_stop"));
        chunk(out, cut);
        out.flush();
        // no terminating chunk: the connection just ends
      }
      case "mock-clean-cut" -> {
        // The stream stops at an event boundary before message_stop, with a proper end of the chunked body.
        streamHead(out);
        chunk(out, STREAM.substring(0, STREAM.indexOf("event: content_block_stop")));
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      case "mock-slow", "mock-paced" -> {
        streamHead(out);
        String[] events = STREAM.split("(?<=\n\n)");
        long pause = model.equals("mock-slow") ? 200 : 50;
        for (String e : events) {
          chunk(out, e);
          out.flush();
          Thread.sleep(pause);
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      default -> {
        if (stream) {
          streamHead(out);
          // Several chunks whose borders fall inside events and inside a multi-byte character.
          byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
          int[] cuts = {0, 37, 380, 381, 700, bytes.length - 10, bytes.length};
          for (int i = 0; i + 1 < cuts.length; i++) {
            chunk(out, bytes, cuts[i], cuts[i + 1] - cuts[i]);
            out.flush();
          }
          out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } else {
          json(out, 200, MESSAGE, "anthropic-ratelimit-unified-5h-utilization: 0.25\r\n");
        }
      }
    }
  }

  /** A step of the agent tool loop ({@link MockAnthropicTools}), streamed in two chunks or as one JSON body. */
  private static void toolAnswer(OutputStream out, MockAnthropicTools.Answer tool, String model, boolean stream)
      throws IOException {
    if (!stream) {
      json(out, 200, tool.json(model), "");
      return;
    }
    streamHead(out);
    byte[] bytes = tool.stream(model).getBytes(StandardCharsets.UTF_8);
    chunk(out, bytes, 0, bytes.length / 2);
    out.flush();
    chunk(out, bytes, bytes.length / 2, bytes.length - bytes.length / 2);
    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static void streamHead(OutputStream out) throws IOException {
    out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\ncache-control: no-cache\r\n"
        + "request-id: req_011CStreamed\r\nanthropic-organization-id: org-secret-owner\r\n"
        + "anthropic-ratelimit-unified-status: allowed\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static void chunk(OutputStream out, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    chunk(out, b, 0, b.length);
  }

  private static void chunk(OutputStream out, byte[] b, int off, int len) throws IOException {
    out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(b, off, len);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static void json(OutputStream out, int status, String body, String extraHeaders) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 " + status + " " + reason(status) + "\r\ncontent-type: application/json\r\n"
        + "request-id: req_011CJson\r\n" + extraHeaders + "content-length: " + b.length
        + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(b);
    out.flush();
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 429 -> "Too Many Requests";
      case 401 -> "Unauthorized";
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 529 -> "Overloaded";
      default -> "Internal Server Error";
    };
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    pool.shutdownNow();
  }
}
