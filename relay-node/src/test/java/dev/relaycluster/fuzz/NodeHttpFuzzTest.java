package dev.relaycluster.fuzz;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing (Jazzer) of one node through its HTTP port: the node of {@link FuzzRig} is started
 * once for the run, and each input is one request on a fresh connection. The first input byte picks the
 * endpoint (every client dialect's and the admin API's), the second how the caller authenticates and which
 * content type it names, the rest is the body. As in {@link RelayFuzzTest}, no answer may be a relay 5xx or
 * show an internal, every 4xx is in the caller's dialect, and every request is answered. The coverage of the
 * node's own code (its routes, readers and refusals, on whatever thread ran them) guides the fuzzer.
 */
class NodeHttpFuzzTest {
  /**
   * One endpoint: method, path, whether it is the admin API, and a body to start from. The admin endpoints are
   * those whose bodies name no address the node would then connect to (accounts and webhooks do: their fuzzing
   * is RelayFuzzTest's, whose inputs are generated), and the key patched is not the one the client inputs use.
   */
  record Endpoint(String method, String path, boolean admin, String seed) {}

  private static final String CLAUDE = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":false,"
      + "\"metadata\":{\"user_id\":\"u\"},\"system\":\"s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String RESPONSES = "{\"model\":\"gpt-5\",\"input\":[{\"role\":\"user\",\"content\":"
      + "[{\"type\":\"input_text\",\"text\":\"hi\"}]}],\"stream\":true,\"max_output_tokens\":64}";
  private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
      + "\"max_tokens\":16}";
  private static final String GEMINI = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],"
      + "\"generationConfig\":{\"maxOutputTokens\":16}}";
  private static final String CODE_ASSIST = "{\"model\":\"gemini-2.5-pro\",\"project\":\"p\",\"request\":"
      + GEMINI.replace("}}", "},\"session_id\":\"s\"}") + "}";

  static final List<Endpoint> ENDPOINTS = List.of(
      new Endpoint("POST", "/api/v1/messages", false, CLAUDE),
      new Endpoint("POST", "/claude/v1/messages/count_tokens", false, CLAUDE),
      new Endpoint("POST", "/openai/v1/responses", false, RESPONSES),
      new Endpoint("POST", "/openai/responses/compact", false, RESPONSES),
      new Endpoint("POST", "/v1/chat/completions", false, CHAT),
      new Endpoint("POST", "/openai/claude/v1/chat/completions", false, CHAT),
      new Endpoint("POST", "/gemini/v1beta/models/gemini-2.5-flash:generateContent", false, GEMINI),
      new Endpoint("POST", "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", false, GEMINI),
      new Endpoint("POST", "/gemini/v1internal:generateContent", false, CODE_ASSIST),
      new Endpoint("POST", "/gemini/v1internal:countTokens", false, CODE_ASSIST),
      new Endpoint("POST", "/droid/claude/v1/messages", false, CLAUDE),
      new Endpoint("POST", "/droid/openai/v1/responses", false, RESPONSES),
      new Endpoint("POST", "/apiStats/api/user-stats", false, "{\"apiKey\":\"KEY\"}"),
      new Endpoint("POST", "/admin/api/keys", true, "{\"name\":\"k\",\"permissions\":[\"claude\"],"
          + "\"limits\":{\"concurrency\":2,\"dailyCostMicros\":1000000}}"),
      new Endpoint("PATCH", "/admin/api/keys/OTHERKEY", true, "{\"name\":\"renamed\",\"active\":true,"
          + "\"permissions\":[\"openai\"]}"),
      new Endpoint("POST", "/admin/api/login", true, "{\"username\":\"admin\",\"password\":\"x\"}"),
      new Endpoint("GET", "/admin/api/keys?usage=true", true, ""));

  private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8", "text/plain",
      ""};
  private static FuzzRig rig;
  private static String otherKeyId;
  private static final AtomicLong SENT = new AtomicLong();

  /**
   * The node, started at the first input. Jazzer's request-forgery detector refuses every connection unless
   * told which are meant: the fuzzer's own to the node and the node's to its mock upstreams, all on this machine.
   * It forgets that when fuzzing starts (after the seeds), so every input says it again.
   */
  private static synchronized FuzzRig rig() throws Exception {
    BugDetectors.allowNetworkConnections((host, port) -> host.equals("127.0.0.1") || host.equals("localhost"));
    if (rig == null) {
      rig = FuzzRig.start();
      otherKeyId = rig.node.createKey("jazzer-patched", 0).get("id").asText();
    }
    return rig;
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (rig != null) {
      rig.close();
    }
  }

  static Stream<byte[]> seeds() {
    List<byte[]> all = new ArrayList<>();
    for (int i = 0; i < ENDPOINTS.size(); i++) {
      byte[] body = ENDPOINTS.get(i).seed().getBytes(StandardCharsets.UTF_8);
      byte[] input = new byte[body.length + 2];
      input[0] = (byte) i;
      System.arraycopy(body, 0, input, 2, body.length);
      all.add(input);
    }
    return all.stream();
  }

  @MethodSource("seeds")
  @FuzzTest(maxExecutions = 5_000, maxDuration = "60s")
  void answersWithoutRelay5xxOrInternals(byte[] data) throws Exception {
    FuzzRig rig = rig();
    Endpoint endpoint = ENDPOINTS.get((data.length > 0 ? data[0] & 0xff : 0) % ENDPOINTS.size());
    int how = data.length > 1 ? data[1] & 0xff : 0;
    byte[] body = data.length > 2 ? Arrays.copyOfRange(data, 2, data.length) : new byte[0];
    body = new String(body, StandardCharsets.ISO_8859_1).replace("KEY", rig.key)
        .getBytes(StandardCharsets.ISO_8859_1);
    String path = endpoint.path().replace("OTHERKEY", otherKeyId);
    StringBuilder head = new StringBuilder(endpoint.method()).append(' ').append(path)
        .append(" HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n");
    if (endpoint.admin()) {
      if ((how & 3) != 3) {
        head.append("Authorization: Bearer ").append((how & 3) == 2 ? "not-a-token" : rig.adminToken).append("\r\n");
      }
    } else {
      switch (how & 3) {
        case 0 -> head.append("x-api-key: ").append(rig.key).append("\r\n");
        case 1 -> head.append("Authorization: Bearer ").append(rig.key).append("\r\n");
        case 2 -> head.append("x-goog-api-key: ").append(rig.key).append("\r\n");
        default -> head.append("x-api-key: cr_").append("0".repeat(64)).append("\r\n");
      }
    }
    String type = CONTENT_TYPES[(how >> 2) & 3];
    if (!type.isEmpty()) {
      head.append("Content-Type: ").append(type).append("\r\n");
    }
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    request.writeBytes(body);
    FuzzInput input = new FuzzInput("jazzer", (int) SENT.incrementAndGet(), endpoint.method() + " " + path,
        FuzzInput.shapeOf(path), request.toByteArray(), FuzzInput.Delivery.FRESH, 1, false);
    if (input.index() % 500 == 0) {
      rig.clearMocks();
    }

    FuzzAnswer answer;
    try (FuzzConnection c = new FuzzConnection(rig.port(), 20_000, null)) {
      c.write(input.request());
      answer = c.read(false);
    }
    if (!answer.answered()) {
      throw new AssertionError("not answered: " + answer.summary() + "\n" + input.text());
    }
    AnswerJudge.Verdict v = AnswerJudge.judge(input, answer, true);
    if (v.relay5xx()) {
      throw new AssertionError("relay 5xx: " + answer.summary());
    }
    if (v.leak() != null) {
      throw new AssertionError("'" + v.leak() + "' in " + answer.summary());
    }
    if (v.shapeMiss() != null) {
      throw new AssertionError(v.shapeMiss() + ": " + answer.summary());
    }
  }
}
