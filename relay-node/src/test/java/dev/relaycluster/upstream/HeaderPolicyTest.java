package dev.relaycluster.upstream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeaderPolicyTest {
  @Test
  void aClientsCredentialsAddressAndTraceContextStayOnTheRelay() {
    for (String name : new String[] {"x-api-key", "authorization", "x-forwarded-for", "forwarded", "traceparent",
        "tracestate", "host", "content-length", "accept-encoding"}) {
      assertFalse(HeaderPolicy.forwardToUpstream(name), name);
    }
    for (String name : new String[] {"anthropic-version", "anthropic-beta", "user-agent", "x-claude-code-session-id",
        "session_id", "openai-beta"}) {
      assertTrue(HeaderPolicy.forwardToUpstream(name), name);
    }
  }

  @Test
  void upstreamsIdentityHeadersStayOnTheRelay() {
    assertFalse(HeaderPolicy.forwardToClient("set-cookie"));
    assertFalse(HeaderPolicy.forwardToClient("anthropic-organization-id"));
    assertFalse(HeaderPolicy.forwardToClient("cf-ray"));
    assertTrue(HeaderPolicy.forwardToClient("request-id"));
    assertTrue(HeaderPolicy.forwardToClient("anthropic-ratelimit-unified-status"));
  }
}
