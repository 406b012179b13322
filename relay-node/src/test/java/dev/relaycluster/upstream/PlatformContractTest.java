package dev.relaycluster.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relaycluster.account.AccountType;
import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

/**
 * What every platform must do, whatever its vendor (ARCHITECTURE §2: adding an upstream comes with this
 * test): every account type has one, in the pool its type names; its probe is a call it serves; the request
 * it builds goes to its account's base URL with the account's credential and never carries the client's
 * relay key or the client's connection headers; and its answer rules agree on what a status means for the
 * account (a success is a success, the client's own 400 never marks the account, 401 is a credential
 * problem, 429 a rate limit to fail over from, 5xx a transient upstream fault).
 */
class PlatformContractTest {
  private static final String RELAY_KEY = "cr_contract_relay_key_0123456789";
  private static final Set<String> NEVER_UPSTREAM = Set.of("host", "content-length", "connection",
      "x-forwarded-for", "x-real-ip", "transfer-encoding");

  private static Credential credential(Platform p) {
    Map<String, String> settings = Map.of(
        CredentialSettings.REGION, "us-east-1",
        CredentialSettings.ACCESS_KEY_ID, "AKIACONTRACTTEST0001",
        CredentialSettings.SECRET_ACCESS_KEY, "contract/secret/key/0000000000000000000000",
        CredentialSettings.DEPLOYMENT, "contract-deployment",
        CredentialSettings.API_VERSION, "2025-04-01-preview",
        CredentialSettings.ORGANIZATION_ID, "org_contract");
    return new Credential("acc-contract", p.accountType(), "https://upstream.example/base", "account-api-key-secret",
        "account-access-token-secret", "upstream-account-1", null, settings);
  }

  private static List<HttpHeader> relayClientHeaders() {
    return List.of(RawHeader.create("x-api-key", RELAY_KEY), RawHeader.create("authorization", "Bearer " + RELAY_KEY),
        RawHeader.create("x-goog-api-key", RELAY_KEY), RawHeader.create("api-key", RELAY_KEY),
        RawHeader.create("host", "relay.example"), RawHeader.create("connection", "keep-alive"),
        RawHeader.create("x-forwarded-for", "203.0.113.9"), RawHeader.create("x-real-ip", "203.0.113.9"),
        RawHeader.create("content-length", "999"));
  }

  @Test
  void everyAccountTypeHasAPlatformInItsPool() {
    List<String> problems = new ArrayList<>();
    for (AccountType type : AccountType.values()) {
      Platforms.standard().find(type.wireName()).ifPresentOrElse(p -> {
        if (!p.pool().equals(type.platform())) {
          problems.add(type.wireName() + ": platform pool " + p.pool() + ", account type pool " + type.platform());
        }
        if (p.oauth() != type.oauth()) {
          problems.add(type.wireName() + ": platform oauth " + p.oauth() + ", account type oauth " + type.oauth());
        }
      }, () -> problems.add(type.wireName() + ": no platform"));
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void theProbeIsServedAndItsRequestCarriesTheAccountsCredentialOnly() {
    List<String> problems = new ArrayList<>();
    for (AccountType type : AccountType.values()) {
      Platform p = Platforms.standard().find(type.wireName()).orElse(null);
      if (p == null) {
        continue;
      }
      String name = type.wireName();
      UpstreamCall probe = p.probe(p.probeModel());
      if (!p.serves(probe.endpoint())) {
        problems.add(name + ": its probe's endpoint " + probe.endpoint() + " is not one it serves");
      }
      List<HttpHeader> headers = new ArrayList<>(probe.headers());
      headers.addAll(relayClientHeaders());
      UpstreamCall call = new UpstreamCall(probe.endpoint(), probe.rawQuery(), headers, probe.contentType(),
          probe.body(), probe.view());
      HttpRequest request = p.request(call, credential(p));
      URI uri = URI.create(request.getUri().toString());
      if (!"upstream.example".equals(uri.getHost()) || !uri.getPath().startsWith("/base/")) {
        problems.add(name + ": request goes to " + uri + ", not under the account's base URL");
      }
      boolean credentialSent = false;
      for (HttpHeader h : request.getHeaders()) {
        if (h.value().contains(RELAY_KEY)) {
          problems.add(name + ": the client's relay key is sent upstream in " + h.name());
        }
        if (NEVER_UPSTREAM.contains(h.lowercaseName())) {
          problems.add(name + ": the client's " + h.lowercaseName() + " header is sent upstream");
        }
        credentialSent |= h.value().contains("account-api-key-secret") || h.value().contains("account-access-token-secret")
            || h.value().contains("AKIACONTRACTTEST0001");
      }
      if (uri.toString().contains(RELAY_KEY)) {
        problems.add(name + ": the client's relay key is in the upstream URL");
      }
      if (!credentialSent && !uri.toString().contains("account-api-key-secret")) {
        problems.add(name + ": the account's credential is not sent");
      }
      if (p.modelFamily(p.probeModel()) == null) {
        problems.add(name + ": no model family for its probe model");
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void theAnswerRulesAgreeOnWhatAStatusMeansForTheAccount() {
    byte[] error = "{\"error\":{\"type\":\"error\",\"message\":\"contract\"}}".getBytes(StandardCharsets.UTF_8);
    long now = System.currentTimeMillis();
    List<String> problems = new ArrayList<>();
    for (AccountType type : AccountType.values()) {
      Platform p = Platforms.standard().find(type.wireName()).orElse(null);
      if (p == null) {
        continue;
      }
      String name = type.wireName();
      expect(problems, name, 200, p.classify(200, Map.of(), null, now), Set.of(AnswerClass.SUCCESS));
      expect(problems, name, 400, p.classify(400, Map.of(), error, now), Set.of(AnswerClass.REQUEST_ERROR));
      expect(problems, name, 401, p.classify(401, Map.of(), error, now),
          Set.of(AnswerClass.UNAUTHORIZED, AnswerClass.ORG_DISABLED));
      AnswerVerdict limited = p.classify(429, Map.of("retry-after", "7"), error, now);
      expect(problems, name, 429, limited, Set.of(AnswerClass.RATE_LIMITED));
      expect(problems, name, 500, p.classify(500, Map.of(), error, now),
          Set.of(AnswerClass.SERVER_ERROR, AnswerClass.OVERLOADED, AnswerClass.UNREACHABLE));
      expect(problems, name, 503, p.classify(503, Map.of(), error, now),
          Set.of(AnswerClass.SERVER_ERROR, AnswerClass.OVERLOADED, AnswerClass.UNREACHABLE));
      if (limited != null && !limited.failover()) {
        problems.add(name + ": a 429 is not failed over from");
      }
    }
    assertEquals(List.of(), problems);
  }

  private static void expect(List<String> problems, String name, int status, AnswerVerdict verdict, Set<AnswerClass> allowed) {
    if (verdict == null || !allowed.contains(verdict.answerClass())) {
      problems.add(name + ": " + status + " judged " + (verdict == null ? "null" : verdict.answerClass()) + ", expected one of "
          + allowed);
    }
  }
}
