package dev.relaycluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.Authorization;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

class ClientKeysTest {

  private static HttpRequest req(String uri, String... nameValues) {
    HttpRequest r = HttpRequest.POST(uri);
    for (int i = 0; i < nameValues.length; i += 2) {
      r = r.addHeader(RawHeader.create(nameValues[i], nameValues[i + 1]));
    }
    return r;
  }

  @Test
  void fromXApiKey() {
    assertEquals(Optional.of("cr_a"), ClientKeys.from(req("/v1/messages", "x-api-key", "cr_a")));
  }

  @Test
  void fromBearerAuthorizationCaseInsensitive() {
    assertEquals(Optional.of("cr_b"), ClientKeys.from(req("/v1/messages", "Authorization", "Bearer cr_b")));
    assertEquals(Optional.of("cr_b"), ClientKeys.from(req("/v1/messages", "authorization", "bearer cr_b")));
    assertEquals(Optional.of("cr_b"), ClientKeys.from(req("/v1/messages", "authorization", "BEARER cr_b")));
    assertEquals(Optional.of("cr_b"), ClientKeys.from(req("/v1/messages", "authorization", "  Bearer   cr_b  ")));
    assertEquals(Optional.of("cr_b"),
        ClientKeys.from(HttpRequest.POST("/v1/messages").addHeader(Authorization.oauth2("cr_b"))));
  }

  @Test
  void fromAuthorizationWithoutScheme() {
    assertEquals(Optional.of("cr_raw"), ClientKeys.from(req("/v1/messages", "authorization", "cr_raw")));
  }

  @Test
  void fromGoogleAndAzureStyleHeaders() {
    assertEquals(Optional.of("cr_g"), ClientKeys.from(req("/v1/messages", "x-goog-api-key", "cr_g")));
    assertEquals(Optional.of("cr_z"), ClientKeys.from(req("/v1/messages", "api-key", "cr_z")));
  }

  @Test
  void fromQueryParameter() {
    assertEquals(Optional.of("cr_q"), ClientKeys.from(req("/v1/messages?key=cr_q")));
    assertEquals(Optional.of("cr_q"), ClientKeys.from(req("/v1/messages?beta=true&key=cr_q")));
  }

  @Test
  void noKeyAtAll() {
    assertEquals(Optional.empty(), ClientKeys.from(req("/v1/messages?beta=true")));
    assertEquals(Optional.empty(), ClientKeys.from(req("/v1/messages?key=")));
  }

  @Test
  void precedenceOrder() {
    String uri = "/v1/messages?key=cr_q";
    assertEquals(Optional.of("cr_a"), ClientKeys.from(req(uri, "api-key", "cr_z", "x-goog-api-key", "cr_g",
        "authorization", "Bearer cr_b", "x-api-key", "cr_a")));
    assertEquals(Optional.of("cr_b"), ClientKeys.from(req(uri, "api-key", "cr_z", "x-goog-api-key", "cr_g",
        "authorization", "Bearer cr_b")));
    assertEquals(Optional.of("cr_g"), ClientKeys.from(req(uri, "api-key", "cr_z", "x-goog-api-key", "cr_g")));
    assertEquals(Optional.of("cr_z"), ClientKeys.from(req(uri, "api-key", "cr_z")));
    assertEquals(Optional.of("cr_q"), ClientKeys.from(req(uri)));
  }

  @Test
  void blankHeadersAreIgnored() {
    assertEquals(Optional.of("cr_b"), ClientKeys.from(req("/v1/messages", "x-api-key", "", "authorization", "Bearer cr_b")));
    assertEquals(Optional.of("cr_g"), ClientKeys.from(req("/v1/messages", "x-api-key", "   ", "authorization", " ",
        "x-goog-api-key", "cr_g")));
    assertEquals(Optional.of("cr_q"), ClientKeys.from(req("/v1/messages?key=cr_q", "x-api-key", "", "api-key", "")));
    assertEquals(Optional.empty(), ClientKeys.from(req("/v1/messages", "x-api-key", " ")));
  }

  @Test
  void keyIsStripped() {
    assertEquals(Optional.of("cr_a"), ClientKeys.from(req("/v1/messages", "x-api-key", " cr_a ")));
  }

  @Test
  void queryWithoutKeyKeepsOtherParameters() {
    assertEquals("beta=true", ClientKeys.queryWithoutKey(req("/v1/messages?beta=true&key=cr_q")));
    assertEquals("beta=true", ClientKeys.queryWithoutKey(req("/v1/messages?key=cr_q&beta=true")));
    assertEquals("beta=true&keyword=x", ClientKeys.queryWithoutKey(req("/v1/messages?key=cr_q&beta=true&keyword=x")));
    assertEquals("beta=true", ClientKeys.queryWithoutKey(req("/v1/messages?beta=true")));
  }

  @Test
  void queryWithoutKeyIsNullWhenNothingRemains() {
    assertNull(ClientKeys.queryWithoutKey(req("/v1/messages?key=cr_q")));
    assertNull(ClientKeys.queryWithoutKey(req("/v1/messages?key")));
    assertNull(ClientKeys.queryWithoutKey(req("/v1/messages")));
  }
}
