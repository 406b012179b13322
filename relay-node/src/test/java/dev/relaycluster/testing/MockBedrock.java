package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * A mock AWS Bedrock runtime for Anthropic models, speaking the real wire format: {@code POST /model/{id}/invoke}
 * answers Anthropic JSON with Bedrock's token-count headers; {@code /invoke-with-response-stream} answers a binary
 * event stream ({@code application/vnd.amazon.eventstream}, frames encoded by the AWS SDK, each carrying one
 * Anthropic event base64 in {@code {"bytes"}}, {@code message_stop} with {@code amazon-bedrock-invocationMetrics}),
 * every frame written in two halves with a flush between. Each request's SigV4 signature is recomputed with the
 * AWS SDK's signer from the known credentials and the request's own {@code X-Amz-Date} and must match (else 403
 * {@code InvalidSignatureException}); a bearer Bedrock API key must be {@link #API_KEY}. The body must be what
 * InvokeModel takes (no model, no stream, an {@code anthropic_version}, max_tokens), else 400
 * {@code ValidationException}. The access key picks the account's fate: {@link #THROTTLED_KEY} is throttled,
 * {@link #DENIED_KEY} denied; a last user message saying {@code MOCK_EXCEPTION} gets an exception frame mid-stream,
 * {@code MOCK_VALIDATION} a 400; the agent tool loop of {@link MockAnthropicTools} (MOCK_TOOL, a tool_result)
 * is answered as MockAnthropic answers it.
 */
public final class MockBedrock implements AutoCloseable {
  public static final String REGION = "us-east-1";
  public static final String ACCESS_KEY = "AKIAMOCKBEDROCKOK001";
  public static final String THROTTLED_KEY = "AKIAMOCKBEDROCKTHR01";
  public static final String DENIED_KEY = "AKIAMOCKBEDROCKDNY01";
  public static final String SECRET_KEY = "mockSecretKey/K7MDENG/bPxRfiCYEXAMPLEKEY";
  public static final String API_KEY = "ABSKbW9jay1iZWRyb2NrLWFwaS1rZXk=";
  public static final String ANSWER_MODEL = "claude-sonnet-4-5-20250929";
  public static final String STREAM_TEXT = "Hello from Bedrock — ünï 🌍";
  public static final String WHOLE_TEXT = "Hi from Bedrock!";
  public static final long INPUT = 250;
  public static final long CACHE_READ = 100;
  public static final long CACHE_WRITE = 30;
  public static final long OUTPUT = 17;
  public static final long WHOLE_INPUT = 12;
  public static final long WHOLE_OUTPUT = 6;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  /** One request as it arrived. */
  public record Received(String rawPath, String modelId, Map<String, String> headers, byte[] body, int status) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final HttpServer server;
  private final List<Received> received = Collections.synchronizedList(new ArrayList<>());

  public MockBedrock() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  public void clear() {
    received.clear();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
      String rawPath = ex.getRequestURI().getRawPath();
      String[] parts = rawPath.split("/");
      boolean stream = rawPath.endsWith("/invoke-with-response-stream");
      if (!ex.getRequestMethod().equals("POST") || parts.length != 4 || !parts[1].equals("model")
          || !(stream || rawPath.endsWith("/invoke"))) {
        error(ex, rawPath, null, headers, body, 404, "UnknownOperationException", null);
        return;
      }
      String modelId = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
      String auth = headers.getOrDefault("authorization", "");
      String accessKey;
      if (auth.startsWith("Bearer ")) {
        if (!auth.substring(7).equals(API_KEY)) {
          error(ex, rawPath, modelId, headers, body, 403, "UnrecognizedClientException",
              "The security token included in the request is invalid.");
          return;
        }
        accessKey = ACCESS_KEY;
      } else {
        accessKey = credentialKey(auth);
        if (accessKey == null || !List.of(ACCESS_KEY, THROTTLED_KEY, DENIED_KEY).contains(accessKey)) {
          error(ex, rawPath, modelId, headers, body, 403, "UnrecognizedClientException",
              "The security token included in the request is invalid.");
          return;
        }
        String expected = expectedAuthorization(ex, rawPath, headers, body, accessKey);
        if (!auth.equals(expected)) {
          error(ex, rawPath, modelId, headers, body, 403, "InvalidSignatureException",
              "The request signature we calculated does not match the signature you provided. Check your AWS"
                  + " Secret Access Key and signing method. Consult the service documentation for details.");
          return;
        }
      }
      if (accessKey.equals(THROTTLED_KEY)) {
        error(ex, rawPath, modelId, headers, body, 429, "ThrottlingException",
            "Too many requests, please wait before trying again.");
        return;
      }
      if (accessKey.equals(DENIED_KEY)) {
        error(ex, rawPath, modelId, headers, body, 403, "AccessDeniedException",
            "You don't have access to the model with the specified model ID.");
        return;
      }
      JsonNode request = JSON.readTree(body);
      String invalid = invalid(request);
      if (invalid != null) {
        error(ex, rawPath, modelId, headers, body, 400, "ValidationException", invalid);
        return;
      }
      received.add(new Received(rawPath, modelId, headers, body, 200));
      MockAnthropicTools.Answer tools = MockAnthropicTools.answer(request);
      if (tools != null) {
        if (stream) {
          streamAnswer(ex, tools.stream(ANSWER_MODEL));
        } else {
          byte[] out = tools.json(ANSWER_MODEL).getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, out.length);
          ex.getResponseBody().write(out);
        }
        return;
      }
      if (stream) {
        stream(ex, lastUserText(request).contains("MOCK_EXCEPTION"));
      } else {
        whole(ex);
      }
    }
  }

  /** What Bedrock's validation would refuse in an Anthropic invoke body, or null. */
  private static String invalid(JsonNode request) {
    if (!request.isObject()) {
      return "Malformed input request, please reformat your input and try again.";
    }
    if (request.has("model") || request.has("stream")) {
      return "Malformed input request: #: extraneous key [" + (request.has("model") ? "model" : "stream")
          + "] is not permitted, please reformat your input and try again.";
    }
    if (request.path("anthropic_version").asText("").isEmpty()) {
      return "Malformed input request: #: required key [anthropic_version] not found, please reformat your input"
          + " and try again.";
    }
    if (!request.has("max_tokens")) {
      return "Malformed input request: #: required key [max_tokens] not found, please reformat your input and try"
          + " again.";
    }
    if (lastUserText(request).contains("MOCK_VALIDATION")) {
      return "messages.0.content: text content blocks must be non-empty";
    }
    return null;
  }

  private static String lastUserText(JsonNode request) {
    JsonNode messages = request.path("messages");
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode m = messages.get(i);
      if (m.path("role").asText().equals("user")) {
        return m.path("content").toString();
      }
    }
    return "";
  }

  private static String credentialKey(String auth) {
    int at = auth.indexOf("Credential=");
    if (!auth.startsWith("AWS4-HMAC-SHA256 ") || at < 0) {
      return null;
    }
    int slash = auth.indexOf('/', at);
    return slash < 0 ? null : auth.substring(at + "Credential=".length(), slash);
  }

  /** The Authorization the AWS SDK's signer gives this request's signed headers, path and body at its own date. */
  private static String expectedAuthorization(HttpExchange ex, String rawPath, Map<String, String> headers,
      byte[] body, String accessKey) {
    String auth = headers.get("authorization");
    int sh = auth.indexOf("SignedHeaders=");
    String signedList = auth.substring(sh + "SignedHeaders=".length(), auth.indexOf(',', sh));
    String host = headers.getOrDefault("host", "");
    int colon = host.lastIndexOf(':');
    SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).protocol("http")
        .host(colon < 0 ? host : host.substring(0, colon)).encodedPath(rawPath);
    if (colon >= 0) {
      request.port(Integer.parseInt(host.substring(colon + 1)));
    }
    String query = ex.getRequestURI().getRawQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        String[] kv = pair.split("=", 2);
        request.appendRawQueryParameter(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
            kv.length < 2 ? null : URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
      }
    }
    for (String name : signedList.split(";")) {
      if (!name.equals("host") && headers.containsKey(name)) {
        request.putHeader(name, headers.get(name));
      }
    }
    String date = headers.getOrDefault("x-amz-date", "");
    Instant at;
    try {
      at = LocalDateTime.parse(date, AMZ_DATE).toInstant(ZoneOffset.UTC);
    } catch (RuntimeException e) {
      return "no valid x-amz-date";
    }
    String token = headers.get("x-amz-security-token");
    AwsCredentialsIdentity identity = token == null ? AwsCredentialsIdentity.create(accessKey, SECRET_KEY)
        : AwsSessionCredentialsIdentity.create(accessKey, SECRET_KEY, token);
    var signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(request.build())
        .payload(ContentStreamProvider.fromByteArray(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
        .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
    return signed.request().firstMatchingHeader("Authorization").orElse("none");
  }

  private void error(HttpExchange ex, String rawPath, String modelId, Map<String, String> headers, byte[] body,
      int status, String type, String message) throws IOException {
    received.add(new Received(rawPath, modelId, headers, body, status));
    byte[] out = (message == null ? "{}" : JSON.createObjectNode().put("message", message).toString())
        .getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.getResponseHeaders().add("x-amzn-RequestId", "5b3c1c8e-mock-" + status);
    ex.getResponseHeaders().add("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
    ex.sendResponseHeaders(status, out.length);
    ex.getResponseBody().write(out);
  }

  private static void whole(HttpExchange ex) throws IOException {
    String json = "{\"id\":\"msg_bdrk_01WholeAnswer\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\""
        + ANSWER_MODEL + "\",\"content\":[{\"type\":\"text\",\"text\":\"" + WHOLE_TEXT + "\"}],"
        + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + WHOLE_INPUT
        + ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":" + WHOLE_OUTPUT + "}}";
    byte[] out = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.getResponseHeaders().add("x-amzn-RequestId", "5b3c1c8e-mock-whole");
    ex.getResponseHeaders().add("X-Amzn-Bedrock-Input-Token-Count", String.valueOf(WHOLE_INPUT));
    ex.getResponseHeaders().add("X-Amzn-Bedrock-Output-Token-Count", String.valueOf(WHOLE_OUTPUT));
    ex.getResponseHeaders().add("X-Amzn-Bedrock-Invocation-Latency", "311");
    ex.sendResponseHeaders(200, out.length);
    ex.getResponseBody().write(out);
  }

  /** The streamed answer's Anthropic events, as Bedrock carries them. */
  public static List<String> streamEvents(boolean exception) {
    List<String> events = new ArrayList<>();
    events.add("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_01Stream\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"model\":\"" + ANSWER_MODEL + "\",\"content\":[],\"stop_reason\":null,"
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + INPUT + ",\"cache_creation_input_tokens\":"
        + CACHE_WRITE + ",\"cache_read_input_tokens\":" + CACHE_READ + ",\"output_tokens\":1}}}");
    events.add("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    events.add("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}");
    if (exception) {
      return events;
    }
    events.add("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\""
        + STREAM_TEXT.substring("Hello".length()) + "\"}}");
    events.add("{\"type\":\"content_block_stop\",\"index\":0}");
    events.add("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
        + "\"usage\":{\"output_tokens\":" + OUTPUT + "}}");
    events.add("{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":" + INPUT
        + ",\"outputTokenCount\":" + OUTPUT + ",\"invocationLatency\":912,\"firstByteLatency\":288,"
        + "\"cacheReadInputTokenCount\":" + CACHE_READ + ",\"cacheWriteInputTokenCount\":" + CACHE_WRITE + "}}");
    return events;
  }

  private static void stream(HttpExchange ex, boolean exception) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "application/vnd.amazon.eventstream");
    ex.getResponseHeaders().add("x-amzn-RequestId", "5b3c1c8e-mock-stream");
    ex.getResponseHeaders().add("X-Amzn-Bedrock-Content-Type", "application/json");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    for (String event : streamEvents(exception)) {
      writeSplit(out, chunkFrame(event));
    }
    if (exception) {
      writeSplit(out, exceptionFrame("modelStreamErrorException",
          "The system encountered an unexpected error during processing. Try your request again."));
    }
    out.flush();
  }

  /** An Anthropic SSE answer carried as Bedrock carries it: one chunk frame per event's data. */
  private static void streamAnswer(HttpExchange ex, String sse) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "application/vnd.amazon.eventstream");
    ex.getResponseHeaders().add("x-amzn-RequestId", "5b3c1c8e-mock-tools");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    for (String line : sse.split("\n")) {
      if (line.startsWith("data: ")) {
        writeSplit(out, chunkFrame(line.substring("data: ".length())));
      }
    }
    out.flush();
  }

  /** A frame in two writes with a flush between: the relay must take it whole from any boundary. */
  private static void writeSplit(OutputStream out, byte[] frame) throws IOException {
    int half = frame.length / 2;
    out.write(frame, 0, half);
    out.flush();
    out.write(frame, half, frame.length - half);
    out.flush();
  }

  public static byte[] chunkFrame(String eventJson) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":event-type", HeaderValue.fromString("chunk"));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("event"));
    String payload = "{\"bytes\":\"" + Base64.getEncoder().encodeToString(eventJson.getBytes(StandardCharsets.UTF_8))
        + "\",\"p\":\"abcdefghijklmnopqrstuvwxyzABCDEF\"}";
    return encode(new Message(headers, payload.getBytes(StandardCharsets.UTF_8)));
  }

  public static byte[] exceptionFrame(String type, String message) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":exception-type", HeaderValue.fromString(type));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("exception"));
    return encode(new Message(headers, JSON.createObjectNode().put("message", message).toString()
        .getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] encode(Message m) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.encode(out);
    return out.toByteArray();
  }
}
