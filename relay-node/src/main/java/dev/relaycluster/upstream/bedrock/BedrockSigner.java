package dev.relaycluster.upstream.bedrock;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * SigV4 for Bedrock (service {@code bedrock}) with the AWS SDK's own signer: the request is described exactly as
 * it is sent (the path as our HTTP client renders it, the headers it carries, the very body bytes), and the
 * headers the signer adds ({@code Authorization}, {@code X-Amz-Date}, {@code X-Amz-Security-Token} for session
 * credentials) are returned to be sent with it. {@code Host} is signed but not returned: the HTTP client writes
 * it from the same URI.
 */
public final class BedrockSigner {
  public static final String SERVICE = "bedrock";
  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

  private BedrockSigner() {}

  /**
   * The headers to add to a POST of {@code body} to {@code uri} (scheme, host, port, encoded path and query as
   * sent) carrying {@code headers} (name → value, as sent).
   */
  public static List<Map.Entry<String, String>> sign(URI uri, Map<String, String> headers, byte[] body,
      String accessKeyId, String secretAccessKey, String sessionToken, String region, Clock clock) {
    SdkHttpRequest.Builder request = SdkHttpRequest.builder()
        .method(SdkHttpMethod.POST)
        .protocol(uri.getScheme())
        .host(uri.getHost())
        .encodedPath(uri.getRawPath());
    if (uri.getPort() > 0) {
      request.port(uri.getPort());
    }
    if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        request.appendRawQueryParameter(java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq),
            java.nio.charset.StandardCharsets.UTF_8), eq < 0 ? null : java.net.URLDecoder.decode(pair.substring(eq + 1),
            java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    headers.forEach(request::putHeader);
    AwsCredentialsIdentity identity = sessionToken == null || sessionToken.isEmpty()
        ? AwsCredentialsIdentity.create(accessKeyId, secretAccessKey)
        : AwsSessionCredentialsIdentity.create(accessKeyId, secretAccessKey, sessionToken);
    SignedRequest signed = SIGNER.sign(r -> r
        .identity(identity)
        .request(request.build())
        .payload(ContentStreamProvider.fromByteArray(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
    List<Map.Entry<String, String>> added = new ArrayList<>();
    signed.request().forEachHeader((name, values) -> {
      if (!name.equalsIgnoreCase("host") && headers.keySet().stream().noneMatch(name::equalsIgnoreCase)) {
        values.forEach(v -> added.add(Map.entry(name, v)));
      }
    });
    return added;
  }
}
