package dev.relaycluster.protocol.oauth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/** How the OAuth wire formats here encode their parameters: an authorize URL's query, and a token endpoint's form. */
final class OAuthForms {
  private OAuthForms() {}

  /** {@code endpoint} with the parameters appended as a query (spaces as {@code %20}), in their order. */
  static String url(String endpoint, Map<String, String> query) {
    return endpoint + (endpoint.contains("?") ? "&" : "?") + query.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"))
        .collect(Collectors.joining("&"));
  }

  /** An {@code application/x-www-form-urlencoded} body of the fields, in their order. */
  static byte[] form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"))
        .getBytes(StandardCharsets.US_ASCII);
  }
}
