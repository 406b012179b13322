package dev.relaycluster.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockAnthropic.Scripted;
import dev.relaycluster.testing.MockFault;
import dev.relaycluster.testing.MockGemini;
import dev.relaycluster.testing.MockOpenAi;
import dev.relaycluster.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The four pools of the fault suite: Claude (Anthropic Messages on claude-console accounts), OpenAI Responses
 * (codex-oauth accounts, which always stream upstream), OpenAI Chat Completions (openai-api accounts) and Gemini
 * (gemini-api accounts, SSE). Each names the refusals its mock plays before the first byte: the upstream's own
 * error statuses, and the {@link MockFault}s a relay meets before any byte of an answer.
 */
final class FaultPools {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The faults before the first byte every mock plays, for any request. */
  private static final List<MockFault> BEFORE_HEADERS = List.of(MockFault.RESET_BEFORE_HEADERS,
      MockFault.GARBAGE_INSTEAD_OF_HTTP);
  /** The faults before the first byte of a stream. */
  private static final List<MockFault> BEFORE_FIRST_EVENT = List.of(MockFault.STALL, MockFault.ERROR_FIRST,
      MockFault.GARBAGE_AFTER_HEADERS);

  private FaultPools() {}

  /** A fault's name in the report: "reset-before-headers". */
  static String label(MockFault f) {
    return f.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static MockFault parse(String label) {
    try {
      return MockFault.valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException notAFault) {
      return null;
    }
  }

  /** The faults that break a whole answer: the relay holds it all before the client gets a byte. */
  private static final List<MockFault> IN_A_WHOLE_ANSWER = List.of(MockFault.GARBAGE_AFTER_HEADERS,
      MockFault.ERROR_AFTER_OUTPUT, MockFault.CUT_RESET, MockFault.CUT_CLEAN, MockFault.STALL_AFTER_OUTPUT);

  /**
   * The refusals before the first byte: the statuses, the faults before any header, those before a stream's
   * first event ({@code streamFaults}: the request streams, or the platform always streams upstream), and for a
   * whole answer the faults that break it anywhere.
   */
  private static List<String> refusals(List<String> statuses, boolean streamFaults, boolean wholeAnswer) {
    java.util.Set<String> all = new java.util.LinkedHashSet<>(statuses);
    BEFORE_HEADERS.forEach(f -> all.add(label(f)));
    if (streamFaults) {
      BEFORE_FIRST_EVENT.forEach(f -> all.add(label(f)));
    }
    if (wholeAnswer) {
      IN_A_WHOLE_ANSWER.forEach(f -> all.add(label(f)));
    }
    return new ArrayList<>(all);
  }

  static HttpResponse<String> post(TestNode node, String path, Map<String, String> headers, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).timeout(Duration.ofSeconds(60))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return node.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static FaultPool claude(TestNode node, MockAnthropic anthropic) {
    return new FaultPool() {
      public String name() {
        return "claude";
      }

      public String account(String name, String credential, int priority) throws Exception {
        return node.createConsoleAccount(name, anthropic.baseUrl(), credential, priority);
      }

      public List<String> refusals(boolean stream) {
        return FaultPools.refusals(List.of("401", "429-reset", "429-bare", "500", "529"), stream, !stream);
      }

      public void refuse(String credential, String refusal) {
        MockFault f = parse(refusal);
        if (f != null) {
          fault(credential, f);
          return;
        }
        long reset = System.currentTimeMillis() / 1000 + 3600;
        anthropic.always(credential, switch (refusal) {
          case "401" -> Scripted.unauthorized();
          case "429-reset" -> Scripted.rateLimited(reset, null);
          case "429-bare" -> Scripted.error(429, MockAnthropic.RATE_LIMIT_BODY, "");
          case "500" -> Scripted.serverError();
          case "529" -> Scripted.overloaded();
          default -> throw new IllegalArgumentException(refusal);
        });
      }

      public void fault(String credential, MockFault fault) {
        anthropic.fault(credential, fault);
      }

      public void heal(String credential) {
        anthropic.always(credential, null);
        anthropic.fault(credential, null);
      }

      public HttpResponse<String> request(String key, boolean stream) throws Exception {
        return post(node, "/api/v1/messages", Map.of("x-api-key", key, "anthropic-version", "2023-06-01"),
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":256,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello " + UUID.randomUUID() + "\"}]}");
      }

      public boolean whole(HttpResponse<String> r, boolean stream) {
        return r.statusCode() == 200 && (stream ? r.body().contains("event: message_stop")
            && !r.body().contains("event: error") : r.body().contains("\"stop_reason\":\"end_turn\""));
      }

      public boolean endsInError(String body) {
        return body.contains("event: error\ndata: ") && !body.contains("event: message_stop");
      }
    };
  }

  static FaultPool codex(TestNode node, MockOpenAi openai) {
    return new FaultPool() {
      public String name() {
        return "openai (Responses)";
      }

      public String account(String name, String credential, int priority) throws Exception {
        openai.acceptAccessToken(credential, "acct-" + credential);
        return node.admin("POST", "/admin/api/accounts", JSON.createObjectNode().put("name", name)
            .put("platform", "openai").put("type", "codex-oauth").put("baseUrl", openai.codexBaseUrl())
            .put("accessToken", credential).put("chatgptAccountId", "acct-" + credential).put("priority", priority))
            .get("id").asText();
      }

      public List<String> refusals(boolean stream) {
        // The codex backend always streams: a whole answer is added up from its stream.
        return FaultPools.refusals(List.of("429", "500", "502", "503"), true, !stream);
      }

      public void refuse(String credential, String refusal) {
        MockFault f = parse(refusal);
        if (f != null) {
          fault(credential, f);
        } else {
          openai.failWith(credential, Integer.parseInt(refusal));
        }
      }

      public void fault(String credential, MockFault fault) {
        openai.fault(credential, fault);
      }

      public void heal(String credential) {
        openai.failWith(credential, 0);
        openai.fault(credential, null);
      }

      public HttpResponse<String> request(String key, boolean stream) throws Exception {
        return post(node, "/openai/v1/responses", Map.of("authorization", "Bearer " + key),
            "{\"model\":\"gpt-5-codex\",\"stream\":" + stream + ",\"store\":false,\"input\":[{\"type\":\"message\","
            + "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"hi " + UUID.randomUUID() + "\"}]}]}");
      }

      public boolean whole(HttpResponse<String> r, boolean stream) {
        return r.statusCode() == 200 && (stream ? r.body().contains("event: response.completed")
            && !r.body().contains("response.failed") : r.body().contains("\"status\":\"completed\""));
      }

      public boolean endsInError(String body) {
        return (body.contains("event: response.failed\ndata: ") || body.contains("event: error\ndata: "))
            && !body.contains("event: response.completed");
      }
    };
  }

  static FaultPool chat(TestNode node, MockOpenAi openai) {
    return new FaultPool() {
      public String name() {
        return "openai (Chat Completions)";
      }

      public String account(String name, String credential, int priority) throws Exception {
        openai.acceptApiKey(credential);
        return node.admin("POST", "/admin/api/accounts", JSON.createObjectNode().put("name", name)
            .put("platform", "openai").put("type", "openai-api").put("baseUrl", openai.baseUrl())
            .put("apiKey", credential).put("priority", priority)).get("id").asText();
      }

      public List<String> refusals(boolean stream) {
        return FaultPools.refusals(List.of("429", "500", "503"), stream, !stream);
      }

      public void refuse(String credential, String refusal) {
        MockFault f = parse(refusal);
        if (f != null) {
          fault(credential, f);
        } else {
          openai.failWith(credential, Integer.parseInt(refusal));
        }
      }

      public void fault(String credential, MockFault fault) {
        openai.fault(credential, fault);
      }

      public void heal(String credential) {
        openai.failWith(credential, 0);
        openai.fault(credential, null);
      }

      public HttpResponse<String> request(String key, boolean stream) throws Exception {
        return post(node, "/openai/v1/chat/completions", Map.of("authorization", "Bearer " + key),
            "{\"model\":\"gpt-4.1\",\"stream\":" + stream
                + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "")
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi " + UUID.randomUUID() + "\"}]}");
      }

      public boolean whole(HttpResponse<String> r, boolean stream) {
        return r.statusCode() == 200 && (stream ? r.body().contains("data: [DONE]")
            && !r.body().contains("data: {\"error\"") : r.body().contains("\"finish_reason\":\"stop\""));
      }

      public boolean endsInError(String body) {
        return body.contains("data: {\"error\"") && !body.contains("data: [DONE]");
      }
    };
  }

  static FaultPool gemini(TestNode node, MockGemini gemini) {
    return new FaultPool() {
      public String name() {
        return "gemini";
      }

      public String account(String name, String credential, int priority) throws Exception {
        gemini.acceptApiKey(credential);
        return node.admin("POST", "/admin/api/accounts", JSON.createObjectNode().put("name", name)
            .put("platform", "gemini").put("type", "gemini-api").put("baseUrl", gemini.baseUrl())
            .put("apiKey", credential).put("priority", priority)).get("id").asText();
      }

      public List<String> refusals(boolean stream) {
        return FaultPools.refusals(List.of("mock-429", "mock-429-daily", "mock-503", "mock-quota-exhausted"), stream,
            !stream);
      }

      public void refuse(String credential, String refusal) {
        MockFault f = parse(refusal);
        if (f != null) {
          fault(credential, f);
        } else {
          gemini.failWith(credential, refusal);
        }
      }

      public void fault(String credential, MockFault fault) {
        gemini.fault(credential, fault);
      }

      public void heal(String credential) {
        gemini.failWith(credential, null);
        gemini.fault(credential, null);
      }

      public HttpResponse<String> request(String key, boolean stream) throws Exception {
        String method = stream ? "streamGenerateContent?alt=sse" : "generateContent";
        return post(node, "/gemini/v1beta/models/gemini-2.5-pro:" + method, Map.of("x-goog-api-key", key),
            "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi " + UUID.randomUUID() + "\"}]}]}");
      }

      public boolean whole(HttpResponse<String> r, boolean stream) {
        return r.statusCode() == 200 && r.body().contains("\"finishReason\"") && !r.body().contains("\"error\"");
      }

      public boolean endsInError(String body) {
        return body.contains("data: {\"error\"") && !body.contains("\"finishReason\"");
      }
    };
  }
}
