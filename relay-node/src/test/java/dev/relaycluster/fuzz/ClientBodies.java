package dev.relaycluster.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/**
 * Valid request bodies of each client endpoint, as the real clients send them, for the mutator to start
 * from: Anthropic Messages (and count_tokens), OpenAI Responses (and compact), Gemini generateContent, Code
 * Assist model calls in their envelope and Code Assist side calls. Models are real model names, never a
 * mock scenario, so every body that stays valid gets a 200 from the mock upstream.
 */
final class ClientBodies {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ClientBodies() {}

  static ObjectNode anthropic(Junk junk, boolean countTokens) {
    // Now and then a model of another pool: the request is converted for that pool's accounts.
    ObjectNode body = JSON.createObjectNode().put("model", junk.chance(15) ? junk.pick("gpt-4.1", "gemini-2.5-flash")
        : junk.pick("claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001", "claude-opus-4-1-20250805"));
    if (!countTokens) {
      body.put("max_tokens", 1 + junk.below(4_096)).put("stream", junk.chance(50));
    }
    ArrayNode messages = body.putArray("messages");
    if (junk.chance(50)) {
      messages.addObject().put("role", "user").put("content", "hello");
    } else {
      ObjectNode user = messages.addObject().put("role", "user");
      user.putArray("content").addObject().put("type", "text").put("text", "hello")
          .putObject("cache_control").put("type", "ephemeral");
      messages.addObject().put("role", "assistant").put("content", "hi");
      messages.addObject().put("role", "user").put("content", "more");
    }
    if (junk.chance(40)) {
      body.putArray("system").addObject().put("type", "text").put("text", "You are Claude Code.");
    }
    if (junk.chance(40)) {
      body.putObject("metadata").put("user_id", "user_" + "ab".repeat(32) + "_account__session_" + UUID.randomUUID());
    }
    if (junk.chance(30)) {
      ObjectNode tool = body.putArray("tools").addObject().put("name", "Bash").put("description", "run");
      tool.putObject("input_schema").put("type", "object").putObject("properties");
    }
    if (junk.chance(20)) {
      body.putObject("thinking").put("type", "enabled").put("budget_tokens", 1024);
    }
    return body;
  }

  static ObjectNode responses(Junk junk) {
    ObjectNode body = JSON.createObjectNode().put("model", junk.chance(15)
            ? junk.pick("claude-sonnet-4-5-20250929", "gemini-2.5-flash") : junk.pick("gpt-5-codex", "gpt-5", "gpt-4.1"))
        .put("instructions", "You are Codex.").put("stream", junk.chance(60)).put("store", false);
    ArrayNode input = body.putArray("input");
    ObjectNode message = input.addObject().put("type", "message").put("role", "user");
    message.putArray("content").addObject().put("type", "input_text").put("text", "hello");
    if (junk.chance(50)) {
      body.put("prompt_cache_key", UUID.randomUUID().toString());
    }
    if (junk.chance(30)) {
      body.putObject("reasoning").put("effort", "low").put("summary", "auto");
      body.putArray("include").add("reasoning.encrypted_content");
    }
    if (junk.chance(30)) {
      ObjectNode tool = body.putArray("tools").addObject().put("type", "function").put("name", "shell");
      tool.putObject("parameters").put("type", "object");
    }
    return body;
  }

  /** A Chat Completions request for a model of any pool, with the parts the converters carry. */
  static ObjectNode chat(Junk junk) {
    ObjectNode body = JSON.createObjectNode().put("model", junk.pick("gpt-4.1", "claude-sonnet-4-5-20250929",
        "gemini-2.5-flash", "sonnet")).put("stream", junk.chance(50));
    ArrayNode messages = body.putArray("messages");
    if (junk.chance(40)) {
      messages.addObject().put("role", junk.pick("system", "developer")).put("content", "Be brief.");
    }
    ObjectNode user = messages.addObject().put("role", "user");
    if (junk.chance(50)) {
      user.put("content", "hello");
    } else {
      ArrayNode parts = user.putArray("content");
      parts.addObject().put("type", "text").put("text", "look");
      parts.addObject().put("type", "image_url").putObject("image_url").put("url", junk.pick(
          "data:image/png;base64,iVBORw0KGgo=", "https://example.com/cat.jpg"));
    }
    if (junk.chance(30)) {
      ObjectNode assistant = messages.addObject().put("role", "assistant").putNull("content");
      ObjectNode call = assistant.putArray("tool_calls").addObject().put("id", "call_1").put("type", "function");
      call.putObject("function").put("name", "shell").put("arguments", "{\"command\":\"ls\"}");
      messages.addObject().put("role", "tool").put("tool_call_id", "call_1").put("content", "a.txt");
    }
    if (junk.chance(30)) {
      ObjectNode fn = body.putArray("tools").addObject().put("type", "function").putObject("function");
      fn.put("name", "shell").putObject("parameters").put("type", "object").putObject("properties")
          .putObject("command").put("type", "string");
      body.put("tool_choice", junk.pick("auto", "required", "none"));
    }
    if (junk.chance(20)) {
      body.putObject("stream_options").put("include_usage", true);
    }
    if (junk.chance(20)) {
      body.put("reasoning_effort", junk.pick("low", "medium", "high"));
    }
    if (junk.chance(20)) {
      body.put(junk.pick("max_tokens", "max_completion_tokens"), 1 + junk.below(4_096));
    }
    return body;
  }

  static ObjectNode gemini(Junk junk) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode user = body.putArray("contents").addObject().put("role", "user");
    user.putArray("parts").addObject().put("text", "hello");
    if (junk.chance(60)) {
      body.putObject("generationConfig").put("maxOutputTokens", 1 + junk.below(8_192)).put("temperature", 0.5);
    }
    if (junk.chance(30)) {
      body.putObject("systemInstruction").putArray("parts").addObject().put("text", "You are Gemini CLI.");
    }
    if (junk.chance(20)) {
      body.putArray("tools").addObject().putArray("functionDeclarations").addObject().put("name", "ls");
    }
    return body;
  }

  /** A Code Assist model call: the public request inside {@code {model, project, user_prompt_id, request}}. */
  static ObjectNode codeAssist(Junk junk) {
    ObjectNode body = JSON.createObjectNode().put("model", junk.pick("gemini-2.5-pro", "gemini-2.5-flash"))
        .put("project", "mock-project-1").put("user_prompt_id", "prompt-" + junk.below(1_000));
    ObjectNode request = gemini(junk);
    request.put("session_id", UUID.randomUUID().toString());
    body.set("request", request);
    return body;
  }

  /** A Code Assist side call's body (loadCodeAssist and the others). */
  static ObjectNode codeAssistSide(Junk junk, String method) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode metadata = JSON.createObjectNode().put("ideType", "IDE_UNSPECIFIED")
        .put("platform", "PLATFORM_UNSPECIFIED").put("pluginType", "GEMINI");
    switch (method) {
      case "loadCodeAssist" -> body.put("cloudaicompanionProject", "mock-project-1").set("metadata", metadata);
      case "onboardUser" -> body.put("tierId", "standard-tier").put("cloudaicompanionProject", "mock-project-1")
          .set("metadata", metadata);
      case "retrieveUserQuota", "listExperiments" -> body.put("project", "mock-project-1").set("metadata", metadata);
      default -> body.put("project", "mock-project-1");
    }
    return body;
  }

  /** The Node.js relay's stats call: {@code {"apiKey": "cr_…"}}. */
  static ObjectNode userStats(String key) {
    return JSON.createObjectNode().put("apiKey", key);
  }
}
