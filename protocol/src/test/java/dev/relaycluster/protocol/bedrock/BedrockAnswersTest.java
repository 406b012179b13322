package dev.relaycluster.protocol.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.protocol.util.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BedrockAnswersTest {
  private static final String AMZN_TAIL = ":http://internal.amazon.com/coral/com.amazon.bedrock/";

  private static byte[] body(String message) {
    return ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void throttlingCoolsTheRequestsFamilyForAMinuteAndFailsOver() {
    AnswerVerdict v = BedrockAnswers.classify(429, "ThrottlingException" + AMZN_TAIL,
        body("Too many requests, please wait before trying again."));
    assertEquals(AnswerClass.RATE_LIMITED, v.answerClass());
    assertEquals(BedrockAnswers.THROTTLED_SECONDS, v.retryAfterSeconds());
    assertTrue(v.requestFamily());
    assertNull(v.family());
    assertTrue(v.failover());
    assertEquals("Too many requests, please wait before trying again.", v.message());
  }

  @Test
  void credentialsRefusedMarkTheAccount() {
    AnswerVerdict denied = BedrockAnswers.classify(403, "AccessDeniedException",
        body("You don't have access to the model with the specified model ID."));
    assertEquals(AnswerClass.ORG_DISABLED, denied.answerClass());
    assertTrue(denied.message().contains("don't have access"));
    assertEquals(AnswerClass.UNAUTHORIZED, BedrockAnswers.classify(403, "UnrecognizedClientException",
        body("The security token included in the request is invalid.")).answerClass());
    assertEquals(AnswerClass.UNAUTHORIZED, BedrockAnswers.classify(403, "InvalidSignatureException" + AMZN_TAIL,
        body("The request signature we calculated does not match the signature you provided.")).answerClass());
    assertEquals(AnswerClass.UNAUTHORIZED, BedrockAnswers.classify(403, null, "{}".getBytes()).answerClass());
  }

  @Test
  void validationIsTheClientsOwnError() {
    AnswerVerdict v = BedrockAnswers.classify(400, "ValidationException", body("max_tokens: field required"));
    assertEquals(AnswerClass.REQUEST_ERROR, v.answerClass());
    assertFalse(v.failover());
  }

  @Test
  void transientFailuresFailOver() {
    assertEquals(AnswerClass.SERVER_ERROR, BedrockAnswers.classify(404, "ResourceNotFoundException",
        body("Model not found")).answerClass());
    assertEquals(AnswerClass.SERVER_ERROR, BedrockAnswers.classify(429, "ModelNotReadyException",
        body("not ready")).answerClass());
    assertEquals(AnswerClass.OVERLOADED, BedrockAnswers.classify(503, "ServiceUnavailableException",
        body("unavailable")).answerClass());
    assertEquals(AnswerClass.SERVER_ERROR, BedrockAnswers.classify(500, "InternalServerException",
        body("boom")).answerClass());
    assertEquals(AnswerClass.UNREACHABLE, BedrockAnswers.classify(408, "ModelTimeoutException",
        body("slow")).answerClass());
    assertEquals(AnswerClass.SUCCESS, BedrockAnswers.classify(200, null, null).answerClass());
    assertTrue(BedrockAnswers.classify(404, "ResourceNotFoundException", body("x")).failover());
  }

  @Test
  void theTypeMayComeInTheBody() {
    assertEquals(AnswerClass.RATE_LIMITED, BedrockAnswers.classify(400, null,
        "{\"__type\":\"com.amazon.coral#ThrottlingException\",\"message\":\"slow down\"}".getBytes()).answerClass());
  }

  @Test
  void errorBodiesBecomeAnthropicErrors() throws Exception {
    JsonNode v = Json.parse(BedrockAnswers.anthropicErrorBody(400, "ValidationException",
        body("messages: at least one message is required")));
    assertEquals("error", v.path("type").asText());
    assertEquals("invalid_request_error", v.path("error").path("type").asText());
    assertEquals("messages: at least one message is required", v.path("error").path("message").asText());
    assertEquals("rate_limit_error", Json.parse(BedrockAnswers.anthropicErrorBody(429, "ThrottlingException",
        body("x"))).path("error").path("type").asText());
    assertEquals("permission_error", Json.parse(BedrockAnswers.anthropicErrorBody(403, "AccessDeniedException",
        body("x"))).path("error").path("type").asText());
    assertEquals("overloaded_error", Json.parse(BedrockAnswers.anthropicErrorBody(503, null, new byte[0]))
        .path("error").path("type").asText());
    assertEquals("Bedrock answered 503", Json.parse(BedrockAnswers.anthropicErrorBody(503, null, new byte[0]))
        .path("error").path("message").asText());
  }

  @Test
  void streamExceptionTypes() {
    assertEquals("rate_limit_error", BedrockAnswers.streamErrorType("throttlingException"));
    assertEquals("overloaded_error", BedrockAnswers.streamErrorType("serviceUnavailableException"));
    assertEquals("invalid_request_error", BedrockAnswers.streamErrorType("validationException"));
    assertEquals("api_error", BedrockAnswers.streamErrorType("modelStreamErrorException"));
    assertEquals("api_error", BedrockAnswers.streamErrorType("internalServerException"));
    assertEquals("api_error", BedrockAnswers.streamErrorType("modelTimeoutException"));
    assertEquals("api_error", BedrockAnswers.streamErrorType(null));
  }
}
