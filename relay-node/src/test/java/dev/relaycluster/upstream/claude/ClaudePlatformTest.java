package dev.relaycluster.upstream.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.upstream.Credential;
import dev.relaycluster.upstream.UpstreamCall;
import dev.relaycluster.upstream.UpstreamUris;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class ClaudePlatformTest {
  private static final ClaudePlatform CONSOLE = new ClaudePlatform("claude-console", false);
  private static final ClaudePlatform OAUTH = new ClaudePlatform("claude-oauth", true);
  private static final ByteString BODY = ByteString.fromString("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":16}");

  private static Credential credential(ClaudePlatform platform, String baseUrl) {
    return platform.oauth()
        ? new Credential("acc-1", platform.accountType(), baseUrl, null, "sk-ant-oat01-token", null, null)
        : new Credential("acc-1", platform.accountType(), baseUrl, "sk-ant-api03-account", null, null, null);
  }

  private static HttpRequest request(ClaudePlatform platform, String baseUrl, String query, List<HttpHeader> headers) {
    return platform.request(new UpstreamCall("messages", query, headers, ContentTypes.APPLICATION_JSON, BODY,
        new RequestView("claude-sonnet-4-5", false, 16, true, null)), credential(platform, baseUrl));
  }

  private static List<HttpHeader> clientHeaders(String beta) {
    List<HttpHeader> h = new ArrayList<>(List.of(
        RawHeader.create("x-api-key", "cr_relay_client_key"),
        RawHeader.create("authorization", "Bearer cr_relay_client_key"),
        RawHeader.create("x-forwarded-for", "203.0.113.7"),
        RawHeader.create("x-real-ip", "203.0.113.7"),
        RawHeader.create("host", "relay.example"),
        RawHeader.create("content-length", "46"),
        RawHeader.create("connection", "keep-alive"),
        RawHeader.create("accept-encoding", "gzip, deflate, br, zstd"),
        RawHeader.create("anthropic-version", "2023-06-01"),
        RawHeader.create("x-app", "cli"),
        RawHeader.create("user-agent", "claude-cli/2.0.14 (external, cli)"),
        RawHeader.create("x-stainless-os", "Linux"),
        RawHeader.create("x-claude-code-session-id", "9a3c2f1e-0000-4000-8000-123456789abc")));
    if (beta != null) {
      h.add(RawHeader.create("anthropic-beta", beta));
    }
    return h;
  }

  private static HttpRequest build(ClaudePlatform platform, List<HttpHeader> headers) {
    return request(platform, "https://api.anthropic.com", null, headers);
  }

  private static List<String> values(HttpRequest request, String name) {
    return StreamSupport.stream(request.getHeaders().spliterator(), false)
        .filter(h -> h.lowercaseName().equals(name))
        .map(HttpHeader::value)
        .toList();
  }

  private static List<String> names(Iterable<HttpHeader> headers) {
    return StreamSupport.stream(headers.spliterator(), false).map(HttpHeader::lowercaseName).toList();
  }

  @Test
  void consoleKeepsClientHeadersAndUsesTheAccountKey() {
    HttpRequest r = build(CONSOLE,
        clientHeaders("interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14"));

    assertEquals(List.of("2023-06-01"), values(r, "anthropic-version"));
    assertEquals(List.of("interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14"),
        values(r, "anthropic-beta"));
    assertEquals(List.of("cli"), values(r, "x-app"));
    assertEquals(List.of("claude-cli/2.0.14 (external, cli)"), values(r, "user-agent"));
    assertEquals(List.of("Linux"), values(r, "x-stainless-os"));
    assertEquals(List.of("9a3c2f1e-0000-4000-8000-123456789abc"), values(r, "x-claude-code-session-id"));

    assertEquals(List.of("sk-ant-api03-account"), values(r, "x-api-key"));
    assertEquals(List.of(), values(r, "authorization"));
    assertEquals(List.of("identity"), values(r, "accept-encoding"));
    for (String dropped : List.of("x-forwarded-for", "x-real-ip", "host", "content-length", "connection")) {
      assertEquals(List.of(), values(r, dropped), dropped);
    }
    // nothing else was added or kept
    assertEquals(List.of("anthropic-version", "x-app", "user-agent", "x-stainless-os", "x-claude-code-session-id",
        "anthropic-beta", "accept-encoding", "x-api-key"), names(r.getHeaders()));
  }

  @Test
  void relayKeyNeverReachesUpstream() {
    HttpRequest r = build(CONSOLE, clientHeaders(null));
    for (HttpHeader h : r.getHeaders()) {
      assertTrue(!h.value().contains("cr_relay_client_key"), h.toString());
    }
  }

  @Test
  void requestIsAPostWithTheBodyUnchanged() {
    HttpRequest r = build(CONSOLE, clientHeaders(null));
    assertEquals(HttpMethods.POST, r.method());
    assertEquals("https://api.anthropic.com/v1/messages", r.getUri().toString());
    assertEquals(ContentTypes.APPLICATION_JSON, r.entity().getContentType());
    assertEquals(BODY, ((HttpEntity.Strict) r.entity()).getData());
  }

  @Test
  void oauthUsesBearerTokenAndAddsTheOauthBeta() {
    HttpRequest r = build(OAUTH,
        clientHeaders("interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14"));
    assertEquals(List.of("Bearer sk-ant-oat01-token"), values(r, "authorization"));
    assertEquals(List.of(), values(r, "x-api-key"));
    assertEquals(List.of("oauth-2025-04-20,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14"),
        values(r, "anthropic-beta"));
    assertEquals(List.of("identity"), values(r, "accept-encoding"));
    assertEquals(List.of("cli"), values(r, "x-app"));
    assertEquals(List.of("2023-06-01"), values(r, "anthropic-version"));
  }

  @Test
  void oauthWithoutClientBetaSendsOnlyTheOauthBeta() {
    HttpRequest r = build(OAUTH, clientHeaders(null));
    assertEquals(List.of("oauth-2025-04-20"), values(r, "anthropic-beta"));
  }

  @Test
  void oauthBetaIsNotDuplicated() {
    HttpRequest r = build(OAUTH,
        clientHeaders("claude-code-20250219,oauth-2025-04-20,interleaved-thinking-2025-05-14"));
    assertEquals(List.of("claude-code-20250219,oauth-2025-04-20,interleaved-thinking-2025-05-14"),
        values(r, "anthropic-beta"));
  }

  @Test
  void oauthMergesSeveralClientBetaHeaders() {
    List<HttpHeader> headers = clientHeaders("claude-code-20250219");
    headers.add(RawHeader.create("anthropic-beta", "context-1m-2025-08-07"));
    HttpRequest r = build(OAUTH, headers);
    assertEquals(List.of("oauth-2025-04-20,claude-code-20250219,context-1m-2025-08-07"), values(r, "anthropic-beta"));
  }

  @Test
  void withOauthBeta() {
    assertEquals("oauth-2025-04-20", ClaudePlatform.withOauthBeta(null));
    assertEquals("oauth-2025-04-20", ClaudePlatform.withOauthBeta(" "));
    assertEquals("oauth-2025-04-20,a", ClaudePlatform.withOauthBeta("a"));
    assertEquals("a, oauth-2025-04-20", ClaudePlatform.withOauthBeta("a, oauth-2025-04-20"));
  }

  @Test
  void anthropicVersionIsDefaultedWhenMissing() {
    List<HttpHeader> headers = new ArrayList<>(clientHeaders(null));
    headers.removeIf(h -> h.lowercaseName().equals("anthropic-version"));
    HttpRequest r = build(CONSOLE, headers);
    assertEquals(List.of("2023-06-01"), values(r, "anthropic-version"));
  }

  @Test
  void clientAnthropicVersionIsKept() {
    HttpRequest r = build(CONSOLE,
        List.of(RawHeader.create("Anthropic-Version", "2024-01-01")));
    assertEquals(List.of("2024-01-01"), values(r, "anthropic-version"));
  }

  @Test
  void urlJoining() {
    assertEquals("https://api.anthropic.com/v1/messages",
        UpstreamUris.join("https://api.anthropic.com", "/v1/messages"));
    assertEquals("https://api.anthropic.com/v1/messages",
        UpstreamUris.join("https://api.anthropic.com/", "/v1/messages"));
    assertEquals("https://api.anthropic.com/v1/messages",
        UpstreamUris.join("https://api.anthropic.com//", "/v1/messages"));
    assertEquals("https://proxy.example/v1/messages",
        UpstreamUris.join("https://proxy.example/v1", "/v1/messages"));
    assertEquals("https://proxy.example/v1/messages",
        UpstreamUris.join("https://proxy.example/v1/", "/v1/messages"));
    assertEquals("https://proxy.example/anthropic/v1/messages/count_tokens",
        UpstreamUris.join("https://proxy.example/anthropic", "/v1/messages/count_tokens"));
  }

  @Test
  void queryStringIsAppended() {
    HttpRequest r = request(CONSOLE, "https://proxy.example/v1/", "beta=true", List.of());
    assertEquals("https://proxy.example/v1/messages?beta=true", r.getUri().toString());
    HttpRequest noQuery = request(CONSOLE, "https://proxy.example", "", List.of());
    assertEquals("https://proxy.example/v1/messages", noQuery.getUri().toString());
  }

  @Test
  void clientHeadersDropsServerIdentityAndKeepsRateLimits() {
    HttpResponse upstream = HttpResponse.create().withHeaders(List.of(
        RawHeader.create("date", "Tue, 07 Oct 2025 10:00:00 GMT"),
        RawHeader.create("server", "cloudflare"),
        RawHeader.create("set-cookie", "__cf_bm=abc; path=/"),
        RawHeader.create("anthropic-organization-id", "org-123"),
        RawHeader.create("cf-ray", "8f00000000000000-FRA"),
        RawHeader.create("cf-cache-status", "DYNAMIC"),
        RawHeader.create("cf-anything-else", "x"),
        RawHeader.create("via", "1.1 google"),
        RawHeader.create("connection", "keep-alive"),
        RawHeader.create("request-id", "req_011CT"),
        RawHeader.create("retry-after", "12"),
        RawHeader.create("anthropic-ratelimit-requests-limit", "4000"),
        RawHeader.create("anthropic-ratelimit-requests-remaining", "3999"),
        RawHeader.create("anthropic-ratelimit-tokens-reset", "2025-10-07T10:00:30Z")));
    List<HttpHeader> kept = CONSOLE.clientHeaders(upstream);
    assertEquals(List.of("request-id", "retry-after", "anthropic-ratelimit-requests-limit",
        "anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-tokens-reset"), names(kept));
    assertEquals(List.of("req_011CT", "12", "4000", "3999", "2025-10-07T10:00:30Z"),
        kept.stream().map(HttpHeader::value).toList());
  }
}
