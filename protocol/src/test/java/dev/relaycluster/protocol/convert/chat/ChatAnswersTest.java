package dev.relaycluster.protocol.convert.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.relaycluster.protocol.convert.AnswerOptions;
import dev.relaycluster.protocol.convert.AnswerUsage;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.StopReason;
import dev.relaycluster.protocol.convert.WholeAnswer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatAnswersTest {
  private static final AnswerOptions OPTIONS = new AnswerOptions("gpt-4o", false, 1700000000L);

  private static byte[] utf8(String s) {
    return s.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void writesAWholeAnswerWithReasoningTextAndCalls() {
    WholeAnswer answer = new WholeAnswer("msg_01", "claude-sonnet-4-5", List.of(
        new Part.Reasoning("Plan.", "sig", false, "anthropic"), new Part.Reasoning("", "hidden", true, "anthropic"),
        new Part.Text("Sure, "), new Part.Text("checking."), new Part.ToolCall("toolu_1", "f", "{\"a\":1}", null),
        new Part.ToolCall("toolu_2", "g", "{}", "sig2")), StopReason.END_TURN, null,
        new AnswerUsage(10, 100, 5, 40, 7));
    String expected = "{'id':'chatcmpl-msg_01','object':'chat.completion','created':1700000000,'model':'gpt-4o',"
        + "'choices':[{'index':0,'message':{'role':'assistant','content':'Sure, checking.','refusal':null,"
        + "'reasoning_content':'Plan.','tool_calls':[{'id':'toolu_1','type':'function','function':{'name':'f',"
        + "'arguments':'{\\'a\\':1}'}},{'id':'toolu_2','type':'function','function':{'name':'g','arguments':'{}'}}]},"
        + "'logprobs':null,'finish_reason':'tool_calls'}],'usage':{'prompt_tokens':115,'completion_tokens':40,"
        + "'total_tokens':155,'prompt_tokens_details':{'cached_tokens':100},'completion_tokens_details':"
        + "{'reasoning_tokens':7}}}";
    assertEquals(new String(utf8(expected), StandardCharsets.UTF_8),
        new String(ChatCodec.INSTANCE.writeAnswer(answer, OPTIONS), StandardCharsets.UTF_8));
  }

  @Test
  void writesNullContentWhenThereIsNoText() {
    WholeAnswer answer = new WholeAnswer("chatcmpl-x", null, List.of(), StopReason.MAX_TOKENS, null, null);
    String expected = "{'id':'chatcmpl-x','object':'chat.completion','created':1700000000,'model':'gpt-4o',"
        + "'choices':[{'index':0,'message':{'role':'assistant','content':null,'refusal':null},"
        + "'logprobs':null,'finish_reason':'length'}],'usage':{'prompt_tokens':0,'completion_tokens':0,"
        + "'total_tokens':0,'prompt_tokens_details':{'cached_tokens':0},'completion_tokens_details':"
        + "{'reasoning_tokens':0}}}";
    assertEquals(new String(utf8(expected), StandardCharsets.UTF_8),
        new String(ChatCodec.INSTANCE.writeAnswer(answer, OPTIONS), StandardCharsets.UTF_8));
  }

  @Test
  void readsAnOpenAiCompletion() {
    String body = "{'id':'chatcmpl-B9','object':'chat.completion','created':1741569952,'model':'gpt-4.1-2025-04-14',"
        + "'choices':[{'index':0,'message':{'role':'assistant','content':'Let me look.','refusal':null,"
        + "'reasoning_content':'hmm','tool_calls':[{'id':'call_1','type':'function','function':{'name':'f',"
        + "'arguments':'{\\'q\\':\\'x\\'}'}},{'id':'call_2','type':'function','function':{'name':'g','arguments':''}}],"
        + "'annotations':[]},'logprobs':null,'finish_reason':'tool_calls'}],'usage':{'prompt_tokens':19,"
        + "'completion_tokens':10,'total_tokens':29,'prompt_tokens_details':{'cached_tokens':3,'audio_tokens':0},"
        + "'completion_tokens_details':{'reasoning_tokens':4,'audio_tokens':0}},'service_tier':'default'}";
    WholeAnswer expected = new WholeAnswer("chatcmpl-B9", "gpt-4.1-2025-04-14", List.of(
        new Part.Reasoning("hmm", null, false, null), new Part.Text("Let me look."),
        new Part.ToolCall("call_1", "f", "{\"q\":\"x\"}", null), new Part.ToolCall("call_2", "g", "{}", null)),
        StopReason.TOOL_USE, null, new AnswerUsage(16, 3, 0, 10, 4));
    assertEquals(expected, ChatCodec.INSTANCE.readAnswer(utf8(body)));
  }

  @Test
  void wholeAnswerSurvivesWriteThenRead() {
    WholeAnswer answer = new WholeAnswer("chatcmpl-7", "gpt-4o", List.of(new Part.Reasoning("r", null, false, null),
        new Part.Text("t"), new Part.ToolCall("c", "f", "{}", null)), StopReason.TOOL_USE, null,
        new AnswerUsage(1, 2, 0, 3, 1));
    assertEquals(answer, ChatCodec.INSTANCE.readAnswer(ChatCodec.INSTANCE.writeAnswer(answer, OPTIONS)));
  }

  @ParameterizedTest
  @CsvSource({"END_TURN,false,stop", "END_TURN,true,tool_calls", "STOP_SEQUENCE,false,stop", "PAUSE,false,stop",
      "MAX_TOKENS,true,length", "TOOL_USE,false,tool_calls", "CONTENT_FILTER,false,content_filter",
      "REFUSAL,false,content_filter"})
  void mapsFinishReasons(StopReason reason, boolean calledTools, String expected) {
    assertEquals(expected, ChatAnswers.finishReason(reason, calledTools));
  }

  @Test
  void readsErrorMessages() {
    assertEquals("Invalid 'messages'", ChatCodec.INSTANCE.errorMessage(
        utf8("{'error':{'message':'Invalid \\'messages\\'','type':'invalid_request_error','param':null,'code':null}}")
            .clone()).replace('"', '\''));
    assertNull(ChatCodec.INSTANCE.errorMessage(utf8("<html>502</html>")));
    assertEquals("plain", ChatCodec.INSTANCE.errorMessage(utf8("{'error':'plain'}")));
  }

  @Test
  void tellsWhetherUsageIsWanted() {
    assertEquals(true, ChatCodec.includeUsage(utf8("{'stream':true,'stream_options':{'include_usage':true}}")));
    assertEquals(false, ChatCodec.includeUsage(utf8("{'stream':true}")));
  }
}
