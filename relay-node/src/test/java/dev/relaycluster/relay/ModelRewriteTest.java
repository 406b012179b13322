package dev.relaycluster.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.upstream.UpstreamCall;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class ModelRewriteTest {

  private static UpstreamCall call(String endpoint, String body, String model) {
    return new UpstreamCall(endpoint, "", List.of(), ContentTypes.APPLICATION_JSON, ByteString.fromString(body),
        new RequestView(model, true, 100, true, Optional.empty()));
  }

  @Test
  void theSameModelLeavesTheCallAlone() {
    UpstreamCall c = call("messages", "{\"model\":\"claude-sonnet-4-5\"}", "claude-sonnet-4-5");
    assertSame(c, ModelRewrite.to(c, "claude-sonnet-4-5"));
    assertSame(c, ModelRewrite.to(c, null));
  }

  @Test
  void aBodyThatNamesItsModelIsRenamedAndNothingElseChanges() {
    UpstreamCall c = call("messages", "{\"model\":\"sonnet\",\"max_tokens\":5,\"stream\":true}", "sonnet");
    UpstreamCall out = ModelRewrite.to(c, "claude-sonnet-4-5");
    assertEquals("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"stream\":true}", out.body().utf8String());
    assertEquals("claude-sonnet-4-5", out.view().model());
    assertEquals("messages", out.endpoint());
    assertEquals(100, out.view().maxTokens());
  }

  @Test
  void aGeminiEndpointIsRenamedInItsPath() {
    UpstreamCall c = call("models/fast:streamGenerateContent", "{\"contents\":[]}", "fast");
    UpstreamCall out = ModelRewrite.to(c, "gemini-3.8-flash");
    assertEquals("models/gemini-3.8-flash:streamGenerateContent", out.endpoint());
    assertEquals("{\"contents\":[]}", out.body().utf8String());
  }

  @Test
  void aBodyWithoutAModelFieldIsSentAsItCame() {
    UpstreamCall c = call("v1internal:loadCodeAssist", "{\"metadata\":{}}", "x");
    assertEquals("{\"metadata\":{}}", ModelRewrite.to(c, "y").body().utf8String());
  }
}
