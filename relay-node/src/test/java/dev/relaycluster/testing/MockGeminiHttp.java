package dev.relaycluster.testing;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Raw java.net.http calls to a {@link MockGemini} for its tests: JSON posts, gets, token-endpoint forms. */
final class MockGeminiHttp {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private MockGeminiHttp() {}

  /** A Code Assist envelope of a one-text request. */
  static String caBody(String model, String project, String text) {
    return "{\"model\":\"" + model + "\",\"project\":\"" + project + "\",\"user_prompt_id\":\"p-1\",\"request\":{"
        + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"" + text + "\"}]}],\"session_id\":\"s-1\"}}";
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** A form-encoded POST to the mock's token endpoint. */
  static HttpResponse<String> form(MockGemini mock, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(mock.tokenUrl()))
        .header("content-type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A JSON POST; header is "Name: value" or null. */
  static HttpResponse<String> post(MockGemini mock, String pathAndQuery, String header, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(mock.baseUrl() + pathAndQuery))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(withHeader(b, header).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(MockGemini mock, String pathAndQuery, String header) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(mock.baseUrl() + pathAndQuery)).GET();
    return HTTP.send(withHeader(b, header).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder withHeader(HttpRequest.Builder b, String header) {
    if (header != null) {
      int colon = header.indexOf(':');
      b.header(header.substring(0, colon), header.substring(colon + 1).trim());
    }
    return b;
  }
}
