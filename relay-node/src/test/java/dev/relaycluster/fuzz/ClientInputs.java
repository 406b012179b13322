package dev.relaycluster.fuzz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Inputs for the client endpoints, one family at a time (the Droid CLI's {@code /droid/…} paths among them):
 * Anthropic Messages and count_tokens, OpenAI
 * Responses, the Gemini public API, Code Assist, and the GET endpoints (model lists, key usage, the service
 * map). Each is mostly the real call, with a mutated body, mutated headers and sometimes an odd method,
 * path, query or body framing.
 */
final class ClientInputs {
  static final List<String> FAMILIES = List.of("anthropic", "openai", "chat", "gemini", "code-assist", "droid",
      "lists");
  private static final List<String> CODE_ASSIST_METHODS = List.of("generateContent", "streamGenerateContent",
      "countTokens", "loadCodeAssist", "onboardUser", "retrieveUserQuota", "listExperiments",
      "recordCodeAssistMetrics", "fetchAdminControls");

  private final String key;

  ClientInputs(String key) {
    this.key = key;
  }

  FuzzInput next(String family, int index, Junk junk) {
    JsonMutator mutator = new JsonMutator(junk);
    Call call = switch (family) {
      case "anthropic" -> anthropic(junk, mutator);
      case "openai" -> openai(junk, mutator);
      case "chat" -> chat(junk, mutator);
      case "gemini" -> gemini(junk, mutator);
      case "code-assist" -> codeAssist(junk, mutator);
      case "droid" -> droid(junk, mutator);
      default -> lists(junk, mutator);
    };
    return build(family, index, call, junk);
  }

  /** What a client asks: method, path, query (without the key), and body (null for none). */
  private record Call(String method, String path, String query, byte[] body, String what) {}

  private Call anthropic(Junk junk, JsonMutator mutator) {
    boolean count = junk.chance(20);
    String path = junk.pick("/api", "/claude", "") + (count ? "/v1/messages/count_tokens" : "/v1/messages");
    byte[] body = mutator.mutate(ClientBodies.anthropic(junk, count));
    return new Call("POST", path, junk.chance(30) ? "beta=true" : null, body, mutator.applied());
  }

  private Call openai(Junk junk, JsonMutator mutator) {
    boolean compact = junk.chance(15);
    String path = junk.pick("/openai", "/openai/v1", "/v1") + (compact ? "/responses/compact" : "/responses");
    byte[] body = mutator.mutate(ClientBodies.responses(junk));
    return new Call("POST", path, junk.chance(10) ? "client_version=0.50.0" : null, body, mutator.applied());
  }

  /** Chat Completions on the paths of every pool and the pinned ones; its models reach every pool (converted). */
  private Call chat(Junk junk, JsonMutator mutator) {
    String path = junk.pick("/v1", "/openai/v1", "/api/v1", "/openai/claude/v1", "/openai/gemini/v1")
        + "/chat/completions";
    byte[] body = mutator.mutate(ClientBodies.chat(junk));
    return new Call("POST", path, null, body, mutator.applied());
  }

  /**
   * The Droid CLI's three providers under {@code /droid} (Anthropic Messages, Responses, Chat Completions) and
   * their model lists; with no droid account in the rig, the model map's pools serve them.
   */
  private Call droid(Junk junk, JsonMutator mutator) {
    int which = junk.below(10);
    if (which == 0) {
      return new Call("GET", junk.pick("/droid/claude", "/droid/openai", "/droid/comm") + "/v1/models", null, null,
          "models");
    }
    if (which <= 3) {
      boolean count = junk.chance(15);
      byte[] body = mutator.mutate(ClientBodies.anthropic(junk, count));
      return new Call("POST", "/droid/claude/v1/messages" + (count ? "/count_tokens" : ""), null, body,
          mutator.applied());
    }
    if (which <= 6) {
      return new Call("POST", "/droid/openai/v1/responses", null, mutator.mutate(ClientBodies.responses(junk)),
          mutator.applied());
    }
    return new Call("POST", "/droid/comm/v1/chat/completions", null, mutator.mutate(ClientBodies.chat(junk)),
        mutator.applied());
  }

  private Call gemini(Junk junk, JsonMutator mutator) {
    String method = junk.chance(85) ? junk.pick("generateContent", "streamGenerateContent", "countTokens")
        : junk.pick("embedContent", "", "GENERATECONTENT", "generateContent:x", "\u00e9", "batchGenerateContent",
            junk.letters(1 + junk.below(300)));
    String model = junk.chance(80) ? junk.pick("gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.0-flash")
        : junk.pick("", "a b", "..", "%2e%2e", "gemini-2.5-pro/../x", "x%2Fy", "%00", "\u00fc", "%E2%80%AE",
            "tunedModels%2Fx", "gemini-2.5-pro%3AcountTokens", "a?b", "{model}", junk.letters(1 + junk.below(2_000)));
    String path = junk.pick("/gemini/v1beta", "/gemini/v1", "/v1beta") + "/models/" + pathSafe(model) + ":"
        + pathSafe(method);
    String query = method.equals("streamGenerateContent") && junk.chance(70) ? "alt=sse" : null;
    byte[] body = mutator.mutate(ClientBodies.gemini(junk));
    return new Call("POST", path, query, body, "model=" + shortly(model) + " " + mutator.applied());
  }

  private Call codeAssist(Junk junk, JsonMutator mutator) {
    if (junk.chance(8)) {
      String op = junk.chance(70) ? "operations/" + pathSafe(junk.chance(50) ? "op-" + junk.below(100)
          : junk.letters(1 + junk.below(300))) : pathSafe(junk.letters(1 + junk.below(600)));
      return new Call("GET", "/gemini/v1internal/" + op, null, null, "operation");
    }
    String method = junk.chance(90) ? junk.pick(CODE_ASSIST_METHODS) : junk.pick("", "x", "getOperation",
        junk.letters(1 + junk.below(400)));
    ObjectNode seed = List.of("generateContent", "streamGenerateContent", "countTokens").contains(method)
        ? ClientBodies.codeAssist(junk) : ClientBodies.codeAssistSide(junk, method);
    String query = method.equals("streamGenerateContent") && junk.chance(70) ? "alt=sse" : null;
    return new Call("POST", "/gemini/v1internal:" + pathSafe(method), query, mutator.mutate(seed),
        method.length() > 30 ? "long-method" : method + " " + mutator.applied());
  }

  private Call lists(Junk junk, JsonMutator mutator) {
    if (junk.chance(15)) {
      return new Call("POST", "/apiStats/api/user-stats", null, mutator.mutate(ClientBodies.userStats(key)),
          "user-stats " + mutator.applied());
    }
    String path = junk.pick("/api/v1/models", "/claude/v1/models", "/v1/models", "/openai/models",
        "/openai/v1/models", "/gemini/v1beta/models", "/gemini/v1/models", "/v1beta/models",
        "/gemini/v1beta/models/gemini-2.5-pro", "/v1beta/models/" + pathSafe(junk.letters(1 + junk.below(300))),
        "/api/v1/key-usage", "/claude/v1/key-usage", "/v1/key-usage", "/", "/health",
        "/api/event_logging/batch", "/nowhere", "/api", "/openai/nowhere", "/gemini/nowhere", "/v1beta/nowhere");
    String query = junk.chance(30) ? junk.pick("pageSize=1000", "pageSize=-1", "pageSize=x", "pageToken=%zz",
        "client_version=" + junk.letters(20), "a=" + pathSafe(junk.unicode(8))) : null;
    return new Call(junk.chance(85) ? "GET" : "POST", path, query, null, "");
  }

  private FuzzInput build(String family, int index, Call call, Junk junk) {
    String method = call.method();
    String path = call.path();
    List<String> odd = new ArrayList<>();
    if (junk.chance(5)) {
      method = junk.pick("GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "post", "FOO", "CONNECT");
      odd.add("method:" + method);
    }
    if (junk.chance(8)) {
      path = oddPath(path, junk);
      odd.add("path");
    }
    byte[] body = call.body();
    if (body == null && !method.equals("GET") && !method.equals("HEAD") && junk.chance(50)) {
      body = Junk.utf8("{}");
    }
    ClientHeaders headers = new ClientHeaders(junk, key);
    headers.choose(body != null);
    String query = call.query();
    if (headers.queryKey != null) {
      String k = "key=" + URLEncoder.encode(headers.queryKey, StandardCharsets.UTF_8);
      query = query == null ? k : query + "&" + k;
    }
    if (junk.chance(5)) {
      query = (query == null ? "" : query + "&") + junk.pick("%zz", "a=%", "&&&", "key=", "a=" + "b".repeat(9_000),
          "x=%00", "=", "a[]=1&a[]=2", "\u00e9=1");
      odd.add("query");
    }
    HttpBytes request = new HttpBytes(method, path + (query == null ? "" : "?" + query));
    for (String[] h : headers.headers) {
      request.header(h[0], h[1]);
    }
    HttpBytes.Framing framing = framing(body, junk);
    if (body != null || framing != HttpBytes.Framing.LENGTH) {
      request.body(body == null ? new byte[0] : body, framing);
    }
    boolean cleanTarget = path.chars().allMatch(c -> c > 0x20 && c < 0x7f)
        && (query == null || query.chars().allMatch(c -> c > 0x20 && c < 0x7f));
    FuzzInput.Delivery delivery = framing == HttpBytes.Framing.LONG ? FuzzInput.Delivery.HALF_CLOSE
        : request.inStep() && cleanTarget ? FuzzInput.Delivery.KEEP_ALIVE : FuzzInput.Delivery.FRESH;
    String label = method + " " + shortly(path) + (framing == HttpBytes.Framing.LENGTH ? "" : " " + framing)
        + " " + String.join(",", headers.applied) + (odd.isEmpty() ? "" : " odd:" + String.join(",", odd))
        + " body:" + call.what();
    return new FuzzInput(family, index, label, shape(method, path, headers), request.bytes(junk), delivery, 1,
        delivery == FuzzInput.Delivery.HALF_CLOSE);
  }

  /**
   * The error shape expected: the path's, except that GET v1/models at the root and under /api is OpenAI's list
   * for a caller that is not an Anthropic client (no {@code anthropic-version}, no {@code x-api-key}).
   */
  private static FuzzInput.Shape shape(String method, String path, ClientHeaders headers) {
    boolean anthropic = headers.headers.stream().anyMatch(h -> h[0].equalsIgnoreCase("anthropic-version")
        || h[0].equalsIgnoreCase("x-api-key"));
    String canonical = canonical(path);
    if (method.equals("GET") && (canonical.equals("/v1/models") || canonical.equals("/api/v1/models")) && !anthropic) {
      return FuzzInput.Shape.OPENAI;
    }
    return FuzzInput.shapeOf(path);
  }

  /** The path as the server reads it: percent-escapes decoded, dot segments resolved; as sent if unparsable. */
  private static String canonical(String path) {
    try {
      String decoded = new java.net.URI(path).normalize().getPath();
      return decoded == null ? path : decoded;
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      return path;
    }
  }

  private static HttpBytes.Framing framing(byte[] body, Junk junk) {
    int roll = junk.below(100);
    if (roll < 84) {
      return HttpBytes.Framing.LENGTH;
    }
    if (roll < 94) {
      return HttpBytes.Framing.CHUNKED;
    }
    if (roll < 96 && (body == null || body.length == 0)) {
      return HttpBytes.Framing.NONE;
    }
    return junk.chance(50) ? HttpBytes.Framing.SHORT : HttpBytes.Framing.LONG;
  }

  private static String oddPath(String path, Junk junk) {
    return switch (junk.below(12)) {
      case 0 -> path + "/";
      case 1 -> "/" + path;
      case 2 -> path.toUpperCase(java.util.Locale.ROOT);
      case 3 -> path.replace("/v1/", "/v1/../v1/");
      case 4 -> path + ";x=y";
      case 5 -> path + "%00";
      case 6 -> path + "/extra";
      case 7 -> path.replaceFirst("s", "%73");
      case 8 -> "http://relay" + path;
      case 9 -> path + "/" + "a".repeat(junk.pick(List.of(1_000, 9_000, 70_000)));
      case 10 -> path + junk.pick(" x", "\u00e9", "#frag", "\\x", "%2F..%2F..%2Fadmin%2Fapi%2Fkeys");
      default -> "*";
    };
  }

  /** A path segment: unreserved characters as they are, the rest percent-encoded (a '%' given stays raw). */
  static String pathSafe(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (Character.isLetterOrDigit(c) && c < 0x80 || "-._~%:".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }

  private static String shortly(String s) {
    return s.length() > 60 ? s.substring(0, 40) + "…(" + s.length() + ")" : s;
  }
}
