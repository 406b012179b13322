package dev.relaycluster.upstream;

import dev.relaycluster.account.AccountDefinition;
import dev.relaycluster.account.AccountSecrets;
import dev.relaycluster.account.AccountType;
import dev.relaycluster.protocol.util.BoundedMemo;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;

/**
 * How the Anthropic Messages API is called for an account. The client's headers (anthropic-version,
 * anthropic-beta, x-app, user-agent, x-stainless-*, session headers) and body go upstream unchanged;
 * the client's relay key is replaced by the account's credential; hop-by-hop and client-address
 * headers are dropped; upstream is asked for an uncompressed answer so the usage tap can read it.
 */
public final class ClaudePlatform {
  static final String DEFAULT_VERSION = "2023-06-01";
  /**
   * Upstream URIs parsed once, up to 1,024 of them: every call to an account goes to one of a few (its
   * base URL, the endpoint's path, usually no query), and pekko's URI parser would run for each request.
   */
  private static final BoundedMemo<String, Uri> URIS = new BoundedMemo<>(1024, Uri::create);
  static final String OAUTH_BETA = "oauth-2025-04-20";

  private ClaudePlatform() {}

  public static HttpRequest request(
      AccountDefinition account,
      AccountSecrets secrets,
      String path,
      String rawQuery,
      List<HttpHeader> clientHeaders,
      ContentType contentType,
      ByteString body) {
    List<HttpHeader> headers = new ArrayList<>(clientHeaders.size() + 3);
    boolean hasVersion = false;
    String beta = null;
    for (HttpHeader h : clientHeaders) {
      String name = h.lowercaseName();
      if (!HeaderPolicy.forwardToUpstream(name)) {
        continue;
      }
      if (name.equals("anthropic-version")) {
        hasVersion = true;
      }
      if (name.equals("anthropic-beta") && account.type() == AccountType.CLAUDE_OAUTH) {
        beta = beta == null ? h.value() : beta + "," + h.value();
        continue;
      }
      headers.add(h);
    }
    if (!hasVersion) {
      headers.add(RawHeader.create("anthropic-version", DEFAULT_VERSION));
    }
    headers.add(RawHeader.create("accept-encoding", "identity"));
    if (account.type() == AccountType.CLAUDE_OAUTH) {
      // A subscription token is only accepted together with the OAuth beta flag; the client's own flags are kept.
      headers.add(RawHeader.create("authorization", "Bearer " + secrets.accessToken()));
      headers.add(RawHeader.create("anthropic-beta", withOauthBeta(beta)));
    } else {
      headers.add(RawHeader.create("x-api-key", secrets.apiKey()));
    }
    String uri = joinUrl(account.baseUrl(), path) + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
    return HttpRequest.create()
        .withUri(URIS.get(uri))
        .withMethod(HttpMethods.POST)
        .withHeaders(headers)
        .withEntity(HttpEntities.create(contentType, body));
  }

  static String withOauthBeta(String clientBeta) {
    if (clientBeta == null || clientBeta.isBlank()) {
      return OAUTH_BETA;
    }
    for (String flag : clientBeta.split(",")) {
      if (flag.trim().equals(OAUTH_BETA)) {
        return clientBeta;
      }
    }
    return OAUTH_BETA + "," + clientBeta;
  }

  /** Base URL plus path, tolerating a trailing slash or a trailing /v1 on the configured base URL. */
  static String joinUrl(String baseUrl, String path) {
    String base = baseUrl;
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    if (base.endsWith("/v1") && path.startsWith("/v1/")) {
      base = base.substring(0, base.length() - 3);
    }
    return base + path;
  }

  /** Upstream response headers that may be shown to the client (rate-limit headers, request-id, retry-after). */
  public static List<HttpHeader> clientHeaders(HttpResponse upstream) {
    List<HttpHeader> out = new ArrayList<>();
    for (HttpHeader h : upstream.getHeaders()) {
      if (HeaderPolicy.forwardToClient(h.lowercaseName())) {
        out.add(h);
      }
    }
    return out;
  }
}
