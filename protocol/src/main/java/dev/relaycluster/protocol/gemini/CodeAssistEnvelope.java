package dev.relaycluster.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.dialect.InvalidRequestException;
import dev.relaycluster.protocol.util.Json;
import java.util.Set;
import java.util.UUID;

/**
 * Moves Gemini requests and answers between the public API's shape and the Code Assist envelope (pure).
 * Fields this class does not know are kept as they are; bytes in and out are UTF-8 JSON.
 *
 * <p>Request envelope (Gemini CLI's {@code converter.ts}): {@code {model, project, user_prompt_id,
 * request:{contents, systemInstruction, tools, …, session_id}}}; countTokens {@code {request:{model:"models/<m>",
 * contents}}}. Answer envelope: {@code {response:{candidates, usageMetadata, modelVersion, …}, traceId}}; the
 * CLI takes {@code traceId} as the public answer's {@code responseId}. A countTokens answer
 * ({@code {totalTokens}}) and an error ({@code {"error":…}}) look the same in both.
 */
public final class CodeAssistEnvelope {
  static final String MODELS = "models/";
  /** The Code Assist side calls whose project field is {@code cloudaicompanionProject}. */
  private static final Set<String> COMPANION_PROJECT_METHODS = Set.of(GeminiEndpoint.LOAD_CODE_ASSIST,
      GeminiEndpoint.ONBOARD_USER, "setCodeAssistGlobalUserSetting");
  /** The fields of the public countTokens request ({@code CountTokensRequest}). */
  private static final Set<String> COUNT_TOKENS_FIELDS = Set.of("contents", "generateContentRequest");

  private CodeAssistEnvelope() {}

  /**
   * A public-API request body for {@code endpoint} (a model call in public form) as the Code Assist body an
   * OAuth account is sent: {@code {model, project, user_prompt_id, request:{…}}}; for countTokens
   * {@code {request:{model:"models/<m>", contents}}}. {@code userPromptId} may be null (one is made up).
   * A countTokens body that gives only {@code generateContentRequest} has its {@code contents} lifted out.
   *
   * @throws InvalidRequestException when the body is not a JSON object
   */
  public static byte[] wrapRequest(byte[] publicBody, GeminiEndpoint endpoint, String project, String userPromptId) {
    ObjectNode body = object(publicBody, "request body");
    String model = bareModel(endpoint.model());
    ObjectNode out = Json.mapper().createObjectNode();
    if (endpoint.countsTokens()) {
      ObjectNode request = out.putObject("request");
      request.put("model", MODELS + model);
      JsonNode generate = body.get("generateContentRequest");
      if (!body.has("contents") && generate != null && generate.has("contents")) {
        request.set("contents", generate.get("contents"));
        body.remove("generateContentRequest");
      }
      body.remove("model");
      request.setAll(body);
      return Json.write(out);
    }
    out.put("model", model);
    if (project != null && !project.isBlank()) {
      out.put("project", project);
    }
    out.put("user_prompt_id", userPromptId != null ? userPromptId : UUID.randomUUID().toString());
    out.set("request", body);
    return Json.write(out);
  }

  /**
   * A Code Assist body for a model call as the public-API body: {@code request} taken out, with the fields
   * the public API refuses ({@code session_id}; for countTokens the inner {@code model}) dropped.
   * For countTokens only {@code contents} and {@code generateContentRequest} are kept: the public
   * {@code CountTokensRequest} has no other field and refuses unknown ones.
   *
   * @throws InvalidRequestException when the body is not a JSON object with a {@code request} object
   */
  public static byte[] unwrapRequest(byte[] codeAssistBody, GeminiEndpoint endpoint) {
    ObjectNode body = object(codeAssistBody, "request body");
    JsonNode request = body.get("request");
    if (request == null || !request.isObject()) {
      throw new InvalidRequestException("Invalid Code Assist request: \"request\" must be an object.");
    }
    ObjectNode inner = (ObjectNode) request;
    if (endpoint.countsTokens()) {
      inner.retain(COUNT_TOKENS_FIELDS);
    } else {
      inner.remove("session_id");
    }
    return Json.write(inner);
  }

  /**
   * A Code Assist body with the account's project set where the method carries one ({@code project} on model
   * calls and quota/experiment calls, {@code cloudaicompanionProject} on loadCodeAssist and onboardUser);
   * unchanged when {@code project} is null or blank or the body is not a JSON object.
   * Also: a {@code metadata.duetProject} the client sent is replaced; countTokens (whose Code Assist body has
   * no project) and operation reads are left alone; onboardUser for {@code free-tier} gets no project (the
   * free tier's project is Google's, and naming one there fails the call).
   */
  public static byte[] withProject(byte[] codeAssistBody, GeminiEndpoint endpoint, String project) {
    if (project == null || project.isBlank() || endpoint.method() == null || endpoint.countsTokens()) {
      return codeAssistBody;
    }
    JsonNode root = codeAssistBody == null ? null : Json.tryParse(codeAssistBody).orElse(null);
    if (root == null || !root.isObject()) {
      return codeAssistBody;
    }
    ObjectNode body = (ObjectNode) root;
    if (GeminiEndpoint.ONBOARD_USER.equals(endpoint.method()) && "free-tier".equals(Json.text(body, "tierId"))) {
      return codeAssistBody;
    }
    body.put(COMPANION_PROJECT_METHODS.contains(endpoint.method()) ? "cloudaicompanionProject" : "project", project);
    JsonNode metadata = body.get("metadata");
    if (metadata != null && metadata.isObject() && metadata.has("duetProject")) {
      ((ObjectNode) metadata).put("duetProject", project);
    }
    return Json.write(body);
  }

  /**
   * One Code Assist answer object ({@code {response:{…}, traceId}}) as the public answer ({@code traceId} →
   * {@code responseId} when the inner object has none). An object without {@code response} (an error, a
   * countTokens answer) and anything that is not a JSON object come back unchanged.
   */
  public static byte[] unwrapAnswer(byte[] codeAssistAnswer) {
    JsonNode root = codeAssistAnswer == null ? null : Json.tryParse(codeAssistAnswer).orElse(null);
    if (root == null || !root.isObject() || !root.path("response").isObject()) {
      return codeAssistAnswer;
    }
    return Json.write(unwrapAnswer(root));
  }

  /**
   * One public answer object as Code Assist sends it: {@code {response:{…}}}, with {@code traceId} set from
   * its {@code responseId}. An error object, a countTokens answer ({@code totalTokens} and no candidates) and
   * anything that is not a JSON object come back unchanged.
   */
  public static byte[] wrapAnswer(byte[] publicAnswer) {
    JsonNode root = publicAnswer == null ? null : Json.tryParse(publicAnswer).orElse(null);
    if (root == null || !root.isObject()) {
      return publicAnswer;
    }
    JsonNode wrapped = wrapAnswer(root);
    return wrapped == root ? publicAnswer : Json.write(wrapped);
  }

  /** {@link #unwrapAnswer(byte[])} on a parsed answer; returns {@code answer} itself when it is left alone. */
  static JsonNode unwrapAnswer(JsonNode answer) {
    JsonNode response = answer.get("response");
    if (!answer.isObject() || response == null || !response.isObject()) {
      return answer;
    }
    ObjectNode inner = (ObjectNode) response;
    String traceId = Json.text(answer, "traceId");
    if (traceId != null && !inner.hasNonNull("responseId")) {
      inner.put("responseId", traceId);
    }
    return inner;
  }

  /** {@link #wrapAnswer(byte[])} on a parsed answer; returns {@code answer} itself when it is left alone. */
  static JsonNode wrapAnswer(JsonNode answer) {
    if (!answer.isObject() || answer.has("error") || answer.path("response").isObject()
        || (answer.has("totalTokens") && !answer.has("candidates"))) {
      return answer;
    }
    ObjectNode out = Json.mapper().createObjectNode();
    out.set("response", answer);
    String responseId = Json.text(answer, "responseId");
    if (responseId != null) {
      out.put("traceId", responseId);
    }
    return out;
  }

  /** {@code model} without a leading {@code models/}. */
  static String bareModel(String model) {
    return model != null && model.startsWith(MODELS) ? model.substring(MODELS.length()) : model;
  }

  private static ObjectNode object(byte[] body, String what) {
    JsonNode root = body == null ? null : Json.tryParse(body).orElse(null);
    if (root == null || !root.isObject()) {
      throw new InvalidRequestException("Invalid JSON payload received: the " + what
          + " is not valid JSON (a JSON object is expected).");
    }
    return (ObjectNode) root;
  }
}
